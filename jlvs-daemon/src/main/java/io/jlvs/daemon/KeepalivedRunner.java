package io.jlvs.daemon;

import io.jlvs.ctl.keepalived.ConfMessages;
import io.jlvs.ctl.keepalived.KeepalivedConf;
import io.jlvs.ctl.keepalived.KeepalivedLoader;
import io.jlvs.ctl.keepalived.KeepalivedService;
import io.jlvs.ctl.keepalived.check.HealthChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * jlvsd's keepalived.conf side: {@code -t} (check and exit), {@code -f} (load at start and run the health checks),
 * SIGHUP (reload; a file with errors is refused and the running configuration stays; checks whose block did not
 * change keep their state). Every message is logged with its file and line: errors as errors, corrections and
 * skipped keywords as warnings. The checker blocks are validated with the rest ({@link HealthChecks#plan}).
 */
final class KeepalivedRunner implements AutoCloseable {
    /** keepalived's default configuration file. */
    static final String DEFAULT_FILE = "/etc/keepalived/keepalived.conf";
    private static final Logger LOG = LoggerFactory.getLogger("io.jlvs.daemon.keepalived");

    private final KeepalivedService service;
    private final HealthChecks checks;
    private boolean hangup;
    private final ExecutorService reloads = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jlvsd-reload");
        t.setDaemon(true);
        return t;
    });

    private KeepalivedRunner(KeepalivedService service, HealthChecks checks) {
        this.service = service;
        this.checks = checks;
    }

    public KeepalivedService service() { return service; }

    /** The running health checks, or null when started without them. */
    HealthChecks healthChecks() { return checks; }

    /** Whether SIGHUP reloads (the JVM let jlvsd handle it). */
    boolean hangupHandled() { return hangup; }

    /**
     * {@code jlvsd -t -f FILE}: every message on {@code err}, then a summary; 0 when the file is valid, 1 otherwise
     * (as {@code keepalived -t}).
     */
    static int configTest(Path file, String configId, PrintWriter err) {
        KeepalivedLoader.Result r = KeepalivedLoader.load(file, configId);
        HealthChecks.plan(r.conf(), r.messages());                      // the checker blocks, into the same messages
        for (ConfMessages.Message m : r.messages().messages()) err.println(m);
        if (r.messages().dropped() > 0) err.println("(" + r.messages().dropped() + " more messages not shown)");
        KeepalivedConf c = r.conf();
        if (r.valid()) {
            err.println("jlvsd: " + file + ": configuration valid: " + c.virtualServers().size() + " virtual servers, "
                    + c.realServers().size() + " real servers" + summary(r.messages()));
        } else {
            err.println("jlvsd: " + file + ": configuration invalid: " + r.messages().errorCount() + " errors");
        }
        err.flush();
        return r.valid() ? 0 : 1;
    }

    private static String summary(ConfMessages m) {
        return (m.warningCount() > 0 ? ", " + m.warningCount() + " warnings" : "")
                + (m.skippedCount() > 0 ? ", " + m.skippedCount() + " keywords skipped" : "");
    }

    /**
     * {@code jlvsd -f FILE}: loads the file into the daemon's table, runs its health checks (unless
     * {@code healthChecks} is false: the table as configured, every real server up) and reloads it on SIGHUP.
     * Throws when the file is invalid (the messages were logged). {@code listeners} are registered before the
     * first load, so they see it.
     */
    static KeepalivedRunner start(Jlvsd daemon, Path file, String configId, boolean healthChecks,
                                  KeepalivedService.Listener... listeners) {
        KeepalivedService s = new KeepalivedService(daemon.control(), file, configId);
        s.addListener(new KeepalivedService.Listener() {
            @Override
            public void quorumChanged(io.jlvs.ctl.keepalived.VirtualServerConf vs, io.jlvs.ctl.keepalived.LvsState.QuorumChange q) {
                LOG.info("{} quorum {} for VS {} (live weight {}, quorum {}+-{}){}", q.atStart() ? "starting with" : q.up() ? "gained" : "lost",
                        q.up() ? "up" : "down", q.vs(), q.liveWeight(), vs == null ? "?" : vs.quorum(), vs == null ? "?" : vs.hysteresis(),
                        vs != null && vs.sorryServer() != null ? (q.up() ? ", sorry server out" : ", sorry server in") : "");
            }

            @Override
            public void tableChanged(java.util.List<io.jlvs.ctl.keepalived.TableOp> ops) {
                daemon.syncDataPlane();        // the ingress guard covers a real server back in the pool at once
            }
        });
        for (KeepalivedService.Listener l : listeners) s.addListener(l);
        HealthChecks checks = healthChecks ? HealthChecks.attach(s) : null;     // before start: it sees the first load
        KeepalivedService.Applied a;
        try {
            a = s.start();
        } catch (RuntimeException e) {
            if (checks != null) checks.close();
            throw e;
        }
        log(a);
        if (!a.applied()) {
            if (checks != null) checks.close();
            throw new IllegalStateException(file + ": configuration invalid (" + a.loaded().messages().errorCount() + " errors)");
        }
        LOG.info("{}: loaded: {} virtual servers, {} real servers, {} table operations{}", file,
                a.loaded().conf().virtualServers().size(), a.loaded().conf().realServers().size(), a.ops().size(),
                summary(a.loaded().messages()));
        KeepalivedRunner runner = new KeepalivedRunner(s, checks);
        runner.hangup = onHangup(runner::requestReload);
        if (!runner.hangup) LOG.warn("SIGHUP cannot be handled in this JVM: reload is not available");
        return runner;
    }

    /** Reloads in the background (SIGHUP); reloads run one at a time. */
    Future<KeepalivedService.Applied> requestReload() {
        try {
            return reloads.submit(this::reload);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);      // shutting down
        }
    }

    /** Reads the file again and applies the difference, or refuses it. */
    KeepalivedService.Applied reload() {
        LOG.info("{}: reloading", service.file());
        KeepalivedService.Applied a;
        try {
            a = service.reload();
        } catch (RuntimeException e) {
            LOG.error("{}: reload failed: {}", service.file(), e.toString());
            return null;
        }
        log(a);
        if (!a.applied()) {
            LOG.error("{}: reload refused, {} errors: the running configuration stays", service.file(),
                    a.loaded().messages().errorCount());
        } else {
            LOG.info("{}: reloaded: {} changes, {} table operations", service.file(),
                    a.diff() == null ? "all" : Integer.toString(a.diff().changes().size()), a.ops().size());
        }
        return a;
    }

    private static void log(KeepalivedService.Applied a) {
        if (a.loaded() != null) {
            for (ConfMessages.Message m : a.loaded().messages().messages()) {
                if (m.kind() == ConfMessages.Kind.ERROR) LOG.error("{}", m);
                else LOG.warn("{}", m);
            }
        }
        for (String f : a.failures()) LOG.warn("table refused: {}", f);
    }

    /** Installs a SIGHUP handler through {@code sun.misc.Signal} (reflectively: no compile-time internal API). */
    static boolean onHangup(Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance("HUP");
            Object handler = Proxy.newProxyInstance(KeepalivedRunner.class.getClassLoader(), new Class<?>[]{handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "jlvsd SIGHUP handler";
                        default -> null;
                    });
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("no SIGHUP handler: {}", e.toString());
            return false;
        }
    }

    /** Stops reloads and every health check (the table stays as it is). */
    @Override
    public void close() {
        reloads.shutdownNow();
        if (checks != null) checks.close();
    }
}
