package io.jlvs.daemon;

import io.jlvs.ctl.api.Caller;
import io.jlvs.ctl.api.ControlService;
import io.jlvs.ctl.ipvsadm.IpvsadmParser;
import io.jlvs.ctl.metrics.IpvsMetrics;
import io.jlvs.ctl.metrics.MetricsServer;
import io.jlvs.ctl.offline.OfflineDirector;
import io.jlvs.ctl.offline.StaticNextHops;
import io.jlvs.netio.NetioAvailability;
import io.jlvs.netio.PeerCredentials;
import io.jlvs.netio.UnixConnection;
import io.jlvs.netio.UnixServer;

import java.io.IOException;
import java.io.PrintStream;
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

    private final OfflineDirector engine;
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
    private final PrintStream log;

    /** Options, validated in one place ({@link #start}). */
    public record Options(String socket, int adminGid, String metricsListen, int connTableV4, int connTableV6) {
        public Options {
            if (socket == null || socket.isEmpty() || socket.length() > 107) {
                throw new IllegalArgumentException("socket name must be 1..107 characters: '" + socket + "'");
            }
            if (connTableV4 < 1024 || connTableV6 < 0) {
                throw new IllegalArgumentException("connection table size must be at least 1024 (IPv4) and 0 (IPv6)");
            }
        }

        public static Options defaults() { return new Options(DEFAULT_SOCKET, ControlService.NO_GROUP, null, 1 << 20, 1 << 16); }
    }

    private Jlvsd(Options o, PrintStream log) throws IOException {
        this.log = log;
        this.engine = new OfflineDirector(new IpvsadmParser(), new StaticNextHops(), o.connTableV4(), o.connTableV6());
        this.control = new ControlService(engine.ipvsadm(), o.adminGid());
        this.engine.advanceTo(System.nanoTime());
        UnixServer s;
        try {
            s = UnixServer.bind(o.socket());
        } catch (IOException e) {
            engine.close();
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
                throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }
        this.metrics = m;
        this.acceptor = new Thread(this::acceptLoop, "jlvsd-accept");
        this.ticker = new Thread(this::tickLoop, "jlvsd-timers");
        ticker.setDaemon(true);
    }

    /** Starts a daemon in this process (the caller keeps it, or waits with {@link #awaitStop}). */
    public static Jlvsd start(Options o, PrintStream log) throws IOException {
        if (!NetioAvailability.isAvailable()) {
            throw new IOException("native access unavailable: " + NetioAvailability.unavailabilityCause().orElse("?"));
        }
        Jlvsd d = new Jlvsd(o, log);
        d.acceptor.start();
        d.ticker.start();
        log.println("jlvsd: control socket @" + o.socket() + (d.metrics != null ? ", metrics on http://"
                + d.metrics.address().getHostString() + ":" + d.metrics.address().getPort() + "/metrics" : ""));
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
                if (!closed.get()) log.println("jlvsd: accept failed: " + e.getMessage());
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
                String answer = control.handleJson(new String(frame, StandardCharsets.UTF_8), caller);
                c.writeFrame(answer.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            if (!closed.get()) log.println("jlvsd: client: " + e.getMessage());
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
            control.lock().lock();
            try {
                engine.advanceTo(System.nanoTime());
            } finally {
                control.lock().unlock();
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
            log.println("jlvsd: closing the control socket: " + e.getMessage());
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
        control.lock().lock();
        try {
            engine.close();
        } finally {
            control.lock().unlock();
        }
        log.println("jlvsd: stopped");
        stopped.countDown();
    }
}
