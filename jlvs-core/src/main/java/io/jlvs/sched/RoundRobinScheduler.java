package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Round robin ({@code ip_vs_rr.c}). The cursor is the last chosen dest (or the list head); each call walks
 * forward, wrapping once, to the next dest that is not OVERLOADed and has weight above zero; the dest under the
 * cursor itself is the last one tried. Adding or editing a dest leaves the cursor on its node; deleting the dest
 * under the cursor moves the cursor to that dest's predecessor (the head if it was first).
 */
public final class RoundRobinScheduler implements Scheduler {
    public static final String NAME = "rr";

    /** Index of the last chosen dest in {@code svc.dests()}, or -1 for the list head. */
    private int cursor = -1;

    @Override public String name() { return NAME; }

    @Override public void init(VirtualService svc) { cursor = -1; }

    @Override public void addDest(VirtualService svc, RealServer dest) {
        if (cursor >= 0) cursor++;                        // the new dest went in at the head, before the cursor
    }

    @Override public void updDest(VirtualService svc, RealServer dest) {}

    @Override public void delDest(VirtualService svc, RealServer dest, int formerIndex) {
        if (cursor >= formerIndex) cursor--;             // same node, or the predecessor of the deleted one
    }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        RealServer[] d = svc.dests();
        int n = d.length;
        int start = Math.min(cursor, n - 1);
        int i = start;
        for (int k = 0; k < n; k++) {                    // start+1 .. n-1, then 0 .. start
            if (++i == n) i = 0;
            if (d[i].isSchedulable()) {
                cursor = i;
                return d[i];
            }
        }
        return null;
    }
}
