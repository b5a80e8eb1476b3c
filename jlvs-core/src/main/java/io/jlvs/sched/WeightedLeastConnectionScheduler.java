package io.jlvs.sched;

import io.jlvs.service.RealServer;

/**
 * Weighted least connection ({@code ip_vs_wlc.c}, ipvsadm's default): the minimum of overhead / weight among dests
 * not OVERLOADed and with weight above zero, compared without division as the kernel does
 * ({@code overhead(L) * weight(D) > overhead(D) * weight(L)} in 64 bits); ties keep the earlier dest.
 */
public final class WeightedLeastConnectionScheduler extends TournamentScheduler {
    public static final String NAME = "wlc";

    @Override public String name() { return NAME; }

    @Override void keys(RealServer d, int i) {
        usable[i] = !d.isOverloaded() && d.weight() > 0;
        keyA[i] = d.overhead();
        keyB[i] = d.weight();
    }

    @Override boolean better(int a, int b) { return keyA[a] * keyB[b] < keyA[b] * keyB[a]; }

    /** The WLC choice by the kernel's linear scan over {@code dests} (lblc and lblcr fall back to it). */
    public static RealServer weightedLeast(RealServer[] dests) {
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
        long loh = least.overhead();
        for (i++; i < n; i++) {
            RealServer d = dests[i];
            if (d.isOverloaded()) continue;
            long doh = d.overhead();
            if (loh * d.weight() > doh * least.weight()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
