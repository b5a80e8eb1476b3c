package io.jlvs.xmit;

import io.jlvs.packet.NetworkOrder;
import io.jlvs.packet.Checksums;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.IcmpView;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;

import java.lang.foreign.MemorySegment;

/**
 * ICMP and ICMPv6 errors about a NAT connection's packets, rewritten so each side sees its own addresses
 * ({@code ip_vs_nat_icmp} / {@code ip_vs_nat_icmp_v6} in {@code ip_vs_core.c}):
 *
 * <ul>
 * <li>{@link #transmitOut}: an error from the real server's side (the real server, or a router before it)
 *     about a packet the client sent, as {@code ip_vs_out_icmp} and {@code handle_response_icmp} handle it
 *     after the kernel forwarded it: outer source to the VIP, the quoted packet's destination to the VIP and
 *     its destination port to the virtual port; then on to the client;</li>
 * <li>{@link #transmitIn}: an error from the client's side about a reply, as {@code ip_vs_in_icmp} and
 *     {@code ip_vs_icmp_xmit} handle it: outer destination to the real server, the quoted packet's source to
 *     the real server and its source port to the real server's port; then on to the real server.</li>
 * </ul>
 * Both recompute the outer and quoted IPv4 header checksums and the ICMP checksum over the whole message (as
 * the kernel does, after verifying it), and forward like the other transmitters (TTL, MTU, Ethernet). Ports
 * are rewritten for a quoted TCP, UDP or SCTP packet that is not a non-first fragment. IPv4 errors IPVS relays:
 * destination unreachable, source quench, time exceeded; IPv6: every error type. The connection is the
 * caller's: found from the quoted packet, whose source and destination are the reverse of the error's.
 * Errors about DR, tunnel and local-node connections are not rewritten: IPVS hands them to the connection's
 * own transmitter.
 */
public final class IcmpNat {
    private final OutRoute out;
    private final TxPort local;
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();
    private final Ipv6View quoted6 = new Ipv6View();
    /** Facts of the last {@link #check}. */
    private long quotedL3, quotedPorts;

    public IcmpNat(NextHops hops, IcmpErrors icmp, IpIdent ident, TxPort local) {
        this.out = new OutRoute(hops, icmp, ident);
        this.local = local;
    }

    /** An error from the client side, to {@code conn}'s real server. */
    public int transmitIn(Frame f, XmitConn conn, TxPort tx) {
        int c = check(f);
        if (c != Verdict.TX) return c;
        int r = out.route(f, conn.af, conn.daddrHi, conn.daddrLo,
                OutRoute.MODE_LOCAL | OutRoute.MODE_NON_LOCAL | OutRoute.MODE_RDR, 0, true, tx);
        if (Verdict.isDrop(r)) return r;
        apply(f, conn, false);
        return r == Verdict.LOCAL ? out.deliverLocal(f, local) : out.emit(f, tx);
    }

    /** An error from the real server's side, to {@code conn}'s client. */
    public int transmitOut(Frame f, XmitConn conn, TxPort tx) {
        int c = check(f);
        if (c != Verdict.TX) return c;
        int r = out.route(f, conn.af, conn.caddrHi, conn.caddrLo,
                OutRoute.MODE_LOCAL | OutRoute.MODE_NON_LOCAL | OutRoute.MODE_FORWARD, 0, false, tx);
        if (Verdict.isDrop(r)) return r;
        apply(f, conn, true);
        return r == Verdict.LOCAL ? out.deliverLocal(f, local) : out.emit(f, tx);
    }

    /**
     * The rewrite alone: {@code outgoing} as {@link #transmitOut} (IPVS's {@code inout = 1}), else as
     * {@link #transmitIn}.
     *
     * @return {@link Verdict#TX} when rewritten, else a drop code
     */
    public int rewrite(Frame f, XmitConn conn, boolean outgoing) {
        int c = check(f);
        if (c != Verdict.TX) return c;
        apply(f, conn, outgoing);
        return Verdict.TX;
    }

