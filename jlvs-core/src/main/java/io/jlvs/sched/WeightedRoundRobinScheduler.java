package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Weighted round robin ({@code ip_vs_wrr.c}). With {@code di} the gcd of the positive weights and {@code mw}
 * the largest weight less {@code di - 1}, passes over the list pick the dests whose weight is at least the
 * current weight {@code cw}, which starts at {@code mw} and steps down by {@code di} at each end of the list,
 * back to {@code mw} below 1. List order A(4), B(3), C(2) gives A A B A B C A B C.
 *
 * <p>Any change of the dests puts the cursor back at the head, recomputes {@code di} and {@code mw}, and keeps
 * {@code cw} unless it is now above {@code mw} (or 0), else rounds it onto the new step as the kernel does.
 */
public final class WeightedRoundRobinScheduler implements Scheduler {
    public static final String NAME = "wrr";

    private static final int HEAD = -1;

    private int cl = HEAD;     // current dest index, or the head
    private int cw;            // current weight
    private int mw;            // maximum weight less (di - 1)
    private int di = 1;        // decreasing interval: gcd of the weights

    @Override public String name() { return NAME; }

    @Override
    public void init(VirtualService svc) {
        cl = HEAD;
        di = gcdWeight(svc.dests());
        mw = maxWeight(svc.dests()) - (di - 1);
        cw = mw;
    }

    @Override
    public void destsChanged(VirtualService svc) {
        cl = HEAD;
        di = gcdWeight(svc.dests());
        mw = maxWeight(svc.dests()) - (di - 1);
        if (cw > mw || cw == 0) cw = mw;
        else if (di > 1) cw = (cw / di) * di + 1;
    }

    static int gcdWeight(RealServer[] dests) {
        int g = 0;
        for (RealServer d : dests) {
            int w = d.weight();
            if (w > 0) g = g > 0 ? gcd(w, g) : w;
        }
        return g != 0 ? g : 1;
    }

    static int maxWeight(RealServer[] dests) {
        int m = 0;
        for (RealServer d : dests) m = Math.max(m, d.weight());
        return m;
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        RealServer[] d = svc.dests();
        int n = d.length;
        int dest = Math.min(cl, n - 1);
        if (mw == 0) {
            cl = dest;
            return null;
        }
        int last = dest, stop = Integer.MIN_VALUE;
        boolean lastPass = false, restarted = false;
        while (true) {
            for (int i = dest + 1; i < n; i++) {         // continue after 'dest' up to the end of the list
                RealServer r = d[i];
                if (!r.isOverloaded() && r.weight() >= cw) {
                    cl = i;
                    return r;
                }
                if (i == stop) {
                    cl = i;
                    return null;                          // all destinations are overloaded
                }
            }
            dest = HEAD;
            cw -= di;
            if (cw <= 0) {
                cw = mw;
                if (lastPass || last == HEAD) {
                    cl = HEAD;
                    return null;
                }
                restarted = true;
            }
            lastPass = cw <= di;
            if (lastPass && restarted && last != HEAD) stop = last;
        }
    }
}
