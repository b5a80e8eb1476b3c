package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Power of two choices ({@code ip_vs_twos.c}): two dests drawn at random in proportion to weight (two random
 * numbers in [0, sum of weights], each walking the list subtracting weights until it reaches 0 or below), then
 * the second one if {@code weight2 * overhead1 > weight1 * overhead2}, else the first. OVERLOADed and
 * zero-weight dests are never drawn. The arithmetic is the kernel's 32-bit int arithmetic.
 *
 * <p>The kernel draws with {@code prandom_u32()}; this uses a per-service xorshift generator, seedable for tests.
 */
public final class PowerOfTwoChoicesScheduler implements Scheduler {
    public static final String NAME = "twos";

    private long state;

    public PowerOfTwoChoicesScheduler() { this(System.nanoTime() ^ 0x9E3779B97F4A7C15L); }

    public PowerOfTwoChoicesScheduler(long seed) { state = seed == 0 ? 0x2545F4914F6CDD1DL : seed; }

    @Override public String name() { return NAME; }

    /** xorshift64*, top 32 bits. */
    int nextU32() {
        long x = state;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        state = x;
        return (int) ((x * 0x2545F4914F6CDD1DL) >>> 32);
    }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        RealServer[] dests = svc.dests();
        RealServer choice1 = null, choice2 = null;
        int totalWeight = 0;
        for (RealServer d : dests) {
            if (!d.isOverloaded() && d.weight() > 0) {
                totalWeight += d.weight();
                choice1 = d;
            }
        }
        if (choice1 == null) return null;
        totalWeight += 1;
        int rweight1 = Integer.remainderUnsigned(nextU32(), totalWeight);
        int rweight2 = Integer.remainderUnsigned(nextU32(), totalWeight);
        return pick(dests, choice1, rweight1, rweight2);
    }

    /** The selection walk for two given random weights (package-visible so tests can drive it). */
    static RealServer pick(RealServer[] dests, RealServer choice1, int rweight1, int rweight2) {
        RealServer choice2 = null;
        int weight1 = -1, weight2 = -1, overhead1 = 0, overhead2 = 0;
        for (RealServer d : dests) {
            if (d.isOverloaded()) continue;
            int w = d.weight();
            if (w <= 0) continue;
            rweight1 -= w;
            rweight2 -= w;
            if (rweight1 <= 0 && weight1 == -1) {
                choice1 = d;
                weight1 = w;
                overhead1 = d.overhead();
            }
            if (rweight2 <= 0 && weight2 == -1) {
                choice2 = d;
                weight2 = w;
                overhead2 = d.overhead();
            }
            if (weight1 != -1 && weight2 != -1) break;
        }
        if (choice2 != null && weight2 * overhead1 > weight1 * overhead2) return choice2;
        return choice1;
    }
}
