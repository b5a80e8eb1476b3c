package io.jlvs.sched;

/**
 * The kernel's {@code hsiphash} ({@code lib/siphash.c}), the keyed hash {@code ip_vs_mh.c} uses for its Maglev
 * permutations and lookups. The kernel has two variants behind the one name:
 * <ul>
 *   <li>{@link Variant#SIPHASH_1_3} ({@code BITS_PER_LONG == 64}): "on 64-bit, we make HalfSipHash1-3 actually be
 *       SipHash1-3": 64-bit state and words, 64-bit key words, one compression and three finalization rounds, the
 *       result {@code (v0 ^ v1) ^ (v2 ^ v3)} truncated to 32 bits. This is the default: IPVS directors run on
 *       64-bit kernels (x86-64, arm64).</li>
 *   <li>{@link Variant#HALFSIPHASH_1_3} (32-bit kernels): real HalfSipHash-1-3, 32-bit state and key words,
 *       result {@code v1 ^ v3}.</li>
 * </ul>
 * Both read the message as little-endian words ({@code le32_to_cpup}), so a big-endian kernel hashing a host-order
 * {@code u32} in memory sees its bytes swapped; the {@code int} methods here are the little-endian host's view.
 */
public final class HalfSipHash {
    private HalfSipHash() {}

    /** Which kernel build's {@code hsiphash} to compute. */
    public enum Variant {
        /** 64-bit kernels: SipHash-1-3 with 64-bit words. */
        SIPHASH_1_3,
        /** 32-bit kernels: HalfSipHash-1-3 with 32-bit words. */
        HALFSIPHASH_1_3;

        /** {@code hsiphash_1u32(first, key)} with both key words given as unsigned 32-bit values. */
        public int hash1u32(int first, int key0, int key1) {
            return this == SIPHASH_1_3
                    ? HalfSipHash.hsiphash1u32(first, key0 & 0xFFFF_FFFFL, key1 & 0xFFFF_FFFFL)
                    : HalfSipHash.halfSipHash1u32(first, key0, key1);
        }
    }

    // "somepseudorandomlygeneratedbytes", the SipHash initial state
    private static final long IV0 = 0x736f6d6570736575L, IV1 = 0x646f72616e646f6dL;
    private static final long IV2 = 0x6c7967656e657261L, IV3 = 0x7465646279746573L;
    // HalfSipHash's state: v0 = v1 = 0, v2 = "lyge", v3 = "tedb"
    private static final int HIV2 = 0x6c796765, HIV3 = 0x74656462;

    /** 64-bit kernel {@code hsiphash_1u32}: a 4-byte message holding {@code first}. Allocation-free. */
    public static int hsiphash1u32(int first, long key0, long key1) {
        long v0 = IV0 ^ key0, v1 = IV1 ^ key1, v2 = IV2 ^ key0, v3 = IV3 ^ key1;
        long b = (4L << 56) | (first & 0xFFFF_FFFFL);
        v3 ^= b;
        for (int r = 0; r < 4; r++) {              // 1 compression round, then finalization + 3 rounds
            if (r == 1) { v0 ^= b; v2 ^= 0xff; }
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return (int) ((v0 ^ v1) ^ (v2 ^ v3));
    }

    /** 64-bit kernel {@code hsiphash(data, len, key)} over the first {@code len} bytes. Control path and tests. */
    public static int hsiphash(byte[] data, int len, long key0, long key1) {
        long[] v = {IV0 ^ key0, IV1 ^ key1, IV2 ^ key0, IV3 ^ key1};
        long b = ((long) len) << 56;
        int end = len - (len & 7);
        for (int i = 0; i < end; i += 8) {
            long m = 0;
            for (int k = 7; k >= 0; k--) m = (m << 8) | (data[i + k] & 0xFF);
            v[3] ^= m;
            sipRound(v);
            v[0] ^= m;
        }
        for (int k = len - end - 1; k >= 0; k--) b |= ((long) (data[end + k] & 0xFF)) << (8 * k);
        v[3] ^= b;
        sipRound(v);
        v[0] ^= b;
        v[2] ^= 0xff;
        sipRound(v);
        sipRound(v);
        sipRound(v);
        return (int) ((v[0] ^ v[1]) ^ (v[2] ^ v[3]));
    }

    private static void sipRound(long[] v) {
        v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
        v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
        v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
    }

    /** 32-bit kernel {@code hsiphash_1u32}: HalfSipHash-1-3 of one 32-bit word. Allocation-free. */
    public static int halfSipHash1u32(int first, int key0, int key1) {
        int v0 = key0, v1 = key1, v2 = HIV2 ^ key0, v3 = HIV3 ^ key1;
        int b = 4 << 24;
        for (int r = 0; r < 5; r++) {              // 1 round on the word, 1 on b, finalization + 3 rounds
            if (r == 0) v3 ^= first;
            if (r == 1) { v0 ^= first; v3 ^= b; }
            if (r == 2) { v0 ^= b; v2 ^= 0xff; }
            v0 += v1; v1 = Integer.rotateLeft(v1, 5); v1 ^= v0; v0 = Integer.rotateLeft(v0, 16);
            v2 += v3; v3 = Integer.rotateLeft(v3, 8); v3 ^= v2;
            v0 += v3; v3 = Integer.rotateLeft(v3, 7); v3 ^= v0;
            v2 += v1; v1 = Integer.rotateLeft(v1, 13); v1 ^= v2; v2 = Integer.rotateLeft(v2, 16);
        }
        return v1 ^ v3;
    }

    /** 32-bit kernel {@code hsiphash(data, len, key)}: HalfSipHash-1-3 over the first {@code len} bytes. */
    public static int halfSipHash(byte[] data, int len, int key0, int key1) {
        int[] v = {key0, key1, HIV2 ^ key0, HIV3 ^ key1};
        int b = len << 24;
        int end = len - (len & 3);
        for (int i = 0; i < end; i += 4) {
            int m = (data[i] & 0xFF) | (data[i + 1] & 0xFF) << 8 | (data[i + 2] & 0xFF) << 16 | (data[i + 3] & 0xFF) << 24;
            v[3] ^= m;
            halfRound(v);
            v[0] ^= m;
        }
        for (int k = len - end - 1; k >= 0; k--) b |= (data[end + k] & 0xFF) << (8 * k);
        v[3] ^= b;
        halfRound(v);
        v[0] ^= b;
        v[2] ^= 0xff;
        halfRound(v);
        halfRound(v);
        halfRound(v);
        return v[1] ^ v[3];
    }

    private static void halfRound(int[] v) {
        v[0] += v[1]; v[1] = Integer.rotateLeft(v[1], 5); v[1] ^= v[0]; v[0] = Integer.rotateLeft(v[0], 16);
        v[2] += v[3]; v[3] = Integer.rotateLeft(v[3], 8); v[3] ^= v[2];
        v[0] += v[3]; v[3] = Integer.rotateLeft(v[3], 7); v[3] ^= v[0];
        v[2] += v[1]; v[1] = Integer.rotateLeft(v[1], 13); v[1] ^= v[2]; v[2] = Integer.rotateLeft(v[2], 16);
    }
}
