package io.jlvs.netio.ring;

/**
 * A ring's counters. Written by the ring's own thread only (plain fields, no atomics on the data path); another
 * thread reading them sees values that may be a little stale, never torn (64-bit JVM).
 */
public final class RingCounters {

    long rxFrames, rxBytes, rxTruncated, rxVlanReinserted, rxBlocks, rxCorrupt;
    long txFrames, txBytes, txDroppedFull, txDroppedError, txDroppedInvalid, txSyscalls;
    long kernelPackets, kernelDrops, kernelFreezes;
    int lastTxErrno;

    /** Frames handed to the handler. */
    public long rxFrames() {
        return rxFrames;
    }

    /** Bytes of those frames. */
    public long rxBytes() {
        return rxBytes;
    }

    /** Frames the kernel cut short ({@code tp_snaplen < tp_len}: larger than a V2 slot or V3 block); dropped. */
    public long rxTruncated() {
        return rxTruncated;
    }

    /** Frames whose stripped VLAN tag was put back in place. */
    public long rxVlanReinserted() {
        return rxVlanReinserted;
    }

    /** Hand-overs back to the kernel: V3 blocks, or V2 frame slots (one per frame walked). */
    public long rxBlocks() {
        return rxBlocks;
    }

    /**
     * Frames whose ring header made no sense (offsets outside the slot or block): with V2 that slot is skipped,
     * with V3 the rest of that block.
     */
    public long rxCorrupt() {
        return rxCorrupt;
    }

    /** Frames the kernel accepted for transmission (with a TX ring: frames queued in the ring). */
    public long txFrames() {
        return txFrames;
    }

    public long txBytes() {
        return txBytes;
    }

    /** Frames dropped because the device queue or the TX ring was full (EAGAIN, ENOBUFS, no free slot). */
    public long txDroppedFull() {
        return txDroppedFull;
    }

    /**
     * Frames the kernel refused for another reason (EMSGSIZE, EINVAL, ENETDOWN, ENXIO...): see
     * {@link #lastTxErrno()}. With a TX ring: kicks the kernel refused (the slots stay queued for the next one).
     */
    public long txDroppedError() {
        return txDroppedError;
    }

    /** Frames {@code send} refused before the kernel saw them (empty, too long, not in native memory). */
    public long txDroppedInvalid() {
        return txDroppedInvalid;
    }

    /** Transmit system calls made (sendmmsg, or the TX ring's send kick). */
    public long txSyscalls() {
        return txSyscalls;
    }

    /** The errno of the last refused transmission (0 if none). */
    public int lastTxErrno() {
        return lastTxErrno;
    }

    /** Frames the kernel saw for this socket ({@code tp_packets} of PACKET_STATISTICS, summed). */
    public long kernelPackets() {
        return kernelPackets;
    }

    /** Frames the kernel dropped for want of ring space ({@code tp_drops}, summed). */
    public long kernelDrops() {
        return kernelDrops;
    }

    /** Times the ring was full and the kernel froze it ({@code tp_freeze_q_cnt}, summed). */
    public long kernelFreezes() {
        return kernelFreezes;
    }

    @Override
    public String toString() {
        return "rx " + rxFrames + " frames " + rxBytes + " B (truncated " + rxTruncated + ", vlan " + rxVlanReinserted
                + ", blocks " + rxBlocks + ", corrupt " + rxCorrupt + "), tx " + txFrames + " frames " + txBytes
                + " B (full " + txDroppedFull + ", error " + txDroppedError + ", invalid " + txDroppedInvalid
                + ", syscalls " + txSyscalls + "), kernel " + kernelPackets + " seen, " + kernelDrops + " dropped, "
                + kernelFreezes + " freezes";
    }
}
