package io.jlvs.host;

import java.util.Arrays;

/**
 * Open-addressing hash map from a key of three longs (an address's {@code hi} and {@code lo} and a {@code tag}:
 * family and interface, or a prefix length) to two long values, in primitive arrays: linear probing, deletion
 * by backward shift (no tombstones), as Agrona's {@code Int2IntHashMap.compactChain}. The capacity is fixed at
 * construction (a power of two at least twice the entry limit, so probes stay short); a full map refuses
 * inserts. No allocation after construction.
 *
 * <p>Used mutable by its owner thread ({@link Neighbours}, {@link PendingQueue}) and read-only after
 * publication by the immutable tables ({@link RouteTable}, {@link LocalAddresses}).
 */
final class AddressMap {
    /** {@link #find} result when the key is absent. */
    static final int MISSING = -1;
    /** Tag of an empty slot: callers never use it as a tag. */
    private static final long EMPTY = Long.MIN_VALUE;

    private final long[] hi, lo, tag, v0, v1;
    private final int mask, limit;
    private final long seed;
    private int size;

    /**
     * @param maxEntries entries the map holds before it refuses inserts
     * @param seed       hash seed (random per process, as IPVS seeds its connection hash)
     */
    AddressMap(int maxEntries, long seed) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries " + maxEntries);
        int cap = Integer.highestOneBit(Math.max(2, maxEntries) * 2 - 1) << 1;
        if (cap <= 0) throw new IllegalArgumentException("maxEntries too large: " + maxEntries);
        this.hi = new long[cap];
        this.lo = new long[cap];
        this.tag = new long[cap];
        this.v0 = new long[cap];
        this.v1 = new long[cap];
        Arrays.fill(tag, EMPTY);
        this.mask = cap - 1;
        this.limit = maxEntries;
        this.seed = seed;
    }

    int size() { return size; }

    int maxEntries() { return limit; }

    /** The slot holding the key, or {@link #MISSING}. */
    int find(long h, long l, long t) {
        int i = slot(h, l, t);
        while (true) {
            long st = tag[i];
            if (st == EMPTY) return MISSING;
            if (st == t && hi[i] == h && lo[i] == l) return i;
            i = (i + 1) & mask;
        }
    }

    /**
     * The slot of the key, inserted with both values 0 when it was absent ({@link #isNew} tells which), or
     * {@link #MISSING} when absent and the map is full.
     */
    int insert(long h, long l, long t) {
        if (t == EMPTY) throw new IllegalArgumentException("reserved tag");
        int i = slot(h, l, t);
        while (true) {
            long st = tag[i];
            if (st == EMPTY) break;
            if (st == t && hi[i] == h && lo[i] == l) {
                lastNew = false;
                return i;
            }
            i = (i + 1) & mask;
        }
        if (size == limit) return MISSING;
        hi[i] = h;
        lo[i] = l;
        tag[i] = t;
        v0[i] = 0;
        v1[i] = 0;
        size++;
        lastNew = true;
        return i;
    }

    private boolean lastNew;

    /** Whether the last successful {@link #insert} added the key. */
    boolean isNew() { return lastNew; }

    long v0(int slot) { return v0[slot]; }

    long v1(int slot) { return v1[slot]; }

    void v0(int slot, long v) { v0[slot] = v; }

    void v1(int slot, long v) { v1[slot] = v; }

    long hi(int slot) { return hi[slot]; }

    long lo(int slot) { return lo[slot]; }

    long tag(int slot) { return tag[slot]; }

    /** Slots span {@code [0, capacity())}; {@link #used} tells the occupied ones (for control-side scans). */
    int capacity() { return mask + 1; }

    boolean used(int slot) { return tag[slot] != EMPTY; }

    /** Removes the key; returns false when it was absent. Later keys of the probe chain move back. */
    boolean remove(long h, long l, long t) {
        int i = find(h, l, t);
        if (i == MISSING) return false;
        removeAt(i);
        return true;
    }

    /** Removes the entry in {@code slot} (occupied), closing the gap by backward shift. */
    void removeAt(int slot) {
        int gap = slot;
        int i = (gap + 1) & mask;
        while (tag[i] != EMPTY) {
            int home = slot(hi[i], lo[i], tag[i]);
            // move i into the gap unless its home lies cyclically in (gap, i]
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                hi[gap] = hi[i];
                lo[gap] = lo[i];
                tag[gap] = tag[i];
                v0[gap] = v0[i];
                v1[gap] = v1[i];
                gap = i;
            }
            i = (i + 1) & mask;
        }
        tag[gap] = EMPTY;
        size--;
    }

    void clear() {
        Arrays.fill(tag, EMPTY);
        size = 0;
    }

    private int slot(long h, long l, long t) {
        long x = seed ^ h * 0x9E37_79B9_7F4A_7C15L;
        x = Long.rotateLeft(x, 31) ^ l * 0xC2B2_AE3D_27D4_EB4FL;
        x = Long.rotateLeft(x, 27) ^ t * 0x1656_67B1_9E37_79F9L;
        x ^= x >>> 33;
        x *= 0xFF51_AFD7_ED55_8CCDL;
        x ^= x >>> 33;
        return (int) x & mask;
    }
}
