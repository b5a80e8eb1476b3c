package io.jlvs.ha.check;

import io.jlvs.netio.Ping;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * PING_CHECK (keepalived {@code check_ping.c}): one ICMP or ICMPv6 echo request, up when the reply comes back
 * within connect_timeout. Through {@link Ping}: a ping socket when {@code net.ipv4.ping_group_range} admits us,
 * a raw socket as root. {@code bindto} sets the source address and {@code fwmark} marks the request.
 */
public final class PingChecker implements Checker {

    public static final String KIND = "PING_CHECK";

    /** @param conn target address (the port is unused), bindto, connect_timeout, fwmark */
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
            return conn.target().getAddress().getHostAddress();
        }

        @Override
        public Checker newChecker() {
            return new PingChecker(this);
        }

        @Override
        public Duration attemptTimeout() {
            return conn.connectTimeout().plusSeconds(1);
        }
    }

    private final Spec spec;

    public PingChecker(Spec spec) {
        this.spec = spec;
    }

    @Override
    public CheckResult check() throws InterruptedException {
        ConnectOptions co = spec.conn();
        try {
            Ping.Result r = Ping.echo(co.target().getAddress(), co.bindTo() == null ? null : co.bindTo().getAddress(),
                    co.fwmark(), co.connectTimeout().toNanos());
            return r.replied() ? CheckResult.up("echo reply in " + r.rttNanos() / 1000 + " us")
                    : CheckResult.down(r.detail());
        } catch (IOException | UnsupportedOperationException e) {
            return CheckResult.down("cannot ping: " + e.getMessage());
        }
    }
}
