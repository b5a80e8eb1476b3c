package io.jlvs.conn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;


/**
 * The expiry timer wheel: one timer per connection, intrusive in its record (the {@code timerPrev/timerNext}
 * fields of {@link ConnSlab}), so it never allocates and never holds more timers than there are records.
 *
 * <p>{@code 2^bits} buckets of one millisecond each; a timer for tick {@code t} sits in bucket
 * {@code t & (buckets - 1)} (deadlines further than one turn away sit in their bucket for later turns and are
 * passed over until due). Each bucket is a doubly-linked list, so unlinking a connection (removal, or a timeout
 * that got shorter) is O(1) and a slot can be reused at once: no stale timer can outlive its connection.
 *
 * <p>A list's first record has {@code timerPrev = -2 - bucket}; {@code -1} in both links means "not linked".
 * Bucket {@link #PENDING} (one past the last) holds timers that are due or being processed: a bucket the cursor
 * reaches is moved there whole, and a deadline that is already behind the cursor is linked there directly, so
 * the next {@code expire} sees it.
 */
final class ConnWheel {
    static final int NONE = -1;

    private final ConnSlab slab;
    private final MemorySegment heads;
    private final long headsBase;
    final int buckets;
    private final int mask;
    final int pending;
    /** The next tick whose bucket has not been moved to pending yet. */
    int cursor;

    ConnWheel(Arena arena, ConnSlab slab, int bits, int startTick) {
        this.slab = slab;
        this.buckets = 1 << bits;
        this.mask = buckets - 1;
        this.pending = buckets;
        this.heads = arena.allocate((buckets + 1) * 4L, 64);
        this.headsBase = heads.address();
        reset(startTick);
    }

    long bytes() { return heads.byteSize(); }

    void reset(int tick) {
        heads.fill((byte) 0xFF);          // every head NONE
        cursor = tick;
    }

    private int head(int b) { return ConnSlab.i32(ConnSlab.ALL, headsBase + b * 4L); }
    private void head(int b, int c) { ConnSlab.i32(ConnSlab.ALL, headsBase + b * 4L, c); }

    boolean linked(int c) { return slab.getInt(c, ConnSlab.PREV) != NONE; }

    /** Links {@code c} to fire at tick {@code e} (or in the next poll if {@code e} is behind the cursor). */
    void link(int c, int e) {
        int b = e - cursor < 0 ? pending : e & mask;
        int first = head(b);
        slab.setInt(c, ConnSlab.NEXT, first);
        slab.setInt(c, ConnSlab.PREV, -2 - b);
        if (first != NONE) slab.setInt(first, ConnSlab.PREV, c);
        head(b, c);
    }

    void unlink(int c) {
        int prev = slab.getInt(c, ConnSlab.PREV);
        if (prev == NONE) return;
        int next = slab.getInt(c, ConnSlab.NEXT);
        if (prev < 0) head(-2 - prev, next); else slab.setInt(prev, ConnSlab.NEXT, next);
        if (next != NONE) slab.setInt(next, ConnSlab.PREV, prev);
        slab.setInt(c, ConnSlab.PREV, NONE);
        slab.setInt(c, ConnSlab.NEXT, NONE);
    }

    /**
     * The first timer to look at for tick {@code now}: the head of pending, refilled from the buckets the cursor
     * passes (up to and including {@code now}), or NONE when nothing is due.
     */
    int nextDue(int now) {
        int c = head(pending);
        while (c == NONE) {
            if (cursor - now > 0) return NONE;
            if (now - cursor >= buckets) cursor = now - buckets + 1;   // behind by a turn or more: one sweep is enough
            int b = cursor & mask;
            cursor++;
            c = head(b);
            if (c != NONE) {
                head(b, NONE);
                head(pending, c);
                slab.setInt(c, ConnSlab.PREV, -2 - pending);
            }
        }
        return c;
    }
}
