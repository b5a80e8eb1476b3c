package io.jlvs.xmit;

import io.jlvs.packet.Checksums;
import io.jlvs.packet.NetworkOrder;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;
import io.jlvs.packet.IcmpView;
import io.jlvs.packet.Icmpv6View;
import io.jlvs.packet.IfEther;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;
import io.jlvs.packet.TcpView;
import io.jlvs.packet.VirtioNet;

import java.lang.foreign.MemorySegment;

/**
 * The way out of a transmitter, as {@code __ip_vs_get_out_rt} / {@code __ip_vs_get_out_rt_v6} and the
 * output path after them in {@code ip_vs_xmit.c}: route lookup, the local/non-local rules, TTL decrement with
 * ICMP time exceeded, the MTU check with ICMP fragmentation needed / packet too big, and at the end the
 * Ethernet header, fragmentation when the kernel would fragment, and the send. One per transmitter; its
 * {@link #egress} holds the answer of the last lookup.
 *
 * <p>GSO super-frames ({@link Frame#gso()}): the MTU applies to the segments they stand for, and they are never
 * fragmented whole. Where the port takes a virtio-net header ({@link Frame#txOffload}) and the segments fit the
 * MTU, the super-frame leaves whole with its checksum partial; otherwise {@link Segmenter} cuts it and each
 * segment goes the way of an ordinary packet (fragmented if it must be).
 */
final class OutRoute {
    /** {@code IP_VS_RT_MODE_*}: which answers a transmitter accepts. */
    static final int MODE_LOCAL = 1, MODE_NON_LOCAL = 2, MODE_RDR = 4, MODE_CONNECT = 8, MODE_KNOWN_NH = 16,
            MODE_TUNNEL = 32;
    /** Smallest IPv4 MTU (RFC 791): a tunnel leaving less for the inner packet is refused. */
    static final int IPV4_MIN_MTU = 68;

    final NextHops hops;
    final IcmpErrors icmp;
    final Fragmenter fragmenter;
    final Segmenter segmenter = new Segmenter();
    final Egress egress = new Egress();
    private final Segmenter.Sink emitSegment = this::emit;
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();
    /** {@code /proc/sys/net/ipv4/vs/pmtu_disc}: tunnels copy DF and refuse oversized DF packets (default on). */
    boolean pmtuDisc = true;
    /** MTU the packet was checked against by the last {@link #route} (for tunnels: less the encapsulation). */
    int mtu;

    OutRoute(NextHops hops, IcmpErrors icmp, IpIdent ident) {
        this.hops = hops;
        this.icmp = icmp;
        this.fragmenter = new Fragmenter(ident);
    }

    /**
     * Routes the frame's packet toward {@code daf}/{@code hi}/{@code lo}, as IPVS before it rewrites a packet:
     * a local answer returns at once (no TTL change); otherwise the TTL is decremented (at 1 or 0: ICMP time
     * exceeded and a drop) and the packet checked against the path MTU (for tunnels less the outer header and
     * {@code tunnelOverhead}). {@code forwarded} orders the checks as {@code ip_forward} does for the packets
     * IPVS sees after the kernel forwarded them (NAT replies): TTL and MTU checked first, TTL decremented last.
     *
     * @param fromDst the packet was addressed to the director (a VIP): ICMP errors come from that address
     * @return {@link Verdict#TX} (go on: {@link #egress} is filled), {@link Verdict#LOCAL}, or a drop code
     */
    int route(Frame f, int daf, long hi, long lo, int mode, int tunnelOverhead, boolean fromDst, TxPort tx) {
        int r = hops.resolve(daf, hi, lo, (mode & MODE_KNOWN_NH) != 0 ? NextHops.KNOWN_NH : 0, egress);
        if (r == NextHops.UNREACHABLE) return DropReason.NO_ROUTE.code();
        if (r == NextHops.LOCAL) {
            return (mode & MODE_LOCAL) != 0 ? Verdict.LOCAL : DropReason.LOCAL_ROUTE_REFUSED.code();
        }
        if ((mode & MODE_NON_LOCAL) == 0 || loopbackSource(f)) return DropReason.LOCAL_ROUTE_REFUSED.code();
        if (!ttlOk(f, fromDst, tx)) return DropReason.TTL_EXCEEDED.code();
        if ((mode & MODE_FORWARD) == 0) decrementTtl(f);
        int m = egress.mtu;
        if ((mode & MODE_TUNNEL) != 0) {
            boolean outer6 = daf == Flow.AF_INET6;
            m -= (outer6 ? Ipv6View.HEADER_LENGTH : Ipv4View.MIN_HEADER_LENGTH) + tunnelOverhead;
            if (m < (outer6 ? IcmpErrors.IPV6_MIN_MTU : IPV4_MIN_MTU)) return DropReason.TUNNEL_MTU_TOO_SMALL.code();
        }
        mtu = m;
        if (!mtuOk(f, mode, m, fromDst, tx)) return DropReason.MTU_EXCEEDED.code();
        if ((mode & MODE_FORWARD) != 0) decrementTtl(f);
        if (r == NextHops.UNRESOLVED) return DropReason.NEIGH_UNRESOLVED.code();
        return Verdict.TX;
    }

