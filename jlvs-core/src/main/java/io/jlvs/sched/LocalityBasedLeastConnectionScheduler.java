package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Locality-based least-connection ({@code net/netfilter/ipvs/ip_vs_lblc.c}): each destination address (a web site
 * behind a cache cluster) sticks to one real server, chosen by weighted least-connection the first time and again
 * when its server is gone, quiesced or "overloaded".
 *
 * <ul>
 *   <li>Hit: the entry's dest is kept if it is AVAILABLE (still in the service), has weight > 0 and is not
 *       overloaded in lblc's sense: {@code activeconns > weight} while some dest of the service has
 *       {@code activeconns * 2 < weight}. The lookup refreshes the entry's last-use time either way.</li>
 *   <li>Otherwise weighted least-connection over the service ({@code __ip_vs_lblc_schedule}: the first non-OVERLOAD
 *       dest with weight > 0, then any later non-OVERLOAD dest with {@code loh * w(d) > doh * w(least)} in 64 bits,
 *       so the first wins ties), and the entry is (re)bound to it: an entry bound to another dest is unlinked and a
 *       new one made ({@code ip_vs_lblc_new}).</li>
 * </ul>
 * lblc has no add/del/upd dest hooks: an entry whose dest was removed stays until a lookup rebinds it (the dest is
 * no longer AVAILABLE) or the GC drops it. Entries go away only through {@link LocalityTable}'s GC timer.
 *
 * <p>Kernel quirk kept: rebinding unlinks the old entry without decrementing {@code tbl->entries} but counts the new
 * one, so the counter the GC compares with 16 x 1024 drifts up by one per rebind; once it exceeds that, every tick
 * runs the 6-minute overflow eviction and the 30-tick full check no longer happens.
 *
 * <p>Allocation: a hit allocates nothing; binding a new entry allocates it (the kernel kmallocs it too).
 */
public final class LocalityBasedLeastConnectionScheduler extends LocalityScheduler {
    public static final String NAME = "lblc";
    /** The {@code lblc_expiration} sysctl default: 24 h. */
    public static final long DEFAULT_EXPIRATION_NS = LocalityTable.DEFAULT_EXPIRATION_NS;

    /** An address bound to one real server ({@code struct ip_vs_lblc_entry}). */
    static final class Entry extends LocalityTable.Entry {
        final RealServer dest;

        Entry(int af, long hi, long lo, RealServer dest, long nowNs) {
            super(af, hi, lo, nowNs);
            this.dest = dest;
        }
    }

    public LocalityBasedLeastConnectionScheduler() {
        this(DEFAULT_EXPIRATION_NS);
    }

    /** @param expirationNs the {@code lblc_expiration} sysctl: idle time after which the full check drops an entry */
    public LocalityBasedLeastConnectionScheduler(long expirationNs) {
        super(expirationNs);
    }

    @Override
    public String name() { return NAME; }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        LocalityTable t = table;
        long now = flow.nowNs;
        t.runTimer(now);
        int af = svc.af();
        long hi = flow.dstHi, lo = flow.dstLo;
        int bucket = LocalityTable.bucketOf(flow.dstFold());
        Entry en = (Entry) t.find(bucket, af, hi, lo);
        if (en != null) {
            en.touch(now);
            RealServer d = en.dest;
            if (d.isAvailable() && d.weight() > 0 && !isOverloaded(d, svc)) return d;
        }
        RealServer d = leastConnection(svc);
        if (d == null) return null;
        synchronized (t) {                                      // ip_vs_lblc_new
            Entry old = (Entry) t.find(bucket, af, hi, lo);
            if (old != null) {
                if (old.dest == d) return d;
                t.unlink(bucket, old);                          // tbl->entries not decremented (kernel)
            }
            t.insert(bucket, new Entry(af, hi, lo, d, now));
        }
        return d;
    }

    /**
     * lblc/lblcr {@code is_overloaded}: more active connections than its weight while some dest of the service has
     * fewer than half its weight.
     */
    static boolean isOverloaded(RealServer dest, VirtualService svc) {
        if (dest.activeConns() > dest.weight()) {
            for (RealServer d : svc.dests()) {
                if (d.activeConns() * 2 < d.weight()) return true;
            }
        }
        return false;
    }

    /** {@code __ip_vs_lblc_schedule} / {@code __ip_vs_lblcr_schedule}: the WLC scan over the service. */
    static RealServer leastConnection(VirtualService svc) {
        return WeightedLeastConnectionScheduler.weightedLeast(svc.dests());
    }

}
