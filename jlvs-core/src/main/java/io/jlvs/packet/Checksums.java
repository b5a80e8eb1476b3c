package io.jlvs.packet;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.u16;
import static io.jlvs.packet.NetworkOrder.u8;

/**
 * The internet checksum (RFC 1071) over {@link MemorySegment} ranges, the TCP/UDP/ICMPv6 pseudo-headers
 * (RFC 9293 section 3.1, RFC 768, RFC 8200 section 8.1), and incremental updates (RFC 1624). No allocation.
 *
 * <p>Vocabulary: a <em>sum</em> is the 16-bit one's complement sum, folded (0..0xFFFF); a <em>checksum</em>
 * is its complement, the value stored in a header. A header with a correct checksum sums to 0xFFFF, so
 * {@link #internet} over it (checksum field included) returns 0.
 *
 * <p>UDP: a computed checksum of 0 is sent as 0xFFFF ({@link #udpWire(int)}); a received 0 over IPv4 means
 * the sender computed none, so it is neither verified nor incrementally updated (Linux
 * {@code inet_proto_csum_replace*} callers test {@code uh->check} first and store {@code CSUM_MANGLED_0}).
 * Over IPv6 a zero UDP checksum is invalid (RFC 8200 section 8.1).
 */
public final class Checksums {
    private Checksums() {}

    /**
     * Adds {@code length} octets at {@code off} as big-endian 16-bit words (an odd last octet is padded with a
     * zero octet) to {@code initial}, a sum or any unsigned 32-bit partial sum, in one pass, eight octets at a
     * time with deferred carries (RFC 1071 section 2).
     *
     * @return the folded sum, 0..0xFFFF
     */
    public static int sum(MemorySegment seg, long off, long length, int initial) {
        long acc = initial & 0xFFFF_FFFFL;
        long p = off;
        long end = off + length;
        while (end - p >= 8) {
            long v = NetworkOrder.i64(seg, p);
            acc += (v >>> 32) + (v & 0xFFFF_FFFFL);          // < 2^33 per step: no overflow below 2^30 steps
            p += 8;
        }
        if (end - p >= 4) {
            acc += NetworkOrder.i32(seg, p) & 0xFFFF_FFFFL;
            p += 4;
        }
        if (end - p >= 2) {
            acc += u16(seg, p);
            p += 2;
        }
        if (end - p >= 1) acc += u8(seg, p) << 8;
        return fold(acc);
    }

    /** Folds a wide one's complement accumulator to 16 bits with end-around carries. */
    public static int fold(long acc) {
        // branch-free: 64 -> 33 bits, then three 16-bit end-around carries always suffice
        acc = (acc & 0xFFFF_FFFFL) + (acc >>> 32);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        return (int) acc;
    }

    /** The internet checksum of the range: the complement of its sum. 0 over a range that verifies. */
    public static int internet(MemorySegment seg, long off, long length) {
        return ~sum(seg, off, length, 0) & 0xFFFF;
    }

    /** Sum of the IPv4 pseudo-header: source, destination, zero, protocol, TCP/UDP length. */
    public static int pseudoHeader4(int src, int dst, int protocol, int length) {
        return fold((long) (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF)
                + (protocol & 0xFF) + (length & 0xFFFF));
    }

    /** Sum of the IPv6 pseudo-header: source, destination, 32-bit upper-layer length, zero, next header. */
    public static int pseudoHeader6(long srcHi, long srcLo, long dstHi, long dstLo, int nextHeader, long length) {
        return fold(words(srcHi) + words(srcLo) + words(dstHi) + words(dstLo)
                + ((length >>> 16) & 0xFFFF) + (length & 0xFFFF) + (nextHeader & 0xFF));
    }

    /**
     * TCP/UDP checksum over an IPv4 pseudo-header and {@code length} octets of segment at {@code off}. With the
     * checksum field zeroed this is the value to store (UDP: through {@link #udpWire}); over a segment with its
     * checksum in place it is 0 when the checksum verifies.
     */
    public static int transport4(MemorySegment seg, long off, int length, int src, int dst, int protocol) {
        return ~sum(seg, off, length, pseudoHeader4(src, dst, protocol, length)) & 0xFFFF;
    }

    /** As {@link #transport4} over an IPv6 pseudo-header: TCP, UDP and ICMPv6. */
    public static int transport6(MemorySegment seg, long off, int length,
                                 long srcHi, long srcLo, long dstHi, long dstLo, int nextHeader) {
        return ~sum(seg, off, length, pseudoHeader6(srcHi, srcLo, dstHi, dstLo, nextHeader, length)) & 0xFFFF;
    }

    /** The UDP checksum to send for a computed one: 0 becomes 0xFFFF (RFC 768). */
    public static int udpWire(int checksum) {
        return checksum == 0 ? 0xFFFF : checksum;
    }

    /**
     * RFC 1624 eqn. 3, {@code HC' = ~(~HC + ~m + m')}: the checksum after one 16-bit word of the covered data
     * changes from {@code oldWord} to {@code newWord}.
     */
    public static int update16(int oldChecksum, int oldWord, int newWord) {
        return ~fold((long) (~oldChecksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF)) & 0xFFFF;
    }

    /** {@link #update16} for a 32-bit field (an IPv4 address, a sequence number): two words at once. */
    public static int update32(int oldChecksum, int oldValue, int newValue) {
        return ~fold((long) (~oldChecksum & 0xFFFF) + words(~oldValue & 0xFFFF_FFFFL)
                + words(newValue & 0xFFFF_FFFFL)) & 0xFFFF;
    }

    /** {@link #update16} for a 128-bit field (an IPv6 address as {@code hi}/{@code lo}): eight words at once. */
    public static int update128(int oldChecksum, long oldHi, long oldLo, long newHi, long newLo) {
        return ~fold((long) (~oldChecksum & 0xFFFF) + words(~oldHi) + words(~oldLo)
                + words(newHi) + words(newLo)) & 0xFFFF;
    }

    /**
     * {@link #update16} for a UDP checksum: a stored 0 (none sent, IPv4) stays 0, and a result of 0 is sent
     * as 0xFFFF (Linux: {@code if (!uh->check) uh->check = CSUM_MANGLED_0} after the update).
     */
    public static int updateUdp16(int oldChecksum, int oldWord, int newWord) {
        return oldChecksum == 0 ? 0 : udpWire(update16(oldChecksum, oldWord, newWord));
    }

    /** {@link #update32} with the UDP rules of {@link #updateUdp16}. */
    public static int updateUdp32(int oldChecksum, int oldValue, int newValue) {
        return oldChecksum == 0 ? 0 : udpWire(update32(oldChecksum, oldValue, newValue));
    }

    /** {@link #update128} with the UDP rules of {@link #updateUdp16}. */
    public static int updateUdp128(int oldChecksum, long oldHi, long oldLo, long newHi, long newLo) {
        return oldChecksum == 0 ? 0 : udpWire(update128(oldChecksum, oldHi, oldLo, newHi, newLo));
    }

    /** Sum of the four 16-bit words of {@code v}, unfolded (at most 4 * 0xFFFF). */
    private static long words(long v) {
        return (v >>> 48) + ((v >>> 32) & 0xFFFF) + ((v >>> 16) & 0xFFFF) + (v & 0xFFFF);
    }
}
