package io.jlvs.packet;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.i32;
import static io.jlvs.packet.NetworkOrder.i64;
import static io.jlvs.packet.NetworkOrder.u16;
import static io.jlvs.packet.NetworkOrder.u8;

/**
 * Flyweight over an IPv6 header and its extension-header chain (RFC 8200). Offsets are relative to the IPv6
 * header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |              Flow Label               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Source Address (128 bits, 8..23)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             Destination Address (128 bits, 24..39)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Extension headers (RFC 8200 section 4), lengths excluding the first 8 octets:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Hdr Ext Len  |  hop-by-hop (0), routing (43), destination options (60),
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  mobility (135), HIP (139), shim6 (140): (len + 1) * 8 octets
 * |  Next Header  |  Payload Len  |  AH (51, RFC 4302): (len + 2) * 4 octets
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |   Reserved    |    Fragment Offset      |Res|M|  fragment (44): 8 octets
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Identification                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Addresses are two longs each, network order, {@code hi} the first eight octets (as {@link Flow}).
 * {@link #walkExtensions(long)} follows the chain, at most {@link #MAX_EXTENSION_HEADERS} headers, and leaves
 * the upper-layer protocol, its offset and the fragment facts in this view. Jumbograms (RFC 2675) are not
 * supported.
 */
public final class Ipv6View {
    public static final long VERSION_TC_FLOW = 0, PAYLOAD_LENGTH = 4, NEXT_HEADER = 6, HOP_LIMIT = 7;
    public static final long SRC = 8, DST = 24;
    public static final int HEADER_LENGTH = 40;
    /** Largest payload without a jumbo option, and largest reassembled fragmentable part ({@code IPV6_MAXPLEN}). */
    public static final int MAX_PAYLOAD_LENGTH = 0xFFFF;
    /** Extension headers {@link #walkExtensions(long)} follows before giving up. */
    public static final int MAX_EXTENSION_HEADERS = 8;
    /** Fragment header fields, relative to the fragment header. */
    public static final long FRAG_NEXT_HEADER = 0, FRAG_OFFSET_FLAGS = 2, FRAG_ID = 4;
    public static final int FRAG_HEADER_LENGTH = 8;
    /** {@link #walkExtensions(long)} results other than a protocol number. */
    public static final int EXT_TRUNCATED = -1, EXT_LIMIT = -2, EXT_HOP_BY_HOP_NOT_FIRST = -3;

    private MemorySegment seg;
    private long off;
    // facts left by walkExtensions
    private int extensionCount;
    private long upperLayerOffset;
    private int upperLayerProtocol;
    private long fragmentHeaderOffset;
    private int fragmentOffsetWord;
    private int fragmentId;

    public Ipv6View wrap(MemorySegment seg, long off) {
        this.seg = seg;
        this.off = off;
        this.extensionCount = 0;
        this.upperLayerOffset = off + HEADER_LENGTH;
        this.upperLayerProtocol = -1;
        this.fragmentHeaderOffset = -1;
        this.fragmentOffsetWord = 0;
        this.fragmentId = 0;
        return this;
    }

    public MemorySegment segment() { return seg; }

    public long offset() { return off; }

    public int version() { return u8(seg, off + VERSION_TC_FLOW) >>> 4; }

    public Ipv6View version(int v) { return word0((word0() & 0x0FFF_FFFF) | (v << 28)); }

    public int trafficClass() { return (word0() >>> 20) & 0xFF; }

    public Ipv6View trafficClass(int tc) { return word0((word0() & 0xF00F_FFFF) | ((tc & 0xFF) << 20)); }

    public int dscp() { return trafficClass() >>> 2; }

    public int ecn() { return trafficClass() & 0x03; }

    public int flowLabel() { return word0() & 0x000F_FFFF; }

    public Ipv6View flowLabel(int label) { return word0((word0() & 0xFFF0_0000) | (label & 0x000F_FFFF)); }

    public int payloadLength() { return u16(seg, off + PAYLOAD_LENGTH); }

    public Ipv6View payloadLength(int v) { u16(seg, off + PAYLOAD_LENGTH, v); return this; }

    public int nextHeader() { return u8(seg, off + NEXT_HEADER); }

    public Ipv6View nextHeader(int v) { u8(seg, off + NEXT_HEADER, v); return this; }

    public int hopLimit() { return u8(seg, off + HOP_LIMIT); }

    public Ipv6View hopLimit(int v) { u8(seg, off + HOP_LIMIT, v); return this; }

    public long srcHi() { return i64(seg, off + SRC); }

    public long srcLo() { return i64(seg, off + SRC + 8); }

