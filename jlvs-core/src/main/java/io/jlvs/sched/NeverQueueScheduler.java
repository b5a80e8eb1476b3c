package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Never queue ({@code ip_vs_nq.c}): the first dest in list order with no active connection wins at once;
 * otherwise the shortest expected delay rule, (activeconns + 1) / weight, cross-multiplied in 64 bits.
 * OVERLOADed and zero-weight dests are skipped.
 */
public final class NeverQueueScheduler implements Scheduler {
    public static final String NAME = "nq";

    @Override public String name() { return NAME; }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        RealServer least = null;
        long loh = 0;
        for (RealServer d : svc.dests()) {
            if (d.isOverloaded() || d.weight() == 0) continue;
            if (d.activeConns() == 0) return d;           // an idle server gets the job
            long doh = d.activeConns() + 1L;
            if (least == null || loh * d.weight() > doh * least.weight()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
