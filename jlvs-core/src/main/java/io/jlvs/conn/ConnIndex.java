package io.jlvs.conn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;


/**
 * The lookup index over the slab: open addressing with linear probing, {@code 2 * capacity} int slots (load
 * factor at most 0.5 when the table is full), deletion by backward shift (no tombstones), as Agrona's
 * {@code Int2IntHashMap.compactChain}.
 *
 * <p>A slot is 0 when empty, else {@code tag | (conn + 1)}: the low {@link #idBits} bits are the record index plus
 * one, the bits above hold as many bits of the key's hash as are left (8 for up to 16 M records), so most
 * probes that do not match are rejected without touching the record. The home slot is the upper 32 bits of the
 * 64-bit hash scaled to the slot count ({@code (h >>> 32) * slots >>> 32}), so the slot count need not be a power
 * of two and the index costs exactly 8 bytes per record.
 */
final class ConnIndex {
    final MemorySegment slots;
    private final long slotsBase;
    final int n;
    final int idBits;
    final int idMask;

    ConnIndex(Arena arena, int capacity) {
        this.n = 2 * capacity;
        this.idBits = 32 - Integer.numberOfLeadingZeros(capacity);   // enough bits for capacity (the largest conn + 1)
        this.idMask = idBits >= 32 ? -1 : (1 << idBits) - 1;
        this.slots = arena.allocate(n * 4L, 64);
        this.slotsBase = slots.address();
    }

    long bytes() { return slots.byteSize(); }

    void clear() { slots.fill((byte) 0); }

    int home(long h) { return (int) (((h >>> 32) * n) >>> 32); }

    int tag(long h) { return (int) h & ~idMask; }

    int slot(int i) { return ConnSlab.i32(ConnSlab.ALL, slotsBase + i * 4L); }

    private void slot(int i, int v) { ConnSlab.i32(ConnSlab.ALL, slotsBase + i * 4L, v); }

    int next(int i) { return ++i == n ? 0 : i; }

    /** Puts {@code conn} (whose key hashes to {@code h}) in the first free slot of its probe sequence. */
    void insert(int conn, long h) {
        int i = home(h);
        while (slot(i) != 0) i = next(i);
        slot(i, tag(h) | (conn + 1));
    }

    /**
     * Removes {@code conn} (whose key hashes to {@code h}) and closes the gap by shifting later members of the
     * cluster back, each no further than its home slot. {@code homes} gives the home slot of a record already in
     * the index (it rehashes the record's key).
     */
    void delete(int conn, long h, ConnTable homes) {
        int i = home(h);
        int want = conn + 1;
        int s;
        while ((s = slot(i)) != 0 && (s & idMask) != want) i = next(i);
        if (s == 0) return;
        // backward shift: i is the hole
        int j = i;
        while (true) {
            j = next(j);
            s = slot(j);
            if (s == 0) break;
            int k = home(homes.hashOf((s & idMask) - 1));
            // move s into the hole unless its home lies cyclically in (i, j]
            boolean stay = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stay) {
                slot(i, s);
                i = j;
            }
        }
        slot(i, 0);
    }
}
