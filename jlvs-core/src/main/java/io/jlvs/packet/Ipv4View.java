package io.jlvs.packet;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.i32;
import static io.jlvs.packet.NetworkOrder.u16;
import static io.jlvs.packet.NetworkOrder.u8;

/**
 * Flyweight over an IPv4 header (RFC 791; DSCP/ECN per RFC 2474 and RFC 3168). Offsets are relative to the
 * IP header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |    DSCP   |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |0|D|M|     Fragment Offset     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL > 5)                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Addresses are host-order ints of the network-order bytes ({@code 192.0.2.1} is {@code 0xC0000201}).
 * The fragment offset is in 8-octet units as on the wire; {@link #fragmentOffsetBytes()} scales it.
 */
public final class Ipv4View {
    public static final long VERSION_IHL = 0, TOS = 1, TOTAL_LENGTH = 2, ID = 4, FRAG = 6;
    public static final long TTL = 8, PROTOCOL = 9, CHECKSUM = 10, SRC = 12, DST = 16, OPTIONS = 20;
    /** Length of a header without options (IHL 5). */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Length of a header with 40 octets of options (IHL 15). */
    public static final int MAX_HEADER_LENGTH = 60;
    /** Largest datagram, and largest reassembled datagram, RFC 791 allows. */
    public static final int MAX_TOTAL_LENGTH = 0xFFFF;
    /** Bits of the flags/fragment-offset word. */
    public static final int FLAG_RESERVED = 0x8000, FLAG_DF = 0x4000, FLAG_MF = 0x2000, FRAG_OFFSET_MASK = 0x1FFF;

    private MemorySegment seg;
    private long off;

    public Ipv4View wrap(MemorySegment seg, long off) {
        this.seg = seg;
        this.off = off;
        return this;
    }

    public MemorySegment segment() { return seg; }

    public long offset() { return off; }

    public int version() { return u8(seg, off + VERSION_IHL) >>> 4; }

    public Ipv4View version(int v) { u8(seg, off + VERSION_IHL, (v << 4) | (u8(seg, off + VERSION_IHL) & 0x0F)); return this; }

    /** Header length in 32-bit words. */
    public int ihl() { return u8(seg, off + VERSION_IHL) & 0x0F; }

    public Ipv4View ihl(int words) { u8(seg, off + VERSION_IHL, (u8(seg, off + VERSION_IHL) & 0xF0) | (words & 0x0F)); return this; }

    /** Header length in octets: {@code ihl() * 4}. */
    public int headerLength() { return ihl() << 2; }

    public boolean hasOptions() { return ihl() > 5; }

    /** Octets of options (and their padding) after the fixed 20-octet header. */
    public int optionsLength() { return headerLength() - MIN_HEADER_LENGTH; }

    /** The whole type-of-service octet: DSCP in the upper six bits, ECN in the lower two. */
    public int tos() { return u8(seg, off + TOS); }

    public Ipv4View tos(int v) { u8(seg, off + TOS, v); return this; }

    public int dscp() { return tos() >>> 2; }

    public Ipv4View dscp(int v) { return tos((v << 2) | (tos() & 0x03)); }

    public int ecn() { return tos() & 0x03; }

    public Ipv4View ecn(int v) { return tos((tos() & 0xFC) | (v & 0x03)); }

    public int totalLength() { return u16(seg, off + TOTAL_LENGTH); }

    public Ipv4View totalLength(int v) { u16(seg, off + TOTAL_LENGTH, v); return this; }

    public int id() { return u16(seg, off + ID); }

    public Ipv4View id(int v) { u16(seg, off + ID, v); return this; }

    /** The 16-bit word of flags and fragment offset, as on the wire. */
    public int fragWord() { return u16(seg, off + FRAG); }

    public Ipv4View fragWord(int v) { u16(seg, off + FRAG, v); return this; }

    public boolean dontFragment() { return (fragWord() & FLAG_DF) != 0; }

    public Ipv4View dontFragment(boolean df) { return fragWord(df ? fragWord() | FLAG_DF : fragWord() & ~FLAG_DF); }

    public boolean moreFragments() { return (fragWord() & FLAG_MF) != 0; }

    public Ipv4View moreFragments(boolean mf) { return fragWord(mf ? fragWord() | FLAG_MF : fragWord() & ~FLAG_MF); }

    /** Fragment offset in 8-octet units. */
    public int fragmentOffset() { return fragWord() & FRAG_OFFSET_MASK; }

    public Ipv4View fragmentOffset(int units) { return fragWord((fragWord() & ~FRAG_OFFSET_MASK) | (units & FRAG_OFFSET_MASK)); }

    public int fragmentOffsetBytes() { return fragmentOffset() << 3; }

    /** True for any fragment: more fragments follow, or this one is not the first. */
    public boolean isFragment() { return (fragWord() & (FLAG_MF | FRAG_OFFSET_MASK)) != 0; }

    public int ttl() { return u8(seg, off + TTL); }

    public Ipv4View ttl(int v) { u8(seg, off + TTL, v); return this; }

    public int protocol() { return u8(seg, off + PROTOCOL); }

    public Ipv4View protocol(int v) { u8(seg, off + PROTOCOL, v); return this; }

    public int checksum() { return u16(seg, off + CHECKSUM); }

    public Ipv4View checksum(int v) { u16(seg, off + CHECKSUM, v); return this; }

    public int src() { return i32(seg, off + SRC); }

    public Ipv4View src(int addr) { i32(seg, off + SRC, addr); return this; }

    public int dst() { return i32(seg, off + DST); }

    public Ipv4View dst(int addr) { i32(seg, off + DST, addr); return this; }

    /** True when the header checksum over {@link #headerLength()} octets verifies. */
    public boolean checksumOk() { return Checksums.internet(seg, off, headerLength()) == 0; }

    /** Recomputes the header checksum from scratch and stores it. */
    public Ipv4View fillChecksum() {
        checksum(0);
        return checksum(Checksums.internet(seg, off, headerLength()));
    }
}
