package io.jlvs.ctl.keepalived.check;

import io.jlvs.ctl.keepalived.CheckDefaults;
import io.jlvs.ctl.keepalived.ConfNode;
import io.jlvs.ctl.keepalived.ConfigDiff;
import io.jlvs.ctl.keepalived.Diagnostics;
import io.jlvs.ctl.keepalived.KeepalivedConf;
import io.jlvs.ctl.keepalived.KeepalivedService;
import io.jlvs.ctl.keepalived.LvsState;
import io.jlvs.ctl.keepalived.RealServerConf;
import io.jlvs.ctl.keepalived.RealServerId;
import io.jlvs.ctl.keepalived.VirtualServerConf;
import io.jlvs.ha.check.CheckKey;
import io.jlvs.ha.check.CheckPolicy;
import io.jlvs.ha.check.CheckResult;
import io.jlvs.ha.check.CheckRunner;
import io.jlvs.ha.check.FileChecker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health checks of a keepalived.conf, running against the table {@link KeepalivedService} programs: the
 * bridge between the checker blocks ({@link CheckerBlocks}), the runner that owns their timing
 * ({@link CheckRunner}) and the table state machine ({@link LvsState} through {@link KeepalivedService#setAlive}
 * and {@link KeepalivedService#setWeight}).
 *
 * <ul>
 *   <li><b>Plan</b> ({@link #plan}): every real server of every virtual server gets the {@link CheckKey}s of its
 *       checker blocks, with what its real_server/virtual_server give them ({@link CheckerContext}: address,
 *       port, delay_loop, retry, delay_before_retry, warmup, connect_timeout, alpha, virtualhost, the top-level
 *       track_files). A real server without a checker is always up, as in keepalived. Sorry servers are not
 *       checked (keepalived does not check them either). Errors of checker blocks make the file invalid
 *       ({@link #validate}: {@code jlvsd -t} and a reload report them by file:line and refuse it).</li>
 *   <li><b>Owners</b>: each real server is one {@link CheckRunner.Owner} whose token is its {@link RealServerId}.
 *       A real server listed under two virtual servers has two tokens but equal keys, so the runner runs the
 *       check once and tells both.</li>
 *   <li><b>Verdicts</b>: the runner calls {@link CheckRunner.Listener#ownerChanged} under its lock; the verdict is
 *       handed to one "verdict" thread that applies it ({@code setAlive}, and {@code setWeight} for dynamic weights:
 *       MISC_CHECK misc_dynamic, FILE_CHECK dynamic) in the order the runner decided, then starts the real
 *       server's {@code notify_up}/{@code notify_down} when its state changed. {@code quorum_up}/{@code quorum_down}
 *       run when {@link KeepalivedService} reports a quorum change (also at start, as keepalived's
 *       "Starting with quorum up"). Scripts go to a {@link Notifier} (in production {@link NotifyScripts}: in the
 *       background, bounded).</li>
 *   <li><b>alpha</b>: a real server with a checker in alpha mode starts out of the pool
 *       ({@link KeepalivedService#startsDown}), and its checks start down; so does one whose FILE_CHECK's file
 *       says down when the configuration is loaded (keepalived reads tracked files at load).</li>
 *   <li><b>Reload</b>: {@link CheckRunner#update} with the new owners; checks whose key is unchanged keep their
 *       state, timers and attempt in flight, new ones start (warmup, alpha), dropped ones stop.</li>
 * </ul>
 * Register it with {@link #attach} before {@link KeepalivedService#start}.
 */
public final class HealthChecks implements KeepalivedService.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

    /** Where notify and quorum scripts go. Must not block. */
    @FunctionalInterface
    public interface Notifier {
        /**
         * @param event  what happened, for the log ("notify_up of 198.51.100.11:80 of TCP 192.0.2.10:80")
         * @param script the script line as written in the configuration
         */
        void notify(String event, String script);
    }

    /**
     * The checks a configuration asks for.
     *
     * @param conf       the configuration
     * @param checks     every real server (in file order) with its distinct checks (empty: no checker, always up)
     * @param trackFiles the top-level track_file declarations by name
     */
    public record Plan(KeepalivedConf conf, Map<RealServerId, List<CheckKey>> checks, Map<String, TrackFile> trackFiles) {
        public Plan {
            checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
            trackFiles = Map.copyOf(trackFiles);
        }

        /** The runner's owners: one per real server, token its id, weight its configured weight. */
        public List<CheckRunner.Owner> owners() {
            List<CheckRunner.Owner> out = new ArrayList<>();
            for (VirtualServerConf vs : conf.virtualServers()) {
                for (RealServerConf rs : vs.realServers()) {
                    out.add(new CheckRunner.Owner(rs.id(), rs.weight(), checks.getOrDefault(rs.id(), List.of())));
                }
            }
            return out;
        }

        /** The distinct checks (what the runner will run). */
        public Set<CheckKey> distinctChecks() {
            Set<CheckKey> all = new LinkedHashSet<>();
            checks.values().forEach(all::addAll);
            return all;
        }

        /** Whether the real server starts out of the pool: one of its checks is in alpha mode. */
        public boolean startsDown(RealServerId id) {
            for (CheckKey k : checks.getOrDefault(id, List.of())) {
                if (k.policy().alpha()) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The checks of {@code conf}: track_file declarations, then every checker block of every real server.
     * Skipped keywords and errors go to {@code d} with their file and line; an invalid block yields no check.
     */
    public static Plan plan(KeepalivedConf conf, Diagnostics d) {
        Map<String, TrackFile> files = new LinkedHashMap<>();
        Map<String, ConfNode> declared = new LinkedHashMap<>();
        for (ConfNode n : conf.checkerBlocks()) {
            switch (n.keyword()) {
                case "track_file" -> TrackFileBlocks.parse(n, d).ifPresent(tf -> {
                    ConfNode first = declared.putIfAbsent(tf.name(), n);
                    if (first != null) {
                        d.warning(n, "track_file " + tf.name() + " already defined at " + first.where() + " - ignoring");
                    } else {
                        files.put(tf.name(), tf);
                    }
                });
                case "SSL" -> d.skipped(n, "the SSL block (ca, certificate, key, password) is not used: SSL_GET "
                        + "presents no client certificate and does not verify the server");
                default -> d.skipped(n, "unknown keyword");
            }
        }
        Map<RealServerId, List<CheckKey>> checks = new LinkedHashMap<>();
        for (VirtualServerConf vs : conf.virtualServers()) {
            for (RealServerConf rs : vs.realServers()) {
                CheckerContext ctx = context(rs, files);
                Set<CheckKey> keys = new LinkedHashSet<>();
                for (ConfNode block : rs.checkers()) {
                    CheckerBlocks.parse(block, ctx, d).map(HealthChecks::fileStateAtLoad).ifPresent(keys::add);
                }
                checks.put(rs.id(), List.copyOf(keys));
            }
        }
        return new Plan(conf, checks, files);
    }

    /**
     * A FILE_CHECK reads its file when the configuration is loaded, as keepalived's {@code init_service_rs} does:
     * one that says down then starts down (as with alpha) instead of being in the pool until its first reading.
     */
    static CheckKey fileStateAtLoad(CheckKey k) {
        if (k.spec() instanceof FileChecker.Spec fs && !k.policy().alpha() && !new FileChecker(fs).check().up()) {
            CheckPolicy p = k.policy();
            return new CheckKey(fs, new CheckPolicy(p.delayLoop(), p.retry(), p.delayBeforeRetry(), p.warmup(), true));
        }
        return k;
    }

    /** What a real server's checker blocks inherit from it (its timings are already resolved against its VS). */
    static CheckerContext context(RealServerConf rs, Map<String, TrackFile> trackFiles) {
        CheckDefaults t = rs.checkDefaults();
        InetAddress addr;
        try {
            addr = InetAddress.getByAddress(rs.addr().bytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("bad address length for " + rs.addr(), e);
        }
        Duration loop = t.delayLoopUs() > 0 ? micros(t.delayLoopUs()) : CheckPolicy.DEFAULT_DELAY_LOOP;
        Integer retry = t.retry() == CheckDefaults.UNSET ? null : (int) Math.min(t.retry(), Integer.MAX_VALUE);
        return new CheckerContext(addr, rs.port(), loop, retry, optMicros(t.delayBeforeRetryUs()),
                optMicros(t.warmupUs()), t.connectTimeoutUs() > 0 ? micros(t.connectTimeoutUs()) : null, rs.alpha(),
                rs.virtualhost(), trackFiles);
    }

    private static Duration micros(long us) {
        return Duration.ofNanos(Math.multiplyExact(us, 1000L));
    }

    private static Duration optMicros(long us) {
        return us == CheckDefaults.UNSET ? null : micros(us);
    }

    // ---- the running bridge ----

    private final KeepalivedService service;
    private final CheckRunner runner;
    private final Executor verdicts;
    private final Notifier notifier;
    private final Runnable onClose;
    private volatile Plan pending;
    private volatile Plan current;
    private volatile boolean closed;

    private HealthChecks(KeepalivedService service, Function<CheckRunner.Listener, CheckRunner> runnerFactory,
                         Executor verdicts, Notifier notifier, Runnable onClose) {
        this.service = Objects.requireNonNull(service);
        this.verdicts = Objects.requireNonNull(verdicts);
        this.notifier = Objects.requireNonNull(notifier);
        this.onClose = onClose;
        this.runner = runnerFactory.apply(new RunnerListener());
    }

    /**
     * The production bridge on {@code service}: {@link CheckRunner#create} (a timer thread, a virtual thread per
     * attempt), one verdict thread, {@link NotifyScripts}. Registers itself as a listener and as the
     * {@code startsDown} predicate; call before {@link KeepalivedService#start}.
     */
    public static HealthChecks attach(KeepalivedService service) {
        ExecutorService verdicts = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jlvs-check-verdicts");
            t.setDaemon(true);
            return t;
        });
        NotifyScripts scripts = new NotifyScripts();
        return attach(service, CheckRunner::create, verdicts, scripts, () -> {
            verdicts.shutdownNow();
            scripts.close();
        });
    }

    /**
     * A bridge with its parts given (tests: a runner on a fake clock, verdicts applied inline, scripts recorded).
     *
     * @param runnerFactory makes the runner that reports to the given listener
     * @param verdicts      where verdicts are applied, in order (one thread, or inline)
     * @param notifier      where scripts go
     * @param onClose       run by {@link #close} after the runner is closed (may be null)
     */
    public static HealthChecks attach(KeepalivedService service, Function<CheckRunner.Listener, CheckRunner> runnerFactory,
                                      Executor verdicts, Notifier notifier, Runnable onClose) {
        HealthChecks h = new HealthChecks(service, runnerFactory, verdicts, notifier, onClose);
        service.addListener(h);
        service.startsDown(h::startsDown);
        return h;
    }

    /** The runner (its checks and their states). */
    public CheckRunner runner() {
        return runner;
    }

    /** The plan in force, or null before the first start. */
    public Plan plan() {
        return current;
    }

    @Override
    public void validate(KeepalivedConf conf, Diagnostics d) {
        pending = plan(conf, d);
    }

    /** alpha: the plan of the configuration being applied says; else the real server's own rule. */
    private boolean startsDown(RealServerConf rs) {
        Plan p = pending;
        if (p != null && p.checks().containsKey(rs.id())) {
            return p.startsDown(rs.id());
        }
        return rs.startsDown();
    }

    @Override
    public void started(KeepalivedConf conf) {
        Plan p = planFor(conf);
        apply(p, false);
        LOG.info("health checks: {} distinct checks for {} real servers ({} without checker: always up)",
                p.distinctChecks().size(), p.checks().size(),
                p.checks().values().stream().filter(List::isEmpty).count());
    }

    @Override
    public void reloaded(KeepalivedConf old, KeepalivedConf now, ConfigDiff diff) {
        Plan p = planFor(now);
        Set<CheckKey> before = runner.checks();
        apply(p, true);
        Set<CheckKey> after = p.distinctChecks();
        Set<CheckKey> kept = new HashSet<>(after);
        kept.retainAll(before);
        LOG.info("health checks reloaded: {} kept with their state, {} started, {} stopped", kept.size(),
                after.size() - kept.size(), before.size() - kept.size());
    }

    @Override
    public void quorumChanged(VirtualServerConf vs, LvsState.QuorumChange change) {
        if (vs == null || closed) {
            return;
        }
        String script = change.up() ? vs.quorumUp() : vs.quorumDown();
        if (script != null) {
            notifier.notify((change.up() ? "quorum_up" : "quorum_down") + " of VS " + vs.key(), script);
        }
    }

    private Plan planFor(KeepalivedConf conf) {
        Plan p = pending;
        if (p != null && p.conf() == conf) {
            return p;
        }
        return plan(conf, new LoggingDiagnostics());       // not validated first (a caller without validate)
    }

    private void apply(Plan p, boolean reload) {
        if (closed) {
            return;
        }
        for (TrackFile tf : p.trackFiles().values()) {
            try {
                tf.initialise(reload);
            } catch (IOException e) {
                LOG.warn("track_file {}: init_file failed: {}", tf.name(), e.getMessage());
            }
        }
        current = p;
        runner.update(p.owners());
    }

    /** Applies one verdict (on the verdict thread): table first, then the notify script. */
    private void verdict(RealServerId id, boolean up, int weight) {
        if (closed) {
            return;
        }
        KeepalivedConf conf = service.conf();
        VirtualServerConf vs = conf == null ? null : conf.virtualServer(id.vs());
        RealServerConf rs = vs == null ? null : vs.realServer(id);
        if (rs == null) {
            return;                                         // gone with a reload since
        }
        boolean was = service.isAlive(id);
        List<KeepalivedService.Applied> applied = new ArrayList<>(2);
        if (up) {
            applied.add(service.setWeight(id, weight));
            applied.add(service.setAlive(id, true));
        } else {
            applied.add(service.setAlive(id, false));
            applied.add(service.setWeight(id, weight));
        }
        for (KeepalivedService.Applied a : applied) {
            for (String f : a.failures()) {
                LOG.warn("table refused: {}", f);
            }
        }
        if (was != up) {
            if (up) {
                LOG.info("real server {} UP: into the pool with weight {}", id, weight);
            } else {
                LOG.info("real server {} DOWN: {}", id, rs.inhibitOnFailure() ? "inhibited (weight 0)" : "out of the pool");
            }
            String script = up ? rs.notifyUp() : rs.notifyDown();
            if (script != null) {
                notifier.notify((up ? "notify_up" : "notify_down") + " of " + id, script);
            }
        }
    }

    /** Stops every check, then the verdict thread and the scripts' threads. */
    @Override
    public void close() {
        closed = true;
        runner.close();
        if (onClose != null) {
            onClose.run();
        }
    }

    /** Called by the runner under its lock: quick, hands the work off. */
    private final class RunnerListener implements CheckRunner.Listener {
        @Override
        public void ownerChanged(Object owner, boolean up, int weight) {
            RealServerId id = (RealServerId) owner;
            try {
                verdicts.execute(() -> {
                    try {
                        verdict(id, up, weight);
                    } catch (RuntimeException e) {
                        LOG.warn("verdict for {} failed", id, e);
                    }
                });
            } catch (RejectedExecutionException e) {
                // closing
            }
        }

        @Override
        public void checkChanged(CheckKey check, boolean up, CheckResult result) {
            LOG.info("{} {}: {}", check, up ? "UP" : "DOWN", result.detail());
        }
    }

    /** Messages of a plan made outside a validation: logged. */
    private static final class LoggingDiagnostics implements Diagnostics {
        @Override
        public void skipped(ConfNode node, String why) {
            LOG.debug("{}: skipped: {}: {}", node.where(), node.keyword(), why);
        }

        @Override
        public void error(ConfNode node, String message) {
            LOG.error("{}: error: {}", node.where(), message);
        }

        @Override
        public void error(String file, int line, String message) {
            LOG.error("{}:{}: error: {}", file, line, message);
        }
    }
}
