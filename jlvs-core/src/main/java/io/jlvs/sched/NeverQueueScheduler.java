package io.jlvs.sched;

import io.jlvs.service.RealServer;

/**
 * Never queue ({@code ip_vs_nq.c}): the first dest in list order with no active connection wins; when every dest
 * is busy, the shortest expected delay rule, (activeconns + 1) / weight, cross-multiplied in 64 bits.
 * OVERLOADed and zero-weight dests are skipped.
 */
public final class NeverQueueScheduler extends TournamentScheduler {
    public static final String NAME = "nq";

    @Override public String name() { return NAME; }

    @Override boolean eligible(RealServer d) { return !d.isOverloaded() && d.weight() != 0; }

    @Override boolean better(RealServer a, RealServer b) {
        boolean aIdle = a.activeConns() == 0, bIdle = b.activeConns() == 0;
        if (aIdle || bIdle) return aIdle && !bIdle;              // idle beats busy; idle ones tie (first wins)
        return ShortestExpectedDelayScheduler.sedBetter(a, b);
    }
}
