package io.jlvs.service;

/**
 * An IPv4 or IPv6 address as a value: the family and 128 bits in two longs, network (big-endian) order.
 * IPv4 addresses keep {@code hi == 0} and the 32 address bits in the low half of {@code lo}.
 *
 * <p>Control-path type (parsing, formatting, map keys). The data path carries the same two longs in
 * {@link io.jlvs.packet.Flow} without objects.
 */
public record IpAddr(int af, long hi, long lo) implements Comparable<IpAddr> {

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public IpAddr {
        if (af != AF_INET && af != AF_INET6) throw new IllegalArgumentException("bad address family " + af);
        if (af == AF_INET && (hi != 0 || (lo >>> 32) != 0)) throw new IllegalArgumentException("IPv4 address wider than 32 bits");
    }

    public static IpAddr v4(int addr) { return new IpAddr(AF_INET, 0, addr & 0xFFFF_FFFFL); }

    public static IpAddr v6(long hi, long lo) { return new IpAddr(AF_INET6, hi, lo); }

    public boolean isV6() { return af == AF_INET6; }

    /** The IPv4 address as a host-order int (only meaningful for IPv4). */
    public int v4() { return (int) lo; }

    /**
     * The 32-bit fold IPVS's hashing schedulers use: the IPv4 address, or for IPv6 the XOR of the four
     * 32-bit words ({@code ip6[0]^ip6[1]^ip6[2]^ip6[3]}), in host order (as after {@code ntohl}).
     */
    public int fold() { return fold(af, hi, lo); }

    public static int fold(int af, long hi, long lo) {
        if (af == AF_INET) return (int) lo;
        return (int) (hi >>> 32) ^ (int) hi ^ (int) (lo >>> 32) ^ (int) lo;
    }

    /** Address bytes in network order: 4 for IPv4, 16 for IPv6. */
    public byte[] bytes() {
        byte[] b = new byte[af == AF_INET ? 4 : 16];
        if (af == AF_INET) {
            for (int i = 0; i < 4; i++) b[i] = (byte) (lo >>> (24 - 8 * i));
        } else {
            for (int i = 0; i < 8; i++) b[i] = (byte) (hi >>> (56 - 8 * i));
            for (int i = 0; i < 8; i++) b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    public static IpAddr of(byte[] b) {
        if (b.length == 4) {
            return v4(((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF));
        }
        if (b.length != 16) throw new IllegalArgumentException("address of " + b.length + " bytes");
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) hi = (hi << 8) | (b[i] & 0xFF);
        for (int i = 8; i < 16; i++) lo = (lo << 8) | (b[i] & 0xFF);
        return v6(hi, lo);
    }

    /** Parses a numeric IPv4 dotted quad or IPv6 text (no brackets, no names); null if it is neither. */
    public static IpAddr parse(String s) {
        if (s == null || s.isEmpty()) return null;
        return s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s);
    }

    /** inet_pton(AF_INET): exactly four decimal parts 0..255. */
    public static IpAddr parseV4(String s) {
        int[] out = new int[1];
        return parseV4Into(s, 0, s.length(), out) ? v4(out[0]) : null;
    }

    private static boolean parseV4Into(String s, int from, int to, int[] out) {
        int parts = 0, value = 0, digits = 0, addr = 0;
        for (int i = from; i <= to; i++) {
            char c = i < to ? s.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) return false;       // inet_pton refuses leading zeros
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) return false;
            } else if (c == '.') {
                if (digits == 0 || ++parts > 4) return false;
                addr = (addr << 8) | value;
                value = 0;
                digits = 0;
            } else {
                return false;
            }
        }
        if (parts != 4) return false;
        out[0] = addr;
        return true;
    }

    /** inet_pton(AF_INET6), including "::" compression and a trailing dotted quad. */
    public static IpAddr parseV6(String s) {
        int[] words = new int[8];
        int n = 0, gap = -1, i = 0, len = s.length();
        if (len < 2) return null;
        if (s.startsWith("::")) { gap = 0; i = 2; if (len == 2) return v6(0, 0); }
        else if (s.charAt(0) == ':') return null;
        while (i < len) {
            int j = i, value = 0;
            while (j < len && j - i < 5 && Character.digit(s.charAt(j), 16) >= 0) {
                value = value * 16 + Character.digit(s.charAt(j), 16);
                j++;
            }
            if (j < len && s.charAt(j) == '.') {                  // embedded IPv4 in the last 32 bits
                int[] v4 = new int[1];
                if (n > 6 || !parseV4Into(s, i, len, v4)) return null;
                words[n++] = v4[0] >>> 16;
                words[n++] = v4[0] & 0xFFFF;
                i = len;
                break;
            }
            if (j == i || j - i > 4 || n >= 8) return null;
            words[n++] = value;
            if (j == len) { i = j; break; }
            if (s.charAt(j) != ':') return null;
            if (j + 1 < len && s.charAt(j + 1) == ':') {
                if (gap >= 0) return null;
                gap = n;
                i = j + 2;
            } else {
                if (j + 1 == len) return null;
                i = j + 1;
            }
        }
        if (gap >= 0) {
            if (n == 8) return null;
            int move = n - gap;
            System.arraycopy(words, gap, words, 8 - move, move);
            for (int k = gap; k < 8 - move; k++) words[k] = 0;
        } else if (n != 8) {
            return null;
        }
        long hi = 0, lo = 0;
        for (int k = 0; k < 4; k++) hi = (hi << 16) | words[k];
        for (int k = 4; k < 8; k++) lo = (lo << 16) | words[k];
        return v6(hi, lo);
    }

    /** As glibc's inet_ntop: dotted quad, or RFC 5952-style IPv6 with the longest zero run (>= 2) as "::". */
    @Override
    public String toString() { return format(true); }

    /**
     * IPv6 in RFC 5952 form with every group in hex, never a dotted IPv4 tail (as Go's {@code net.IP.String} prints
     * the addresses it does not treat as IPv4); IPv4 as a dotted quad.
     */
    public String hexForm() { return format(false); }

    private String format(boolean dottedTail) {
        if (af == AF_INET) {
            int a = (int) lo;
            return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
        }
        int[] w = new int[8];
        for (int k = 0; k < 4; k++) w[k] = (int) (hi >>> (48 - 16 * k)) & 0xFFFF;
        for (int k = 0; k < 4; k++) w[4 + k] = (int) (lo >>> (48 - 16 * k)) & 0xFFFF;
        int bestStart = -1, bestLen = 0;
        for (int k = 0; k < 8; ) {
            if (w[k] != 0) { k++; continue; }
            int start = k;
            while (k < 8 && w[k] == 0) k++;
            if (k - start > bestLen) { bestStart = start; bestLen = k - start; }
        }
        if (bestLen < 2) bestStart = -1;
        StringBuilder sb = new StringBuilder(40);
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append(k == 0 ? "::" : ":");
                k += bestLen - 1;
                continue;
            }
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) print the tail as a dotted quad
            if (dottedTail && k == 6 && bestStart == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xFFFF))) {
                sb.append(w[6] >>> 8).append('.').append(w[6] & 0xFF).append('.')
                  .append(w[7] >>> 8).append('.').append(w[7] & 0xFF);
                break;
            }
            sb.append(Integer.toHexString(w[k]));
            if (k < 7) sb.append(':');
        }
        return sb.toString();
    }

    /** libipvs compares addresses as memcmp of network-order bytes within a family. */
    @Override
    public int compareTo(IpAddr o) {
        if (af != o.af) return Integer.compare(af, o.af);
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }
}
