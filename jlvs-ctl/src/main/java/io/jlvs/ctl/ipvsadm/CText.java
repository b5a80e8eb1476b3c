package io.jlvs.ctl.ipvsadm;

import io.jlvs.service.IpAddr;

/**
 * The C library number and address parsers ipvsadm relies on, with their exact acceptance rules: {@code strtol}
 * in base 10 (leading blanks and a sign allowed, the whole string consumed), glibc's {@code inet_aton} (one to
 * four parts, each decimal, octal or hex; "10.1" is 10.0.0.1) and ipvsadm's {@code str_is_digit}.
 */
final class CText {
    private CText() {}

    /** No value: the text is not a number the caller accepts. */
    static final long NONE = Long.MIN_VALUE;

    /**
     * ipvsadm's {@code string_to_number}: {@code strtol(s, &end, 10)} must consume the whole string and at least
     * one digit, not overflow a 64-bit long, and land in {@code [min, max]}; otherwise {@link #NONE}.
     */
    static long stringToNumber(String s, long min, long max) {
        long v = strtol10(s);
        return v != NONE && v >= min && v <= max ? v : NONE;
    }

    /** {@code strtol(s, &end, 10)} with {@code *end == '\0' && end != s} and no ERANGE; else {@link #NONE}. */
    static long strtol10(String s) {
        int i = 0, n = s.length();
        while (i < n && isSpace(s.charAt(i))) i++;
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) neg = s.charAt(i++) == '-';
        int start = i;
        long v = 0;
        boolean overflow = false;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return NONE;            // trailing junk: *end != '\0'
            int d = c - '0';
            if (!overflow) {
                // accumulate as a negative number so that Long.MIN_VALUE fits
                if (v < (Long.MIN_VALUE + d) / 10) overflow = true;
                else v = v * 10 - d;
            }
        }
        if (i == start) return NONE;                          // no digits: end == s
        if (overflow) return NONE;                            // ERANGE
        if (!neg) {
            if (v == Long.MIN_VALUE) return NONE;             // ERANGE
            v = -v;
        }
        return v == NONE ? NONE : v;
    }

    /** C {@code isspace} in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    /** ipvsadm's {@code str_is_digit}: every character a decimal digit (true for the empty string). */
    static boolean isAllDigits(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /**
     * glibc {@code inet_aton}: "a.b.c.d", "a.b.c" (c 16 bits), "a.b" (b 24 bits) or "a" (32 bits); each part
     * decimal, octal (leading 0) or hex (0x); the text may end at a blank. Null if not an address.
     */
    static IpAddr inetAton(String s) {
        int n = s.length(), i = 0, parts = 0;
        long[] part = new long[4];
        long val;
        while (true) {
            if (i >= n || !isDigit(s.charAt(i))) return null;
            // strtoul(cp, &end, 0)
            int base = 10;
            if (s.charAt(i) == '0') {
                base = 8;
                if (i + 2 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X') && digit(s.charAt(i + 2), 16) >= 0) {
                    base = 16;
                    i += 2;
                }
            }
            val = 0;
            boolean big = false;
            for (int d; i < n && (d = digit(s.charAt(i), base)) >= 0; i++) {
                if (big) continue;
                if (Long.compareUnsigned(val, Long.divideUnsigned(-1L - d, base)) > 0) big = true;
                else val = val * base + d;
            }
            if (big) return null;                              // ERANGE
            if (i < n && s.charAt(i) == '.') {
                if (parts > 2 || Long.compareUnsigned(val, 0xFF) > 0) return null;
                part[parts++] = val;
                i++;
            } else {
                break;
            }
        }
        if (i < n && !isSpace(s.charAt(i))) return null;
        long[] max = {0xFFFF_FFFFL, 0xFF_FFFFL, 0xFFFFL, 0xFFL};
        if (Long.compareUnsigned(val, max[parts]) > 0) return null;
        long addr = val;
        for (int k = 0; k < parts; k++) addr |= part[k] << (24 - 8 * k);
        return IpAddr.v4((int) addr);
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    /** The value of an ASCII digit in {@code base} (8, 10 or 16), or -1. */
    private static int digit(char c, int base) {
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
        return d < base ? d : -1;
    }
}
