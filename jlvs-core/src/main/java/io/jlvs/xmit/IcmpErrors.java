package io.jlvs.xmit;

import io.jlvs.packet.NetworkOrder;
import io.jlvs.packet.Checksums;
import io.jlvs.packet.IcmpView;
import io.jlvs.packet.Icmpv6View;
import io.jlvs.packet.IfEther;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;

import java.lang.foreign.MemorySegment;

/**
 * The ICMP errors the director originates about a packet it refuses to forward (Linux's {@code __icmp_send}
 * in {@code net/ipv4/icmp.c} and {@code icmp6_send} in {@code net/ipv6/icmp.c}, which IPVS calls from
 * {@code decrement_ttl} and {@code ensure_mtu_is_adequate} in {@code ip_vs_xmit.c}). The frame is turned into
 * the error in place: the offending packet stays where it is as the quote, truncated, and the new headers are
 * written in front of it (moving it only when the headroom is short). No allocation.
 *
 * <p>The error, as the kernel builds it:
 * <ul>
 * <li>to the packet's source, routed by {@link NextHops} like any packet;</li>
 * <li>from the packet's destination when that is one of the director's addresses (a VIP: {@code saddr =
 *     iph->daddr} for a local route), else from the director's address toward the source;</li>
 * <li>IPv4: TOS {@code (tos & 0x1E) | 0xC0} ({@code RT_TOS | IPTOS_PREC_INTERNETCONTROL}), TTL 64, no DF (the
 *     ICMP socket's {@code IP_PMTUDISC_DONT}), a fresh ID; quoting as much of the packet as keeps the error
 *     within 576 octets and the route's MTU ({@code room}); IP options are not echoed;</li>
 * <li>IPv6: traffic class 0, flow label 0, hop limit 64; quoting up to 1232 octets (1280 - 40 - 8).</li>
 * </ul>
 * Not sent about an ICMP error, a non-first fragment, or a packet from an unspecified, multicast or broadcast
 * source. Rate limit: a global token bucket ({@code icmp_msgs_per_sec} 1000, {@code icmp_msgs_burst} 50) for
 * every type but fragmentation-needed and packet-too-big, which PMTU discovery needs (the kernel exempts them
 * in {@code icmpv4_mask_allow} / {@code icmpv6_mask_allow}); the kernel's per-destination limit is left out.
 */
public final class IcmpErrors {
    /** ICMPv4 "room": an error is at most 576 octets (RFC 1812 section 4.3.2.3). */
    static final int ICMP_MAX_LENGTH = 576;
    /** IPv6 minimum MTU: an ICMPv6 error is at most this long (RFC 4443 section 2.4 (c)). */
    static final int IPV6_MIN_MTU = 1280;
    static final int TTL = 64;
    static final int IPTOS_TOS_MASK = 0x1E, IPTOS_PREC_INTERNETCONTROL = 0xC0;

    private final NextHops hops;
    private final Egress egress = new Egress();
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();
    private IpIdent ident = new IpIdent();
    private long perSecond = 1000, burst = 50;
    private long credit = burst * 1_000_000_000L, lastNs;
    private boolean started;
    private long sent, rateLimited, unroutable;

    public IcmpErrors(NextHops hops) { this.hops = hops; }

    /** The ID source for the IPv4 errors (tests pin it). */
    public IcmpErrors ident(IpIdent ident) { this.ident = ident; return this; }

    /** The global limit: {@code perSecond} errors a second, bursts of {@code burst} ({@code perSecond} 0: none). */
    public IcmpErrors rateLimit(int perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.credit = burst * 1_000_000_000L;
        this.started = false;
        return this;
    }

    public long sent() { return sent; }

    public long rateLimited() { return rateLimited; }

    /** Errors not sent because the way back to the source was not known. */
    public long unroutable() { return unroutable; }

