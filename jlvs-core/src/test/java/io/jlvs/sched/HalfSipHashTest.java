package io.jlvs.sched;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel's own self-test vectors for {@code hsiphash} (lib/siphash_kunit.c, taken from the SipHash reference
 * implementation): input {@code 00 01 02 .. len-1} for len = 0..63, one table per word size.
 */
class HalfSipHashTest {

    // BITS_PER_LONG == 64: key {0x0706050403020100, 0x0f0e0d0c0b0a0908}, SipHash-1-3 folded to 32 bits
    static final long K64_0 = 0x0706050403020100L, K64_1 = 0x0f0e0d0c0b0a0908L;
    static final int[] VECTORS_64 = {
        0x050fc4dc, 0x7d57ca93, 0x4dc7d44d, 0xe7ddf7fb, 0x88d38328, 0x49533b67, 0xc59f22a7, 0x9bb11140,
        0x8d299a8e, 0x6c063de4, 0x92ff097f, 0xf94dc352, 0x57b4d9a2, 0x1229ffa7, 0xc0f95d34, 0x2a519956,
        0x7d908b66, 0x63dbd80c, 0xb473e63e, 0x8d297d1c, 0xa6cce040, 0x2b45f844, 0xa320872e, 0xdae6c123,
        0x67349c8c, 0x705b0979, 0xca9913a5, 0x4ade3b35, 0xef6cd00d, 0x4ab1e1f4, 0x43c5e663, 0x8c21d1bc,
        0x16a7b60d, 0x7a8ff9bf, 0x1f2a753e, 0xbf186b91, 0xada26206, 0xa3c33057, 0xae3a36a1, 0x7b108392,
        0x99e41531, 0x3f1ad944, 0xc8138825, 0xc28949a6, 0xfaf8876b, 0x9f042196, 0x68b1d623, 0x8b5114fd,
        0xdf074c46, 0x12cc86b3, 0x0a52098f, 0x9d292f9a, 0xa2f41f12, 0x43a71ed0, 0x73f0bce6, 0x70a7e980,
        0x243c6d75, 0xfdb71513, 0xa67d8a08, 0xb7e8f148, 0xf7a644ee, 0x0f1837f2, 0x4b6694e0, 0xb7bbb3a8,
    };

    // BITS_PER_LONG == 32: key {0x03020100, 0x07060504}, HalfSipHash-1-3
    static final int K32_0 = 0x03020100, K32_1 = 0x07060504;
    static final int[] VECTORS_32 = {
        0x5814c896, 0xe7e864ca, 0xbc4b0e30, 0x01539939, 0x7e059ea6, 0x88e3d89b, 0xa0080b65, 0x9d38d9d6,
        0x577999b1, 0xc839caed, 0xe4fa32cf, 0x959246ee, 0x6b28096c, 0x66dd9cd6, 0x16658a7c, 0xd0257b04,
        0x8b31d501, 0x2b1cd04b, 0x06712339, 0x522aca67, 0x911bb605, 0x90a65f0e, 0xf826ef7b, 0x62512deb,
        0x57150ad7, 0x5d473507, 0x1ec47442, 0xab64afd3, 0x0a4100d0, 0x6d2ce652, 0x2331b6a3, 0x08d8791a,
        0xbc6dda8d, 0xe0f6c934, 0xb0652033, 0x9b9851cc, 0x7c46fb7f, 0x732ba8cb, 0xf142997a, 0xfcc9aa1b,
        0x05327eb2, 0xe110131c, 0xf9e5e7c0, 0xa7d708a6, 0x11795ab1, 0x65671619, 0x9f5fff91, 0xd89c5267,
        0x007783eb, 0x95766243, 0xab639262, 0x9c7e1390, 0xc368dda6, 0x38ddc455, 0xfa13d379, 0x979ea4e8,
        0x53ecd77e, 0x2ee80657, 0x33dbb66a, 0xae3f0577, 0x88b4c4cc, 0x3e7f480b, 0x74c1ebf8, 0x87178304,
    };

    static byte[] counting(int n) {
        byte[] in = new byte[n];
        for (int i = 0; i < n; i++) in[i] = (byte) i;
        return in;
    }

    @Test
    void sipHash13On64BitKernelsMatchesKernelVectors() {
        byte[] in = counting(64);
        for (int len = 0; len < 64; len++) {
            assertThat(HalfSipHash.hsiphash(in, len, K64_0, K64_1)).as("len %d", len).isEqualTo(VECTORS_64[len]);
        }
    }

    @Test
    void halfSipHash13On32BitKernelsMatchesKernelVectors() {
        byte[] in = counting(64);
        for (int len = 0; len < 64; len++) {
            assertThat(HalfSipHash.halfSipHash(in, len, K32_0, K32_1)).as("len %d", len).isEqualTo(VECTORS_32[len]);
        }
    }

    @Test
    void oneWordFormsMatchTheKernelsHsiphash1u32Checks() {
        // siphash_kunit.c: hsiphash_1u32(0x03020100, key) == vectors[4]
        assertThat(HalfSipHash.hsiphash1u32(0x03020100, K64_0, K64_1)).isEqualTo(VECTORS_64[4]);
        assertThat(HalfSipHash.halfSipHash1u32(0x03020100, K32_0, K32_1)).isEqualTo(VECTORS_32[4]);
    }

    @Property
    void oneWordFormEqualsTheByteFormOnALittleEndianWord(@ForAll int v, @ForAll int k0, @ForAll int k1) {
        byte[] le = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
        long uk0 = k0 & 0xFFFF_FFFFL, uk1 = k1 & 0xFFFF_FFFFL;
        assertThat(HalfSipHash.hsiphash1u32(v, uk0, uk1)).isEqualTo(HalfSipHash.hsiphash(le, 4, uk0, uk1));
        assertThat(HalfSipHash.halfSipHash1u32(v, k0, k1)).isEqualTo(HalfSipHash.halfSipHash(le, 4, k0, k1));
        assertThat(HalfSipHash.Variant.SIPHASH_1_3.hash1u32(v, k0, k1)).isEqualTo(HalfSipHash.hsiphash1u32(v, uk0, uk1));
        assertThat(HalfSipHash.Variant.HALFSIPHASH_1_3.hash1u32(v, k0, k1)).isEqualTo(HalfSipHash.halfSipHash1u32(v, k0, k1));
    }
}
