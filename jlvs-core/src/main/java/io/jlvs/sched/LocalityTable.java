package io.jlvs.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * The per-service table of lblc and lblcr ({@code struct ip_vs_lblc_table} / {@code ip_vs_lblcr_table}): 1024
 * buckets ({@code CONFIG_IP_VS_LBLC_TAB_BITS} = 10) of chained entries keyed by destination address, bucket
 * {@code hash_32(ntohl(daddr_fold), 10)}, and the garbage-collection timer both kernel files share.
 *
 * <p>Readers (lookups on the data path) take no lock and never allocate: the chains are published with release
 * stores and read with acquire loads, and an unlinked entry keeps its {@code next}, as {@code hlist_del_rcu} does,
 * so a reader standing on it walks on; the garbage collector plays RCU's grace period. Writers (new entries,
 * unlinks, the timer) hold the table's monitor, the kernel's {@code svc->sched_lock}.
 *
 * <p>GC ({@code ip_vs_lblc_check_expire}), a timer every 60 s from service init, each tick run at its due time:
 * <ul>
 *   <li>every 30th tick ({@code counter % 30 == 0}; counter starts at 1): full check, removing entries unused for
 *       {@code expirationNs} (lblc_expiration / lblcr_expiration, 24 h); counter back to 1;</li>
 *   <li>else, while the entry count is at most 16 x 1024: counter++ and nothing else;</li>
 *   <li>else (overflow; counter not advanced): from bucket {@code rover + 1} on, remove entries unused for 6 min,
 *       bucket by bucket, until {@code min((entries - max) * 4 / 3, max / 2)} are gone or every bucket was seen.</li>
 * </ul>
 */
final class LocalityTable {
    static final int TAB_BITS = 10;
    static final int TAB_SIZE = 1 << TAB_BITS;
    static final int TAB_MASK = TAB_SIZE - 1;
    /** {@code CHECK_EXPIRE_INTERVAL}: 60 s. */
    static final long CHECK_EXPIRE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(60);
    /** {@code ENTRY_TIMEOUT}: idle time after which an overflowing table drops an entry, 6 min. */
    static final long ENTRY_TIMEOUT_NS = TimeUnit.MINUTES.toNanos(6);
    /** {@code DEFAULT_EXPIRATION}: the lblc_expiration / lblcr_expiration sysctl default, 24 h. */
    static final long DEFAULT_EXPIRATION_NS = TimeUnit.HOURS.toNanos(24);
    static final int COUNT_FOR_FULL_EXPIRATION = 30;
    /** {@code tbl->max_size}. */
    static final int MAX_SIZE = TAB_SIZE * 16;

    /** One destination address; lblc and lblcr extend it with what they map it to. */
    static class Entry {
        final int af;
        final long hi, lo;
        @SuppressWarnings("unused") private long lastUseNs;   // LAST_USE, opaque (the kernel's racy store)
        @SuppressWarnings("unused") private Entry next;       // NEXT, release/acquire

        Entry(int af, long hi, long lo, long nowNs) {
            this.af = af;
            this.hi = hi;
            this.lo = lo;
            this.lastUseNs = nowNs;
        }

        final long lastUseNs() { return (long) LAST_USE.getOpaque(this); }

        final void touch(long nowNs) { LAST_USE.setOpaque(this, nowNs); }

        final Entry next() { return (Entry) NEXT.getAcquire(this); }
    }

