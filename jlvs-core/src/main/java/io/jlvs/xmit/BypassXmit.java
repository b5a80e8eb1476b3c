package io.jlvs.xmit;

import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;

/**
 * Bypass ({@code ip_vs_bypass_xmit} / {@code ip_vs_bypass_xmit_v6}): a packet of a cache-bypass connection
 * (fwmark service, {@code cache_bypass=1}, no real server available) goes on to its own destination, as a
 * router would forward it: TTL decremented, MTU checked, IPv4 checksum recomputed, Ethernet toward the next hop.
 * Only non-local destinations: a local one is refused ({@code IP_VS_RT_MODE_NON_LOCAL}). ICMP errors come
 * from the director's own address (the destination is not one of its addresses).
 */
public final class BypassXmit implements Xmit {
    private final OutRoute out;
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();

    public BypassXmit(NextHops hops, IcmpErrors icmp, IpIdent ident) {
        this.out = new OutRoute(hops, icmp, ident);
    }

    /** {@code conn} is not read: the packet's own destination is used ("bypass connections use daddr from packet"). */
    @Override
    public int transmit(Frame f, XmitConn conn, TxPort tx) {
        long hi, lo;
        if (f.isV6()) {
            ip6.wrap(f.segment(), f.l3Offset());
            hi = ip6.dstHi();
            lo = ip6.dstLo();
        } else {
            hi = 0;
            lo = ip4.wrap(f.segment(), f.l3Offset()).dst() & 0xFFFF_FFFFL;
        }
        int r = out.route(f, f.af(), hi, lo, OutRoute.MODE_NON_LOCAL, 0, false, tx);
        if (Verdict.isDrop(r)) return r;
        return out.emit(f, tx);
    }
}
