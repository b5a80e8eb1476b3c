package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Weighted least connection ({@code ip_vs_wlc.c}, ipvsadm's default): the minimum of overhead / weight, compared
 * without division as {@code overhead(L) * weight(D) > overhead(D) * weight(L)} in 64 bits. The first candidate
 * is the first dest with weight above zero and not OVERLOADed; ties keep the earlier dest.
 */
public final class WeightedLeastConnectionScheduler implements Scheduler {
    public static final String NAME = "wlc";

    @Override public String name() { return NAME; }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        return weightedLeast(svc.dests());
    }

    /** The WLC choice over {@code dests}, shared with lblc/lblcr which fall back to it. */
    public static RealServer weightedLeast(RealServer[] dests) {
        int n = dests.length, i = 0;
        RealServer least = null;
        for (; i < n; i++) {
            RealServer d = dests[i];
            if (!d.isOverloaded() && d.weight() > 0) {
                least = d;
                break;
            }
        }
        if (least == null) return null;
        long loh = least.overhead();
        for (i++; i < n; i++) {
            RealServer d = dests[i];
            if (d.isOverloaded()) continue;
            long doh = d.overhead();
            if (loh * d.weight() > doh * least.weight()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
