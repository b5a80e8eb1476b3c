package io.jlvs.packet;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.i32;
import static io.jlvs.packet.NetworkOrder.i64;
import static io.jlvs.packet.NetworkOrder.mac;
import static io.jlvs.packet.NetworkOrder.u16;
import static io.jlvs.packet.NetworkOrder.u8;

/**
 * Flyweight over an ICMPv6 message (RFC 4443) and the Neighbor Discovery messages the director answers
 * (RFC 4861: neighbor solicitation and advertisement, their link-layer address options). Offsets are relative to
 * the ICMPv6 header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  echo request 128 / reply 129
 * |                              MTU                              |  packet too big 2
 * |                            Pointer                            |  parameter problem 4
 * |R|S|O|                     Reserved                            |  NA 136 (NS 135: all reserved)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  errors (type < 128): as much of the invoking packet as fits  |
 * |  NS / NA: Target Address (128 bits, 8..23), then options:     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      | Length (x8 B) |   Link-Layer Address (1 src, 2 target) ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The checksum covers an IPv6 pseudo-header (next header 58) and the whole message.
 */
public final class Icmpv6View {
    public static final long TYPE = 0, CODE = 1, CHECKSUM = 2, ID = 4, SEQUENCE = 6, MTU = 4, POINTER = 4;
    public static final long ND_FLAGS = 4, ND_TARGET = 8, EMBEDDED = 8;
    public static final int HEADER_LENGTH = 8;
    /** NS and NA length without options. */
    public static final int ND_MIN_LENGTH = 24;

    public static final int DEST_UNREACH = 1, PACKET_TOO_BIG = 2, TIME_EXCEEDED = 3, PARAMETER_PROBLEM = 4;
    public static final int ECHO_REQUEST = 128, ECHO_REPLY = 129;
    public static final int ROUTER_SOLICITATION = 133, ROUTER_ADVERTISEMENT = 134;
    public static final int NEIGHBOR_SOLICITATION = 135, NEIGHBOR_ADVERTISEMENT = 136, REDIRECT = 137;
    /** NA flag bits in the octet at {@link #ND_FLAGS}. */
    public static final int NA_ROUTER = 0x80, NA_SOLICITED = 0x40, NA_OVERRIDE = 0x20;
    /** ND option types. */
    public static final int OPT_SOURCE_LL_ADDR = 1, OPT_TARGET_LL_ADDR = 2;
    /** ND options {@link #walkNdOptions(long)} reads before it stops looking. */
    public static final int MAX_ND_OPTIONS = 16;
    /** A link-layer address option that was not found. */
    public static final long NO_LL_ADDR = -1;

    private MemorySegment seg;
    private long off;
    private long sourceLlAddr = NO_LL_ADDR, targetLlAddr = NO_LL_ADDR;

    public Icmpv6View wrap(MemorySegment seg, long off) {
        this.seg = seg;
        this.off = off;
        this.sourceLlAddr = NO_LL_ADDR;
        this.targetLlAddr = NO_LL_ADDR;
        return this;
    }

    public MemorySegment segment() { return seg; }

    public long offset() { return off; }

    public int type() { return u8(seg, off + TYPE); }

    public Icmpv6View type(int v) { u8(seg, off + TYPE, v); return this; }

    public int code() { return u8(seg, off + CODE); }

    public Icmpv6View code(int v) { u8(seg, off + CODE, v); return this; }

    public int checksum() { return u16(seg, off + CHECKSUM); }

    public Icmpv6View checksum(int v) { u16(seg, off + CHECKSUM, v); return this; }

    public int id() { return u16(seg, off + ID); }

    public Icmpv6View id(int v) { u16(seg, off + ID, v); return this; }

    public int sequence() { return u16(seg, off + SEQUENCE); }

    public Icmpv6View sequence(int v) { u16(seg, off + SEQUENCE, v); return this; }

    /** MTU of a packet-too-big message. */
    public int mtu() { return i32(seg, off + MTU); }