    /**
     * Validates an error IPVS would relay: the type, the checksum, a complete quoted IP header of the same
     * family (and its ports when it has them). Leaves {@link #quotedL3} and {@link #quotedPorts} (-1 for none).
     */
    private int check(Frame f) {
        MemorySegment seg = f.segment();
        long icmp = f.l4Offset(), end = f.l3End();
        if (!f.icmpError()) return DropReason.BAD_ICMP_QUOTE.code();
        int type = NetworkOrder.u8(seg, icmp);
        quotedL3 = icmp + IcmpView.HEADER_LENGTH;
        quotedPorts = -1;
        int protocol;
        if (f.isV6()) {
            ip6.wrap(seg, f.l3Offset());
            if (Checksums.transport6(seg, icmp, (int) (end - icmp), ip6.srcHi(), ip6.srcLo(), ip6.dstHi(), ip6.dstLo(),
                    IpProto.IPPROTO_ICMPV6) != 0) return DropReason.BAD_ICMPV6_CHECKSUM.code();
            if (end - quotedL3 < Ipv6View.HEADER_LENGTH) return DropReason.BAD_ICMP_QUOTE.code();
            quoted6.wrap(seg, quotedL3);
            if (quoted6.version() != 6) return DropReason.BAD_ICMP_QUOTE.code();
            protocol = quoted6.walkExtensions(end);
            if (protocol < 0) return DropReason.BAD_ICMP_QUOTE.code();
            if (quoted6.fragmentOffset() == 0 && hasPorts(protocol)) quotedPorts = quoted6.upperLayerOffset();
        } else {
            if (type != IcmpView.DEST_UNREACH && type != IcmpView.SOURCE_QUENCH && type != IcmpView.TIME_EXCEEDED) {
                return DropReason.BAD_ICMP_QUOTE.code();
            }
            if (Checksums.internet(seg, icmp, end - icmp) != 0) return DropReason.BAD_ICMP_CHECKSUM.code();
            if (end - quotedL3 < Ipv4View.MIN_HEADER_LENGTH) return DropReason.BAD_ICMP_QUOTE.code();
            ip4.wrap(seg, quotedL3);
            int hl = ip4.headerLength();
            if (ip4.version() != 4 || hl < Ipv4View.MIN_HEADER_LENGTH || end - quotedL3 < hl) {
                return DropReason.BAD_ICMP_QUOTE.code();
            }
            protocol = ip4.protocol();
            if (ip4.fragmentOffset() == 0 && hasPorts(protocol)) quotedPorts = quotedL3 + hl;
        }
        if (quotedPorts >= 0 && end - quotedPorts < 4) return DropReason.BAD_ICMP_QUOTE.code();
        return Verdict.TX;
    }

    private static boolean hasPorts(int protocol) {
        return protocol == IpProto.IPPROTO_TCP || protocol == IpProto.IPPROTO_UDP || protocol == IpProto.IPPROTO_SCTP;
    }

    private void apply(Frame f, XmitConn conn, boolean outgoing) {
        MemorySegment seg = f.segment();
        long icmp = f.l4Offset(), end = f.l3End();
        long hi = outgoing ? conn.vaddrHi : conn.daddrHi;
        long lo = outgoing ? conn.vaddrLo : conn.daddrLo;
        f.csumStart = Frame.CSUM_COMPLETE;
        if (f.isV6()) {
            ip6.wrap(seg, f.l3Offset());
            quoted6.wrap(seg, quotedL3);
            if (outgoing) {
                ip6.src(hi, lo);
                quoted6.dst(hi, lo);
            } else {
                ip6.dst(hi, lo);
                quoted6.src(hi, lo);
            }
        } else {
            ip4.wrap(seg, f.l3Offset());
            if (outgoing) ip4.src((int) lo); else ip4.dst((int) lo);
            ip4.fillChecksum();
            ip4.wrap(seg, quotedL3);
            if (outgoing) ip4.dst((int) lo); else ip4.src((int) lo);
            ip4.fillChecksum();
        }
        if (quotedPorts >= 0) NetworkOrder.u16(seg, quotedPorts + (outgoing ? 2 : 0), outgoing ? conn.vport : conn.dport);
        NetworkOrder.u16(seg, icmp + 2, 0);
        int c;
        if (f.isV6()) {
            ip6.wrap(seg, f.l3Offset());
            c = Checksums.transport6(seg, icmp, (int) (end - icmp), ip6.srcHi(), ip6.srcLo(), ip6.dstHi(), ip6.dstLo(),
                    IpProto.IPPROTO_ICMPV6);
        } else {
            c = Checksums.internet(seg, icmp, end - icmp);
        }
        NetworkOrder.u16(seg, icmp + 2, c);
    }
}
