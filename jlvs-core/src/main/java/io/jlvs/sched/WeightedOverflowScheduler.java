package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Overflow connection ({@code ip_vs_ovf.c}): the highest-weight dest among those not OVERLOADed, with non-zero
 * weight and no more active connections than their weight; the earlier dest wins ties. Traffic fills the top
 * node up to its weight in active connections, then overflows to the next.
 */
public final class WeightedOverflowScheduler implements Scheduler {
    public static final String NAME = "ovf";

    @Override public String name() { return NAME; }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        RealServer best = null;
        int hw = 0;
        for (RealServer d : svc.dests()) {
            int w = d.weight();
            if (d.isOverloaded() || d.activeConns() > w || w == 0) continue;
            if (best == null || w > hw) {
                best = d;
                hw = w;
            }
        }
        return best;
    }
}