    public Icmpv6View mtu(int v) { i32(seg, off + MTU, v); return this; }

    /** Parameter-problem pointer. */
    public int pointer() { return i32(seg, off + POINTER); }

    /** Error messages have types 0..127 (RFC 4443 section 2.1). */
    public static boolean isError(int type) { return type < 128; }

    public boolean isError() { return isError(type()); }

    /** Segment offset of the quoted IPv6 header of an error message. */
    public long embeddedOffset() { return off + EMBEDDED; }

    /** NA flags octet: {@link #NA_ROUTER}, {@link #NA_SOLICITED}, {@link #NA_OVERRIDE}. */
    public int ndFlags() { return u8(seg, off + ND_FLAGS); }

    public Icmpv6View ndFlags(int v) { u8(seg, off + ND_FLAGS, v); return this; }

    /** Target address of an NS, NA or redirect: first eight octets. */
    public long targetHi() { return i64(seg, off + ND_TARGET); }

    public long targetLo() { return i64(seg, off + ND_TARGET + 8); }

    public Icmpv6View target(long hi, long lo) { i64(seg, off + ND_TARGET, hi); i64(seg, off + ND_TARGET + 8, lo); return this; }

    /** Offset of the ND options relative to the message, by type (RFC 4861 section 4), or -1 for non-ND. */
    public static int ndOptionsStart(int type) {
        return switch (type) {
            case ROUTER_SOLICITATION -> 8;
            case ROUTER_ADVERTISEMENT -> 16;
            case NEIGHBOR_SOLICITATION, NEIGHBOR_ADVERTISEMENT -> 24;
            case REDIRECT -> 40;
            default -> -1;
        };
    }

    /**
     * Walks the ND options of an RS, RA, NS, NA or redirect whose valid bytes end at {@code end} (a segment
     * offset), at most {@link #MAX_ND_OPTIONS} options, recording Ethernet source and target link-layer
     * addresses (options of length 1). Returns false for a non-ND type, a message shorter than its fixed part,
     * or an option of length zero or running past {@code end}: RFC 4861 section 4.6 says to discard those.
     */
    public boolean walkNdOptions(long end) {
        sourceLlAddr = NO_LL_ADDR;
        targetLlAddr = NO_LL_ADDR;
        int start = ndOptionsStart(type());
        if (start < 0 || end - off < start) return false;
        long p = off + start;
        for (int n = 0; n < MAX_ND_OPTIONS && p < end; n++) {
            if (end - p < 2) return false;
            int len = u8(seg, p + 1) << 3;
            if (len == 0 || end - p < len) return false;
            int optType = u8(seg, p);
            if (len == 8 && optType == OPT_SOURCE_LL_ADDR) sourceLlAddr = mac(seg, p + 2);
            else if (len == 8 && optType == OPT_TARGET_LL_ADDR) targetLlAddr = mac(seg, p + 2);
            p += len;
        }
        return true;
    }

    /** Source link-layer address option found by the last walk, or {@link #NO_LL_ADDR}. */
    public long sourceLinkLayerAddress() { return sourceLlAddr; }

    /** Target link-layer address option found by the last walk, or {@link #NO_LL_ADDR}. */
    public long targetLinkLayerAddress() { return targetLlAddr; }

    /** True when the checksum over the pseudo-header and {@code length} octets of message verifies. */
    public boolean checksumOk(long srcHi, long srcLo, long dstHi, long dstLo, int length) {
        return Checksums.transport6(seg, off, length, srcHi, srcLo, dstHi, dstLo, IpProto.IPPROTO_ICMPV6) == 0;
    }

    /** Recomputes the checksum over the pseudo-header and {@code length} octets and stores it. */
    public Icmpv6View fillChecksum(long srcHi, long srcLo, long dstHi, long dstLo, int length) {
        checksum(0);
        return checksum(Checksums.transport6(seg, off, length, srcHi, srcLo, dstHi, dstLo, IpProto.IPPROTO_ICMPV6));
    }
}
