package io.jlvs.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Unaligned network-order (big-endian) reads and writes for the views: every header field is a byte, a 16-bit
 * or a 32-bit big-endian word at any byte offset. The one little-endian field on our wires, SCTP's CRC32c, uses
 * {@link #INT_LE}. Shared by the views and by the transmitters that build headers.
 */
public final class NetworkOrder {
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);
    public static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BIG_ENDIAN);
    public static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(BIG_ENDIAN);
    public static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LITTLE_ENDIAN);

    // The accessors go through these constant var handles rather than MemorySegment.get(layout, offset): a call of
    // get/set that the JIT does not inline (call depth, inlining budget) then still runs a constant handle's fast
    // path, where get(layout, ...) compiled on its own takes the layout as a variable and falls to the generic
    // (tens of ns) invocation path.
    private static final VarHandle VH_U8 = U8.varHandle(), VH_SHORT_BE = SHORT_BE.varHandle();
    private static final VarHandle VH_INT_BE = INT_BE.varHandle(), VH_LONG_BE = LONG_BE.varHandle();

    /**
     * All of the address space as one segment. A frame in native memory (an RX ring, the data plane's buffers) is
     * addressed through it with absolute offsets ({@code Frame.wrap} checks the frame's bounds once); the
     * accessors below test for it and then access through this constant, which spares the bounds and liveness
     * checks of a variable segment. Heap segments (tests, pcap replay) take the other branch.
     */
    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private NetworkOrder() {}

    public static int u8(MemorySegment seg, long off) {
        return seg == ALL ? (byte) VH_U8.get(ALL, off) & 0xFF : (byte) VH_U8.get(seg, off) & 0xFF;
    }

    public static void u8(MemorySegment seg, long off, int value) {
        if (seg == ALL) VH_U8.set(ALL, off, (byte) value); else VH_U8.set(seg, off, (byte) value);
    }

    public static int u16(MemorySegment seg, long off) {
        return seg == ALL ? (short) VH_SHORT_BE.get(ALL, off) & 0xFFFF : (short) VH_SHORT_BE.get(seg, off) & 0xFFFF;
    }

    public static void u16(MemorySegment seg, long off, int value) {
        if (seg == ALL) VH_SHORT_BE.set(ALL, off, (short) value); else VH_SHORT_BE.set(seg, off, (short) value);
    }

    public static int i32(MemorySegment seg, long off) {
        return seg == ALL ? (int) VH_INT_BE.get(ALL, off) : (int) VH_INT_BE.get(seg, off);
    }

    public static void i32(MemorySegment seg, long off, int value) {
        if (seg == ALL) VH_INT_BE.set(ALL, off, value); else VH_INT_BE.set(seg, off, value);
    }

    public static long i64(MemorySegment seg, long off) {
        return seg == ALL ? (long) VH_LONG_BE.get(ALL, off) : (long) VH_LONG_BE.get(seg, off);
    }

    public static void i64(MemorySegment seg, long off, long value) {
        if (seg == ALL) VH_LONG_BE.set(ALL, off, value); else VH_LONG_BE.set(seg, off, value);
    }

    /** A 48-bit MAC address in the low bits of a long, first octet most significant. */
    public static long mac(MemorySegment seg, long off) {
        return ((long) u16(seg, off) << 32) | (i32(seg, off + 2) & 0xFFFF_FFFFL);
    }

    public static void mac(MemorySegment seg, long off, long mac) {
        u16(seg, off, (int) (mac >>> 32));
        i32(seg, off + 2, (int) mac);
    }
}
