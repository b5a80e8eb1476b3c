package io.jlvs.daemon.dataplane;

import io.jlvs.host.HostAddress;
import io.jlvs.host.HostTables;
import io.jlvs.host.Link;
import io.jlvs.host.Links;
import io.jlvs.host.NeighbourEvents;
import io.jlvs.host.Neighbours;
import io.jlvs.host.Route;
import io.jlvs.host.RouteTable;
import io.jlvs.netio.rtnl.AddrInfo;
import io.jlvs.netio.rtnl.LinkInfo;
import io.jlvs.netio.rtnl.NeighInfo;
import io.jlvs.netio.rtnl.RouteInfo;
import io.jlvs.netio.rtnl.RtEvent;
import io.jlvs.netio.rtnl.RtMonitor;
import io.jlvs.netio.rtnl.Rtnetlink;
import io.jlvs.service.IpAddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Follows the host's interfaces, addresses, routes and neighbours through rtnetlink and publishes them to the
 * data plane ({@link HostTables} snapshots; neighbour changes into each data-plane thread's inbox), so operators
 * configure the host with iproute2 as usual. Opens the monitor first, then dumps, then applies events; an overrun
 * of the monitor's buffer redumps everything. Runs on the monitor's own thread.
 */
final class HostWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostWatcher.class);
    /** The kernel's main and local routing tables: the ones an unconfigured host routes with. */
    static final int RT_TABLE_MAIN = 254, RT_TABLE_LOCAL = 255;

    private final HostTables tables;
    private final List<NeighbourEvents> inboxes;
    private final Consumer<List<LinkInfo>> linksChanged;
    private RtMonitor monitor;
    private final Map<Integer, LinkInfo> links = new TreeMap<>();
    private final List<AddrInfo> addresses = new ArrayList<>();
    private final List<RouteInfo> routes = new ArrayList<>();

    /**
     * @param linksChanged told the interfaces each time they change (on the monitor thread), to serve new ones
     */
    HostWatcher(HostTables tables, List<NeighbourEvents> inboxes, Consumer<List<LinkInfo>> linksChanged) {
        this.tables = tables;
        this.inboxes = List.copyOf(inboxes);
        this.linksChanged = linksChanged;
    }

    /** Dumps the host's state, publishes it, and starts following changes. */
    void start() throws IOException {
        monitor = RtMonitor.open();
        redump();
        monitor.start(this::onEvent, "jlvsd-rtnetlink");
    }

    synchronized void redump() throws IOException {
        try (Rtnetlink rt = Rtnetlink.open()) {
            links.clear();
            for (LinkInfo l : rt.dumpLinks()) links.put(l.ifIndex(), l);
            addresses.clear();
            addresses.addAll(rt.dumpAddresses());
            routes.clear();
            routes.addAll(rt.dumpRoutes());
            publishLinks();
            publishAddresses();
            publishRoutes();
            for (NeighbourEvents in : inboxes) in.offerFlush(0);
            for (NeighInfo n : rt.dumpNeighbours()) neighbour(n, false);
        }
    }

    private synchronized void onEvent(RtEvent e) {
        switch (e) {
            case RtEvent.Link l -> {
                if (l.action() == RtEvent.Action.DEL) {
                    links.remove(l.link().ifIndex());
                    for (NeighbourEvents in : inboxes) in.offerFlush(l.link().ifIndex());
                } else {
                    links.put(l.link().ifIndex(), l.link());
                }
                publishLinks();
                publishRoutes();   // routes through a link that went down are unreachable
            }
            case RtEvent.Addr a -> {
                addresses.removeIf(x -> x.ifIndex() == a.addr().ifIndex() && x.address().equals(a.addr().address()));
                if (a.action() == RtEvent.Action.NEW) addresses.add(a.addr());
                publishAddresses();
            }
            case RtEvent.Route r -> {
                routes.removeIf(x -> sameRoute(x, r.route()));
                if (r.action() == RtEvent.Action.NEW) routes.add(r.route());
                publishRoutes();
            }
            case RtEvent.Neigh n -> neighbour(n.neigh(), n.action() == RtEvent.Action.DEL);
            case RtEvent.Resync s -> {
                LOG.warn("rtnetlink monitor overrun ({}): reading the host's tables again", s.cause());
                try {
                    redump();
                } catch (IOException ex) {
                    LOG.error("rtnetlink redump failed: {}", ex.getMessage());
                }
            }
        }
    }

    private static boolean sameRoute(RouteInfo a, RouteInfo b) {
        return a.family() == b.family() && a.table() == b.table() && a.dstLen() == b.dstLen()
                && a.dst().equals(b.dst()) && a.priority() == b.priority() && a.type() == b.type();
    }

    private void neighbour(NeighInfo n, boolean deleted) {
        IpAddr a = IpAddr.of(n.dst().getAddress());
        if (a == null) return;
        int state = Neighbours.fromNud(n.state());
        for (NeighbourEvents in : inboxes) {
            if (deleted || !n.isValid()) {
                in.offerDelete(a.af(), a.hi(), a.lo(), n.ifIndex());
            } else {
                in.offerUpdate(a.af(), a.hi(), a.lo(), n.ifIndex(), n.lladdr(), state);
            }
        }
    }

    private void publishLinks() {
        List<Link> out = new ArrayList<>();
        for (LinkInfo l : links.values()) {
            out.add(new Link(l.ifIndex(), l.name(), l.hasMac() ? l.mac() : 0, l.mtu(), l.isUp() && l.isRunning()));
        }
        tables.publish(Links.of(out));
        linksChanged.accept(List.copyOf(links.values()));
    }

    private void publishAddresses() {
        List<HostAddress> out = new ArrayList<>();
        for (AddrInfo a : addresses) {
            IpAddr ip = IpAddr.of(a.address().getAddress());
            if (ip != null) out.add(new HostAddress(a.ifIndex(), ip, a.prefixLen()));
        }
        tables.publishHost(out);
    }

    private void publishRoutes() {
        List<Route> out = new ArrayList<>();
        for (RouteInfo r : routes) {
            if (r.table() != RT_TABLE_MAIN && r.table() != RT_TABLE_LOCAL) continue;
            int type = switch (r.type()) {
                case Route.RTN_UNICAST, Route.RTN_LOCAL, Route.RTN_BLACKHOLE, Route.RTN_UNREACHABLE, Route.RTN_PROHIBIT -> r.type();
                default -> -1;   // broadcast, multicast, anycast: not a way to a real server
            };
            if (type < 0) continue;
            LinkInfo oif = links.get(r.oif());
            if (type == Route.RTN_UNICAST && (oif == null || !oif.isUp())) continue;
            IpAddr prefix = IpAddr.of(r.dst().getAddress());
            IpAddr gw = address(r.gateway());
            IpAddr src = address(r.prefsrc());
            if (prefix == null) continue;
            try {
                out.add(new Route(prefix, r.dstLen(), type, r.oif(), gw, src, r.mtu(), r.priority()));
            } catch (IllegalArgumentException odd) {
                LOG.debug("route not followed: {} ({})", r, odd.getMessage());
            }
        }
        tables.publish(RouteTable.of(out));
    }

    private static IpAddr address(InetAddress a) { return a == null ? null : IpAddr.of(a.getAddress()); }

    /** The interfaces last seen. */
    synchronized List<LinkInfo> links() { return List.copyOf(links.values()); }

    /** The host's own addresses last seen (the ingress guard's "to the host itself"). */
    synchronized List<IpAddr> hostAddresses() {
        List<IpAddr> out = new ArrayList<>();
        for (AddrInfo a : addresses) {
            IpAddr ip = IpAddr.of(a.address().getAddress());
            if (ip != null) out.add(ip);
        }
        return out;
    }

    @Override
    public void close() {
        if (monitor != null) monitor.close();
    }
}
