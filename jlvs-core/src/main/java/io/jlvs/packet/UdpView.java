package io.jlvs.packet;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.u16;

/**
 * Flyweight over a UDP header (RFC 768). Offsets are relative to the UDP header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Length counts header and data. Checksum 0 over IPv4 means "none sent"; a computed 0 is sent as 0xFFFF
 * (RFC 768), see {@link Checksums#udpWire(int)}.
 */
public final class UdpView {
    public static final long SRC_PORT = 0, DST_PORT = 2, LENGTH = 4, CHECKSUM = 6;
    public static final int HEADER_LENGTH = 8;
    /** The checksum value that means "no checksum" over IPv4. */
    public static final int NO_CHECKSUM = 0;

    private MemorySegment seg;
    private long off;

    public UdpView wrap(MemorySegment seg, long off) {
        this.seg = seg;
        this.off = off;
        return this;
    }

    public MemorySegment segment() { return seg; }

    public long offset() { return off; }

    public int srcPort() { return u16(seg, off + SRC_PORT); }

    public UdpView srcPort(int port) { u16(seg, off + SRC_PORT, port); return this; }

    public int dstPort() { return u16(seg, off + DST_PORT); }

    public UdpView dstPort(int port) { u16(seg, off + DST_PORT, port); return this; }

    /** Header plus data, octets. */
    public int length() { return u16(seg, off + LENGTH); }

    public UdpView length(int v) { u16(seg, off + LENGTH, v); return this; }

    public int checksum() { return u16(seg, off + CHECKSUM); }

    public UdpView checksum(int v) { u16(seg, off + CHECKSUM, v); return this; }
}
