package io.jlvs.xmit;

import io.jlvs.packet.NetworkOrder;
import io.jlvs.packet.Checksums;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;
import io.jlvs.packet.IfEther;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;
import io.jlvs.packet.UdpView;
import io.jlvs.service.TunnelType;

import java.lang.foreign.MemorySegment;

/**
 * IP tunneling ({@code ipvsadm -i}): {@code ip_vs_tunnel_xmit} / {@code ip_vs_tunnel_xmit_v6}. The packet,
 * TTL decremented, is wrapped in a new IP header to the real server, of the real server's family (4in4, 6in6,
 * and mixed 4in6 / 6in4), directly ({@code --tun-type ipip}) or over GUE or GRE. The real server decapsulates
 * and answers the client itself.
 *
 * <p>Outer header ({@code ip_vs_prepare_tunneled_skb} and after):
 * <ul>
 * <li>source: the director's address toward the real server (the route's source), destination: the real server;</li>
 * <li>TOS / traffic class: the inner DSCP, and the inner ECN except CE, which becomes ECT(0)
 *     ({@code INET_ECN_encapsulate}); IPv6 flow label 0;</li>
 * <li>TTL / hop limit: the inner one, already decremented;</li>
 * <li>IPv4: DF copied from an IPv4 inner header when {@code pmtu_disc} is on (0 for an IPv6 inner packet),
 *     ID 0 with DF, a fresh one without ({@code ip_select_ident}); the inner IPv4 checksum is recomputed.</li>
 * </ul>
 * MTU: the route's, less the outer header and the GUE/GRE headers; below 68 (IPv4 outer) or 1280 (IPv6 outer)
 * the packet is dropped. Over it, an IPv4 inner packet with DF (and {@code pmtu_disc} on) gets ICMP
 * fragmentation needed with that reduced MTU, an IPv6 one packet too big; other packets are encapsulated and
 * the outer packet fragmented.
 *
 * <p>GUE ({@code ipvs_gue_encap}, draft-ietf-intarea-gue, {@code include/net/gue.h}): UDP to the real server's
 * {@code --tun-port}, source port from the flow hash ({@code udp_flow_src_port}: {@code hash ^= hash << 16},
 * then {@code ((u64) hash * (max - min) >> 32) + min} over the local port range 32768-60999), then the GUE
 * version 0 header:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|C|  Hlen   |  Proto/ctype  |             Flags           |P|  C 0: data; Hlen: option words;
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  Proto 4 (IPv4) or 41 (IPv6)
 * |1|                      private flags (only with P)            |  remote checksum offload:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  P = GUE_FLAG_PRIV, bit 31 = REMCSUM
 * |        csum start             |        csum offset            |  from the inner IP header: where to
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  start summing, where to store
 * </pre>
 * The remote checksum offload option ({@code --tun-remcsum}) is added only when the inner checksum is partial
 * ({@code CHECKSUM_PARTIAL}): the inner checksum is then left for the real server to finish. Otherwise a partial
 * inner checksum is completed here. The outer UDP checksum is computed with {@code --tun-csum} or
 * {@code --tun-remcsum}, else 0 (also over IPv6, as {@code udp6_set_csum} does for tunnels, RFC 6935).
 *
 * <p>GRE ({@code ipvs_gre_encap}, {@code gre_build_header}, RFC 2784): protocol type 0x0800 or 0x86DD, with
 * {@code --tun-csum} the C bit and a checksum over the GRE header and the inner packet:
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|       Reserved0       | Ver |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Checksum (optional)      |       Reserved1 (optional)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * A real server that is one of the director's addresses gets the packet unchanged on the local port.
 */
public final class TunnelXmit implements Xmit {
    static final int GUE_HLEN = 4, GUE_LEN_PRIV = 4, GUE_PLEN_REMCSUM = 4;
    static final int GUE_FLAG_PRIV = 0x0001, GUE_PFLAG_REMCSUM = 0x8000_0000;
    static final int GRE_HLEN = 4, GRE_CSUM_LEN = 4, GRE_CSUM = 0x8000;
    /** Linux's default {@code ip_local_port_range}. */
    static final int PORT_MIN = 32768, PORT_MAX = 60999;
    private static final int ECN_MASK = 3, ECN_CE = 3, ECN_ECT_0 = 2;

    private final OutRoute out;
    private final TxPort local;
    private final IpIdent ident;
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();
    private FlowHash flowHash = FlowHash.seeded(new java.util.SplittableRandom().nextInt());
    private int portMin = PORT_MIN, portMax = PORT_MAX;
    /** The connection whose super-frame {@link #encapsulateSegment} is cutting (set for the one call). */
    private XmitConn segmentConn;
    private final Segmenter.Sink encapsulateSegment = (s, port) -> encapsulate(s, segmentConn, port);

