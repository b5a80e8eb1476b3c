package io.jlvs.ctl.keepalived.check;

import io.jlvs.ctl.keepalived.ConfNode;
import io.jlvs.ctl.keepalived.Diagnostics;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * keepalived.conf value syntax for the checker blocks: {@code <TIMER>} (seconds with a fraction, microsecond
 * resolution), integers in a range, {@code <BOOL>} (on|off|true|false|yes|no), IP literals. Each reader reports a
 * bad or missing value as an error on the statement, naming the keyword and the token, and returns null.
 */
final class Values {

    private Values() {}

    /** The statement's first argument, or an error "keyword: missing value". */
    static String arg(ConfNode n, Diagnostics d) {
        String a = n.arg(0);
        if (a == null) {
            d.error(n, n.keyword() + ": missing value");
        }
        return a;
    }

    /** A {@code <TIMER>}: non-negative seconds, fractions allowed ("2.5"). */
    static Duration timer(ConfNode n, Diagnostics d) {
        String a = arg(n, d);
        if (a == null) {
            return null;
        }
        try {
            BigDecimal s = new BigDecimal(a);
            if (s.signum() < 0 || s.compareTo(BigDecimal.valueOf(365L * 24 * 3600)) > 0 || a.contains("e")
                    || a.contains("E")) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos(s.movePointRight(6).longValue() * 1000);
        } catch (NumberFormatException e) {
            d.error(n, n.keyword() + ": invalid time '" + a + "' (seconds, e.g. 3 or 2.5)");
            return null;
        }
    }

    /** A positive {@code <TIMER>}. */
    static Duration positiveTimer(ConfNode n, Diagnostics d) {
        Duration t = timer(n, d);
        if (t != null && t.isZero()) {
            d.error(n, n.keyword() + ": must be greater than 0");
            return null;
        }
        return t;
    }

    /** An integer in [min, max]. */
    static Long integer(ConfNode n, long min, long max, Diagnostics d) {
        String a = arg(n, d);
        return a == null ? null : integer(n, a, min, max, d);
    }

    static Long integer(ConfNode n, String a, long min, long max, Diagnostics d) {
        try {
            long v = Long.parseLong(a);
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            d.error(n, n.keyword() + ": invalid value '" + a + "' (expected " + min + ".." + max + ")");
            return null;
        }
    }

    /** A flag with an optional {@code <BOOL>}: {@code alpha}, {@code alpha off}. */
    static Boolean flag(ConfNode n, Diagnostics d) {
        String a = n.arg(0);
        if (a == null) {
            return true;
        }
        switch (a.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> {
                return true;
            }
            case "off", "false", "no" -> {
                return false;
            }
            default -> {
                d.error(n, n.keyword() + ": invalid boolean '" + a + "' (on|off|true|false|yes|no)");
                return null;
            }
        }
    }

    /** An IP address literal (no name lookup: a configuration load must not wait on DNS). */
    static InetAddress ip(ConfNode n, Diagnostics d) {
        String a = arg(n, d);
        if (a == null) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(a);
        } catch (IllegalArgumentException e) {
            d.error(n, n.keyword() + ": invalid IP address '" + a + "'");
            return null;
        }
    }

    /** A port 0..65535 (keepalived accepts 0 as "the real server's"). */
    static Integer port(ConfNode n, Diagnostics d) {
        Long v = integer(n, 0, 65535, d);
        return v == null ? null : v.intValue();
    }

    /**
     * A command line as keepalived splits {@code misc_path}: the statement's words, re-joined and split on
     * unquoted blanks; single or double quotes group a word with its blanks and are removed.
     */
    static List<String> commandLine(List<String> words) {
        String line = String.join(" ", words);
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}
