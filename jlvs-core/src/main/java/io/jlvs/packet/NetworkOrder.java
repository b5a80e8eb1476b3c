package io.jlvs.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Unaligned network-order (big-endian) reads and writes for the views: every header field is a byte, a 16-bit
 * or a 32-bit big-endian word at any byte offset. The one little-endian field on our wires, SCTP's CRC32c, uses
 * {@link #INT_LE}.
 */
final class NetworkOrder {
    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);
    static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BIG_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(BIG_ENDIAN);
    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LITTLE_ENDIAN);

    private NetworkOrder() {}

    static int u8(MemorySegment seg, long off) { return seg.get(U8, off) & 0xFF; }

    static void u8(MemorySegment seg, long off, int value) { seg.set(U8, off, (byte) value); }

    static int u16(MemorySegment seg, long off) { return seg.get(SHORT_BE, off) & 0xFFFF; }

    static void u16(MemorySegment seg, long off, int value) { seg.set(SHORT_BE, off, (short) value); }

    static int i32(MemorySegment seg, long off) { return seg.get(INT_BE, off); }

    static void i32(MemorySegment seg, long off, int value) { seg.set(INT_BE, off, value); }

    static long i64(MemorySegment seg, long off) { return seg.get(LONG_BE, off); }

    static void i64(MemorySegment seg, long off, long value) { seg.set(LONG_BE, off, value); }

    /** A 48-bit MAC address in the low bits of a long, first octet most significant. */
    static long mac(MemorySegment seg, long off) {
        return ((long) u16(seg, off) << 32) | (i32(seg, off + 2) & 0xFFFF_FFFFL);
    }

    static void mac(MemorySegment seg, long off, long mac) {
        u16(seg, off, (int) (mac >>> 32));
        i32(seg, off + 2, (int) mac);
    }
}
