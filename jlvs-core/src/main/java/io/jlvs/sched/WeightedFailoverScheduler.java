package io.jlvs.sched;

import io.jlvs.service.RealServer;

/**
 * Weighted failover ({@code ip_vs_fo.c}): the dest with the highest weight among those not OVERLOADed; weight 0
 * never qualifies; the earlier dest wins ties.
 */
public final class WeightedFailoverScheduler extends TournamentScheduler {
    public static final String NAME = "fo";

    @Override public String name() { return NAME; }

    @Override void keys(RealServer d, int i) {
        usable[i] = !d.isOverloaded() && d.weight() > 0;
        keyA[i] = d.weight();
    }

    @Override boolean better(int a, int b) { return keyA[a] > keyA[b]; }
}
