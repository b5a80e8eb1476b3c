package io.jlvs.ha.check;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;

/**
 * TCP_CHECK (keepalived {@code check_tcp.c}): up when a TCP connection to the target completes within
 * connect_timeout; the connection is closed at once.
 */
public final class TcpChecker implements Checker {

    public static final String KIND = "TCP_CHECK";

    /** @param conn target, bind, connect_timeout */
    public record Spec(ConnectOptions conn) implements CheckSpec {
        public Spec {
            Objects.requireNonNull(conn, "conn");
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
            return new TcpChecker(this);
        }

        @Override
        public Duration attemptTimeout() {
            return conn.connectTimeout().plusSeconds(1);
        }
    }

    private final Spec spec;

    public TcpChecker(Spec spec) {
        this.spec = spec;
    }

    @Override
    public CheckResult check() throws InterruptedException {
        try (Socket s = Net.connect(spec.conn(), Net.Deadline.after(spec.conn().connectTimeout()))) {
            return CheckResult.up("connected");
        } catch (IOException e) {
            Net.rethrowIfInterrupted(e);
            return CheckResult.down(Net.describe(e));
        }
    }
}
