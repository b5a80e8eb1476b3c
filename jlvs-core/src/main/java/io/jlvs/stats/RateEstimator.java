package io.jlvs.stats;

/**
 * The statistics of one service, real server or the director total as IPVS keeps and reports them
 * ({@code struct ip_vs_stats}): the per-thread {@link Stats} it sums, the summed counters as of the last
 * estimation ({@code kstats}), the zero point set by {@code ipvsadm -Z} ({@code kstats0}) and the rate
 * estimator of {@code net/netfilter/ipvs/ip_vs_est.c}.
 *
 * <p>The estimator, as in Linux 6.17 (the kthread estimator of 6.2 and later keeps the arithmetic of the old
 * timer one): every 2 s it sums the counters and, for each of the five,
 * <pre>
 *   rate = (sum - last) &lt;&lt; 9      conns and packets: per second, scaled by 2^10 (&lt;&lt; 10, / 2 s)
 *   rate = (sum - last) &lt;&lt; 4      bytes: per second, scaled by 2^5
 *   avg += (rate - avg) &gt;&gt; 2      (signed shift: W = 1/4)
 * </pre>
 * and reports {@code (avg + 0x1FF) >> 10} for cps/pps and {@code (avg + 0xF) >> 5} for bytes/s
 * ({@code ip_vs_read_estimator}). The reported counters are {@code kstats - kstats0}
 * ({@code ip_vs_copy_stats}), so they too move only at an estimation.
 *
 * <p>Zeroing ({@code ip_vs_zero_stats}): the zero point becomes the counters of the last estimation, the
 * averages become 0 and the estimator's last values become those counters ({@code ip_vs_zero_estimator}); what
 * arrived since the last estimation is therefore counted at the next one.
 *
 * <p>Time is passed in: {@link #tick} runs the estimation when it is due. The first one is due 2 s after
 * creation. A late estimation keeps the 2 s schedule when it is at most 320 ms late (8 of the kernel's 40 ms
 * kthread ticks) and restarts it from now otherwise; missed periods are not replayed, as in the kernel, where
 * a late estimation also runs once over the whole interval.
 *
 * <p>Control path only (the methods synchronize, as the kernel takes {@code stats->lock}); the data path writes
 * only the {@link Stats} objects.
 */
public final class RateEstimator {
    /** The estimation period: 2 s. */
    public static final long PERIOD_NS = 2_000_000_000L;
    /** The kernel's kthread tick ({@code IPVS_EST_TICK} = 2 s / {@code IPVS_EST_NTICKS} 50): 40 ms. */
    public static final long KTHREAD_TICK_NS = PERIOD_NS / 50;
    /** Lateness after which the schedule restarts from now (the kthread resyncs beyond 8 ticks). */
    public static final long RESYNC_LATE_NS = 8 * KTHREAD_TICK_NS;

    private final Stats[] sources;
    private long nextDueNs;

    // kstats: the sums at the last estimation
    private long conns, inPkts, outPkts, inBytes, outBytes;
    // kstats0: the zero point
    private long conns0, inPkts0, outPkts0, inBytes0, outBytes0;
    // struct ip_vs_estimator
    private long lastConns, lastInPkts, lastOutPkts, lastInBytes, lastOutBytes;
    private long cps, inPps, outPps, inBps, outBps;

    /**
     * @param startNs the creation time on the injected clock; the first estimation is due 2 s later
     * @param sources the per-thread counters to sum (one per data-plane thread)
     */
    public RateEstimator(long startNs, Stats... sources) {
        this.sources = sources.clone();
        this.nextDueNs = startNs + PERIOD_NS;
    }

    /** Runs the estimation if it is due at {@code nowNs}; returns how many ran (0 or 1). */
    public synchronized int tick(long nowNs) {
        long late = nowNs - nextDueNs;
        if (late < 0) return 0;
        if (late > RESYNC_LATE_NS) nextDueNs = nowNs;
        estimate();
        nextDueNs += PERIOD_NS;
        return 1;
    }

    /** When the next estimation is due. */
    public synchronized long nextDueNs() { return nextDueNs; }

    /** One estimation now ({@code ip_vs_chain_estimation} for this estimator), regardless of the schedule. */
    synchronized void estimate() {
        long c = 0, ip = 0, op = 0, ib = 0, ob = 0;
        for (Stats s : sources) {
            c += s.conns();
            ip += s.inPkts();
            op += s.outPkts();
            ib += s.inBytes();
            ob += s.outBytes();
        }
        conns = c;
        inPkts = ip;
        outPkts = op;
        inBytes = ib;
        outBytes = ob;

        long rate = (c - lastConns) << 9;
        lastConns = c;
        cps += (rate - cps) >> 2;

        rate = (ip - lastInPkts) << 9;
        lastInPkts = ip;
        inPps += (rate - inPps) >> 2;

        rate = (op - lastOutPkts) << 9;
        lastOutPkts = op;
        outPps += (rate - outPps) >> 2;

        rate = (ib - lastInBytes) << 4;
        lastInBytes = ib;
        inBps += (rate - inBps) >> 2;

        rate = (ob - lastOutBytes) << 4;
        lastOutBytes = ob;
        outBps += (rate - outBps) >> 2;
    }

    /** {@code ip_vs_zero_stats}: {@code ipvsadm -Z} for this service, real server or the total. */
    public synchronized void zero() {
        conns0 = conns;
        inPkts0 = inPkts;
        outPkts0 = outPkts;
        inBytes0 = inBytes;
        outBytes0 = outBytes;
        lastConns = conns;
        lastInPkts = inPkts;
        lastOutPkts = outPkts;
        lastInBytes = inBytes;
        lastOutBytes = outBytes;
        cps = inPps = outPps = inBps = outBps = 0;
    }

    /** {@code ip_vs_copy_stats}: counters since the last zeroing, as of the last estimation, and the rates. */
    public synchronized StatsSnapshot snapshot() {
        return new StatsSnapshot(conns - conns0, inPkts - inPkts0, outPkts - outPkts0, inBytes - inBytes0,
                outBytes - outBytes0, reportPps(cps), reportPps(inPps), reportPps(outPps), reportBps(inBps),
                reportBps(outBps));
    }

    /** Reported connections per second. */
    public synchronized long cps() { return reportPps(cps); }
    public synchronized long inPps() { return reportPps(inPps); }
    public synchronized long outPps() { return reportPps(outPps); }
    /** Reported bytes per second in. */
    public synchronized long inBps() { return reportBps(inBps); }
    public synchronized long outBps() { return reportBps(outBps); }

    /** The scaled averages ({@code e->cps} etc.), for tests and debugging. */
    synchronized long[] scaledAverages() { return new long[] {cps, inPps, outPps, inBps, outBps}; }

    /** {@code (avg + 0x1FF) >> 10}, unsigned as the kernel's u64. */
    static long reportPps(long scaled) { return (scaled + 0x1FF) >>> 10; }

    /** {@code (avg + 0xF) >> 5}, unsigned as the kernel's u64. */
    static long reportBps(long scaled) { return (scaled + 0xF) >>> 5; }
}
