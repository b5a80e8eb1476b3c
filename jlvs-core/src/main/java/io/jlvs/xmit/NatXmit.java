package io.jlvs.xmit;

import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;

/**
 * NAT (masquerading, {@code ipvsadm -m}): {@link #transmit} is {@code ip_vs_nat_xmit} /
 * {@code ip_vs_nat_xmit_v6}, the destination rewritten to the real server on the way in (DNAT);
 * {@link #reply} is what the real server's answers go through on the way back to the client: the kernel's
 * forwarding path ({@code ip_forward}: TTL and MTU checks, TTL decrement) then {@code handle_response} in
 * {@code ip_vs_core.c}, the source rewritten to the virtual service (SNAT). The rewrite itself and its
 * checksum rules are {@link L4Nat}'s. A connection with an application helper ({@link XmitConn#app}, the FTP
 * control connection) hands each packet to it between the route and the rewrite, as the TCP NAT handlers do.
 *
 * <p>In: route to the real server (local addresses allowed: the rewritten packet goes to the local port, except
 * a DNAT to loopback), TTL decremented with ICMP time exceeded at 1, MTU checked with ICMP fragmentation
 * needed / packet too big (quoting the packet before DNAT, from the VIP), then DNAT and Ethernet: source the
 * director's MAC, destination the next hop's. Out: the same toward the client, the ICMP errors going to the
 * real server from the director's own address.
 */
public final class NatXmit implements Xmit {
    private final OutRoute out;
    private final TxPort local;
    private final L4Nat nat = new L4Nat();

    /**
     * @param local where packets for a real server that is one of the director's addresses go
     */
    public NatXmit(NextHops hops, IcmpErrors icmp, IpIdent ident, TxPort local) {
        this.out = new OutRoute(hops, icmp, ident);
        this.local = local;
    }

    /** DNAT of a client's packet to {@code conn}'s real server. */
    @Override
    public int transmit(Frame f, XmitConn conn, TxPort tx) {
        int r = out.route(f, conn.af, conn.daddrHi, conn.daddrLo,
                OutRoute.MODE_LOCAL | OutRoute.MODE_NON_LOCAL | OutRoute.MODE_RDR, 0, true, tx);
        if (Verdict.isDrop(r)) return r;
        if (r == Verdict.LOCAL && loopback(conn.af, conn.daddrHi, conn.daddrLo)) {
            return DropReason.LOCAL_ROUTE_REFUSED.code();       // "stopping DNAT to loopback address"
        }
        if (conn.app != null) {                                 // tcp_dnat_handler: ip_vs_app_pkt_in
            int a = conn.app.in(f);
            if (Verdict.isDrop(a)) return a;
        }
        int w = nat.rewrite(f, true, conn.daddrHi, conn.daddrLo, conn.dport);
        if (Verdict.isDrop(w)) return w;
        if (r == Verdict.LOCAL) return out.deliverLocal(f, local);
        return out.emit(f, tx);
    }

    /** SNAT of a real server's reply to {@code conn}'s client: source becomes the virtual service. */
    public int reply(Frame f, XmitConn conn, TxPort tx) {
        int r = out.route(f, conn.af, conn.caddrHi, conn.caddrLo,
                OutRoute.MODE_LOCAL | OutRoute.MODE_NON_LOCAL | OutRoute.MODE_FORWARD, 0, false, tx);
        if (Verdict.isDrop(r)) return r;
        if (conn.app != null) {                                 // tcp_snat_handler: ip_vs_app_pkt_out
            int a = conn.app.out(f);
            if (Verdict.isDrop(a)) return a;
        }
        int w = nat.rewrite(f, false, conn.vaddrHi, conn.vaddrLo, conn.vport);
        if (Verdict.isDrop(w)) return w;
        if (r == Verdict.LOCAL) return out.deliverLocal(f, local);
        return out.emit(f, tx);
    }

    static boolean loopback(int af, long hi, long lo) {
        return af == Flow.AF_INET6 ? hi == 0 && lo == 1 : (lo >>> 24) == 127;
    }
}
