package io.jlvs.pe;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The kernel's {@code jhash} ({@code include/linux/jhash.h}: Bob Jenkins' lookup3, 2006), which
 * {@code ip_vs_sip_hashkey_raw} applies to the Call-ID. Words are read little-endian
 * ({@code __get_unaligned_cpu32} on the little-endian hosts directors run on).
 */
public final class JHash {
    static final int JHASH_INITVAL = 0xdeadbeef;

    private JHash() {}

    /** {@code jhash(key, length, initval)} over {@code length} octets of {@code seg} from {@code off}. */
    public static int jhash(MemorySegment seg, long off, int length, int initval) {
        int a, b, c;
        a = b = c = JHASH_INITVAL + length + initval;
        long k = off;
        while (length > 12) {
            a += word(seg, k);
            b += word(seg, k + 4);
            c += word(seg, k + 8);
            // __jhash_mix
            a -= c; a ^= Integer.rotateLeft(c, 4);  c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6);  a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8);  b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4);  b += a;
            length -= 12;
            k += 12;
        }
        if (length == 0) return c;
        for (int i = length - 1; i >= 0; i--) {          // the fall-through switch, last octet first
            int v = u8(seg, k + i) << (8 * (i & 3));
            if (i >= 8) c += v;
            else if (i >= 4) b += v;
            else a += v;
        }
        // __jhash_final
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    /** {@code jhash} of a byte array (control path and tests). */
    public static int jhash(byte[] key, int initval) {
        return jhash(MemorySegment.ofArray(key), 0, key.length, initval);
    }

    private static int u8(MemorySegment seg, long at) { return seg.get(JAVA_BYTE, at) & 0xFF; }

    private static int word(MemorySegment seg, long at) {
        return u8(seg, at) | u8(seg, at + 1) << 8 | u8(seg, at + 2) << 16 | u8(seg, at + 3) << 24;
    }
}
