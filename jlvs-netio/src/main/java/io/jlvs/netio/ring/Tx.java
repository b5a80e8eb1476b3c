package io.jlvs.netio.ring;

import java.lang.foreign.MemorySegment;

/** One way to transmit: a sendmmsg batch ({@link TxBatch}) or a TPACKET TX ring ({@link TxRing}). */
abstract sealed class Tx permits TxBatch, TxRing {

    /** Queues a frame; false (counted) if it cannot be. {@code hdr} null means "no offload". */
    abstract boolean send(MemorySegment seg, long off, int len, VnetHdr hdr);

    /** Hands what is queued to the kernel; returns the frames the kernel accepted. */
    abstract int flush();

    /** Frames queued and not yet flushed. */
    abstract int pending();
}
