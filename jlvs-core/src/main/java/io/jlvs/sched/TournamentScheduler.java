package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Base of the "best dest by a load rule" schedulers (lc, wlc, sed, nq, fo, ovf). The kernel scans the whole list
 * for every new connection and keeps the first best dest in list order; this keeps the same answer in a
 * tournament tree over list positions in which the left side wins ties, so every subtree's winner is its
 * first best dest and the root is the kernel's choice. {@link #schedule} reads the root: O(1) whatever the number
 * of dests. Counter, weight and flag changes replay one leaf-to-root path (O(log n)), told through
 * {@link RealServer.LoadListener}; list changes rebuild the tree on the control path.
 */
abstract class TournamentScheduler implements Scheduler, RealServer.LoadListener {
    private static final RealServer[] NONE = new RealServer[0];

    private RealServer[] dests = NONE;
    /** tree[1] is the root; leaves at size + i hold i, or -1 past the last dest; inner nodes hold winners. */
    private int[] tree = {-1, -1};
    private int size = 1;

    /** May this dest be chosen at all (not OVERLOADed, weight, and the rule's own conditions)? */
    abstract boolean eligible(RealServer d);

    /** Is {@code a} strictly better than {@code b}? Both are eligible. Must be a strict weak order. */
    abstract boolean better(RealServer a, RealServer b);

    @Override
    public final void destsChanged(VirtualService svc) {
        RealServer[] list = svc.dests();
        int n = list.length;
        int sz = Integer.highestOneBit(Math.max(1, n));
        if (sz < n) sz <<= 1;
        int[] t = new int[2 * sz];
        for (int i = 0; i < sz; i++) t[sz + i] = i < n ? i : -1;
        dests = list;
        size = sz;
        for (int i = sz - 1; i >= 1; i--) t[i] = win(t[2 * i], t[2 * i + 1]);
        tree = t;
        for (RealServer d : list) d.listener(this);
    }

    @Override
    public final void updDest(VirtualService svc, RealServer dest) { loadChanged(dest); }

    @Override
    public final void loadChanged(RealServer d) {
        int pos = d.position();
        if (pos >= dests.length || dests[pos] != d) return;      // not (or no longer) in this tree
        int[] t = tree;
        for (int i = (size + pos) >>> 1; i >= 1; i >>>= 1) {
            int old = t[i], now = win(t[2 * i], t[2 * i + 1]);
            t[i] = now;
            // same winner, and not the dest that changed: nothing above can change either
            if (now == old && now != pos) return;
        }
    }

    private int win(int a, int b) {
        if (b < 0) return a;
        if (a < 0) return b;
        RealServer rb = dests[b];
        if (!eligible(rb)) return a;                              // ties go left, ineligible ones too
        RealServer ra = dests[a];
        if (!eligible(ra)) return b;
        return better(rb, ra) ? b : a;
    }

    @Override
    public final RealServer schedule(VirtualService svc, Flow flow) {
        int w = tree[1];
        if (w < 0) return null;
        RealServer d = dests[w];
        return eligible(d) ? d : null;
    }
}