    /** {@link #route} flag: the ordering of {@code ip_forward} (see there). */
    static final int MODE_FORWARD = 1 << 16;

    /** {@code decrement_ttl}'s test: at 1 or below the packet dies and its source hears of it. */
    private boolean ttlOk(Frame f, boolean fromDst, TxPort tx) {
        MemorySegment seg = f.segment();
        if (f.isV6()) {
            if (ip6.wrap(seg, f.l3Offset()).hopLimit() > 1) return true;
            icmp.send(f, Icmpv6View.TIME_EXCEEDED, 0, 0, fromDst, tx);     // ICMPV6_EXC_HOPLIMIT
            return false;
        }
        if (ip4.wrap(seg, f.l3Offset()).ttl() > 1) return true;
        icmp.send(f, IcmpView.TIME_EXCEEDED, 0, 0, fromDst, tx);           // ICMP_EXC_TTL
        return false;
    }

    /**
     * {@code ip_decrease_ttl}: the TTL/protocol word changes by 0x0100, the header checksum is updated for it
     * (RFC 1624; on a header that verified, the same value {@code ip_send_check} computes afterwards).
     */
    private void decrementTtl(Frame f) {
        MemorySegment seg = f.segment();
        if (f.isV6()) {
            ip6.wrap(seg, f.l3Offset());
            ip6.hopLimit(ip6.hopLimit() - 1);
        } else {
            ip4.wrap(seg, f.l3Offset());
            int ttl = ip4.ttl(), word = (ttl << 8) | ip4.protocol();
            ip4.ttl(ttl - 1).checksum(Checksums.update16(ip4.checksum(), word, word - 0x100));
        }
    }

    /**
     * {@code ensure_mtu_is_adequate}: IPv6 over the MTU is dropped, with packet-too-big unless it is a
     * non-first fragment or an ICMP error; IPv4 over the MTU with DF gets fragmentation-needed (not for ICMP
     * errors, which are fragmented like packets without DF); a tunnel with {@code pmtu_disc} off lets all
     * IPv4 through to be fragmented. A GSO super-frame is measured by its segments
     * ({@code skb_gso_validate_network_len}), as {@code ip_forward}'s {@code ip_exceeds_mtu} and
     * {@code ip6_pkt_too_big} do, and as the IPVS fix proposed on netdev ({@code ip_vs_exceeds_mtu}, reviewed
     * by Julian Anastasov) does: whether GRO merged a flow's packets or not, the same packets pass and the same
     * sources hear of the MTU. (The 6.17 {@code ensure_mtu_is_adequate} lets every super-frame through; its
     * segments are then fragmented after {@code ip_finish_output_gso}, DF or not, as IPVS sets
     * {@code ignore_df}.)
     */
    private boolean mtuOk(Frame f, int mode, int m, boolean fromDst, TxPort tx) {
        int len = f.gso() ? f.gsoSegmentLength() : f.l3Length();
        if (len <= m) return true;
        if (f.isV6()) {
            icmp.send(f, Icmpv6View.PACKET_TOO_BIG, 0, m, fromDst, tx);    // refuses non-first fragments, errors
            return false;
        }
        if ((mode & MODE_TUNNEL) != 0 && !pmtuDisc) return true;
        if (!ip4.wrap(f.segment(), f.l3Offset()).dontFragment() || f.icmpError()) return true;
        icmp.send(f, IcmpView.DEST_UNREACH, IcmpView.FRAG_NEEDED, m, fromDst, tx);
        return false;
    }

    /** A loopback source must not leave the host ({@code crosses_local_route_boundary}). */
    private boolean loopbackSource(Frame f) {
        MemorySegment seg = f.segment();
        if (f.isV6()) {
            ip6.wrap(seg, f.l3Offset());
            return ip6.srcHi() == 0 && ip6.srcLo() == 1;
        }
        return (ip4.wrap(seg, f.l3Offset()).src() >>> 24) == 127;
    }

