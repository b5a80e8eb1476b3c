package io.jlvs.ha.check;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * keepalived's common connection keywords ({@code conn_opts_t}), resolved: {@code connect_ip}/{@code
 * connect_port} (default: the real server's address and port), {@code bindto}/{@code bind_port},
 * {@code connect_timeout} (default 5 s; every network step of an attempt gets this long), {@code fwmark}
 * (SO_MARK; only PING_CHECK applies it, see the ctl mapping).
 *
 * @param target         where to connect (resolved address; port 0 for PING_CHECK)
 * @param bindTo         local address and/or port to bind, or null
 * @param connectTimeout per-step timeout
 * @param fwmark         SO_MARK for outgoing packets, 0 for none
 */
public record ConnectOptions(InetSocketAddress target, InetSocketAddress bindTo, Duration connectTimeout, int fwmark) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    public ConnectOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("unresolved target " + target);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect_timeout must be positive: " + connectTimeout);
        }
    }

    public static ConnectOptions to(InetSocketAddress target, Duration connectTimeout) {
        return new ConnectOptions(target, null, connectTimeout, 0);
    }

    /** {@code 192.0.2.1:80}, {@code [2001:db8::1]:80}. */
    public String targetText() {
        return hostPort(target);
    }

    public int connectTimeoutMillis() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            int pct = host.indexOf('%');
            host = "[" + (pct >= 0 ? host.substring(0, pct) : host) + "]";
        }
        return host + ":" + a.getPort();
    }
}
