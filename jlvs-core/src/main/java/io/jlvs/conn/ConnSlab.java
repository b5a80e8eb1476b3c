package io.jlvs.conn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The connection records: one preallocated off-heap slab of fixed-size records, referenced by int index
 * ({@code conn}), in two widths. Narrow records hold IPv4 connections; wide records hold IPv6 ones, IPv4
 * connections with an IPv6 tunnel destination ({@code daf != af}, as {@code ip_vs_bind_xmit} allows for TUN), and
 * IPv4 connections that spill over when the narrow part is full. Indexes {@code [0, narrow)} are narrow,
 * {@code [narrow, narrow + wide)} wide.
 *
 * <p>Every record is a 40-byte header at a common position {@code p(conn)} with the addresses just before it, so
 * the header fields have the same offsets in both widths and an accessor is one branch (narrow or wide) plus a
 * load. Native byte order; addresses are the two longs of {@link io.jlvs.packet.Flow} (IPv4 in the low 32 bits).
 *
 * <pre>
 *   narrow record, 52 bytes                     wide record, 88 bytes
 *   0      4      8      12 = p                 0       8       16      24      32      40      48 = p
 *   +------+------+------+--------------+       +-------+-------+-------+-------+-------+-------+--------------+
 *   |caddr |vaddr |daddr | header (40)  |       |caddrHi|caddrLo|vaddrHi|vaddrLo|daddrHi|daddrLo| header (40)  |
 *   +------+------+------+--------------+       +-------+-------+-------+-------+-------+-------+--------------+
 *
 *   header, offsets from p:
 *    0                   2                   4                   6                   8         9         10
 *   +-------------------+-------------------+-------------------+-------------------+---------+---------+-------------------+
 *   |       cport       |       vport       |       dport       |       flags       |protocol |  state  |  inPkts (u16)     |
 *   +-------------------+-------------------+-------------------+-------------------+---------+---------+-------------------+
 *   12                  16                  20                  24                  28                  32                  36
 *   +-------------------+-------------------+-------------------+-------------------+-------------------+-------------------+
 *   |      destId       |      control      |     nControl      |     timeoutMs     |     expiresAt     |     timerPrev     |
 *   +-------------------+-------------------+-------------------+-------------------+-------------------+-------------------+
 *   36                  40
 *   +-------------------+
 *   |     timerNext     |   (next free record while the record is free)
 *   +-------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@code vaddr} holds the firewall mark ({@code hi = 0, lo = fwmark}) for fwmark templates (protocol 0), as
 *       the kernel stores {@code htonl(fwmark)} in {@code cp->vaddr}.</li>
 *   <li>{@code flags}: {@link ConnFlags} bits 0..15 plus four bits the kernel leaves unused that the table owns:
 *       {@link #F_LIVE}, {@link #F_ZOMBIE}, {@link #F_AF6}, {@link #F_DAF6}.</li>
 *   <li>{@code inPkts} is 16 bits and wraps: the sync code only looks at it modulo {@code sync_period}.</li>
 *   <li>{@code expiresAt}: milliseconds since the table's start, as a wrapping int (compare by difference, like
 *       jiffies); {@code timeoutMs} is clamped to {@link ConnTable#MAX_TIMEOUT_MS}.</li>
 * </ul>
 */
final class ConnSlab {
    static final int NARROW_BYTES = 52, WIDE_BYTES = 88;
    /** Where the header starts inside a record. */
    static final int NARROW_HEADER = 12, WIDE_HEADER = 48;

    static final long CPORT = 0, VPORT = 2, DPORT = 4, FLAGS = 6, PROTOCOL = 8, STATE = 9, IN_PKTS = 10;
    static final long DEST = 12, CONTROL = 16, N_CONTROL = 20, TIMEOUT = 24, EXPIRES = 28, PREV = 32, NEXT = 36;

    /** The record is a connection in the table. */
    static final int F_LIVE = 0x0008;
    /** Removed, but kept until the connections it controls let go (so their control index never dangles). */
    static final int F_ZOMBIE = 0x0010;
    /** Address family of caddr/vaddr is IPv6. */
    static final int F_AF6 = 0x4000;
    /** Address family of daddr is IPv6. */
    static final int F_DAF6 = 0x8000;
    static final int TABLE_BITS = F_LIVE | F_ZOMBIE | F_AF6 | F_DAF6;

    // constant var handles: see NetworkOrder (an accessor compiled on its own keeps the fast path)
    private static final VarHandle I8 = JAVA_BYTE.varHandle(), I16 = JAVA_SHORT.varHandle();
    private static final VarHandle I32 = JAVA_INT.varHandle(), I64 = JAVA_LONG.varHandle();

    static int i8(MemorySegment s, long off) { return (byte) I8.get(s, off); }
    static void i8(MemorySegment s, long off, int v) { I8.set(s, off, (byte) v); }
    static int i16(MemorySegment s, long off) { return (short) I16.get(s, off); }
    static void i16(MemorySegment s, long off, int v) { I16.set(s, off, (short) v); }
    static int i32(MemorySegment s, long off) { return (int) I32.get(s, off); }
    static void i32(MemorySegment s, long off, int v) { I32.set(s, off, v); }
    static long i64(MemorySegment s, long off) { return (long) I64.get(s, off); }
    static void i64(MemorySegment s, long off, long v) { I64.set(s, off, v); }

    /**
     * All of the address space as one segment: the table's accessors read and write their own blocks (allocated
     * here, addressed by offsets this package computes from record numbers it handed out) through it, so a
     * constant segment spares every access the bounds and liveness checks of the block's segment (a packet needs
     * a dozen such accesses). The blocks' own segments are kept to hold the memory and to fill it.
     */
    static final MemorySegment ALL = io.jlvs.packet.NetworkOrder.ALL;

    private final MemorySegment block;
    private final long base;
    final int narrow, wide;
    /** {@code p(c) = wideOff + c * WIDE_BYTES} for wide records. */
    private final long wideOff;

    private int freeNarrow = -1, freeWide = -1;
    /**
     * The NEXT of each free list's head, read one allocation ahead: popping a record then needs no read of a record
     * just taken from a cold part of the table, and the read of the new head's NEXT (a likely cache miss in a big
     * table) overlaps with the rest of the packet's work instead of stalling the next allocation.
     */
    private int freeNarrowNext = -1, freeWideNext = -1;

    ConnSlab(Arena arena, int narrow, int wide) {
        this.narrow = narrow;
        this.wide = wide;
        long wideBase = (narrow * (long) NARROW_BYTES + 63) & ~63L;
        this.block = arena.allocate(Math.max(64, wideBase + wide * (long) WIDE_BYTES), 64);
        this.base = block.address();
        this.wideOff = base + wideBase + WIDE_HEADER - narrow * (long) WIDE_BYTES;
        reset();
    }

    /** Bytes of native memory this slab holds. */
    long bytes() { return block.byteSize(); }

    /** Every record free, free lists in index order (so a fresh table fills from index 0). */
    void reset() {
        block.fill((byte) 0);
        freeNarrow = narrow > 0 ? 0 : -1;
        int total = narrow + wide;
        freeWide = wide > 0 ? narrow : -1;
        for (int c = 0; c < total; c++) {
            setInt(c, PREV, -1);
            setInt(c, NEXT, c + 1 == narrow || c + 1 == total ? -1 : c + 1);
        }
        freeNarrowNext = freeNarrow >= 0 ? getInt(freeNarrow, NEXT) : -1;
        freeWideNext = freeWide >= 0 ? getInt(freeWide, NEXT) : -1;
    }

    /** A free record, or -1. IPv4 ones come from the narrow part first, then spill into the wide part. */
    int alloc(boolean needWide) {
        int c;
        if (!needWide && freeNarrow >= 0) {
            c = freeNarrow;
            int h = freeNarrowNext;
            freeNarrow = h;
            freeNarrowNext = h >= 0 ? getInt(h, NEXT) : -1;
        } else if (freeWide >= 0) {
            c = freeWide;
            int h = freeWideNext;
            freeWide = h;
            freeWideNext = h >= 0 ? getInt(h, NEXT) : -1;
        } else {
            return -1;
        }
        return c;
    }

    void free(int c) {
        setShort(c, FLAGS, 0);
        if (c < narrow) {
            setInt(c, NEXT, freeNarrow);
            freeNarrowNext = freeNarrow;
            freeNarrow = c;
        } else {
            setInt(c, NEXT, freeWide);
            freeWideNext = freeWide;
            freeWide = c;
        }
    }

    long p(int c) {
        return c < narrow ? base + c * (long) NARROW_BYTES + NARROW_HEADER : wideOff + c * (long) WIDE_BYTES;
    }

    boolean isWide(int c) { return c >= narrow; }

    int getInt(int c, long off) { return i32(ALL, p(c) + off); }
    void setInt(int c, long off, int v) { i32(ALL, p(c) + off, v); }
    int getShort(int c, long off) { return i16(ALL, p(c) + off) & 0xFFFF; }
    void setShort(int c, long off, int v) { i16(ALL, p(c) + off, (short) v); }
    int getByte(int c, long off) { return i8(ALL, p(c) + off) & 0xFF; }
    void setByte(int c, long off, int v) { i8(ALL, p(c) + off, (byte) v); }

    // addresses: which = 0 caddr, 1 vaddr, 2 daddr
    long addrHi(int c, int which) {
        if (c < narrow) return 0;
        return i64(ALL, p(c) - WIDE_HEADER + which * 16L);
    }

    long addrLo(int c, int which) {
        long p = p(c);
        if (c < narrow) return i32(ALL, p - NARROW_HEADER + which * 4L) & 0xFFFF_FFFFL;
        return i64(ALL, p - WIDE_HEADER + which * 16L + 8);
    }

    void setAddr(int c, int which, long hi, long lo) {
        long p = p(c);
        if (c < narrow) {
            i32(ALL, p - NARROW_HEADER + which * 4L, (int) lo);
        } else {
            i64(ALL, p - WIDE_HEADER + which * 16L, hi);
            i64(ALL, p - WIDE_HEADER + which * 16L + 8, lo);
        }
    }
}
