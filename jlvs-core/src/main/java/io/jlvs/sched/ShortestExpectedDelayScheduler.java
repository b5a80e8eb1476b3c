package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Shortest expected delay ({@code ip_vs_sed.c}): the minimum of (activeconns + 1) / weight, inactive connections
 * ignored, cross-multiplied in 64 bits; the first candidate is the first dest with weight above zero and not
 * OVERLOADed; ties keep the earlier dest.
 */
public final class ShortestExpectedDelayScheduler implements Scheduler {
    public static final String NAME = "sed";

    @Override public String name() { return NAME; }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        RealServer[] dests = svc.dests();
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
        long loh = least.activeConns() + 1L;
        for (i++; i < n; i++) {
            RealServer d = dests[i];
            if (d.isOverloaded()) continue;
            long doh = d.activeConns() + 1L;
            if (loh * d.weight() > doh * least.weight()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
