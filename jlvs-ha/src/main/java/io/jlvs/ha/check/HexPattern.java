package io.jlvs.ha.check;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Bytes written as keepalived's free-format hex strings (UDP_CHECK {@code payload}, {@code require_reply}), with
 * an optional "don't care" mask: each whitespace-separated word is read two digits a byte from the left and a
 * last lone digit is a byte of its own, so {@code "Ab12f 3 456"} is {@code AB 12 0F 03 45 06}; in a reply
 * pattern an {@code X} digit matches anything (its four mask bits are set).
 *
 * @param data the bytes
 * @param mask per byte, the bits to ignore when matching; all zero when no X was written
 */
public record HexPattern(byte[] data, byte[] mask) {

    public HexPattern {
        data = data.clone();
        mask = mask == null ? new byte[data.length] : mask.clone();
        if (mask.length != data.length) {
            throw new IllegalArgumentException("mask and data differ in length");
        }
    }

    /**
     * Parses {@code text}; {@code allowWildcards} admits X/x digits.
     *
     * @throws IllegalArgumentException naming the offending character, or for an empty string
     */
    public static HexPattern parse(String text, boolean allowWildcards) {
        byte[] data = new byte[text.length()];
        byte[] mask = new byte[text.length()];
        int n = 0;
        for (String word : text.trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            for (int i = 0; i < word.length(); i += 2) {
                int hi = i + 1 < word.length() ? 4 : 0;
                int v = 0;
                int m = 0;
                for (int j = i; j < Math.min(i + 2, word.length()); j++) {
                    char c = word.charAt(j);
                    int shift = j == i ? hi : 0;
                    if ((c == 'x' || c == 'X') && allowWildcards) {
                        m |= 0xF << shift;
                    } else {
                        int d = Character.digit(c, 16);
                        if (d < 0) {
                            throw new IllegalArgumentException("'" + c + "' is not a hex digit in \"" + text + "\"");
                        }
                        v |= d << shift;
                    }
                }
                data[n] = (byte) v;
                mask[n] = (byte) m;
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("empty hex string");
        }
        return new HexPattern(Arrays.copyOf(data, n), Arrays.copyOf(mask, n));
    }

    public int length() {
        return data.length;
    }

    /** Whether {@code got[0..len)} matches over the shorter of {@code len} and this pattern (keepalived's rule). */
    public boolean matchesPrefix(byte[] got, int len) {
        int n = Math.min(len, data.length);
        for (int i = 0; i < n; i++) {
            if (((got[i] ^ data[i]) & ~mask[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public byte[] mask() {
        return mask.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HexPattern h && Arrays.equals(data, h.data) && Arrays.equals(mask, h.mask);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(data);
    }
}
