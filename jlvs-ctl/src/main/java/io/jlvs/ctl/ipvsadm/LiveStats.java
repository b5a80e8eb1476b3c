package io.jlvs.ctl.ipvsadm;

import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceTable;
import io.jlvs.service.VirtualService;
import io.jlvs.stats.RateEstimator;
import io.jlvs.stats.Stats;
import io.jlvs.stats.StatsSnapshot;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The listings' counters from the live model: one {@link RateEstimator} per virtual service, per real server and
 * for the director's total, each summing the {@link Stats} the connection engine writes
 * ({@link VirtualService#stats()}, {@link RealServer#stats()}, {@code Director.totalStats()}), as IPVS keeps one
 * {@code struct ip_vs_stats} with its estimator per service, per dest and in {@code tot_stats}.
 *
 * <p>Time comes from the owner's clock: {@link #tick} runs the estimations that are due (every 2 s from each
 * estimator's start) and is called by whoever advances the clock, at least once per estimation period so none is
 * missed (see {@link #nextDueNs}); a tick with nothing due returns at once, without allocating (the data plane
 * ticks every millisecond). As in the kernel, {@code -L --stats} shows the counters as of the last
 * estimation, so traffic shows up at most 2 s after it passed.
 *
 * <p>An estimator starts when its service or real server is first seen here: at {@link #sync} (call it after each
 * control command), at a {@link #tick} that runs estimations, or when a listing asks for it. Estimators of objects that left the table
 * are dropped at the next sync. Control path, one thread (the director's owner).
 */
public final class LiveStats implements StatsProvider {
    private final ServiceTable services;
    private final RateEstimator total;
    private final Map<VirtualService, RateEstimator> bySvc = new IdentityHashMap<>();
    private final Map<RealServer, RateEstimator> byDest = new IdentityHashMap<>();
    private long nowNs;
    /** The earliest time an estimation is due, kept current by {@link #sync} and {@link #tick}. */
    private long dueNs;

    /**
     * @param services   the table whose services and real servers are estimated
     * @param totalStats the director's total counters ({@code Director.totalStats()})
     * @param startNs    the clock's value now
     */
    public LiveStats(ServiceTable services, Stats totalStats, long startNs) {
        this.services = services;
        this.total = new RateEstimator(startNs, totalStats);
        this.nowNs = startNs;
        this.dueNs = total.nextDueNs();
    }

    /** Starts estimators for new services and real servers, drops those of removed ones. */
    public void sync(long nowNs) {
        this.nowNs = nowNs;
        List<VirtualService> list = services.services();
        Map<VirtualService, Boolean> liveSvc = new IdentityHashMap<>();
        Map<RealServer, Boolean> liveDest = new IdentityHashMap<>();
        for (VirtualService svc : list) {
            liveSvc.put(svc, Boolean.TRUE);
            estimator(svc);
            for (RealServer d : svc.dests()) {
                liveDest.put(d, Boolean.TRUE);
                estimator(d);
            }
        }
        bySvc.keySet().retainAll(liveSvc.keySet());
        byDest.keySet().retainAll(liveDest.keySet());
        dueNs = computeDue();
    }

    /** Runs every estimation due at {@code nowNs} (after a {@link #sync}); returns how many ran. */
    public int tick(long nowNs) {
        if (nowNs - dueNs < 0) {                  // nothing due: the data plane calls this every millisecond
            this.nowNs = nowNs;
            return 0;
        }
        sync(nowNs);
        int n = total.tick(nowNs);
        for (RateEstimator e : bySvc.values()) n += e.tick(nowNs);
        for (RateEstimator e : byDest.values()) n += e.tick(nowNs);
        dueNs = computeDue();
        return n;
    }

    /** The earliest time an estimation is due. */
    public long nextDueNs() { return dueNs; }

    private long computeDue() {
        long due = total.nextDueNs();
        for (RateEstimator e : bySvc.values()) due = earlier(due, e.nextDueNs());
        for (RateEstimator e : byDest.values()) due = earlier(due, e.nextDueNs());
        return due;
    }

    private static long earlier(long a, long b) { return b - a < 0 ? b : a; }

    @Override
    public IpvsStats service(VirtualService svc) { return convert(estimator(svc).snapshot()); }

    @Override
    public IpvsStats dest(VirtualService svc, RealServer dest) { return convert(estimator(dest).snapshot()); }

    /** The director's total ({@code /proc/net/ip_vs_stats}). */
    public IpvsStats total() { return convert(total.snapshot()); }

    @Override
    public void zero(VirtualService svc) {
        estimator(svc).zero();
        for (RealServer d : svc.dests()) estimator(d).zero();
    }

    @Override
    public void zeroAll(Collection<VirtualService> list) {
        for (VirtualService svc : list) zero(svc);
        total.zero();
    }

    private RateEstimator estimator(VirtualService svc) {
        return bySvc.computeIfAbsent(svc, s -> started(new RateEstimator(nowNs, s.stats())));
    }

    private RateEstimator estimator(RealServer d) {
        return byDest.computeIfAbsent(d, x -> started(new RateEstimator(nowNs, x.stats())));
    }

    private RateEstimator started(RateEstimator e) {
        dueNs = earlier(dueNs, e.nextDueNs());
        return e;
    }

    private static IpvsStats convert(StatsSnapshot s) {
        return new IpvsStats(s.conns(), s.inPkts(), s.outPkts(), s.inBytes(), s.outBytes(),
                s.cps(), s.inPps(), s.outPps(), s.inBps(), s.outBps());
    }
}
