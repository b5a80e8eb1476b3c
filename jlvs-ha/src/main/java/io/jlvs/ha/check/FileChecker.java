package io.jlvs.ha.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * FILE_CHECK (keepalived {@code check_file.c} over {@code track_file.c}): the integer in a tracked file,
 * multiplied by {@code weight} (negated with {@code reverse}), decides the real server's state and, with
 * {@code dynamic}, adjusts its weight:
 * <ul>
 *   <li>the file holds an integer as C's {@code strtol(buf, NULL, 0)} reads its first 127 bytes (leading blanks,
 *       sign, 0x hex, 0 octal; no digits reads as 0); a missing or empty file reads as 0; a number outside
 *       [-2^31, 2^31] is ignored (the previous value stands, as keepalived logs "Invalid number");</li>
 *   <li>{@code weight 0}: a non-zero value is down (with reverse: zero is down);</li>
 *   <li>otherwise value x weight x (reverse ? -1 : 1) at or below -2^31 is down; above it is up and, with
 *       {@code dynamic}, that product is added to the real server's weight.</li>
 * </ul>
 * keepalived watches the file with inotify; jlvs reads it at every attempt (the ctl mapping polls FILE_CHECKs
 * every second), which gives the same states a second later at most.
 */
public final class FileChecker implements Checker {

    public static final String KIND = "FILE_CHECK";
    static final long FAULT = Integer.MIN_VALUE;

    /**
     * @param name    the track_file name (for logs)
     * @param file    its {@code file}
     * @param weight  FILE_CHECK {@code weight}, else the track_file's (default 1)
     * @param reverse {@code reverse}
     * @param dynamic {@code dynamic}: apply value x weight to the real server's weight
     */
    public record Spec(String name, Path file, int weight, boolean reverse, boolean dynamic) implements CheckSpec {
        public Spec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String target() {
            return name + " (" + file + ")";
        }

        @Override
        public Checker newChecker() {
            return new FileChecker(this);
        }

        @Override
        public Duration attemptTimeout() {
            return Duration.ofSeconds(2);
        }
    }

    private final Spec spec;
    private long lastValue;

    public FileChecker(Spec spec) {
        this.spec = spec;
    }

    @Override
    public CheckResult check() {
        String note = "";
        try {
            Long v = read(spec.file());
            if (v == null) {
                note = " (invalid number ignored)";
            } else {
                lastValue = v;
            }
        } catch (NoSuchFileException e) {
            lastValue = 0;
            note = " (no file)";
        } catch (IOException e) {
            note = " (unreadable: " + e.getMessage() + ")";
        }
        return judge(lastValue, note);
    }

    CheckResult judge(long value, String note) {
        String what = "value " + value + note;
        if (spec.weight() == 0) {
            boolean fault = (value != 0) != spec.reverse();
            return fault ? CheckResult.down(what) : CheckResult.up(what);
        }
        long status = value * spec.weight() * (spec.reverse() ? -1 : 1);
        if (status <= FAULT) {
            return CheckResult.down(what + " x weight " + spec.weight() + (spec.reverse() ? " reversed" : ""));
        }
        long delta = Math.min(status, Integer.MAX_VALUE);
        return spec.dynamic() ? CheckResult.upAdding(what, delta) : CheckResult.up(what);
    }

    /** The value in {@code file}: 0 when empty, null when the number is out of range. */
    static Long read(Path file) throws IOException {
        byte[] buf;
        try (InputStream in = Files.newInputStream(file)) {
            buf = in.readNBytes(127);
        }
        return strtol(new String(buf, StandardCharsets.ISO_8859_1));
    }

    /** C's {@code strtol(s, NULL, 0)} as keepalived uses it; null when outside [INT_MIN, INT_MAX + 1]. */
    static Long strtol(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int base = 10;
        if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < n && Character.digit(s.charAt(i + 2), 16) >= 0) {
            base = 16;
            i += 2;
        } else if (i < n && s.charAt(i) == '0') {
            base = 8;
        }
        long v = 0;
        boolean overflow = false;
        while (i < n) {
            int d = Character.digit(s.charAt(i), base);
            if (d < 0 || s.charAt(i) > 0x7F) {
                break;
            }
            if (!overflow) {
                v = v * base + d;
                if (v > (1L << 40)) {
                    overflow = true;
                }
            }
            i++;
        }
        if (overflow) {
            return null;
        }
        long r = neg ? -v : v;
        if (r < Integer.MIN_VALUE || r > (long) Integer.MAX_VALUE + 1) {
            return null;
        }
        return r;
    }
}
