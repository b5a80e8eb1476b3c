package io.jlvs.ha.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that owns the health checks' timing and state: intervals ({@code delay_loop}), per-attempt
 * timeouts, retries, {@code delay_before_retry}, {@code warmup}, {@code alpha}, and the up/down transitions of
 * every check and of every real server ("owner") that uses checks. Checkers only make attempts.
 *
 * <h2>Owners and checks</h2>
 * An <em>owner</em> is whatever the caller wants told about (typically one real server of one virtual service);
 * its token is any value with {@code equals}/{@code hashCode}. Each owner lists the {@link CheckKey}s it needs and
 * its configured weight. An owner is up when <em>all</em> its checks are up (an owner without checks is always
 * up); its effective weight is its configured weight plus each check's dynamic contribution (misc_dynamic,
 * FILE_CHECK dynamic), clamped to [0, 2^31-1], as keepalived's {@code effective_weight}. Equal keys listed by
 * several owners are <em>one</em> running check whose results fan out to all of them.
 *
 * <h2>Transitions (keepalived's {@code tcp_epilog} and siblings, in one place)</h2>
 * <ul>
 *   <li>A check starts UP, or DOWN with {@code alpha}; its first attempt comes after a random delay in
 *       [0, warmup]; later ones {@code delay_loop} after the previous attempt ended.</li>
 *   <li>A success makes it UP at once and resets the retry count.</li>
 *   <li>A failure of an UP check is retried {@code retry} times, {@code delay_before_retry} apart; the
 *       failure after the last retry makes it DOWN. A DOWN check is not retried. Before its first result a
 *       check has no retries left (keepalived starts with {@code retry_it = retry}): the first failure is DOWN
 *       at once.</li>
 *   <li>An attempt that overruns {@link CheckSpec#attemptTimeout()} is interrupted and counts as a failure.</li>
 * </ul>
 *
 * <h2>Reload: {@link #update(Collection)}</h2>
 * {@code update} takes the complete desired set of owners and applies it as a difference: a check whose
 * {@link CheckKey} (spec and policy) is still listed by someone keeps its state, its timer and any attempt in
 * flight (no flap); a check no longer listed stops; a new key starts fresh (warmup, alpha). Owners that are new
 * are reported once with their initial state; owners that stay are reported only if their state or weight
 * changes (a new weight, a check added or dropped); owners that disappear are forgotten silently (the caller
 * removes them from its table).
 *
 * <h2>Threads</h2>
 * State lives behind this object's lock: timers (the scheduler's thread), attempt completions (their virtual
 * threads) and {@code update} (the caller) all take it. The {@link Listener} is called with the lock held, in
 * event order: it must be quick and must not block (hand work to another thread); it may read the runner.
 */
public final class CheckRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CheckRunner.class);
    /** How long to wait before starting an attempt when the previous one has not yet let go of its checker. */
    private static final long BUSY_RETRY_NANOS = 100_000_000L;

    /** Told about transitions. Called under the runner's lock: quick, non-blocking. */
    public interface Listener {
        /**
         * An owner's state: once when {@link #update} adds it, then at every change of {@code up} or
         * {@code weight}.
         *
         * @param owner  the token given in {@link Owner}
         * @param up     all its checks are up
         * @param weight configured weight plus dynamic contributions, clamped to [0, 2^31-1]
         */
        void ownerChanged(Object owner, boolean up, int weight);

        /** A check's first result and each of its UP/DOWN transitions (for the log). */
        default void checkChanged(CheckKey check, boolean up, CheckResult result) {}
    }

    /**
     * One owner as {@link #update} wants it.
     *
     * @param token  identity of the owner (equals/hashCode)
     * @param weight its configured weight
     * @param checks the checks it needs (duplicates count once)
     */
    public record Owner(Object token, int weight, List<CheckKey> checks) {
        public Owner {
            Objects.requireNonNull(token, "token");
            checks = List.copyOf(checks);
        }
    }

    /** A snapshot of an owner. */
    public record OwnerState(boolean up, int weight) {}

    /**
     * A snapshot of a running check.
     *
     * @param up      its current state
     * @param hasRun  it has had at least one result
     * @param retries failed attempts counted towards {@code retry} since the last success
     * @param last    the last result, or null
     * @param owners  the tokens of the owners sharing it
     */
    public record CheckState(boolean up, boolean hasRun, int retries, CheckResult last, List<Object> owners) {}

    private final CheckScheduler scheduler;
    private final AttemptExecutor executor;
    private final RandomGenerator random;
    private final Listener listener;
    private final ScheduledThreadPoolExecutor ownedTimer;
    private final Map<CheckKey, Entry> entries = new LinkedHashMap<>();
    private final Map<Object, OwnerRec> owners = new LinkedHashMap<>();
    private boolean closed;

    public CheckRunner(CheckScheduler scheduler, AttemptExecutor executor, RandomGenerator random, Listener listener) {
        this(scheduler, executor, random, listener, null);
    }

    private CheckRunner(CheckScheduler scheduler, AttemptExecutor executor, RandomGenerator random, Listener listener,
                        ScheduledThreadPoolExecutor ownedTimer) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.random = Objects.requireNonNull(random, "random");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ownedTimer = ownedTimer;
    }

    /** The production runner: one timer thread ("jlvs-check-timer"), a virtual thread per attempt. */
    public static CheckRunner create(Listener listener) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jlvs-check-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return new CheckRunner(CheckScheduler.of(timer), AttemptExecutor.virtualThreads(),
                RandomGenerator.getDefault(), listener, timer);
    }

    /**
     * Makes the running checks and owners those of {@code desired}; see the class comment for what is kept.
     *
     * @throws IllegalArgumentException two owners with the same token
     */
    public synchronized void update(Collection<Owner> desired) {
        if (closed) {
            throw new IllegalStateException("check runner closed");
        }
        Map<Object, Owner> want = new LinkedHashMap<>();
        for (Owner o : desired) {
            if (want.putIfAbsent(o.token(), o) != null) {
                throw new IllegalArgumentException("owner listed twice: " + o.token());
            }
        }
        for (var it = owners.values().iterator(); it.hasNext(); ) {
            OwnerRec rec = it.next();
            if (!want.containsKey(rec.token)) {
                rec.entries.forEach(e -> e.owners.remove(rec));
                it.remove();
            }
        }
        List<Entry> started = new ArrayList<>();
        List<OwnerRec> touched = new ArrayList<>();
        for (Owner o : want.values()) {
            Set<Entry> es = new LinkedHashSet<>();
            for (CheckKey k : new LinkedHashSet<>(o.checks())) {
                Entry e = entries.get(k);
                if (e == null) {
                    e = new Entry(k);
                    entries.put(k, e);
                    started.add(e);
                }
                es.add(e);
            }
            OwnerRec rec = owners.get(o.token());
            if (rec == null) {
                rec = new OwnerRec(o.token());
                owners.put(o.token(), rec);
            } else {
                for (Entry old : rec.entries) {
                    if (!es.contains(old)) {
                        old.owners.remove(rec);
                    }
                }
            }
            for (Entry e : es) {
                e.owners.add(rec);
            }
            rec.entries = List.copyOf(es);
            rec.weight = o.weight();
            touched.add(rec);
        }
        for (var it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.owners.isEmpty()) {
                stop(e);
                it.remove();
            }
        }
        for (Entry e : started) {
            long warmup = e.key.policy().warmup().toNanos();
            schedule(e, warmup <= 0 ? 0 : random.nextLong(warmup + 1));
        }
        for (OwnerRec rec : touched) {
            evaluate(rec);
        }
    }

    /** The owner's current state, if it is registered. */
    public synchronized Optional<OwnerState> ownerState(Object token) {
        OwnerRec rec = owners.get(token);
        return rec == null ? Optional.empty() : Optional.of(new OwnerState(rec.up, rec.effectiveWeight));
    }

    /** The check's current state, if it runs. */
    public synchronized Optional<CheckState> checkState(CheckKey key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        List<Object> tokens = new ArrayList<>();
        e.owners.forEach(o -> tokens.add(o.token));
        return Optional.of(new CheckState(e.up, e.hasRun, e.retryIt, e.last, tokens));
    }

    /** The distinct checks running now. */
    public synchronized Set<CheckKey> checks() {
        return Set.copyOf(entries.keySet());
    }

    /** Stops every check (interrupting attempts in flight) and forgets every owner; no listener call follows. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            entries.values().forEach(this::stop);
            entries.clear();
            owners.clear();
        }
        if (ownedTimer != null) {
            ownedTimer.shutdownNow();
        }
    }

    // ---- one check's life: timer -> attempt -> result -> timer ----

    private void schedule(Entry e, long delayNanos) {
        e.timer.cancel();
        e.timer = scheduler.schedule(delayNanos, () -> fire(e));
    }

    private synchronized void fire(Entry e) {
        if (e.stopped || closed) {
            return;
        }
        e.timer = CheckScheduler.Cancellable.NONE;
        if (e.running) { // a timed-out attempt still unwinding: attempts of one checker never overlap
            schedule(e, BUSY_RETRY_NANOS);
            return;
        }
        long gen = ++e.generation;
        e.inFlight = true;
        e.running = true;
        e.timeout = scheduler.schedule(e.key.spec().attemptTimeout().toNanos(), () -> timedOut(e, gen));
        CheckScheduler.Cancellable h = executor.start("check " + e.key, () -> attempt(e, gen));
        if (e.inFlight && e.generation == gen) {
            e.attempt = h;
        }
    }

    /** Runs on the attempt's own thread, without the lock. */
    private void attempt(Entry e, long gen) {
        CheckResult r;
        try {
            r = e.checker.check();
            if (r == null) {
                r = CheckResult.down("checker gave no result");
            }
        } catch (InterruptedException ie) {
            r = CheckResult.down("interrupted");
        } catch (RuntimeException | LinkageError ex) {
            r = CheckResult.down("checker failed: " + ex);
            LOG.warn("{}: checker threw", e.key, ex);
        }
        completed(e, gen, r);
    }

    private synchronized void completed(Entry e, long gen, CheckResult r) {
        if (e.generation == gen) {
            e.running = false;
        }
        if (e.stopped || closed || gen != e.generation || !e.inFlight) {
            return; // timed out, stopped or superseded: the result no longer counts
        }
        e.inFlight = false;
        e.timeout.cancel();
        e.timeout = CheckScheduler.Cancellable.NONE;
        e.attempt = CheckScheduler.Cancellable.NONE;
        apply(e, r);
    }

    private synchronized void timedOut(Entry e, long gen) {
        if (e.stopped || closed || gen != e.generation || !e.inFlight) {
            return;
        }
        e.inFlight = false;
        e.timeout = CheckScheduler.Cancellable.NONE;
        e.attempt.cancel();
        e.attempt = CheckScheduler.Cancellable.NONE;
        apply(e, CheckResult.down("attempt timed out after " + e.key.spec().attemptTimeout().toMillis() + " ms"));
    }

    private void apply(Entry e, CheckResult r) {
        CheckPolicy p = e.key.policy();
        boolean wasUp = e.up;
        Duration delay;
        if (r.up()) {
            e.retryIt = 0;
            e.up = true;
            e.lastUp = r;
            delay = p.delayLoop();
        } else if (e.up || !e.hasRun) {
            if (e.retryIt < p.retry()) {
                e.retryIt++;
                delay = p.delayBeforeRetry();
            } else {
                e.retryIt = 0;
                e.up = false;
                delay = p.delayLoop();
            }
        } else {
            delay = p.delayLoop(); // already down: no retries
        }
        boolean report = wasUp != e.up || !e.hasRun;
        e.hasRun = true;
        e.last = r;
        if (report) {
            LOG.debug("{} {}: {}", e.key, e.up ? "UP" : "DOWN", r.detail());
            try {
                listener.checkChanged(e.key, e.up, r);
            } catch (RuntimeException ex) {
                LOG.warn("check listener failed on {}", e.key, ex);
            }
        }
        schedule(e, delay.toNanos());
        for (OwnerRec o : List.copyOf(e.owners)) {
            evaluate(o);
        }
    }

    private void evaluate(OwnerRec rec) {
        boolean up = true;
        long w = rec.weight;
        for (Entry e : rec.entries) {
            up &= e.up;
            if (e.lastUp != null) {
                w += e.lastUp.contribution(rec.weight);
            }
        }
        int weight = (int) Math.max(0, Math.min(Integer.MAX_VALUE, w));
        if (rec.reported && rec.up == up && rec.effectiveWeight == weight) {
            return;
        }
        rec.reported = true;
        rec.up = up;
        rec.effectiveWeight = weight;
        try {
            listener.ownerChanged(rec.token, up, weight);
        } catch (RuntimeException ex) {
            LOG.warn("owner listener failed on {}", rec.token, ex);
        }
    }

    private void stop(Entry e) {
        e.stopped = true;
        e.timer.cancel();
        e.timeout.cancel();
        e.attempt.cancel();
        try {
            e.checker.close();
        } catch (RuntimeException ex) {
            LOG.warn("{}: close failed", e.key, ex);
        }
    }

    /** One distinct running check. Guarded by the runner's lock. */
    private static final class Entry {
        final CheckKey key;
        final Checker checker;
        final Set<OwnerRec> owners = new LinkedHashSet<>();
        boolean up;
        boolean hasRun;
        int retryIt;
        CheckResult last;
        CheckResult lastUp;
        long generation;
        boolean inFlight;
        boolean running;
        boolean stopped;
        CheckScheduler.Cancellable timer = CheckScheduler.Cancellable.NONE;
        CheckScheduler.Cancellable timeout = CheckScheduler.Cancellable.NONE;
        CheckScheduler.Cancellable attempt = CheckScheduler.Cancellable.NONE;

        Entry(CheckKey key) {
            this.key = key;
            this.checker = key.spec().newChecker();
            this.up = !key.policy().alpha();
            this.retryIt = key.policy().retry();
        }
    }

    /** One owner. Guarded by the runner's lock. */
    private static final class OwnerRec {
        final Object token;
        int weight;
        List<Entry> entries = List.of();
        boolean reported;
        boolean up;
        int effectiveWeight;

        OwnerRec(Object token) {
            this.token = token;
        }
    }
}
