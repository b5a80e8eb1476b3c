package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Base of the "best dest by a load rule" schedulers (lc, wlc, sed, nq, fo, ovf). The kernel scans the whole list
 * for every new connection and keeps the first best dest in list order; this keeps the same answer in a
 * tournament tree over list positions in which the left side wins ties, so every subtree's winner is its
 * first best dest and the root is the kernel's choice. {@link #schedule} reads the root: O(1) whatever the number
 * of dests.
 *
 * <p>Each leaf caches the dest's comparison keys in primitive arrays ({@link #keyA}, {@link #keyB},
 * {@link #usable}), so replaying a leaf-to-root path touches only these compact arrays. A counter, weight or flag
 * change refreshes one leaf from its {@link RealServer} and replays its path, stopping as soon as a node keeps a
 * winner other than the changed dest (nothing above can change then): O(log n) at worst, told through
 * {@link RealServer.LoadListener}. List changes rebuild the tree on the control path.
 */
abstract class TournamentScheduler implements Scheduler, RealServer.LoadListener {
    private static final RealServer[] NONE = new RealServer[0];

    private RealServer[] dests = NONE;
    /** tree[1] is the root; leaves at size + i hold i, or -1 past the last dest; inner nodes hold winners. */
    private int[] tree = {-1, -1};
    private int size = 1;
    /** Per dest: may it be chosen, and the two numbers its rule compares. */
    boolean[] usable = new boolean[0];
    long[] keyA = new long[0], keyB = new long[0];

    /** Fills {@code usable[i]}, {@code keyA[i]} and {@code keyB[i]} from dest {@code d}. */
    abstract void keys(RealServer d, int i);

    /** Is dest {@code a} strictly better than dest {@code b}? Both usable. Must be a strict weak order. */
    abstract boolean better(int a, int b);

    @Override
    public final void destsChanged(VirtualService svc) {
        RealServer[] list = svc.dests();
        int n = list.length;
        int sz = Integer.highestOneBit(Math.max(1, n));
        if (sz < n) sz <<= 1;
        usable = new boolean[n];
        keyA = new long[n];
        keyB = new long[n];
        for (int i = 0; i < n; i++) keys(list[i], i);
        int[] t = new int[2 * sz];
        for (int i = 0; i < sz; i++) t[sz + i] = i < n ? i : -1;
        dests = list;
        size = sz;
        tree = t;
        for (int i = sz - 1; i >= 1; i--) t[i] = win(t[2 * i], t[2 * i + 1]);
        for (RealServer d : list) d.listener(this);
    }

    @Override
    public final void updDest(VirtualService svc, RealServer dest) { loadChanged(dest); }

    @Override
    public final void loadChanged(RealServer d) {
        int pos = d.position();
        if (pos >= dests.length || dests[pos] != d) return;      // not (or no longer) in this tree
        keys(d, pos);
        int[] t = tree;
        for (int i = (size + pos) >>> 1; i >= 1; i >>>= 1) {
            int old = t[i], now = win(t[2 * i], t[2 * i + 1]);
            t[i] = now;
            // same winner, and not the dest that changed: nothing above can change either
            if (now == old && now != pos) return;
        }
    }

    private int win(int a, int b) {
        if (b < 0 || !usable[b]) return a < 0 ? b : a;            // ties go left, unusable ones too
        if (a < 0 || !usable[a]) return b;
        return better(b, a) ? b : a;
    }

    @Override
    public final RealServer schedule(VirtualService svc, Flow flow) {
        int w = tree[1];
        return w >= 0 && usable[w] ? dests[w] : null;
    }
}
