package io.jlvs.ctl.metrics;

import java.math.BigDecimal;

/**
 * The Prometheus text exposition format, version 0.0.4, written as the Go client's {@code expfmt} writes it
 * ({@code expfmt/text_create.go}), so a scrape of jlvs reads like a scrape of node_exporter:
 * {@code # HELP name text}, {@code # TYPE name counter|gauge}, then one {@code name{l1="v1",l2="v2"} value} line
 * per sample, labels in the order given (callers give them sorted by name, as the Go registry does). A family
 * whose first sample never comes is not written at all (the Go registry drops empty families).
 *
 * <p>Escaping: in HELP text {@code \} and newline become {@code \\} and {@code \n}; in label values also
 * {@code "} becomes {@code \"}. Values are float64 printed as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}
 * with {@code 0}, {@code 1}, {@code -1}, {@code NaN}, {@code +Inf}, {@code -Inf} spelled out: integers up to
 * 999999 print as themselves, larger ones in shortest exponent form ({@code 1e+06}, {@code 1.234567e+06}).
 */
final class TextFormat {
    private final StringBuilder out;
    private String pendingName, pendingHelp, pendingType;

    TextFormat(StringBuilder out) { this.out = out; }

    /** Starts a family; its HELP and TYPE lines are written with its first sample. */
    TextFormat family(String name, String help, String type) {
        pendingName = name;
        pendingHelp = help;
        pendingType = type;
        return this;
    }

    /** One sample of the current family; {@code labels} are name, value pairs. */
    TextFormat sample(double value, String... labels) {
        if (pendingName == null) throw new IllegalStateException("sample before family");
        if (pendingHelp != null) {
            out.append("# HELP ").append(pendingName).append(' ');
            escape(pendingHelp, false, out);
            out.append("\n# TYPE ").append(pendingName).append(' ').append(pendingType).append('\n');
            pendingHelp = null;
        }
        out.append(pendingName);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) out.append(',');
                out.append(labels[i]).append("=\"");
                escape(labels[i + 1], true, out);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value(value)).append('\n');
        return this;
    }

    /** {@code expfmt}'s escaping: label values also escape the double quote, HELP text does not. */
    static void escape(String s, boolean labelValue, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(labelValue ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }

    static String escape(String s, boolean labelValue) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        escape(s, labelValue, sb);
        return sb.toString();
    }

    /** An unsigned 64-bit counter as float64 (rounded to nearest, as Go's {@code float64(uint64)}). */
    static double unsigned(long v) {
        return v >= 0 ? (double) v : ((double) ((v >>> 1) | (v & 1))) * 2.0;
    }

    /** Go's {@code writeFloat}: special values spelled out, otherwise {@code FormatFloat(f, 'g', -1, 64)}. */
    static String value(double f) {
        if (f == 1) return "1";
        if (f == 0) return "0";
        if (f == -1) return "-1";
        if (Double.isNaN(f)) return "NaN";
        if (f == Double.POSITIVE_INFINITY) return "+Inf";
        if (f == Double.NEGATIVE_INFINITY) return "-Inf";
        // shortest decimal that reads back as f (Double.toString is shortest since JDK 19, as Go's 'g', -1)
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int nd = digits.length(), dp = nd - bd.scale(), exp = dp - 1;
        StringBuilder sb = new StringBuilder(24);
        if (f < 0) sb.append('-');
        if (exp < -4 || exp >= 6) {                          // %e: d.ddde+XX, at least two exponent digits
            sb.append(digits.charAt(0));
            if (nd > 1) sb.append('.').append(digits, 1, nd);
            sb.append('e').append(exp < 0 ? '-' : '+');
            int e = Math.abs(exp);
            if (e < 10) sb.append('0');
            sb.append(e);
        } else if (dp <= 0) {                                // 0.000ddd
            sb.append("0.").append("0".repeat(-dp)).append(digits);
        } else if (dp >= nd) {                               // ddd000
            sb.append(digits).append("0".repeat(dp - nd));
        } else {                                             // ddd.ddd
            sb.append(digits, 0, dp).append('.').append(digits, dp, nd);
        }
        return sb.toString();
    }
}
