package io.jlvs.host;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Neighbour news for one data-plane thread, from any other thread: the daemon's rtnetlink listener
 * ({@code RTM_NEWNEIGH} / {@code RTM_DELNEIGH}, link down) and the other data-plane threads, which pass on what
 * their ARP and NDP frames taught them (a reply may reach another thread than the one whose solicitation it
 * answers).
 *
 * <p>A bounded many-producer, one-consumer queue of primitive records (Dmitry Vyukov's bounded queue: a sequence
 * number per slot, producers claim slots by compare-and-set on the tail, the consumer reads in order), plain
 * arrays and {@link VarHandle}s, so it needs no {@code Unsafe} and no JVM flags. Offers and drains allocate
 * nothing; a full queue refuses an offer, which is counted. The owning thread drains it in
 * {@link NeighbourResolver#poll}, which applies each record to its {@link Neighbours} and releases the frames
 * parked for the neighbour.
 */
public final class NeighbourEvents {
    /** Record types. */
    static final int UPDATE = 1, DELETE = 2, FLUSH_INTERFACE = 3;
    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);

    private final int mask;
    private final long[] sequence;
    private final int[] type, af, ifIndex, state;
    private final long[] hi, lo, mac;
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private long head;

    /** @param capacity records held at once, a power of two */
    public NeighbourEvents(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("capacity " + capacity + " is not a power of two >= 2");
        mask = capacity - 1;
        sequence = new long[capacity];
        for (int i = 0; i < capacity; i++) sequence[i] = i;
        type = new int[capacity];
        af = new int[capacity];
        ifIndex = new int[capacity];
        state = new int[capacity];
        hi = new long[capacity];
        lo = new long[capacity];
        mac = new long[capacity];
    }

    /**
     * A neighbour's MAC and state ({@link Neighbours#STALE}, {@link Neighbours#REACHABLE} or
     * {@link Neighbours#INCOMPLETE}). For a kernel event, {@code state} is {@link Neighbours#fromNud} of its
     * {@code ndm_state}; {@link Neighbours#NONE} ({@code NUD_FAILED}) deletes.
     *
     * @return false when the queue is full (counted in {@link #refused()})
     */
    public boolean offerUpdate(int af, long hi, long lo, int ifIndex, long mac, int state) {
        return offer(state == Neighbours.NONE ? DELETE : UPDATE, af, hi, lo, ifIndex, mac, state);
    }

    /** The neighbour is gone ({@code RTM_DELNEIGH}). */
    public boolean offerDelete(int af, long hi, long lo, int ifIndex) {
        return offer(DELETE, af, hi, lo, ifIndex, 0, Neighbours.NONE);
    }

    /** Every neighbour of an interface is gone (the link went down or away). */
    public boolean offerFlush(int ifIndex) {
        return offer(FLUSH_INTERFACE, 0, 0, 0, ifIndex, 0, Neighbours.NONE);
    }

    private boolean offer(int t, int a, long h, long l, int ifx, long m, int s) {
        long pos = tail.get();
        int i;
        while (true) {
            i = (int) pos & mask;
            long dif = (long) SEQ.getAcquire(sequence, i) - pos;
            if (dif == 0) {
                if (tail.compareAndSet(pos, pos + 1)) break;
                pos = tail.get();
            } else if (dif < 0) {
                refused.incrementAndGet();
                return false;
            } else {
                pos = tail.get();
            }
        }
        type[i] = t;
        af[i] = a;
        hi[i] = h;
        lo[i] = l;
        ifIndex[i] = ifx;
        mac[i] = m;
        state[i] = s;
        SEQ.setRelease(sequence, i, pos + 1);
        return true;
    }

    /** Offers refused because the queue was full. */
    public long refused() { return refused.get(); }

    /** Applies up to {@code limit} records to {@code resolver} (the owning thread only). Returns records applied. */
    int drain(NeighbourResolver resolver, long nowNs, int limit) {
        int n = 0;
        while (n < limit) {
            int i = (int) head & mask;
            if ((long) SEQ.getAcquire(sequence, i) != head + 1) break;
            int t = type[i], a = af[i], ifx = ifIndex[i], s = state[i];
            long h = hi[i], l = lo[i], m = mac[i];
            SEQ.setRelease(sequence, i, head + mask + 1);
            head++;
            n++;
            switch (t) {
                case UPDATE -> resolver.apply(a, h, l, ifx, m, s, nowNs);
                case DELETE -> resolver.neighbours().remove(a, h, l, ifx);
                case FLUSH_INTERFACE -> resolver.neighbours().removeInterface(ifx);
                default -> { }
            }
        }
        return n;
    }
}
