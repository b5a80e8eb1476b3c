package io.jlvs.daemon;

import io.jlvs.ctl.api.Caller;
import io.jlvs.ctl.api.ControlService;
import io.jlvs.ctl.ipvsadm.IpvsadmParser;
import io.jlvs.ctl.metrics.IpvsMetrics;
import io.jlvs.ctl.metrics.MetricsServer;
import io.jlvs.ctl.offline.OfflineDirector;
import io.jlvs.ctl.offline.StaticNextHops;
import io.jlvs.daemon.dataplane.DataPlane;
import io.jlvs.netio.NetioAvailability;
import io.jlvs.netio.PeerCredentials;
import io.jlvs.netio.UnixConnection;
import io.jlvs.netio.UnixServer;

import io.jlvs.ctl.api.Request;
import io.jlvs.ctl.api.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * jlvsd, the director daemon, control plane only for now (the native data plane attaches interfaces later): the
 * service table, the connection engine and its timers, the control API on the abstract Unix socket
 * {@code @jlvsd} (private to this network namespace, so a jlvsadm run in the namespace reaches this director with
 * no flag), and the optional Prometheus endpoint. Stops cleanly on SIGTERM/SIGINT: an abstract socket leaves no
 * file behind.
 *
 * <p>Threads: one platform thread accepts; each client connection is served on a platform thread from a small
 * pool (native blocking calls pin virtual threads); a ticker advances the engine's clock (expiry, the 2 s rate
 * estimator) under the control lock every 100 ms.
 */
public final class Jlvsd implements AutoCloseable {
    public static final String DEFAULT_SOCKET = "jlvsd";
    private static final Logger LOG = LoggerFactory.getLogger(Jlvsd.class);
    private static final long FULL_LOG_INTERVAL_NS = 1_000_000_000L;