    private static final VarHandle LAST_USE, NEXT, BUCKET = MethodHandles.arrayElementVarHandle(Entry[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LAST_USE = l.findVarHandle(Entry.class, "lastUseNs", long.class);
            NEXT = l.findVarHandle(Entry.class, "next", Entry.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Entry[] buckets = new Entry[TAB_SIZE];
    /** {@code tbl->entries}: changed only under the monitor. */
    private volatile int entries;
    private volatile long expirationNs;

    // timer state, changed only under timerLock
    private final Object timerLock = new Object();
    private volatile boolean armed;
    private volatile long nextTickNs;
    private int rover;
    private int counter = 1;

    LocalityTable(long expirationNs) {
        this.expirationNs = expirationNs;
    }

    /** {@code ip_vs_lblc_hashkey}: {@code hash_32(ntohl(addr_fold), 10)}. */
    static int bucketOf(int addrFold) {
        return SchedHash.hash32(addrFold, TAB_BITS);
    }

    void expirationNs(long ns) { expirationNs = ns; }

    /** {@code ip_vs_lblc_get}: the entry for the address, or null. Lock-free, no allocation. */
    Entry find(int bucket, int af, long hi, long lo) {
        for (Entry e = head(bucket); e != null; e = e.next()) {
            if (e.hi == hi && e.lo == lo && e.af == af) return e;
        }
        return null;
    }

    private Entry head(int bucket) { return (Entry) BUCKET.getAcquire(buckets, bucket); }

    /** {@code hlist_add_head_rcu} + {@code entries++}. Caller holds the monitor. */
    void insert(int bucket, Entry e) {
        NEXT.set(e, buckets[bucket]);
        BUCKET.setRelease(buckets, bucket, e);
        entries = entries + 1;
    }

    /** {@code hlist_del_rcu}; the caller decides whether {@code entries} goes down. Caller holds the monitor. */
    void unlink(int bucket, Entry e) {
        Entry prev = null;
        for (Entry x = buckets[bucket]; x != null; prev = x, x = x.next()) {
            if (x != e) continue;
            if (prev == null) BUCKET.setRelease(buckets, bucket, x.next());
            else NEXT.setRelease(prev, x.next());
            return;
        }
    }

    /** {@code tbl->entries} as the kernel counts it (see {@link LocalityBasedLeastConnectionScheduler}). */
    int entriesCounter() { return entries; }

    /** The entries actually linked (tests, diagnostics). */
    synchronized int linked() {
        int n = 0;
        for (Entry head : buckets) for (Entry e = head; e != null; e = e.next()) n++;
        return n;
    }

    /** The timer's next due time, or {@code Long.MIN_VALUE} while it is not armed. */
    long nextTickNs() { return armed ? nextTickNs : Long.MIN_VALUE; }

    /** {@code mod_timer(&tbl->periodic_timer, jiffies + CHECK_EXPIRE_INTERVAL)} at {@code nowNs}. */
    void arm(long nowNs) {
        synchronized (timerLock) {
            nextTickNs = nowNs + CHECK_EXPIRE_INTERVAL_NS;
            armed = true;
        }
    }

    /**
     * Runs every tick due at or before {@code nowNs}, each at its own due time; a timer never armed is armed at
     * {@code nowNs}. Cheap when nothing is due: two volatile reads.
     */
    void runTimer(long nowNs) {
        if (armed && nowNs - nextTickNs < 0) return;
        synchronized (timerLock) {
            if (!armed) {
                nextTickNs = nowNs + CHECK_EXPIRE_INTERVAL_NS;
                armed = true;
                return;
            }
            while (nowNs - nextTickNs >= 0) {
                long due = nextTickNs;
                checkExpire(due);
                nextTickNs = due + CHECK_EXPIRE_INTERVAL_NS;
            }
        }
    }

    /** {@code ip_vs_lblc_check_expire} / {@code ip_vs_lblcr_check_expire} at time {@code now}. */
    private void checkExpire(long now) {
        if (counter % COUNT_FOR_FULL_EXPIRATION == 0) {
            fullCheck(now);
            counter = 1;
            return;
        }
        int n = entries;
        if (n <= MAX_SIZE) {
            counter++;
            return;
        }
        int goal = (n - MAX_SIZE) * 4 / 3;
        if (goal > MAX_SIZE / 2) goal = MAX_SIZE / 2;
        int j = rover;
        for (int i = 0; i < TAB_SIZE; i++) {
            j = (j + 1) & TAB_MASK;
            goal -= removeIdle(j, now, ENTRY_TIMEOUT_NS);
            if (goal <= 0) break;
        }
        rover = j;
    }

    /** {@code ip_vs_lblc_full_check}: drop every entry unused for the expiration time. */
    private void fullCheck(long now) {
        int j = rover;
        for (int i = 0; i < TAB_SIZE; i++) {
            j = (j + 1) & TAB_MASK;
            removeIdle(j, now, expirationNs);
        }
        rover = j;
    }

    /** Unlinks the bucket's entries with {@code !time_before(now, lastuse + idle)}; returns how many. */
    private synchronized int removeIdle(int bucket, long now, long idleNs) {
        int removed = 0;
        Entry prev = null;
        for (Entry e = buckets[bucket]; e != null; e = e.next()) {
            if (now - e.lastUseNs() < idleNs) {
                prev = e;
                continue;
            }
            if (prev == null) BUCKET.setRelease(buckets, bucket, e.next());
            else NEXT.setRelease(prev, e.next());
            entries = entries - 1;
            removed++;
        }
        return removed;
    }
}