    public TunnelXmit(NextHops hops, IcmpErrors icmp, IpIdent ident, TxPort local) {
        this.out = new OutRoute(hops, icmp, ident);
        this.local = local;
        this.ident = ident;
    }

    /** {@code /proc/sys/net/ipv4/vs/pmtu_disc} (default on): copy DF and refuse oversized DF packets. */
    public TunnelXmit pmtuDisc(boolean on) { out.pmtuDisc = on; return this; }

    /** The hash GUE source ports come from. */
    public TunnelXmit flowHash(FlowHash hash) { this.flowHash = hash; return this; }

    /** {@code ip_local_port_range}: GUE source ports fall in {@code [min, max)}. */
    public TunnelXmit sourcePorts(int min, int max) {
        this.portMin = min;
        this.portMax = max;
        return this;
    }

    /** {@code udp_flow_src_port}'s mapping of a flow hash to a source port. */
    static int sourcePort(int hash, int min, int max) {
        int h = hash ^ (hash << 16);
        return (int) (((h & 0xFFFF_FFFFL) * (max - min)) >>> 32) + min;
    }

    /** {@code INET_ECN_encapsulate(inner, inner)}: DSCP and ECN copied, CE becomes ECT(0). */
    static int ecnEncapsulate(int ds) {
        int ecn = ds & ECN_MASK;
        return (ds & ~ECN_MASK) | (ecn == ECN_CE ? ECN_ECT_0 : ecn);
    }

    /**
     * A GSO super-frame is routed and checked against the MTU as its segments, then cut ({@link Segmenter}) and
     * every segment encapsulated and sent on its own: a packet socket's virtio-net header has no GSO type for
     * IPIP, GRE or GUE ({@code VIRTIO_NET_HDR_GSO_UDP_TUNNEL_*} is for TUN/TAP and virtio devices with the
     * longer header), so the kernel could not cut the outer packet. The segments' checksums are complete, so
     * GUE's remote checksum offload option is not used for them.
     */
    @Override
    public int transmit(Frame f, XmitConn conn, TxPort tx) {
        int flags = conn.tunFlags;
        boolean remcsum = remcsum(f, conn);
        int encap = encapLength(conn.tunType, flags, remcsum);
        boolean outer6 = conn.daf == Flow.AF_INET6;
        int mode = OutRoute.MODE_LOCAL | OutRoute.MODE_NON_LOCAL | OutRoute.MODE_TUNNEL | (outer6 ? 0 : OutRoute.MODE_CONNECT);
        int r = out.route(f, conn.daf, conn.daddrHi, conn.daddrLo, mode, encap, true, tx);
        if (r == Verdict.LOCAL) return out.deliverLocal(f, local);
        if (Verdict.isDrop(r)) return r;
        if (!f.gso()) return encapsulate(f, conn, tx);
        int outerHdr = outer6 ? Ipv6View.HEADER_LENGTH : Ipv4View.MIN_HEADER_LENGTH;
        if (!f.reserveFront(out.egress.l2Length() + outerHdr + encap)) return DropReason.NO_HEADROOM.code();
        segmentConn = conn;
        int v = out.segmenter.send(f, encapsulateSegment, tx);
        segmentConn = null;
        return v;
    }

    /** GUE with {@code --tun-remcsum} over a partial (not CRC32c) inner checksum of an ordinary packet. */
    private static boolean remcsum(Frame f, XmitConn conn) {
        return conn.tunType == TunnelType.GUE.code && (conn.tunFlags & TunnelType.FLAG_REMCSUM) != 0
                && f.checksumPartial() && !f.csumCrc32c && !f.gso();
    }

    /** Octets between the outer IP header and the inner packet: UDP and GUE (with its options), GRE, or none. */
    private static int encapLength(int type, int flags, boolean remcsum) {
        if (type == TunnelType.GUE.code) {
            return UdpView.HEADER_LENGTH + GUE_HLEN + (remcsum ? GUE_LEN_PRIV + GUE_PLEN_REMCSUM : 0);
        }
        return type == TunnelType.GRE.code ? GRE_HLEN + ((flags & TunnelType.FLAG_CSUM) != 0 ? GRE_CSUM_LEN : 0) : 0;
    }

