package io.jlvs.xmit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** Unaligned network-order reads and writes for the headers the transmitters build (as the views' own). */
final class Wire {
    static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);
    static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BIG_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(BIG_ENDIAN);

    private Wire() {}

    static int u8(MemorySegment seg, long off) { return seg.get(ValueLayout.JAVA_BYTE, off) & 0xFF; }

    static void u8(MemorySegment seg, long off, int v) { seg.set(ValueLayout.JAVA_BYTE, off, (byte) v); }

    static int u16(MemorySegment seg, long off) { return seg.get(SHORT_BE, off) & 0xFFFF; }

    static void u16(MemorySegment seg, long off, int v) { seg.set(SHORT_BE, off, (short) v); }

    static int i32(MemorySegment seg, long off) { return seg.get(INT_BE, off); }

    static void i32(MemorySegment seg, long off, int v) { seg.set(INT_BE, off, v); }

    static long i64(MemorySegment seg, long off) { return seg.get(LONG_BE, off); }

    static void i64(MemorySegment seg, long off, long v) { seg.set(LONG_BE, off, v); }

    /** A 48-bit MAC address from the low bits of {@code mac}, first octet most significant. */
    static void mac(MemorySegment seg, long off, long mac) {
        u16(seg, off, (int) (mac >>> 32));
        i32(seg, off + 2, (int) mac);
    }
}
