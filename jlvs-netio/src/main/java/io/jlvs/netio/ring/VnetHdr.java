package io.jlvs.netio.ring;

import io.jlvs.netio.sys.VirtioNet;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The offload facts of one frame, as {@code struct virtio_net_hdr} carries them (see {@link VirtioNet}): a
 * mutable holder, reused. {@link RxMeta#vnet()} fills one per received frame; {@link PacketRing#send} writes one
 * before the frame so the kernel (or the NIC) segments a GSO super-frame and completes a partial checksum.
 *
 * <p>{@code csumStart} and {@code hdrLen} count from the first byte of the Ethernet header: a handler that
 * prepends {@code n} bytes of encapsulation in front of the frame adds {@code n} to both (and the GSO type must
 * still describe the packet the kernel will segment).
 */
public final class VnetHdr {

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private int flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset;

    /** No offload: complete checksums, one frame within the MTU. */
    public VnetHdr clear() {
        flags = gsoType = hdrLen = gsoSize = csumStart = csumOffset = 0;
        return this;
    }

    public VnetHdr set(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        this.flags = flags & 0xFF;
        this.gsoType = gsoType & 0xFF;
        this.hdrLen = hdrLen & 0xFFFF;
        this.gsoSize = gsoSize & 0xFFFF;
        this.csumStart = csumStart & 0xFFFF;
        this.csumOffset = csumOffset & 0xFFFF;
        return this;
    }

    public VnetHdr copyFrom(VnetHdr o) {
        return set(o.flags, o.gsoType, o.hdrLen, o.gsoSize, o.csumStart, o.csumOffset);
    }

    /** {@code VIRTIO_NET_HDR_F_*} bits. */
    public int flags() {
        return flags;
    }

    public VnetHdr flags(int v) {
        flags = v & 0xFF;
        return this;
    }

    /** {@code VIRTIO_NET_HDR_GSO_*}, possibly with {@code VIRTIO_NET_HDR_GSO_ECN}. */
    public int gsoType() {
        return gsoType;
    }

    public VnetHdr gsoType(int v) {
        gsoType = v & 0xFF;
        return this;
    }

    /** Length of the headers (a hint of what to keep linear), from the Ethernet header. */
    public int hdrLen() {
        return hdrLen;
    }

    public VnetHdr hdrLen(int v) {
        hdrLen = v & 0xFFFF;
        return this;
    }

    /** Payload bytes per segment (the MSS for TCP). */
    public int gsoSize() {
        return gsoSize;
    }

    public VnetHdr gsoSize(int v) {
        gsoSize = v & 0xFFFF;
        return this;
    }

    /** Where the checksummed L4 data starts, from the Ethernet header (valid with NEEDS_CSUM). */
    public int csumStart() {
        return csumStart;
    }

    public VnetHdr csumStart(int v) {
        csumStart = v & 0xFFFF;
        return this;
    }

    /** Offset of the checksum field from {@link #csumStart()} (16 TCP, 6 UDP). */
    public int csumOffset() {
        return csumOffset;
    }

    public VnetHdr csumOffset(int v) {
        csumOffset = v & 0xFFFF;
        return this;
    }

    public boolean needsCsum() {
        return (flags & VirtioNet.VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0;
    }

    public boolean dataValid() {
        return (flags & VirtioNet.VIRTIO_NET_HDR_F_DATA_VALID) != 0;
    }

    /** The frame is a GSO super-frame the kernel must segment into {@link #gsoSize()} pieces. */
    public boolean isGso() {
        return (gsoType & ~VirtioNet.VIRTIO_NET_HDR_GSO_ECN) != VirtioNet.VIRTIO_NET_HDR_GSO_NONE;
    }

    /** Reads the 10 bytes at {@code off} (native byte order, as the kernel writes them). */
    VnetHdr read(MemorySegment seg, long off) {
        flags = seg.get(ValueLayout.JAVA_BYTE, off + VirtioNet.FLAGS) & 0xFF;
        gsoType = seg.get(ValueLayout.JAVA_BYTE, off + VirtioNet.GSO_TYPE) & 0xFF;
        hdrLen = seg.get(U16, off + VirtioNet.HDR_LEN) & 0xFFFF;
        gsoSize = seg.get(U16, off + VirtioNet.GSO_SIZE) & 0xFFFF;
        csumStart = seg.get(U16, off + VirtioNet.CSUM_START) & 0xFFFF;
        csumOffset = seg.get(U16, off + VirtioNet.CSUM_OFFSET) & 0xFFFF;
        return this;
    }

    /** Writes the 10 bytes at {@code off}. */
    void write(MemorySegment seg, long off) {
        seg.set(ValueLayout.JAVA_BYTE, off + VirtioNet.FLAGS, (byte) flags);
        seg.set(ValueLayout.JAVA_BYTE, off + VirtioNet.GSO_TYPE, (byte) gsoType);
        seg.set(U16, off + VirtioNet.HDR_LEN, (short) hdrLen);
        seg.set(U16, off + VirtioNet.GSO_SIZE, (short) gsoSize);
        seg.set(U16, off + VirtioNet.CSUM_START, (short) csumStart);
        seg.set(U16, off + VirtioNet.CSUM_OFFSET, (short) csumOffset);
    }

    /** Writes an all-zero header (no offload) at {@code off}. */
    static void writeNone(MemorySegment seg, long off) {
        seg.set(ValueLayout.JAVA_LONG_UNALIGNED, off, 0L);
        seg.set(U16, off + 8, (short) 0);
    }

    @Override
    public String toString() {
        return "VnetHdr[flags=" + flags + ", gsoType=" + gsoType + ", hdrLen=" + hdrLen + ", gsoSize=" + gsoSize
                + ", csumStart=" + csumStart + ", csumOffset=" + csumOffset + "]";
    }
}
