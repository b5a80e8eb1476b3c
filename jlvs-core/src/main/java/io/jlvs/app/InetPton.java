package io.jlvs.app;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Text addresses to binary, with the rules of the kernel's {@code in4_pton} and {@code in6_pton}
 * ({@code net/core/utils.c}), which {@code ip_vs_ftp_get_addrport} uses on EPRT commands and EPSV replies: the
 * address ends at the delimiter (or a NUL, or the end of the range); IPv4 is exactly four dotted decimal octets,
 * each at most 255, none empty (leading zeros allowed); IPv6 is colon-separated groups of at most four hex
 * digits with at most one {@code ::}, and may end in a dotted IPv4 address. On success {@link #hi}/{@link #lo}
 * hold the address (IPv4 in the low 32 bits of {@code lo}); {@link #end} is where parsing stopped in either case
 * (on the delimiter after a good address). One per helper; no allocation.
 */
final class InetPton {
    private static final int XDIGIT = 0x0001_0000, DIGIT = 0x0002_0000;
    private static final int COLON_MASK = 0x0070_0000, COLON_1 = 0x0010_0000, COLON_2 = 0x0020_0000, COLON_1_2 = 0x0040_0000;
    private static final int DOT = 0x0080_0000, DELIM = 0x1000_0000, NULL = 0x2000_0000, UNKNOWN = 0x4000_0000;

    long hi, lo;
    long end;
    private final byte[] dbuf = new byte[16];

    /** {@code xdigit2bin}: the class bits of one character (its hex value in the low bits). */
    private static int classify(int ch, int delim) {
        if (ch == delim || ch == 0) return DELIM;
        if (ch == ':') return COLON_MASK;
        if (ch == '.') return DOT;
        int v = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
        if (v >= 0) return v | XDIGIT | (v < 10 ? DIGIT : 0);
        return UNKNOWN;
    }

    private static int at(MemorySegment seg, long s, long limit) {
        return s < limit ? seg.get(ValueLayout.JAVA_BYTE, s) & 0xFF : 0;
    }

    /** {@code in4_pton(s, limit - s, dst, delim, &end)}. */
    boolean in4(MemorySegment seg, long s, long limit, int delim) {
        int addr = 0, i = 0, w = 0;
        while (true) {
            int c = classify(at(seg, s, limit), delim);
            if ((c & (DIGIT | DOT | DELIM | COLON_MASK)) == 0) return fail(s);
            if ((c & (DOT | DELIM | COLON_MASK)) != 0) {
                if (w == 0) return fail(s);                   // an empty octet (digits leave flag bits in w)
                addr = addr << 8 | (w & 0xFF);
                w = 0;
                i++;
                if ((c & (DELIM | COLON_MASK)) != 0) {
                    if (i != 4) return fail(s);
                    break;
                }
            } else {
                w = w * 10 + c;
                if ((w & 0xFFFF) > 255) return fail(s);
            }
            if (i >= 4) return fail(s);
            s++;
        }
        hi = 0;
        lo = addr & 0xFFFF_FFFFL;
        end = s;
        return true;
    }

    /** {@code in6_pton(s, limit - s, dst, delim, &end)}: the same state machine, group by group. */
    boolean in6(MemorySegment seg, long s, long limit, int delim) {
        byte[] b = dbuf;
        java.util.Arrays.fill(b, (byte) 0);
        long tok = -1;
        int d = 0, dc = -1;
        int state = COLON_1_2 | XDIGIT | NULL;
        int w = 0;
        while (true) {
            int c = classify(at(seg, s, limit), delim);
            if ((c & state) == 0) return fail(s);
            if ((c & (DELIM | COLON_MASK)) != 0) {
                if ((state & NULL) == 0) {                     // one 16-bit group done
                    b[d++] = (byte) (w >>> 8);
                    b[d++] = (byte) w;
                }
                w = 0;
                if ((c & DELIM) != 0) break;
                switch (state & COLON_MASK) {
                    case COLON_2 -> {                         // "::"
                        dc = d;
                        state = XDIGIT | DELIM;
                        if (dc >= 16) state |= NULL;
                    }
                    case COLON_1 | COLON_1_2 -> state = XDIGIT | COLON_2;
                    case COLON_1 -> state = XDIGIT;
                    case COLON_1_2 -> state = COLON_2;
                    default -> state = 0;
                }
                tok = s + 1;
            } else if ((c & DOT) != 0) {                      // a dotted IPv4 tail from the last group on
                long saveHi = hi, saveLo = lo;
                if (!in4(seg, tok >= 0 ? tok : s, limit, delim)) return false;
                int v4 = (int) lo;
                hi = saveHi;
                lo = saveLo;
                b[d++] = (byte) (v4 >>> 24);
                b[d++] = (byte) (v4 >>> 16);
                b[d++] = (byte) (v4 >>> 8);
                b[d++] = (byte) v4;
                s = end;
                break;
            } else {
                w = (w << 4) | (c & 0xFF);
                state = COLON_1 | DELIM;
                if ((w & 0xF000) == 0) state |= XDIGIT;
                if (dc < 0 && d + 2 < 16) {
                    state |= COLON_1_2;
                    state &= ~DELIM;
                }
                if (d + 2 >= 16) state &= ~(COLON_1 | COLON_1_2);
            }
            if ((dc >= 0 && d + 4 < 16) || d + 4 == 16) state |= DOT;
            if (d >= 16) state &= ~(XDIGIT | COLON_MASK);
            s++;
        }
        if (dc >= 0) {                                        // the groups after "::" go to the end
            int shift = 16 - d;
            for (int i = d - 1; i >= dc; i--) b[i + shift] = b[i];
            for (int i = dc; i < dc + shift; i++) b[i] = 0;
        }
        long h = 0, l = 0;
        for (int i = 0; i < 8; i++) h = h << 8 | (b[i] & 0xFF);
        for (int i = 8; i < 16; i++) l = l << 8 | (b[i] & 0xFF);
        hi = h;
        lo = l;
        end = s;
        return true;
    }

    private boolean fail(long s) {
        end = s;
        return false;
    }
}