    /** Wraps the routed packet (route, TTL and MTU done, {@link OutRoute#egress} filled) and sends it. */
    private int encapsulate(Frame f, XmitConn conn, TxPort tx) {
        int type = conn.tunType, flags = conn.tunFlags;
        boolean gue = type == TunnelType.GUE.code, gre = type == TunnelType.GRE.code;
        boolean remcsum = remcsum(f, conn);
        int encap = encapLength(type, flags, remcsum);
        boolean outer6 = conn.daf == Flow.AF_INET6;
        MemorySegment seg = f.segment();
        long inner = f.l3Offset();
        boolean inner6 = f.isV6();
        int ds, ttl, df, innerProto;
        if (inner6) {
            ip6.wrap(seg, inner);
            ds = ip6.trafficClass();
            ttl = ip6.hopLimit();
            df = 0;
            innerProto = IpProto.IPPROTO_IPV6;
        } else {
            ip4.wrap(seg, inner);
            ds = ip4.tos();
            ttl = ip4.ttl();
            df = out.pmtuDisc ? ip4.fragWord() & Ipv4View.FLAG_DF : 0;
            innerProto = IpProto.IPPROTO_IPIP;
        }
        ds = ecnEncapsulate(ds);
        int sport = gue ? sourcePort(flowHash.hash(f), portMin, portMax) : 0;
        int csumStartRel = 0, csumFieldRel = 0;
        if (remcsum) {
            csumStartRel = (int) (f.csumStart - inner);
            csumFieldRel = csumStartRel + f.csumOffset;
        } else {
            f.completeChecksum();
        }
        int outerHdr = outer6 ? Ipv6View.HEADER_LENGTH : Ipv4View.MIN_HEADER_LENGTH;
        if (!f.reserveFront(out.egress.l2Length() + outerHdr + encap)) return DropReason.NO_HEADROOM.code();
        inner = f.l3Offset();
        long end = f.l3End();
        long encapAt = inner - encap;
        long outerAt = encapAt - outerHdr;
        int outerProto = innerProto;
        if (gue) {
            outerProto = IpProto.IPPROTO_UDP;
            long gueAt = encapAt + UdpView.HEADER_LENGTH;
            NetworkOrder.u8(seg, gueAt, remcsum ? (GUE_LEN_PRIV + GUE_PLEN_REMCSUM) >> 2 : 0);   // version 0, C 0, hlen
            NetworkOrder.u8(seg, gueAt + 1, innerProto);
            NetworkOrder.u16(seg, gueAt + 2, remcsum ? GUE_FLAG_PRIV : 0);
            if (remcsum) {
                NetworkOrder.i32(seg, gueAt + GUE_HLEN, GUE_PFLAG_REMCSUM);
                NetworkOrder.u16(seg, gueAt + GUE_HLEN + GUE_LEN_PRIV, csumStartRel);
                NetworkOrder.u16(seg, gueAt + GUE_HLEN + GUE_LEN_PRIV + 2, csumFieldRel);
            }
            NetworkOrder.u16(seg, encapAt, sport);
            NetworkOrder.u16(seg, encapAt + 2, conn.tunPort);
            NetworkOrder.u16(seg, encapAt + 4, (int) (end - encapAt));
            NetworkOrder.u16(seg, encapAt + 6, 0);
        } else if (gre) {
            outerProto = IpProto.IPPROTO_GRE;
            boolean csum = (flags & TunnelType.FLAG_CSUM) != 0;
            NetworkOrder.u16(seg, encapAt, csum ? GRE_CSUM : 0);
            NetworkOrder.u16(seg, encapAt + 2, inner6 ? IfEther.ETH_P_IPV6 : IfEther.ETH_P_IP);
            if (csum) {
                NetworkOrder.i32(seg, encapAt + GRE_HLEN, 0);
                NetworkOrder.u16(seg, encapAt + GRE_HLEN, Checksums.internet(seg, encapAt, end - encapAt));
            }
        }
        if (outer6) {
            NetworkOrder.i32(seg, outerAt, (6 << 28) | (ds << 20));
            ip6.wrap(seg, outerAt).payloadLength((int) (end - outerAt - outerHdr)).nextHeader(outerProto).hopLimit(ttl)
                    .src(out.egress.srcHi, out.egress.srcLo).dst(conn.daddrHi, conn.daddrLo);
        } else {
            NetworkOrder.u8(seg, outerAt, 0x45);
            ip4.wrap(seg, outerAt).tos(ds).totalLength((int) (end - outerAt)).id(df != 0 ? 0 : ident.next16())
                    .fragWord(df).ttl(ttl).protocol(outerProto).src((int) out.egress.srcLo).dst((int) conn.daddrLo)
                    .fillChecksum();
        }
        if (gue && (flags & (TunnelType.FLAG_CSUM | TunnelType.FLAG_REMCSUM)) != 0) {
            int len = (int) (end - encapAt);
            int c = outer6
                    ? Checksums.transport6(seg, encapAt, len, out.egress.srcHi, out.egress.srcLo, conn.daddrHi,
                            conn.daddrLo, IpProto.IPPROTO_UDP)
                    : Checksums.transport4(seg, encapAt, len, (int) out.egress.srcLo, (int) conn.daddrLo,
                            IpProto.IPPROTO_UDP);
            NetworkOrder.u16(seg, encapAt + 6, Checksums.udpWire(c));
        }
        f.csumStart = Frame.CSUM_COMPLETE;                   // remcsum: the real server finishes the inner one
        f.reparsed(conn.daf, outerProto, outerAt, outerAt + outerHdr, end, false);
        return out.emit(f, tx);
    }
}
