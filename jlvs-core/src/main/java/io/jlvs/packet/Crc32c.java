package io.jlvs.packet;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.LONG_LE;
import static io.jlvs.packet.NetworkOrder.u8;

/**
 * CRC32c (Castagnoli, reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF) over
 * {@link MemorySegment} ranges, slicing-by-8, for SCTP (RFC 9260 appendix A; test vectors RFC 3720 appendix
 * B.4). Results equal {@link java.util.zip.CRC32C#getValue()} truncated to an int; that class needs a
 * {@code byte[]} or {@code ByteBuffer}, and wrapping a segment in a buffer allocates, so this one reads the
 * segment directly. No allocation.
 */
public final class Crc32c {
    private static final int POLY = 0x82F6_3B78;
    /** Eight tables of 256: table k maps a byte to its CRC followed by k zero octets. */
    private static final int[] T = new int[8 * 256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int b = 0; b < 8; b++) c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            T[i] = c;
        }
        for (int k = 1; k < 8; k++) {
            for (int i = 0; i < 256; i++) {
                int c = T[(k - 1) * 256 + i];
                T[k * 256 + i] = (c >>> 8) ^ T[c & 0xFF];
            }
        }
    }

    private Crc32c() {}

    /** CRC32c of {@code length} octets at {@code off}. */
    public static int crc32c(MemorySegment seg, long off, long length) {
        return update(0, seg, off, length);
    }

    /**
     * Continues a CRC: {@code crc} is the CRC32c of the octets before the range (0 for none), the result the
     * CRC32c of those octets followed by the range.
     */
    public static int update(int crc, MemorySegment seg, long off, long length) {
        int c = ~crc;
        long p = off;
        long end = off + length;
        while (end - p >= 8) {
            long v = seg.get(LONG_LE, p);
            int lo = (int) v ^ c;
            int hi = (int) (v >>> 32);
            c = T[7 * 256 + (lo & 0xFF)] ^ T[6 * 256 + ((lo >>> 8) & 0xFF)]
                    ^ T[5 * 256 + ((lo >>> 16) & 0xFF)] ^ T[4 * 256 + (lo >>> 24)]
                    ^ T[3 * 256 + (hi & 0xFF)] ^ T[2 * 256 + ((hi >>> 8) & 0xFF)]
                    ^ T[256 + ((hi >>> 16) & 0xFF)] ^ T[hi >>> 24];
            p += 8;
        }
        while (p < end) {
            c = (c >>> 8) ^ T[(c ^ u8(seg, p)) & 0xFF];
            p++;
        }
        return ~c;
    }

    /**
     * The SCTP checksum of a packet of {@code length} octets (at least the 12-octet common header) at
     * {@code off}: the CRC32c with the checksum field (octets 8..11) taken as zero, whatever it holds, so the
     * packet is not written. Store it with {@link SctpView#checksum(int)} (little-endian octets).
     */
    public static int sctp(MemorySegment seg, long off, long length) {
        int c = ~update(0, seg, off, SctpView.CHECKSUM);
        for (int i = 0; i < 4; i++) c = (c >>> 8) ^ T[c & 0xFF];     // four zero octets
        return update(~c, seg, off + SctpView.HEADER_LENGTH, length - SctpView.HEADER_LENGTH);
    }
}