    private final OfflineDirector engine;
    /** The native data plane, or null when the daemon runs the control plane alone. */
    private final DataPlane dataPlane;
    private final ControlService control;
    private final UnixServer server;
    private final MetricsServer metrics;
    private final ExecutorService clients = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "jlvsd-client");
        t.setDaemon(true);
        return t;
    });
    private final Thread acceptor, ticker;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private long fullDropsLogged, nextFullLogNs;

    /** Options, validated in one place ({@link #start}). */
    public record Options(String socket, int adminGid, String metricsListen, int connTableV4, int connTableV6,
                          DataPlane.Options dataPlane) {
        public Options {
            if (socket == null || socket.isEmpty() || socket.length() > 107) {
                throw new IllegalArgumentException("socket name must be 1..107 characters: '" + socket + "'");
            }
            if (connTableV4 < 1024 || connTableV6 < 0) {
                throw new IllegalArgumentException("connection table size must be at least 1024 (IPv4) and 0 (IPv6)");
            }
        }

        /** Control plane only (tests; {@code --no-data-plane}). */
        public static Options defaults() { return new Options(DEFAULT_SOCKET, ControlService.NO_GROUP, null, 1 << 20, 1 << 16, null); }

        public Options withDataPlane(DataPlane.Options dp) {
            return new Options(socket, adminGid, metricsListen, connTableV4, connTableV6, dp);
        }
    }

    private Jlvsd(Options o) throws IOException {
        this.dataPlane = o.dataPlane() == null ? null : DataPlane.create(o.dataPlane());
        this.engine = dataPlane == null
                ? new OfflineDirector(new IpvsadmParser(), new StaticNextHops(), o.connTableV4(), o.connTableV6())
                : dataPlane.engine(new IpvsadmParser(), o.connTableV4(), o.connTableV6());
        this.control = new ControlService(engine.ipvsadm(), o.adminGid());
        this.engine.advanceTo(System.nanoTime());
        UnixServer s;
        try {
            s = UnixServer.bind(o.socket());
        } catch (IOException e) {
            engine.close();
            if (dataPlane != null) dataPlane.close();
            throw e;
        }
        this.server = s;
        MetricsServer m = null;
        if (o.metricsListen() != null) {
            try {
                InetSocketAddress at = MetricsServer.parseListen(o.metricsListen());
                m = MetricsServer.start(at, IpvsMetrics.of(engine).locked(control.lock()));
            } catch (IOException | RuntimeException e) {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // already failing: the first error is the one to report
                }
                engine.close();
                if (dataPlane != null) dataPlane.close();
                throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }
        this.metrics = m;
        this.acceptor = new Thread(this::acceptLoop, "jlvsd-accept");
        this.ticker = new Thread(this::tickLoop, "jlvsd-timers");
        ticker.setDaemon(true);
    }

    /** Starts a daemon in this process (the caller keeps it, or waits with {@link #awaitStop}). */
    public static Jlvsd start(Options o) throws IOException {
        if (!NetioAvailability.isAvailable()) {
            throw new IOException("native access unavailable: " + NetioAvailability.unavailabilityCause().orElse("?"));
        }
        Jlvsd d = new Jlvsd(o);
        if (d.dataPlane != null) {
            try {
                d.dataPlane.start(d.engine, d.control.lock());
            } catch (IOException | RuntimeException e) {
                d.close();
                throw new IOException("data plane: " + e.getMessage(), e);
            }
        }
        d.acceptor.start();
        d.ticker.start();
        LOG.info("started: control socket @{}{}", o.socket(), d.metrics != null ? ", metrics on http://"
                + d.metrics.address().getHostString() + ":" + d.metrics.address().getPort() + "/metrics" : "");
        return d;
    }

    public ControlService control() { return control; }

    public OfflineDirector engine() { return engine; }

    private void acceptLoop() {
        while (!closed.get()) {
            UnixConnection c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!closed.get()) LOG.error("accept failed: {}", e.getMessage());
                break;
            }
            clients.execute(() -> serve(c));
        }
    }

    private void serve(UnixConnection c) {
        try (c) {
            PeerCredentials p = c.peerCredentials();
            Caller caller = new Caller(p.uid(), p.gid(), (int) p.pid(), supplementaryGroups(p.pid()));
            for (byte[] frame; (frame = c.readFrame()) != null; ) {
                Request req = null;
                try {
                    req = ControlService.json().readValue(frame, Request.class);
                } catch (IOException | RuntimeException e) {
                    // not a request: the service answers it with the protocol error
                }
                String answer;
                if (req == null) {
                    answer = control.handleJson(new String(frame, StandardCharsets.UTF_8), caller);
                } else {
                    Response r = control.handle(req, caller);
                    if (changesState(req)) {
                        audit(req, caller, r);
                        syncDataPlane();
                    }
                    answer = ControlService.json().writeValueAsString(r);
                }
                c.writeFrame(answer.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            if (!closed.get()) LOG.warn("client connection: {}", e.getMessage());
        }
    }

    /**
     * After a configuration change: rate estimators for new services and real servers start now, and the data plane
     * learns the configuration (its own ticker would within 100 ms).
     */
    void syncDataPlane() {
        java.util.List<io.jlvs.service.VirtualService> services;
        control.lock().lock();
        try {
            services = engine.services().services();
            engine.syncStats();                                  // estimators start with their service or real server
        } finally {
            control.lock().unlock();
        }
        if (dataPlane != null) dataPlane.configChanged(services);
    }

    /** A request that may change the configuration (everything but listings, help, version, ping). */
    static boolean changesState(Request req) {
        if (Request.BATCH.equals(req.op())) return true;
        if (!Request.IPVSADM.equals(req.op()) || req.argv() == null || req.argv().isEmpty()) return false;
        String first = req.argv().get(0);
        return !(first.startsWith("-L") || first.startsWith("-l") || first.equals("--list") || first.startsWith("-S")
                || first.equals("--save") || first.startsWith("-h") || first.equals("--help")
                || first.startsWith("-v") || first.equals("--version"));
    }

    /** One line per configuration change: who asked, what, and how it ended. */
    private static void audit(Request req, Caller caller, Response r) {
        String what = Request.BATCH.equals(req.op())
                ? "batch of " + (req.lines() == null ? 0 : req.lines().size()) + " lines"
                : String.join(" ", req.argv()) + (req.stdin() != null ? " (" + req.stdin().lines().count() + " lines)" : "");
        if (r.exitStatus() == 0) {
            LOG.info("uid {} pid {}: {}", caller.uid(), caller.pid(), what);
        } else {
            LOG.warn("uid {} pid {}: {} refused: {}", caller.uid(), caller.pid(), what,
                    r.err() == null ? "exit " + r.exitStatus() : r.err().strip());
        }
    }

    /** The peer's supplementary groups ({@code /proc/PID/status} "Groups:"), empty if they cannot be read. */
    static Set<Integer> supplementaryGroups(long pid) {
        Set<Integer> groups = new HashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (!line.startsWith("Groups:")) continue;
                for (String g : line.substring(7).trim().split("\\s+")) if (!g.isEmpty()) groups.add(Integer.parseInt(g));
            }
        } catch (IOException | RuntimeException ignored) {
            // the peer may be gone already: no extra groups
        }
        return groups;
    }

    private void tickLoop() {
        while (!closed.get()) {
            long now = System.nanoTime();
            long full;
            java.util.List<io.jlvs.service.VirtualService> services = null;
            control.lock().lock();
            try {
                if (dataPlane == null) {
                    engine.advanceTo(now);   // with a data plane its thread runs the clock
                } else {
                    services = engine.services().services();
                }
                full = engine.connections().fullDrops();
            } finally {
                control.lock().unlock();
            }
            if (services != null) dataPlane.configChanged(services);   // owned addresses, nftables sets
            if (full > fullDropsLogged && now - nextFullLogNs >= 0) {   // rate-limited: once a second at most
                LOG.warn("connection table full: {} new connections refused (capacity {})", full - fullDropsLogged,
                        engine.connections().capacity());
                fullDropsLogged = full;
                nextFullLogNs = now + FULL_LOG_INTERVAL_NS;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Blocks until {@link #close} ran. */
    public void awaitStop() throws InterruptedException { stopped.await(); }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the control socket: {}", e.getMessage());
        }
        if (metrics != null) metrics.close();
        ticker.interrupt();
        clients.shutdownNow();
        try {
            acceptor.join(2000);
            clients.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dataPlane != null) dataPlane.close();   // stops its thread, removes the nftables table and the TUN device
        control.lock().lock();
        try {
            engine.close();
        } finally {
            control.lock().unlock();
        }
        LOG.info("stopped");
        stopped.countDown();
    }
}
