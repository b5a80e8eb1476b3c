package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Locality-based least-connection with replication ({@code net/netfilter/ipvs/ip_vs_lblcr.c}): each destination
 * address maps to a <em>set</em> of real servers that grows when its members are overloaded and shrinks back when
 * it has not changed for a while.
 *
 * <ul>
 *   <li>Hit: refresh the entry's last use; take the set's weighted least-connection member
 *       ({@code ip_vs_dest_set_min}: the first member that is not OVERLOAD, has weight > 0 and is AVAILABLE, then any
 *       later non-OVERLOAD, AVAILABLE member with {@code loh * w(d) > doh * w(least)}). If the set has more than one
 *       member and was last modified more than {@code lblcr_expiration} ago, remove its weighted most-connection
 *       member ({@code ip_vs_dest_set_max}: the first with weight > 0, then any later one with weight > 0 and
 *       {@code moh * w(d) < doh * w(most)}). If the minimum exists and is not overloaded (lblc's test), it is the
 *       answer, even when the shrink just removed it. Otherwise weighted least-connection over the service, added to
 *       the set if not already in it.</li>
 *   <li>Miss: weighted least-connection over the service, and a new entry whose set holds just that dest.</li>
 * </ul>
 * A set gains members at its head, so newer members are scanned first. Inserting or erasing a member sets the set's
 * last-modified time; finding the dest already in the set does not. Entries go away through {@link LocalityTable}'s
 * GC timer only; removed dests stay in sets (skipped by the minimum, since they are no longer AVAILABLE).
 *
 * <p>Allocation: a hit that changes nothing allocates nothing; a new entry or a new set member allocates one
 * node (the kernel kmallocs both).
 */
public final class LocalityBasedLeastConnectionWithReplicationScheduler extends LocalityScheduler {
    public static final String NAME = "lblcr";
    /** The {@code lblcr_expiration} sysctl default: 24 h. */
    public static final long DEFAULT_EXPIRATION_NS = LocalityTable.DEFAULT_EXPIRATION_NS;

    /** {@code struct ip_vs_dest_set_elem}. */
    static final class Member {
        final RealServer dest;
        @SuppressWarnings("unused") private Member next;        // MEMBER_NEXT, release/acquire

        Member(RealServer dest) { this.dest = dest; }

        Member next() { return (Member) MEMBER_NEXT.getAcquire(this); }
    }

    /** {@code struct ip_vs_lblcr_entry} with its {@code ip_vs_dest_set}. */
    static final class Entry extends LocalityTable.Entry {
        @SuppressWarnings("unused") private Member head;        // HEAD, release/acquire
        private volatile int size;
        private volatile long lastModNs;

        Entry(int af, long hi, long lo, long nowNs) { super(af, hi, lo, nowNs); }

        Member head() { return (Member) HEAD.getAcquire(this); }

        int size() { return size; }

        long lastModNs() { return lastModNs; }

        /** {@code ip_vs_dest_set_insert}. Caller holds the table monitor. */
        void insert(RealServer dest, boolean check, long nowNs) {
            if (check) {
                for (Member m = head(); m != null; m = m.next()) if (m.dest == dest) return;
            }
            Member m = new Member(dest);
            MEMBER_NEXT.set(m, head());
            HEAD.setRelease(this, m);
            size = size + 1;
            lastModNs = nowNs;
        }

        /** {@code ip_vs_dest_set_erase}. Caller holds the table monitor. */
        void erase(RealServer dest, long nowNs) {
            Member prev = null;
            for (Member m = head(); m != null; prev = m, m = m.next()) {
                if (m.dest != dest) continue;
                size = size - 1;
                lastModNs = nowNs;
                if (prev == null) HEAD.setRelease(this, m.next());
                else MEMBER_NEXT.setRelease(prev, m.next());
                return;
            }
        }

        /** {@code ip_vs_dest_set_min}. Lock-free, no allocation. */
        RealServer min() {
            Member m = head();
            RealServer least = null;
            long loh = 0;
            for (; m != null; m = m.next()) {
                RealServer d = m.dest;
                if (d.isOverloaded()) continue;
                if (d.weight() > 0 && d.isAvailable()) {
                    least = d;
                    loh = d.overhead();
                    break;
                }
            }
            if (least == null) return null;
            for (m = m.next(); m != null; m = m.next()) {
                RealServer d = m.dest;
                if (d.isOverloaded()) continue;
                long doh = d.overhead();
                if (loh * d.weight() > doh * least.weight() && d.isAvailable()) {
                    least = d;
                    loh = doh;
                }
            }
            return least;
        }

        /** {@code ip_vs_dest_set_max}. */
        RealServer max() {
            Member m = head();
            RealServer most = null;
            long moh = 0;
            for (; m != null; m = m.next()) {
                if (m.dest.weight() > 0) {
                    most = m.dest;
                    moh = most.overhead();
                    break;
                }
            }
            if (most == null) return null;
            for (m = m.next(); m != null; m = m.next()) {
                RealServer d = m.dest;
                long doh = d.overhead();
                if (moh * d.weight() < doh * most.weight() && d.weight() > 0) {
                    most = d;
                    moh = doh;
                }
            }
            return most;
        }
    }

    private static final VarHandle HEAD, MEMBER_NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(Entry.class, "head", Member.class);
            MEMBER_NEXT = l.findVarHandle(Member.class, "next", Member.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public LocalityBasedLeastConnectionWithReplicationScheduler() {
        this(DEFAULT_EXPIRATION_NS);
    }

    /**
     * @param expirationNs the {@code lblcr_expiration} sysctl: how long a set must stay unchanged before it sheds a
     *                     member, and idle time after which the full check drops an entry
     */
    public LocalityBasedLeastConnectionWithReplicationScheduler(long expirationNs) {
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
            RealServer dest = en.min();
            if (en.size() > 1 && now - en.lastModNs() - expirationNs() > 0) {   // time_after(now, lastmod + exp)
                synchronized (t) {
                    if (en.size() > 1) {
                        RealServer m = en.max();
                        if (m != null) en.erase(m, now);
                    }
                }
            }
            if (dest != null && !LocalityBasedLeastConnectionScheduler.isOverloaded(dest, svc)) return dest;
            dest = LocalityBasedLeastConnectionScheduler.leastConnection(svc);
            if (dest == null) return null;
            synchronized (t) { en.insert(dest, true, now); }
            return dest;
        }
        RealServer dest = LocalityBasedLeastConnectionScheduler.leastConnection(svc);
        if (dest == null) return null;
        synchronized (t) {                                      // ip_vs_lblcr_new
            Entry e = (Entry) t.find(bucket, af, hi, lo);
            if (e == null) {
                e = new Entry(af, hi, lo, now);
                e.insert(dest, false, now);
                t.insert(bucket, e);
            } else {
                e.insert(dest, true, now);
            }
        }
        return dest;
    }

}
