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

    @Override boolean eligible(RealServer d) { return !d.isOverloaded() && d.weight() > 0; }

    @Override boolean better(RealServer a, RealServer b) { return sedBetter(a, b); }

    static boolean sedBetter(RealServer a, RealServer b) {
        return (a.activeConns() + 1L) * b.weight() < (b.activeConns() + 1L) * a.weight();
    }
}
