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

    @Override void keys(RealServer d, int i) {
        usable[i] = !d.isOverloaded() && d.weight() != 0;
        keyA[i] = d.activeConns() + 1L;                          // 1: idle
        keyB[i] = d.weight();
    }

    @Override boolean better(int a, int b) {
        boolean aIdle = keyA[a] == 1, bIdle = keyA[b] == 1;
        if (aIdle || bIdle) return aIdle && !bIdle;              // idle beats busy; idle ones tie (first wins)
        return keyA[a] * keyB[b] < keyA[b] * keyB[a];
    }
}
