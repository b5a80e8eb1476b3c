package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Least connection ({@code ip_vs_lc.c}): the dest with the smallest overhead (activeconns * 256 + inactconns)
 * among those not OVERLOADed and with non-zero weight; weights do not count otherwise; ties keep the earlier
 * dest in list order.
 */
public final class LeastConnectionScheduler implements Scheduler {
    public static final String NAME = "lc";

    @Override public String name() { return NAME; }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        RealServer least = null;
        long loh = 0;
        for (RealServer d : svc.dests()) {
            if (d.isOverloaded() || d.weight() == 0) continue;
            long doh = Integer.toUnsignedLong(d.overhead());   // the kernel compares unsigned ints
            if (least == null || doh < loh) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
