package io.jlvs.ctl.keepalived;

import io.jlvs.ctl.api.Caller;
import io.jlvs.ctl.api.ControlService;
import io.jlvs.ctl.api.Request;
import io.jlvs.ctl.api.Response;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * keepalived.conf driving a jlvs table: loads the file, programs the table through the control API (the same
 * path jlvsadm uses, so {@code jlvsadm -Sn} shows the result), applies checker verdicts and reloads.
 *
 * <p>Every change is applied as one {@code batch} request (all-or-nothing, data path sees one snapshot). Should
 * the batch be refused (someone changed the table by hand since), its lines are applied one by one as keepalived
 * does with its kernel calls, and each refused line is reported in {@link Applied#failures()}.
 *
 * <p>Hooks for the checker runner ({@link Listener}): it is told the configuration at start and the
 * {@link ConfigDiff} at each reload (which real servers keep their checkers' state, which are new or gone); it
 * reports verdicts with {@link #setAlive} and dynamic weights with {@link #setWeight}. Thread-safe: every method
 * runs under the control service's lock (the same lock every jlvsadm request takes).
 */
public final class KeepalivedService {
    /** Told about configurations as they are applied (the checker runner). */
    public interface Listener {
        /**
         * A configuration was read and is about to be applied (at start or on a reload): report errors of the part
         * this listener owns (the checker blocks) to {@code d}; an error refuses the file as a parser error would.
         * Called before {@link #started}/{@link #reloaded} and before the {@code startsDown} predicate runs, on the
         * thread that loads.
         */
        default void validate(KeepalivedConf conf, Diagnostics d) {}

        /** The first configuration was applied. */
        default void started(KeepalivedConf conf) {}

        /** A reload was applied. */
        default void reloaded(KeepalivedConf old, KeepalivedConf now, ConfigDiff diff) {}

        /**
         * The table was changed (a start, a reload, a verdict), outside the lock: jlvsd brings the data plane's
         * view (owned addresses, the ingress guard) in line at once instead of at its next tick.
         */
        default void tableChanged(List<TableOp> ops) {}

        /** A virtual server gained or lost its quorum ({@code quorum_up}/{@code quorum_down} scripts run here). */
        default void quorumChanged(VirtualServerConf vs, LvsState.QuorumChange change) {}
    }

    /**
     * The outcome of a load, a reload or a verdict.
     *
     * @param loaded   what was read (null for a verdict)
     * @param applied  whether the table was changed (false: the file was invalid and nothing was touched)
     * @param ops      the operations issued
     * @param failures operations the table refused, each with the message (empty when the batch applied)
     * @param diff     for a reload, what changed
     * @param quorum   quorum changes it caused
     */
    public record Applied(KeepalivedLoader.Result loaded, boolean applied, List<TableOp> ops, List<String> failures,
                          ConfigDiff diff, List<LvsState.QuorumChange> quorum) {
        Applied(KeepalivedLoader.Result loaded, boolean applied, List<TableOp> ops, List<String> failures, ConfigDiff diff) {
            this(loaded, applied, ops, failures, diff, List.of());
        }
    }

    private final ControlService control;
    private final Path file;
    private final String configId;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private Predicate<RealServerConf> startsDown = RealServerConf::startsDown;
    private LvsState state;

    /**
     * @param control  the control service over the live table
     * @param file     the keepalived.conf
     * @param configId the config id for {@code @} conditionals, or null for the host name
     */
    public KeepalivedService(ControlService control, Path file, String configId) {
        this.control = Objects.requireNonNull(control);
        this.file = Objects.requireNonNull(file);
        this.configId = configId != null ? configId : ConfParser.defaultConfigId();
    }

    public Path file() { return file; }

    public String configId() { return configId; }

    public void addListener(Listener l) { listeners.add(l); }

    /** Which real servers start down (default {@link RealServerConf#startsDown}); the checker code may refine it. */
    public void startsDown(Predicate<RealServerConf> p) { this.startsDown = Objects.requireNonNull(p); }

    /** The configuration in force, or null before a successful {@link #start}. */
    public KeepalivedConf conf() {
        control.lock().lock();
        try {
            return state == null ? null : state.conf();
        } finally {
            control.lock().unlock();
        }
    }

    /** The runtime state (read it under {@link ControlService#lock()}). */
    public LvsState state() { return state; }

    /** Loads the file and programs the table; nothing is applied when the file is invalid. */
    public Applied start() {
        KeepalivedLoader.Result r = load();
        if (!r.valid()) return new Applied(r, false, List.of(), List.of(), null);
        Applied a;
        control.lock().lock();
        try {
            LvsState.Start s = LvsState.start(r.conf(), startsDown);
            state = s.state();
            a = apply(r, s.ops(), null);
        } finally {
            control.lock().unlock();
        }
        for (Listener l : listeners) l.started(r.conf());
        return notifyQuorum(a);
    }

    /**
     * Reads the file again and applies the difference; an invalid file is refused and the running configuration
     * stays (the result says why).
     */
    public Applied reload() {
        KeepalivedLoader.Result r = load();
        if (!r.valid()) return new Applied(r, false, List.of(), List.of(), null);
        KeepalivedConf old;
        Applied a;
        control.lock().lock();
        try {
            if (state == null) {
                LvsState.Start s = LvsState.start(r.conf(), startsDown);
                state = s.state();
                a = apply(r, s.ops(), null);
                old = null;
            } else {
                old = state.conf();
                ConfigDiff diff = ConfigDiff.compute(old, r.conf());
                a = apply(r, state.reload(r.conf(), startsDown), diff);
            }
        } finally {
            control.lock().unlock();
        }
        for (Listener l : listeners) {
            if (old == null) l.started(r.conf());
            else l.reloaded(old, r.conf(), a.diff());
        }
        return notifyQuorum(a);
    }

    /** Reads the file and lets every listener {@linkplain Listener#validate validate} its part. */
    private KeepalivedLoader.Result load() {
        KeepalivedLoader.Result r = KeepalivedLoader.load(file, configId);
        for (Listener l : listeners) l.validate(r.conf(), r.messages());
        return r;
    }

    /** Whether the real server is alive in the configuration in force (its checkers said up); false if unknown. */
    public boolean isAlive(RealServerId id) {
        control.lock().lock();
        try {
            return state != null && state.isAlive(id);
        } finally {
            control.lock().unlock();
        }
    }

    /** A checker verdict for a real server: all its checkers up, or one down. */
    public Applied setAlive(RealServerId id, boolean alive) {
        Applied a;
        control.lock().lock();
        try {
            if (state == null) return new Applied(null, false, List.of(), List.of(), null);
            a = apply(null, state.setAlive(id, alive), null);
        } finally {
            control.lock().unlock();
        }
        return notifyQuorum(a);
    }

    /** A dynamic weight for a real server (misc_dynamic, FILE_CHECK). */
    public Applied setWeight(RealServerId id, int weight) {
        Applied a;
        control.lock().lock();
        try {
            if (state == null) return new Applied(null, false, List.of(), List.of(), null);
            a = apply(null, state.setWeight(id, weight), null);
        } finally {
            control.lock().unlock();
        }
        return notifyQuorum(a);
    }

    /** Applies ops as one batch; if the table refuses it, line by line. Caller holds the lock. */
    private Applied apply(KeepalivedLoader.Result r, List<TableOp> ops, ConfigDiff diff) {
        List<LvsState.QuorumChange> quorum = state.drainQuorumChanges();
        List<String> failures = new ArrayList<>();
        if (!ops.isEmpty()) {
            List<List<String>> lines = new ArrayList<>(ops.size());
            for (TableOp op : ops) lines.add(op.argv());
            Response resp = control.handle(Request.batch("keepalived-" + ids.incrementAndGet(), lines), Caller.ROOT);
            if (resp.exitStatus() != 0) {
                for (TableOp op : ops) {
                    Response one = control.handle(Request.ipvsadm("keepalived-" + ids.incrementAndGet(), op.argv()), Caller.ROOT);
                    if (one.exitStatus() != 0) {
                        failures.add(op + ": " + (one.err() == null ? "exit " + one.exitStatus() : one.err().strip()));
                    }
                }
            }
        }
        return new Applied(r, true, ops, failures, diff, quorum);
    }

    /** Tells the listeners about table and quorum changes (outside the lock). */
    private Applied notifyQuorum(Applied a) {
        if (!a.ops().isEmpty()) for (Listener l : listeners) l.tableChanged(a.ops());
        if (a.quorum().isEmpty() || state == null) return a;
        KeepalivedConf c = state.conf();
        for (LvsState.QuorumChange q : a.quorum()) {
            VirtualServerConf vs = c.virtualServer(q.vs());
            for (Listener l : listeners) l.quorumChanged(vs, q);
        }
        return a;
    }
}
