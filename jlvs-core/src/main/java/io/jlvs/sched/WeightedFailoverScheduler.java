package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Weighted failover ({@code ip_vs_fo.c}): the dest with the highest weight among those not OVERLOADed; weight 0
 * never qualifies; the earlier dest wins ties.
 */
public final class WeightedFailoverScheduler implements Scheduler {
    public static final String NAME = "fo";

    @Override public String name() { return NAME; }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        RealServer best = null;
        int hw = 0;
        for (RealServer d : svc.dests()) {
            int w = d.weight();
            if (!d.isOverloaded() && w > hw) {
                best = d;
                hw = w;
            }
        }
        return best;
    }
}
