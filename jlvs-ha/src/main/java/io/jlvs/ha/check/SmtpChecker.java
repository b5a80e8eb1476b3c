package io.jlvs.ha.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * SMTP_CHECK (keepalived {@code check_smtp.c}): connect, expect the 220 banner, send {@code HELO helo_name},
 * expect 250, send {@code QUIT}, expect 221. Multi-line replies ({@code 250-...} continued by {@code 250 ...})
 * are read to their last line. Each step is bounded by connect_timeout.
 */
public final class SmtpChecker implements Checker {

    public static final String KIND = "SMTP_CHECK";
    /** keepalived's {@code SMTP_DEFAULT_HELO}. */
    public static final String DEFAULT_HELO = "smtpchecker.keepalived.org";
    private static final int MAX_LINE = 512;

    /**
     * @param conn     target, bind, connect_timeout
     * @param heloName {@code helo_name}
     */
    public record Spec(ConnectOptions conn, String heloName) implements CheckSpec {
        public Spec {
            Objects.requireNonNull(conn, "conn");
            heloName = heloName == null ? DEFAULT_HELO : heloName;
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String target() {
            return conn.targetText();
        }

        @Override
        public Checker newChecker() {
            return new SmtpChecker(this);
        }

        /** connect, banner, HELO, QUIT. */
        @Override
        public Duration attemptTimeout() {
            return conn.connectTimeout().multipliedBy(4).plusSeconds(1);
        }
    }

    private final Spec spec;

    public SmtpChecker(Spec spec) {
        this.spec = spec;
    }

    @Override
    public CheckResult check() throws InterruptedException {
        Net.Deadline deadline = Net.Deadline.after(spec.attemptTimeout());
        Duration step = spec.conn().connectTimeout();
        try (Socket s = Net.connect(spec.conn(), deadline)) {
            InputStream in = new java.io.BufferedInputStream(s.getInputStream(), MAX_LINE);
            OutputStream out = s.getOutputStream();
            s.setSoTimeout(deadline.stepMillis(step));
            int code = reply(in);
            if (code != 220) {
                return CheckResult.down("banner " + describe(code) + ", expected 220");
            }
            out.write(("HELO " + spec.heloName() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.setSoTimeout(deadline.stepMillis(step));
            code = reply(in);
            if (code != 250) {
                return CheckResult.down("HELO answered " + describe(code) + ", expected 250");
            }
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.setSoTimeout(deadline.stepMillis(step));
            code = reply(in);
            if (code != 221) {
                return CheckResult.down("QUIT answered " + describe(code) + ", expected 221");
            }
            return CheckResult.up("SMTP dialogue ok");
        } catch (IOException e) {
            Net.rethrowIfInterrupted(e);
            return CheckResult.down(Net.describe(e));
        }
    }

    private static String describe(int code) {
        return code == -1 ? "closed" : code == -2 ? "unreadable" : Integer.toString(code);
    }

    /** The code of one reply (its last line), -1 at end of stream, -2 for a line that is not a reply. */
    static int reply(InputStream in) throws IOException {
        while (true) {
            String line = line(in);
            if (line == null) {
                return -1;
            }
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2))) {
                return -2;
            }
            if (line.length() > 3 && line.charAt(3) == '-') {
                continue; // a continuation line: the reply goes on
            }
            return Integer.parseInt(line.substring(0, 3));
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < MAX_LINE) {
            int c = in.read();
            if (c < 0) {
                return sb.isEmpty() ? null : sb.toString();
            }
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
