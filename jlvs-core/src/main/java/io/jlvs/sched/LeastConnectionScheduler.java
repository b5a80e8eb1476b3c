package io.jlvs.sched;

import io.jlvs.service.RealServer;

/**
 * Least connection ({@code ip_vs_lc.c}): the dest with the smallest overhead (activeconns * 256 + inactconns,
 * compared unsigned) among those not OVERLOADed and with non-zero weight; weights do not count otherwise; ties
 * keep the earlier dest in list order.
 */
public final class LeastConnectionScheduler extends TournamentScheduler {
    public static final String NAME = "lc";

    @Override public String name() { return NAME; }

    @Override void keys(RealServer d, int i) {
        usable[i] = !d.isOverloaded() && d.weight() != 0;
        keyA[i] = Integer.toUnsignedLong(d.overhead());          // the kernel compares unsigned ints
    }

    @Override boolean better(int a, int b) { return keyA[a] < keyA[b]; }
}