    /**
     * Turns the frame's packet into an ICMP (IPv4) or ICMPv6 (IPv6) error of {@code type}/{@code code} with
     * the 32-bit {@code info} after the checksum (the MTU for fragmentation-needed and packet-too-big) and
     * queues it on {@code tx}. On false the frame may still hold the original packet, or part of the error.
     *
     * @param fromDst the packet was addressed to one of the director's addresses (the error comes from it)
     * @return true when the error was queued
     */
    public boolean send(Frame f, int type, int code, int info, boolean fromDst, TxPort tx) {
        if (f.icmpError() || f.nonFirstFragment()) return false;
        MemorySegment seg = f.segment();
        long l3 = f.l3Offset();
        boolean v6 = f.isV6();
        long srcHi, srcLo, dstHi, dstLo;
        if (v6) {
            ip6.wrap(seg, l3);
            srcHi = ip6.srcHi();
            srcLo = ip6.srcLo();
            dstHi = ip6.dstHi();
            dstLo = ip6.dstLo();
            if ((srcHi | srcLo) == 0 || (srcHi >>> 56) == 0xFF) return false;
        } else {
            ip4.wrap(seg, l3);
            srcHi = dstHi = 0;
            srcLo = ip4.src() & 0xFFFF_FFFFL;
            dstLo = ip4.dst() & 0xFFFF_FFFFL;
            if (srcLo == 0 || (srcLo >>> 28) == 0xE || srcLo == 0xFFFF_FFFFL) return false;
        }
        boolean pmtu = v6 ? type == Icmpv6View.PACKET_TOO_BIG
                : type == IcmpView.DEST_UNREACH && code == IcmpView.FRAG_NEEDED;
        if (!pmtu && !allow(f.nowNs)) {
            rateLimited++;
            return false;
        }
        if (hops.resolve(f.af(), srcHi, srcLo, 0, egress) != NextHops.RESOLVED) {
            unroutable++;
            return false;
        }
        if (!fromDst) {
            dstHi = egress.srcHi;
            dstLo = egress.srcLo;
        }
        int hdr = v6 ? Ipv6View.HEADER_LENGTH : Ipv4View.MIN_HEADER_LENGTH;
        int room = v6 ? IPV6_MIN_MTU - hdr - IcmpView.HEADER_LENGTH
                : Math.min(egress.mtu, ICMP_MAX_LENGTH) - hdr - IcmpView.HEADER_LENGTH;
        if (room <= Ipv4View.MIN_HEADER_LENGTH) return false;
        int quote = Math.min(f.l3Length(), room);
        int tos = v6 ? 0 : (ip4.tos() & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL;

        f.csumStart = Frame.CSUM_COMPLETE;
        f.truncate(l3 + quote);
        int front = egress.l2Length() + hdr + IcmpView.HEADER_LENGTH;
        if (!f.reserveFront(front)) return false;
        long quoteAt = f.l3Offset();
        long icmpAt = quoteAt - IcmpView.HEADER_LENGTH;
        long ipAt = icmpAt - hdr;
        int icmpLength = IcmpView.HEADER_LENGTH + quote;
        NetworkOrder.u8(seg, icmpAt, type);
        NetworkOrder.u8(seg, icmpAt + 1, code);
        NetworkOrder.u16(seg, icmpAt + 2, 0);
        NetworkOrder.i32(seg, icmpAt + 4, info);
        if (v6) {
            NetworkOrder.i32(seg, ipAt, 6 << 28);
            ip6.wrap(seg, ipAt).payloadLength(icmpLength).nextHeader(IpProto.IPPROTO_ICMPV6).hopLimit(TTL)
                    .src(dstHi, dstLo).dst(srcHi, srcLo);
            NetworkOrder.u16(seg, icmpAt + 2, Checksums.transport6(seg, icmpAt, icmpLength, dstHi, dstLo, srcHi, srcLo,
                    IpProto.IPPROTO_ICMPV6));
        } else {
            NetworkOrder.u8(seg, ipAt, 0x45);
            ip4.wrap(seg, ipAt).tos(tos).totalLength(hdr + icmpLength).id(ident.next16()).fragWord(0).ttl(TTL)
                    .protocol(IpProto.IPPROTO_ICMP).src((int) dstLo).dst((int) srcLo).fillChecksum();
            NetworkOrder.u16(seg, icmpAt + 2, Checksums.internet(seg, icmpAt, icmpLength));
        }
        f.reparsed(f.af(), v6 ? IpProto.IPPROTO_ICMPV6 : IpProto.IPPROTO_ICMP, ipAt, icmpAt, quoteAt + quote, true);
        long start = L2.write(f, ipAt, egress, v6 ? IfEther.ETH_P_IPV6 : IfEther.ETH_P_IP);
        if (!tx.send(egress.ifIndex, seg, start, f.length())) return false;
        sent++;
        return true;
    }

    /** {@code icmp_global_allow}: a token bucket refilled at {@link #perSecond}, holding at most {@link #burst}. */
    private boolean allow(long nowNs) {
        if (perSecond <= 0) return true;
        if (!started) {
            started = true;
            lastNs = nowNs;
        }
        long elapsed = nowNs - lastNs;
        if (elapsed > 0) {
            credit = Math.min(burst * 1_000_000_000L, credit + Math.min(elapsed, 1_000_000_000L) * perSecond);
            lastNs = nowNs;
        }
        if (credit < 1_000_000_000L) return false;
        credit -= 1_000_000_000L;
        return true;
    }
}
