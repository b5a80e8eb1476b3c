package io.jlvs.xmit;

import java.lang.foreign.MemorySegment;

/**
 * Where a transmitter queues a finished frame: a TX ring of one or more interfaces, or the local stack (a TAP
 * device) for {@link LocalNodeXmit}. Implemented by jlvs-netio's rings and by test fakes.
 *
 * <p>Contract: {@code send} copies (or transmits) the octets before it returns, so the caller may overwrite the
 * buffer afterwards (the fragmenter writes each fragment's header over the previous fragment's tail). It must
 * not allocate, block or throw on the data path: a full queue is a {@code false}.
 */
@FunctionalInterface
public interface TxPort {
    /**
     * Queues the {@code length} octets at {@code offset} of {@code seg}, an Ethernet frame, on interface
     * {@code ifIndex} (as {@link Egress#ifIndex} chose; single-interface ports ignore it).
     *
     * @return false when the frame could not be queued (ring full): the caller counts a drop
     */
    boolean send(int ifIndex, MemorySegment seg, long offset, int length);
}
