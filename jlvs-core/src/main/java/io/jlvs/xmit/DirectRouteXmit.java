package io.jlvs.xmit;

/**
 * Direct routing (gatewaying, {@code ipvsadm -g}): {@code ip_vs_dr_xmit} / {@code ip_vs_dr_xmit_v6}. The
 * packet goes to the real server's MAC (the real server holds the VIP on a non-ARPing interface), its addresses
 * and ports untouched. Like every IPVS transmitter that forwards, it decrements the TTL / hop limit (ICMP time
 * exceeded at 1) and refuses a packet over the MTU with DF (IPv6: any) with ICMP fragmentation needed /
 * packet too big from the VIP; the IPv4 header checksum is recomputed. A real server that is one of the
 * director's addresses gets the packet unchanged on the local port.
 */
public final class DirectRouteXmit implements Xmit {
    private final OutRoute out;
    private final TxPort local;

    public DirectRouteXmit(NextHops hops, IcmpErrors icmp, IpIdent ident, TxPort local) {
        this.out = new OutRoute(hops, icmp, ident);
        this.local = local;
    }

    @Override
    public int transmit(Frame f, XmitConn conn, TxPort tx) {
        int r = out.route(f, conn.af, conn.daddrHi, conn.daddrLo,
                OutRoute.MODE_LOCAL | OutRoute.MODE_NON_LOCAL | OutRoute.MODE_KNOWN_NH, 0, true, tx);
        if (r == Verdict.LOCAL) return out.deliverLocal(f, local);
        if (Verdict.isDrop(r)) return r;
        return out.emit(f, tx);
    }
}
