package io.jlvs.sched;

import io.jlvs.service.RealServer;

/**
 * Shortest expected delay ({@code ip_vs_sed.c}): the minimum of (activeconns + 1) / weight, inactive connections
 * ignored, cross-multiplied in 64 bits, among dests not OVERLOADed and with weight above zero; ties keep the
 * earlier dest.
 */
public final class ShortestExpectedDelayScheduler extends TournamentScheduler {
    public static final String NAME = "sed";

    @Override public String name() { return NAME; }

    @Override void keys(RealServer d, int i) {
        usable[i] = !d.isOverloaded() && d.weight() > 0;
        keyA[i] = d.activeConns() + 1L;
        keyB[i] = d.weight();
    }

    @Override boolean better(int a, int b) { return keyA[a] * keyB[b] < keyA[b] * keyB[a]; }
}