    /**
     * The end of every transmitter: writes the Ethernet header for {@link #egress} in front of the (outer) IP
     * header and queues the frame. A partial checksum is completed, unless the port takes it as it is
     * ({@link Frame#txOffload}: sent with {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}; SCTP's CRC32c is always
     * completed); an IPv4 packet without DF (or any packet the kernel would fragment) that exceeds the egress
     * MTU is fragmented. A super-frame leaves whole with its GSO type and size when the port takes offloads, its
     * segments fit the MTU and it fits the port ({@link TxPort#maxFrameLength}); else it is cut
     * ({@link Segmenter}) and every segment takes the way above.
     *
     * @return {@link Verdict#TX} or a drop code
     */
    int emit(Frame f, TxPort tx) {
        if (f.gso()) {
            if (!f.reserveFront(egress.l2Length())) return DropReason.NO_HEADROOM.code();   // the first segment's
            if (!f.txOffload || f.gsoSegmentLength() > egress.mtu || egress.l2Length() + f.l3Length() > tx.maxFrameLength()) {
                return segmenter.send(f, emitSegment, tx);
            }
            if (!f.checksumPartial()) pseudoHeaderSum(f);
            L2.write(f, f.l3Offset(), egress, f.isV6() ? IfEther.ETH_P_IPV6 : IfEther.ETH_P_IP);
            return sendOffload(f, tx);
        }
        boolean offload = f.txOffload && f.checksumPartial() && !f.csumCrc32c && f.l3Length() <= egress.mtu
                && f.l4HeaderLength() > 0;
        if (!offload) f.completeChecksum();
        if (!f.reserveFront(egress.l2Length())) return DropReason.NO_HEADROOM.code();
        L2.write(f, f.l3Offset(), egress, f.isV6() ? IfEther.ETH_P_IPV6 : IfEther.ETH_P_IP);
        if (f.l3Length() > egress.mtu) return fragmenter.send(f, egress, tx);
        if (offload) return sendOffload(f, tx);
        return tx.send(egress.ifIndex, f.segment(), f.start(), f.length()) ? Verdict.TX : DropReason.TX_QUEUE_FULL.code();
    }

    /**
     * Queues the frame (Ethernet header written, checksum partial) with a virtio-net header: {@code NEEDS_CSUM}
     * with its partial checksum's offsets, and for a super-frame its GSO type (with the ECN bit when the TCP
     * header has CWR, as {@code tcp_ecn_send} marks {@code SKB_GSO_TCP_ECN}) and size.
     */
    private int sendOffload(Frame f, TxPort tx) {
        MemorySegment seg = f.segment();
        int gsoType = f.gsoType;
        if (f.gso() && f.protocol() == IpProto.IPPROTO_TCP
                && (NetworkOrder.u8(seg, f.l4Offset() + TcpView.FLAGS) & TcpView.CWR) != 0) {
            gsoType |= VirtioNet.VIRTIO_NET_HDR_GSO_ECN;
        }
        int hdrLen = (int) (f.l4Offset() + f.l4HeaderLength() - f.start());
        boolean queued = tx.sendOffload(egress.ifIndex, seg, f.start(), f.length(), VirtioNet.VIRTIO_NET_HDR_F_NEEDS_CSUM,
                gsoType, hdrLen, f.gsoSize, (int) (f.csumStart - f.start()), f.csumOffset);
        return queued ? Verdict.TX : DropReason.TX_QUEUE_FULL.code();
    }

    /**
     * A super-frame whose checksum is complete (verified on the way in, {@code DATA_VALID}) is given the partial
     * form GSO needs, as {@code tcp4_gso_segment} gives it one ({@code __tcp_v4_send_check}): the field holds
     * the pseudo-header sum over the whole L4 length.
     */
    private void pseudoHeaderSum(Frame f) {
        MemorySegment seg = f.segment();
        int proto = f.protocol();
        int len = (int) (f.l3End() - f.l4Offset());
        int sum;
        if (f.isV6()) {
            ip6.wrap(seg, f.l3Offset());
            sum = Checksums.pseudoHeader6(ip6.srcHi(), ip6.srcLo(), ip6.dstHi(), ip6.dstLo(), proto, len);
        } else {
            ip4.wrap(seg, f.l3Offset());
            sum = Checksums.pseudoHeader4(ip4.src(), ip4.dst(), proto, len);
        }
        int field = proto == IpProto.IPPROTO_TCP ? (int) TcpView.CHECKSUM : 6;
        NetworkOrder.u16(seg, f.l4Offset() + field, sum);
        f.partialChecksum(f.l4Offset(), field, false);
    }

    /**
     * Queues the frame, its link-layer header as it arrived, on the local-stack port; a partial checksum is
     * completed first and a super-frame cut ({@link Segmenter}): a TAP device without a virtio-net header can
     * carry neither.
     */
    int deliverLocal(Frame f, TxPort local) {
        return deliverLocal(f, local, segmenter);
    }

    /** {@link #deliverLocal(Frame, TxPort)} with the transmitter's own segmenter. */
    static int deliverLocal(Frame f, TxPort local, Segmenter segmenter) {
        if (f.gso()) return segmenter.send(f, LOCAL_SEGMENT, local);
        f.completeChecksum();
        return local.send(f.ifIndex, f.segment(), f.start(), f.length()) ? Verdict.LOCAL : DropReason.TX_QUEUE_FULL.code();
    }

    private static final Segmenter.Sink LOCAL_SEGMENT = (s, port) -> deliverLocal(s, port, null);
}
