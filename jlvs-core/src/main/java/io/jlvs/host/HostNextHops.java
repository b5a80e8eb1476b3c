package io.jlvs.host;

import io.jlvs.packet.Flow;
import io.jlvs.xmit.Egress;
import io.jlvs.xmit.NextHops;

/**
 * The transmitters' route and neighbour lookup over the host's tables ({@code ip_route_output_key} and the
 * neighbour lookup after it): the director's own addresses are {@link #LOCAL}; otherwise the longest-prefix route
 * decides (local: {@link #LOCAL}; blackhole, unreachable, prohibit, or a down or unknown interface:
 * {@link #UNREACHABLE}); the next hop is the route's gateway, or the destination itself on a connected route or
 * with {@link #KNOWN_NH}; the egress is filled: interface, its MAC, MTU (the route's, else the interface's),
 * the director's source address (the route's {@code prefsrc}, else the interface's first address of the family).
 *
 * <p>With the next hop's MAC in {@link Neighbours}: {@link #RESOLVED}. Without it, the next hop is marked pending
 * ({@link PendingQueue#mark}) and the answer is {@link #RESOLVED} with the marker as destination MAC, so the
 * frame is parked by {@link NeighbourResolver#txPort()} and sent when the MAC is learned, rather than dropped;
 * only when no pending entry is free is the answer {@link #UNRESOLVED} (a drop). Multicast, broadcast and
 * unspecified destinations are {@link #UNREACHABLE}: jlvs forwards unicast only.
 *
 * <p>One per data-plane thread (its neighbours and pending queue are the thread's). No allocation.
 */
public final class HostNextHops implements NextHops {
    private final HostTables tables;
    private final Neighbours neighbours;
    private final PendingQueue pending;
    private long lookups, unresolved;

    /** @param pending the thread's pending queue, or null to answer {@link #UNRESOLVED} for unknown neighbours */
    public HostNextHops(HostTables tables, Neighbours neighbours, PendingQueue pending) {
        this.tables = tables;
        this.neighbours = neighbours;
        this.pending = pending;
    }

    @Override
    public int resolve(int af, long hi, long lo, int flags, Egress out) {
        lookups++;
        LocalAddresses local = tables.addresses();
        if (local.isLocal(af, hi, lo)) return LOCAL;
        if (!unicast(af, hi, lo)) return UNREACHABLE;
        RouteTable routes = tables.routes();
        int r = routes.lookup(af, hi, lo);
        if (r == RouteTable.NO_ROUTE) return UNREACHABLE;
        int type = routes.type(r);
        if (type == Route.RTN_LOCAL) return LOCAL;
        if (type != Route.RTN_UNICAST) return UNREACHABLE;
        int oif = routes.oif(r);
        Link link = tables.links().get(oif);
        if (link == null || !link.up()) return UNREACHABLE;

        long nhHi = hi, nhLo = lo;
        if ((flags & KNOWN_NH) == 0 && routes.hasGateway(r)) {
            nhHi = routes.gatewayHi(r);
            nhLo = routes.gatewayLo(r);
        }
        out.ifIndex = oif;
        out.srcMac = link.mac();
        out.vlanTci = Egress.NO_VLAN;
        int mtu = routes.mtu(r);
        out.mtu = mtu > 0 && mtu < link.mtu() ? mtu : link.mtu();
        if (routes.hasPrefsrc(r)) {
            out.srcHi = routes.prefsrcHi(r);
            out.srcLo = routes.prefsrcLo(r);
        } else {
            int s = local.source(oif, af);
            out.srcHi = s >= 0 ? local.slotHi(s) : 0;
            out.srcLo = s >= 0 ? local.slotLo(s) : 0;
        }
        long mac = neighbours.lookup(af, nhHi, nhLo, oif);
        if (mac != Neighbours.NO_MAC) {
            out.dstMac = mac;
            return RESOLVED;
        }
        long marker = pending == null ? PendingQueue.NO_MARKER : pending.mark(af, nhHi, nhLo, oif, out.srcHi, out.srcLo);
        if (marker == PendingQueue.NO_MARKER) {
            out.dstMac = 0;
            unresolved++;
            return UNRESOLVED;
        }
        out.dstMac = marker;
        return RESOLVED;
    }

    /** Not multicast, broadcast, unspecified (IPv4: not 0.0.0.0, 224/4, 255.255.255.255; IPv6: not ::, ff00::/8). */
    static boolean unicast(int af, long hi, long lo) {
        if (af == Flow.AF_INET) {
            int a = (int) lo;
            return a != 0 && a != -1 && (a >>> 28) != 0xE;
        }
        return (hi | lo) != 0 && (hi >>> 56) != 0xFF;
    }

    /** Lookups answered. */
    public long lookups() { return lookups; }

    /** Lookups answered {@link #UNRESOLVED} (no pending entry free). */
    public long unresolved() { return unresolved; }
}
