package io.jlvs.sched;

import io.jlvs.service.RealServer;

/**
 * Overflow connection ({@code ip_vs_ovf.c}): the highest-weight dest among those not OVERLOADed, with non-zero
 * weight and no more active connections than their weight; the earlier dest wins ties. Traffic fills the top
 * node up to its weight in active connections, then overflows to the next.
 */
public final class WeightedOverflowScheduler extends TournamentScheduler {
    public static final String NAME = "ovf";

    @Override public String name() { return NAME; }

    @Override void keys(RealServer d, int i) {
        int w = d.weight();
        usable[i] = !d.isOverloaded() && w != 0 && d.activeConns() <= w;
        keyA[i] = w;
    }

    @Override boolean better(int a, int b) { return keyA[a] > keyA[b]; }
}