    public Ipv6View src(long hi, long lo) { i64(seg, off + SRC, hi); i64(seg, off + SRC + 8, lo); return this; }

    public long dstHi() { return i64(seg, off + DST); }

    public long dstLo() { return i64(seg, off + DST + 8); }

    public Ipv6View dst(long hi, long lo) { i64(seg, off + DST, hi); i64(seg, off + DST + 8, lo); return this; }

    /** True for the next-header values RFC 8200 and RFC 7045 define as extension headers (ESP excluded: its
     * contents are opaque, so it ends the walk like an upper-layer protocol). */
    public static boolean isExtension(int nextHeader) {
        return switch (nextHeader) {
            case IpProto.IPPROTO_HOPOPTS, IpProto.IPPROTO_ROUTING, IpProto.IPPROTO_FRAGMENT, IpProto.IPPROTO_AH,
                 IpProto.IPPROTO_DSTOPTS, IpProto.IPPROTO_MH, IpProto.IPPROTO_HIP, IpProto.IPPROTO_SHIM6 -> true;
            default -> false;
        };
    }

    /**
     * Walks the extension headers of a packet whose valid bytes end at {@code end} (a segment offset, normally
     * the end of the payload length), checking each header fits before reading it. Stops at the first
     * non-extension next header (an upper-layer protocol, ESP, or No Next Header 59) or at a fragment header
     * with a non-zero offset (a non-first fragment carries no upper-layer header to walk into).
     *
     * @return the upper-layer protocol (0..255), or {@link #EXT_TRUNCATED}, {@link #EXT_LIMIT} (more than
     *         {@link #MAX_EXTENSION_HEADERS}), {@link #EXT_HOP_BY_HOP_NOT_FIRST}
     */
    public int walkExtensions(long end) {
        wrap(seg, off);
        int nh = nextHeader();
        long p = off + HEADER_LENGTH;
        for (int n = 0; ; n++) {
            if (!isExtension(nh)) return upperLayer(p, nh, n);
            if (n == MAX_EXTENSION_HEADERS) return EXT_LIMIT;
            if (nh == IpProto.IPPROTO_HOPOPTS && n != 0) return EXT_HOP_BY_HOP_NOT_FIRST;
            if (end - p < 8) return EXT_TRUNCATED;           // every extension header is at least 8 octets
            int next = u8(seg, p);
            long len;
            if (nh == IpProto.IPPROTO_FRAGMENT) {
                len = FRAG_HEADER_LENGTH;
                fragmentHeaderOffset = p;
                fragmentOffsetWord = u16(seg, p + FRAG_OFFSET_FLAGS);
                fragmentId = i32(seg, p + FRAG_ID);
                if (fragmentOffset() != 0) return upperLayer(p + len, next, n + 1);
            } else if (nh == IpProto.IPPROTO_AH) {
                len = (u8(seg, p + 1) + 2L) << 2;
            } else {
                len = (u8(seg, p + 1) + 1L) << 3;
            }
            if (end - p < len) return EXT_TRUNCATED;
            p += len;
            nh = next;
        }
    }

    private int upperLayer(long p, int protocol, int count) {
        upperLayerOffset = p;
        upperLayerProtocol = protocol;
        extensionCount = count;
        return protocol;
    }

    /** Extension headers passed by the last walk. */
    public int extensionCount() { return extensionCount; }

    /** Segment offset of the upper-layer header found by the last walk. */
    public long upperLayerOffset() { return upperLayerOffset; }

    /** Upper-layer protocol found by the last walk, -1 before one. */
    public int upperLayerProtocol() { return upperLayerProtocol; }

    /** Segment offset of the fragment header found by the last walk, -1 if none. */
    public long fragmentHeaderOffset() { return fragmentHeaderOffset; }

    /** Fragment offset in 8-octet units (0 without a fragment header). */
    public int fragmentOffset() { return fragmentOffsetWord >>> 3; }

    public int fragmentOffsetBytes() { return fragmentOffsetWord & 0xFFF8; }

    public boolean moreFragments() { return (fragmentOffsetWord & 1) != 0; }

    /** Fragment identification (0 without a fragment header). */
    public int fragmentId() { return fragmentId; }

    /** True for a real fragment; an atomic fragment (offset 0, M clear, RFC 6946) is not one. */
    public boolean isFragment() { return (fragmentOffsetWord & 0xFFF9) != 0; }

    private int word0() { return i32(seg, off + VERSION_TC_FLOW); }

    private Ipv6View word0(int v) { i32(seg, off + VERSION_TC_FLOW, v); return this; }
}
