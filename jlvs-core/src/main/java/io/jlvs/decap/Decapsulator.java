package io.jlvs.decap;

import io.jlvs.packet.Checksums;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.u16;
import static io.jlvs.packet.NetworkOrder.u8;

/**
 * The real server's side of {@link io.jlvs.xmit.TunnelXmit}: finds the inner IP packet in what a socket received
 * and checks it, so that {@code jlvs decap} can hand it to the local stack through a TUN device on a host
 * without the kernel's ipip, ip6_tunnel, gre or fou modules. No I/O, no allocation: one instance per receiving
 * thread, {@link #decap} per packet, then {@link #innerOffset()} / {@link #innerLength()}.
 *
 * <p>What each socket delivers ({@code source}):
 * <ul>
 * <li>{@link #IPV4_RAW}: an {@code AF_INET SOCK_RAW} socket of protocol 4, 41 or 47 delivers the whole IPv4
 *     packet, outer header first (reassembled); its protocol says what follows: an IPv4 packet (4in4), an IPv6
 *     packet (6in4) or GRE;</li>
 * <li>{@link #IPV6_RAW_IPIP}, {@link #IPV6_RAW_IPV6}, {@link #IPV6_RAW_GRE}: an {@code AF_INET6 SOCK_RAW} socket
 *     delivers only what follows the IPv6 header and its extension headers, so the socket's protocol says what
 *     it is: an IPv4 packet (4in6), an IPv6 packet (6in6) or GRE;</li>
 * <li>{@link #GUE}: a UDP socket on a GUE port delivers the UDP payload: the GUE header ({@link Gue}).</li>
 * </ul>
 * GRE: {@link Gre}. The inner packet is checked as the kernel's {@code ip_rcv} / {@code ipv6_rcv} would before
 * looking at it (version of the encapsulation's family, header length, total or payload length within what was
 * received, IPv4 header checksum) and never read past the received length; octets after its total length are
 * left out. Two checksums are finished here, in place, since the stack behind the TUN device would refuse them:
 * the one GUE's remote checksum offload left for the real server ({@code --tun-remcsum}), and the TCP
 * checksum of an inner segment the receiving NIC merged (GRO of IPIP flows is built into the kernel even
 * without the ipip module: the merged segment's TCP checksum field holds only the pseudo-header sum,
 * {@code tcp4_gro_complete}); see {@link InnerChecksum}. Where the outer header is seen (IPv4 raw sockets),
 * congestion marks are carried to the inner packet as RFC 6040 says.
 */
public final class Decapsulator {
    /** {@code AF_INET SOCK_RAW}: the outer IPv4 header first, its protocol 4, 41 or 47. */
    public static final int IPV4_RAW = 0;
    /** {@code AF_INET6 SOCK_RAW IPPROTO_IPIP}: the inner IPv4 packet first. */
    public static final int IPV6_RAW_IPIP = 1;
    /** {@code AF_INET6 SOCK_RAW IPPROTO_IPV6}: the inner IPv6 packet first. */
    public static final int IPV6_RAW_IPV6 = 2;
    /** {@code AF_INET6 SOCK_RAW IPPROTO_GRE}: the GRE header first. */
    public static final int IPV6_RAW_GRE = 3;
    /** A UDP socket on a GUE port: the GUE header first. */
    public static final int GUE = 4;

    /** {@link #decap}'s result when the inner packet is good; any value {@code >= 0} is a {@link DecapDrop#code()}. */
    public static final int DELIVER = -1;

    private static final int ECN_MASK = 3, ECN_CE = 3;

    private long innerOffset;
    private int innerLength;
    /** Set by {@link Gue}: the remote checksum offload option's start and field, from the inner packet; -1 none. */
    int remcsumStart = -1, remcsumField;
    private boolean checksumCompleted;
    /** The outer header's ECN field when the socket delivered it (IPv4 raw), else -1. */
    private int outerEcn;

    /**
     * Finds and checks the inner packet of {@code length} octets at {@code offset}, which {@code source} delivered.
     * May finish a checksum of the inner packet in place (see the class comment).
     *
     * @return {@link #DELIVER}, or the {@link DecapDrop#code()} of why not
     */
    public int decap(int source, MemorySegment seg, long offset, int length) {
        remcsumStart = -1;
        checksumCompleted = false;
        outerEcn = -1;
        if (offset < 0 || length < 0 || offset + length > seg.byteSize()) {
            throw new IndexOutOfBoundsException("packet of " + length + " at " + offset + " outside the buffer");
        }
        long end = offset + length;
        return switch (source) {
            case IPV4_RAW -> outerIpv4(seg, offset, end);
            case IPV6_RAW_IPIP -> inner(seg, offset, end, 4);
            case IPV6_RAW_IPV6 -> inner(seg, offset, end, 6);
            case IPV6_RAW_GRE -> gre(seg, offset, end);
            case GUE -> gue(seg, offset, end);
            default -> throw new IllegalArgumentException("source " + source);
        };
    }

    /** Where the inner packet starts, after a {@link #DELIVER}. */
    public long innerOffset() { return innerOffset; }

    /** Its length (its IPv4 total length, or 40 + its IPv6 payload length), after a {@link #DELIVER}. */
    public int innerLength() { return innerLength; }

    /** Whether the last {@link #DELIVER}ed packet had a checksum finished here (remote checksum offload, GRO). */
    public boolean checksumCompleted() { return checksumCompleted; }

