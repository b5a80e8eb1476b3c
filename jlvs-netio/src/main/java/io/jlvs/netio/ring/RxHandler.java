package io.jlvs.netio.ring;

import java.lang.foreign.MemorySegment;

/**
 * Receives the frames {@link PacketRing#receive} walks, in ring order, on the ring's thread.
 *
 * <pre>
 *  bufferStart              frameStart                     frameStart + length     bufferEnd
 *  |--- headroom (writable) -|[Ethernet][VLAN][IP ... payload]|--- tailroom (0..7) --|
 * </pre>
 *
 * <p>The handler may rewrite the frame in place, prepend up to {@code frameStart - bufferStart} bytes of
 * encapsulation (the ring's PACKET_RESERVE plus what the kernel's alignment leaves), and queue the result with
 * {@link PacketRing#send} straight from ring memory: the ring flushes the transmit batch before it hands a frame
 * slot (V2) or block (V3) back to the kernel. The region is only valid during the call (and until that flush);
 * nothing may be kept.
 */
@FunctionalInterface
public interface RxHandler {
    /**
     * @param seg         the ring mapping (valid until the ring is closed)
     * @param frameStart  absolute offset of the Ethernet header
     * @param length      bytes of the frame (never truncated: truncated frames are counted, not handed over)
     * @param bufferStart first byte the frame may use as headroom
     * @param bufferEnd   first byte past the room the frame may grow into
     * @param meta        the kernel's facts about the frame (reused: valid during this call only)
     */
    void onFrame(MemorySegment seg, long frameStart, int length, long bufferStart, long bufferEnd, RxMeta meta);
}
