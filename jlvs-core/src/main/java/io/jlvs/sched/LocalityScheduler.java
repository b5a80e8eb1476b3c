package io.jlvs.sched;

import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * What lblc and lblcr share: the per-service {@link LocalityTable} with its GC timer, the expiration setting, and
 * no dest hooks (the kernel's lblc/lblcr have none: entries of a removed dest are rebound on their next lookup or
 * dropped by the GC).
 */
abstract class LocalityScheduler implements Scheduler {
    private volatile long expirationNs;
    volatile LocalityTable table;

    LocalityScheduler(long expirationNs) {
        expirationNs(expirationNs);
        this.table = new LocalityTable(expirationNs);
    }

    /** Sets the {@code <name>_expiration} sysctl; applies from the next lookup and full check, as the sysctl does. */
    public final void expirationNs(long ns) {
        if (ns <= 0) throw new IllegalArgumentException(name() + "_expiration must be positive: " + ns);
        expirationNs = ns;
        LocalityTable t = table;
        if (t != null) t.expirationNs(ns);
    }

    public final long expirationNs() { return expirationNs; }

    /** {@code init_service}: a fresh, empty table; its GC timer is armed by {@link #startTimer} or the first clock read. */
    @Override
    public final void init(VirtualService svc) {
        table = new LocalityTable(expirationNs);
    }

    /**
     * Arms the GC timer as {@code init_service} does ({@code jiffies + 60 s}): the owner calls this with its clock
     * right after binding the service. Without it, the first time this scheduler sees (a flow's or
     * {@link #expire}'s) stands in for the init time.
     */
    public final void startTimer(long initNs) { table.arm(initNs); }

    @Override
    public final void addDest(VirtualService svc, RealServer dest) {}

    @Override
    public final void delDest(VirtualService svc, RealServer dest) {}

    @Override
    public final void updDest(VirtualService svc, RealServer dest) {}

    @Override
    public final void expire(VirtualService svc, long nowNs) { table.runTimer(nowNs); }

    /** The table (tests, diagnostics). */
    final LocalityTable table() { return table; }
}
