package io.jlvs.daemon.dataplane;

import io.jlvs.ctl.ipvsadm.IpvsadmParser;
import io.jlvs.ctl.offline.OfflineDirector;
import io.jlvs.host.HostPlane;
import io.jlvs.host.HostTables;
import io.jlvs.host.OwnedAddress;
import io.jlvs.netio.ring.PacketRing;
import io.jlvs.netio.rtnl.LinkInfo;
import io.jlvs.service.IpAddr;
import io.jlvs.service.VirtualService;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * jlvsd's native data plane: AF_PACKET rings on the served interfaces, one data-plane thread running the engine
 * ({@link DataPlaneAgent}), the host's routes and neighbours followed through rtnetlink ({@link HostWatcher}), ARP
 * and NDP answered for the addresses jlvs owns (the virtual addresses and the configured ones), the local stack
 * reached through a TUN device for LocalNode (and NAT real servers with the host's own address, whose replies come
 * back through it: {@link LocalReplyRoute}), and the host kernel kept off the frames jlvs handles
 * ({@link IngressGuard}).
 *
 * <p>Zero configuration, as the kernel's IPVS: with no interface named it serves every up, non-loopback
 * interface of its namespace (except its own TUN device) and follows interfaces that appear later.
 *
 * <p>Wiring order: {@link #create} builds the host tables and the TX side so the engine can be made with them;
 * {@link #start} dumps the host, opens rings and starts the thread; {@link #configChanged} runs after every
 * configuration change (owned addresses, nftables sets); {@link #close} undoes everything.
 */
public final class DataPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    /** The TUN device through which LocalNode connections reach the host's stack. */
    public static final String LOCAL_DEVICE = "jlvslocal0";

    /**
     * @param interfaces interfaces to serve (empty: every up, non-loopback interface, followed)
     * @param addresses  addresses jlvs answers ARP/NDP for besides the virtual ones (NAT gateways)
     * @param threads    data-plane threads (1 for now)
     * @param ring       ring settings for every interface
     */
    public record Options(List<String> interfaces, List<IpAddr> addresses, int threads, PacketRing.Options ring) {
        public Options {
            interfaces = List.copyOf(interfaces);
            addresses = List.copyOf(addresses);
            if (threads != 1) {
                throw new IllegalArgumentException("threads " + threads + ": this jlvs runs one data-plane thread "
                        + "(see docs/data-plane.md for why and what more threads need)");
            }
        }
    }

    /**
     * Ring settings of the data plane: virtio-net headers (offloads kept on), TX through a TPACKET TX ring (a frame
     * is copied at send, which the transmitters' contract asks: the fragmenter and the segmenter reuse the buffer),
     * 256 slots of 68 KiB (a 64 KiB super-frame fits), more than one duty cycle's budget; RX: TPACKET_V2 with 1024
     * slots of 68 KiB (69 MiB per interface): on the 2-core benchmark VM 256 slots overflowed whenever the thread
     * was not scheduled for a millisecond (UDP 70-120 kpps), 1024 gave 135 kpps and the best HTTP rate
     * ({@code -Djlvs.rxFrames=N} changes it).
     */
    public static PacketRing.Options ringDefaults() {
        PacketRing.Options d = PacketRing.Options.defaults();
        return d.withTxMode(PacketRing.TxMode.TX_RING).withTxRing(17 * PacketRing.Options.PAGE, 256)
                .withQdiscBypass(Boolean.parseBoolean(System.getProperty("jlvs.qdiscBypass", "false")))
                .withRxFrames(d.rxFrameSizeBytes(), Integer.getInteger("jlvs.rxFrames", 1024));
    }

    private final Options options;
    private final HostTables tables = new HostTables();
    private final RingPorts rings = new RingPorts();
    private final HostPlane host;
    private final LocalPort local;
    private final IngressGuard guard;
    private final LocalReplyRoute localReplies;
    private DataPlaneAgent agent;
    private AgentRunner runner;
    private HostWatcher watcher;
    private List<OwnedAddress> lastOwned = List.of();
    private final Set<Integer> served = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private DataPlane(Options o, IngressGuard guard, LocalReplyRoute localReplies) throws IOException {
        this.options = o;
        this.guard = guard;
        this.localReplies = localReplies;
        this.host = new HostPlane(tables, HostPlane.Config.DEFAULTS, rings);
        this.local = LocalPort.open(LOCAL_DEVICE);
    }

    /** Checks that the data plane can run here and prepares the TX side (no thread yet). */
    public static DataPlane create(Options o) throws IOException {
        if (!PacketRing.isAvailable()) {
            throw new IOException("the data plane cannot open AF_PACKET rings: "
                    + PacketRing.unavailabilityCause().orElse("?") + " (--no-data-plane runs the control plane alone)");
        }
        return new DataPlane(o, new IngressGuard(IngressGuard.Nft.command()),
                new LocalReplyRoute(LocalReplyRoute.Runner.processes(), LOCAL_DEVICE));
    }

    /** The engine to build for this data plane: its routes, neighbours and ports are the data plane's. */
    public OfflineDirector engine(IpvsadmParser parser, int capacityV4, int capacityV6) {
        return new OfflineDirector(parser, host.nextHops(), host.txPort(), local, capacityV4, capacityV6);
    }

    /** Starts following the host and serving interfaces with {@code engine} under {@code controlLock}. */
    public void start(OfflineDirector engine, ReentrantLock controlLock) throws IOException {
        guard.install();
        try {
            localReplies.install();
        } catch (IOException e) {
            LOG.error("local NAT real servers will not work (their replies cannot be routed to {}): {}", LOCAL_DEVICE,
                    e.getMessage());
        }
        agent = new DataPlaneAgent("jlvs-dataplane-0", engine, host, rings, local, controlLock, new SystemNanoClock());
        watcher = new HostWatcher(tables, List.of(host.events()), this::linksChanged);
        watcher.start();
        configChanged(engine.services().services());
        DataPlaneAgent a = agent;
        runner = new AgentRunner(idleStrategy(rings, a::localReplyFd), e -> LOG.error("data-plane error (counted, the thread goes on)", e),
                null, agent);
        AgentRunner.startOnThread(runner);
        if (!options.interfaces().isEmpty()) {
            for (String name : options.interfaces()) {
                if (watcher.links().stream().noneMatch(l -> l.name().equals(name))) {
                    LOG.warn("interface {} does not exist (yet): it is served when it appears", name);
                }
            }
        }
    }

    /**
     * How the data-plane thread waits when there is nothing to do ({@code -Djlvs.idle=}): {@code poll} (default: a
     * few spins, then poll(2) on the rings for at most 1 ms, see {@link PollIdleStrategy}), {@code backoff} (spin,
     * yield, then park 1..200 us), {@code yield} (never sleeps: a core kept busy), {@code spin} (busy spin: a
     * dedicated core).
     */
    static org.agrona.concurrent.IdleStrategy idleStrategy(RingPorts rings, java.util.function.IntSupplier extraFd) {
        return switch (System.getProperty("jlvs.idle", "poll")) {
            case "yield" -> new org.agrona.concurrent.YieldingIdleStrategy();
            case "spin" -> new org.agrona.concurrent.BusySpinIdleStrategy();
            case "backoff" -> new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(200));
            default -> new PollIdleStrategy(rings, extraFd, 64, 1);
        };
    }

    private boolean wanted(LinkInfo l) {
        if (l.isLoopback() || l.name().equals(LOCAL_DEVICE) || !l.hasMac()) return false;
        if (!options.interfaces().isEmpty()) return options.interfaces().contains(l.name());
        return true;
    }

    /** rtnetlink told the interfaces: serve the new ones that are up, drop those gone or down. */
    private void linksChanged(List<LinkInfo> links) {
        if (closed || agent == null) return;
        Set<Integer> seen = new TreeSet<>();
        for (LinkInfo l : links) {
            if (!wanted(l) || !l.isUp()) continue;
            seen.add(l.ifIndex());
            if (served.contains(l.ifIndex())) continue;
            try {
                guard.serve(l.name());
                PacketRing ring = PacketRing.open(l.ifIndex(), options.ring());
                served.add(l.ifIndex());
                if (!submit(() -> rings.add(ring))) ring.close();
                LOG.info("serving interface {} (index {}, mtu {}, mac {})", l.name(), l.ifIndex(), l.mtu(), l.macString());
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot serve interface {}: {}", l.name(), e.getMessage());
            }
        }
        for (Integer idx : List.copyOf(served)) {
            if (seen.contains(idx)) continue;
            served.remove(idx);
            String name = links.stream().filter(l -> l.ifIndex() == idx).map(LinkInfo::name).findFirst().orElse("#" + idx);
            submit(() -> {
                PacketRing r = rings.remove(idx);
                if (r != null) r.close();
            });
            LOG.info("no longer serving interface {} (down or gone)", name);
        }
    }

    private boolean submit(Runnable r) {
        for (int i = 0; i < 100; i++) {
            if (agent.submit(r)) return true;
            try {
                Thread.sleep(1);   // the data-plane thread drains its queue every cycle: bounded wait, control side only
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        LOG.error("data-plane command queue full: a change was not applied");
        return false;
    }

    /**
     * Brings the owned addresses (every virtual address and the configured ones) and the ingress guard's sets in
     * line with {@code svcs}, a copy of the services taken under the control lock; called outside it (nft runs as
     * a process), after configuration changes and periodically. Cheap when nothing changed.
     */
    public synchronized void configChanged(List<VirtualService> svcs) {
        Set<IpAddr> vips = new LinkedHashSet<>();
        for (VirtualService s : svcs) if (!s.key().isFwmark()) vips.add(s.key().addr());
        List<OwnedAddress> owned = new ArrayList<>();
        for (IpAddr a : vips) owned.add(new OwnedAddress(OwnedAddress.ANY_INTERFACE, a, OwnedAddress.Kind.VIP));
        for (IpAddr a : options.addresses()) {
            if (!vips.contains(a)) owned.add(new OwnedAddress(OwnedAddress.ANY_INTERFACE, a, OwnedAddress.Kind.NAT_GATEWAY));
        }
        if (!owned.equals(lastOwned)) {
            tables.publishOwned(owned);
            lastOwned = owned;
        }
        List<IpAddr> hostAddresses = watcher == null ? List.of() : watcher.hostAddresses();
        try {
            guard.sync(svcs, hostAddresses);
        } catch (IOException e) {
            LOG.error("nftables ingress guard not updated: {}", e.getMessage());
        }
        try {
            boolean any = localReplies.sync(svcs, hostAddresses);
            if (agent != null) agent.localReplies(any);
        } catch (IOException e) {
            LOG.error("nftables routing of local NAT real servers' replies not updated: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (watcher != null) watcher.close();
        if (runner != null) runner.close();
        for (PacketRing r : rings.rings()) {
            r.pollStatistics();
            LOG.info("interface index {}: {}", r.ifIndex(), r.counters());
            r.close();
        }
        if (agent != null) LOG.info("data plane: {}", agent.summary());
        guard.close();
        localReplies.close();
        local.close();
    }
}