    /** An IPv4 raw socket's packet: RFC 791 header, then the protocol's payload up to the total length. */
    private int outerIpv4(MemorySegment seg, long off, long end) {
        if (end - off < Ipv4View.MIN_HEADER_LENGTH) return DecapDrop.TRUNCATED_OUTER.code();
        int vihl = u8(seg, off + Ipv4View.VERSION_IHL);
        int hl = (vihl & 0x0F) << 2;
        if (vihl >>> 4 != 4 || hl < Ipv4View.MIN_HEADER_LENGTH) return DecapDrop.BAD_OUTER_HEADER.code();
        if (hl > end - off) return DecapDrop.TRUNCATED_OUTER.code();
        int total = u16(seg, off + Ipv4View.TOTAL_LENGTH);
        if (total < hl || total > end - off) return DecapDrop.BAD_OUTER_HEADER.code();
        long payload = off + hl, payloadEnd = off + total;
        outerEcn = u8(seg, off + Ipv4View.TOS) & ECN_MASK;
        return switch (u8(seg, off + Ipv4View.PROTOCOL)) {
            case IpProto.IPPROTO_IPIP -> inner(seg, payload, payloadEnd, 4);
            case IpProto.IPPROTO_IPV6 -> inner(seg, payload, payloadEnd, 6);
            case IpProto.IPPROTO_GRE -> gre(seg, payload, payloadEnd);
            default -> DecapDrop.UNSUPPORTED_OUTER_PROTOCOL.code();
        };
    }

    private int gre(MemorySegment seg, long off, long end) {
        int hl = Gre.headerLength(seg, off, end);
        if (hl < 0) return -1 - hl;
        return inner(seg, off + hl, end, Gre.innerVersion(seg, off));
    }

    private int gue(MemorySegment seg, long off, long end) {
        int hl = Gue.headerLength(seg, off, end, this);
        if (hl < 0) return -1 - hl;
        return inner(seg, off + hl, end, Gue.innerVersion(seg, off));
    }

    /**
     * RFC 6040 (Linux {@code INET_ECN_decapsulate}) for an outer header marked CE: an ECN-capable inner packet is
     * marked CE too (IPv4 header checksum updated), a not-ECT one must be dropped (returns false).
     */
    private static boolean ecnDecapsulate(MemorySegment seg, long off, int version) {
        if (version == 4) {
            int word = u16(seg, off);                                   // version, IHL, TOS
            if ((word & ECN_MASK) == 0) return false;
            int marked = word | ECN_CE;
            u16(seg, off + Ipv4View.CHECKSUM, Checksums.update16(u16(seg, off + Ipv4View.CHECKSUM), word, marked));
            u16(seg, off, marked);
        } else {
            int word = u16(seg, off);                                   // version, traffic class (ECN in bits 4-5)
            if ((word & (ECN_MASK << 4)) == 0) return false;
            u16(seg, off, word | (ECN_CE << 4));
        }
        return true;
    }

    /** The inner packet at {@code off}, announced as IP version {@code version}, with {@code end} the last octet + 1. */
    int inner(MemorySegment seg, long off, long end, int version) {
        long avail = end - off;
        int length;
        if (version == 4) {
            if (avail < Ipv4View.MIN_HEADER_LENGTH) return DecapDrop.TRUNCATED_INNER.code();
            int vihl = u8(seg, off + Ipv4View.VERSION_IHL);
            if (vihl >>> 4 != 4) return DecapDrop.BAD_INNER_VERSION.code();
            int hl = (vihl & 0x0F) << 2;
            if (hl < Ipv4View.MIN_HEADER_LENGTH) return DecapDrop.BAD_INNER_HEADER.code();
            if (hl > avail) return DecapDrop.TRUNCATED_INNER.code();
            length = u16(seg, off + Ipv4View.TOTAL_LENGTH);
            if (length < hl) return DecapDrop.BAD_INNER_HEADER.code();
            if (length > avail) return DecapDrop.BAD_INNER_LENGTH.code();
            if (Checksums.internet(seg, off, hl) != 0) return DecapDrop.BAD_INNER_CHECKSUM.code();
        } else {
            if (avail < Ipv6View.HEADER_LENGTH) return DecapDrop.TRUNCATED_INNER.code();
            if (u8(seg, off) >>> 4 != 6) return DecapDrop.BAD_INNER_VERSION.code();
            int payload = u16(seg, off + Ipv6View.PAYLOAD_LENGTH);
            if (payload == 0 && u8(seg, off + Ipv6View.NEXT_HEADER) == IpProto.IPPROTO_HOPOPTS
                    && avail > Ipv6View.HEADER_LENGTH) {
                return DecapDrop.BAD_INNER_LENGTH.code();                  // a jumbogram (RFC 2675)
            }
            length = Ipv6View.HEADER_LENGTH + payload;
            if (length > avail) return DecapDrop.BAD_INNER_LENGTH.code();
        }
        if (outerEcn == ECN_CE && !ecnDecapsulate(seg, off, version)) return DecapDrop.ECN_CE_NOT_ECT.code();
        if (remcsumStart >= 0) {
            int header = version == 4 ? (u8(seg, off + Ipv4View.VERSION_IHL) & 0x0F) << 2 : Ipv6View.HEADER_LENGTH;
            if (!Gue.remcsumFits(remcsumStart, remcsumField, header, length)) return DecapDrop.BAD_REMCSUM.code();
            InnerChecksum.complete(seg, off + remcsumStart, off + remcsumField, off + length);
            checksumCompleted = true;
        } else {
            checksumCompleted = InnerChecksum.completeMergedTcp(seg, off, length, version);
        }
        innerOffset = off;
        innerLength = length;
        return DELIVER;
    }
}
