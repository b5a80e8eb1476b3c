package io.jlvs.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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

    private NetworkOrder() {}

    public static int u8(MemorySegment seg, long off) { return seg.get(U8, off) & 0xFF; }

    public static void u8(MemorySegment seg, long off, int value) { seg.set(U8, off, (byte) value); }

    public static int u16(MemorySegment seg, long off) { return seg.get(SHORT_BE, off) & 0xFFFF; }

    public static void u16(MemorySegment seg, long off, int value) { seg.set(SHORT_BE, off, (short) value); }

    public static int i32(MemorySegment seg, long off) { return seg.get(INT_BE, off); }

    public static void i32(MemorySegment seg, long off, int value) { seg.set(INT_BE, off, value); }

    public static long i64(MemorySegment seg, long off) { return seg.get(LONG_BE, off); }

    public static void i64(MemorySegment seg, long off, long value) { seg.set(LONG_BE, off, value); }

    /** A 48-bit MAC address in the low bits of a long, first octet most significant. */
    public static long mac(MemorySegment seg, long off) {
        return ((long) u16(seg, off) << 32) | (i32(seg, off + 2) & 0xFFFF_FFFFL);
    }

    public static void mac(MemorySegment seg, long off, long mac) {
        u16(seg, off, (int) (mac >>> 32));
        i32(seg, off + 2, (int) mac);
    }
}
