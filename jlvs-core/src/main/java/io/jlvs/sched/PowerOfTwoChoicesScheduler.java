package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Power of two choices ({@code ip_vs_twos.c}): two dests drawn at random in proportion to weight, then the second
 * one if {@code weight2 * overhead1 > weight1 * overhead2} (the kernel's 32-bit int arithmetic), else the first.
 * OVERLOADed and zero-weight dests are never drawn.
 *
 * <p>The kernel draws {@code r = prandom % (sum of weights + 1)} and walks the list subtracting weights until
 * {@code r <= 0}; that is the first dest whose running sum of weights reaches {@code max(r, 1)}. This finds it by a
 * descent of a Fenwick tree of the dests' effective weights (0 when not drawable), O(log n), kept up to date from
 * {@link RealServer.LoadListener}. The kernel's {@code prandom_u32()} is replaced by a per-service xorshift
 * generator, seedable for tests.
 */
public final class PowerOfTwoChoicesScheduler implements Scheduler, RealServer.LoadListener {
    public static final String NAME = "twos";
    private static final RealServer[] NONE = new RealServer[0];

    private long state;
    private RealServer[] dests = NONE;
    /** Fenwick tree (1-based) of effective weights; eff[i] the weight counted for dest i. */
    private long[] fenwick = new long[1];
    private int[] eff = new int[0];
    private int topBit;
    private long total;

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

    private static int effective(RealServer d) {
        return !d.isOverloaded() && d.weight() > 0 ? d.weight() : 0;
    }

    @Override
    public void destsChanged(VirtualService svc) {
        RealServer[] list = svc.dests();
        int n = list.length;
        int top = n == 0 ? 0 : Integer.highestOneBit(n);
        // padded to 2 * top so the descent needs no bounds test; the padding never looks reachable
        long[] f = new long[Math.max(n, 2 * top) + 1];
        java.util.Arrays.fill(f, n + 1, f.length, Long.MAX_VALUE);
        int[] e = new int[n];
        long sum = 0;
        for (int i = 0; i < n; i++) {
            e[i] = effective(list[i]);
            sum += e[i];
            f[i + 1] += e[i];
            int parent = (i + 1) + ((i + 1) & -(i + 1));
            if (parent <= n) f[parent] += f[i + 1];
        }
        dests = list;
        fenwick = f;
        eff = e;
        topBit = top;
        total = sum;
        for (RealServer d : list) d.listener(this);
    }

    @Override
    public void updDest(VirtualService svc, RealServer dest) { loadChanged(dest); }

    @Override
    public void loadChanged(RealServer d) {
        int pos = d.position();
        if (pos >= dests.length || dests[pos] != d) return;
        int now = effective(d), delta = now - eff[pos];
        if (delta == 0) return;
        eff[pos] = now;
        total += delta;
        long[] f = fenwick;
        int n = dests.length;
        for (int i = pos + 1; i <= n; i += i & -i) f[i] += delta;
    }

    /** Index of the first dest whose running sum of effective weights is >= target (target >= 1, <= total). */
    private int firstReaching(long target) {
        long[] f = fenwick;
        int pos = 0;
        for (int bit = topBit; bit != 0; bit >>>= 1) {              // branchless: the draws are random
            long v = f[pos + bit];
            long take = (v - target) >> 63;                        // -1 when v < target
            pos += bit & (int) take;
            target -= v & take;
        }
        return pos;                                                // 0-based index of the dest
    }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        long sum = total;
        if (sum == 0) return null;
        int totalWeight = (int) sum + 1;                           // the kernel's int total_weight
        int r1 = Integer.remainderUnsigned(nextU32(), totalWeight);
        int r2 = Integer.remainderUnsigned(nextU32(), totalWeight);
        RealServer c1 = dests[firstReaching(Math.max(r1, 1))];
        RealServer c2 = dests[firstReaching(Math.max(r2, 1))];
        int w1 = c1.weight(), w2 = c2.weight();
        return w2 * c1.overhead() > w1 * c2.overhead() ? c2 : c1;
    }
}
