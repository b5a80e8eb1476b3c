package io.jlvs.netio.rtnl;

/**
 * What a socket's parser had to skip or repeat, since it was opened. None of these is an error the caller
 * sees: a bad message is skipped and counted, never thrown.
 *
 * @param malformedMessages  messages (or the rest of a datagram) skipped: short header, length past the end,
 *                           fixed header too short, bad attribute framing, a required attribute missing or
 *                           of the wrong size
 * @param badAttributes      single attributes ignored because their payload had the wrong size
 * @param staleMessages      messages skipped because their sequence number or port id was not the request's
 *                           (answers to an abandoned request), or their sender was not the kernel
 * @param redumps            dumps repeated because the kernel marked them inconsistent (NLM_F_DUMP_INTR) or
 *                           a reply was lost
 * @param overruns           ENOBUFS on a monitor socket: notifications lost, a resync was signalled
 */
public record RtnlStats(long malformedMessages, long badAttributes, long staleMessages, long redumps,
        long overruns) {}
