package io.jlvs.ha.check;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UDP_CHECK (keepalived {@code check_udp.c}): one datagram ({@code payload}, or 32 random bytes) from a
 * connected UDP socket, then a wait of connect_timeout.
 * <ul>
 *   <li>Without {@code require_reply}: an ICMP error (port unreachable...) fails the attempt; silence or any
 *       reply passes it.</li>
 *   <li>With {@code require_reply}: a reply must arrive, be {@code min_reply_length}..{@code max_reply_length}
 *       bytes long (default 0..255), and, when a pattern is given, equal it over the shorter of the two lengths
 *       (X digits matching anything).</li>
 * </ul>
 * An ICMP error needs the network to send one: keepalived's manual advises connect_timeout of a few seconds so a
 * host unreachable (an ARP timeout) has time to arrive.
 */
public final class UdpChecker implements Checker {

    public static final String KIND = "UDP_CHECK";
    public static final int DEFAULT_MAX_REPLY_LENGTH = 255;
    static final int RANDOM_PAYLOAD = 32;

    /**
     * @param conn           target, bind, connect_timeout
     * @param payload        {@code payload}, or null for random bytes
     * @param requireReply   {@code require_reply}
     * @param reply          the {@code require_reply} pattern, or null to accept any content
     * @param minReplyLength {@code min_reply_length}
     * @param maxReplyLength {@code max_reply_length}
     */
    public record Spec(ConnectOptions conn, HexPattern payload, boolean requireReply, HexPattern reply,
                       int minReplyLength, int maxReplyLength) implements CheckSpec {
        public Spec {
            Objects.requireNonNull(conn, "conn");
            if (minReplyLength < 0 || maxReplyLength < 0 || maxReplyLength > 65535 || minReplyLength > 65535) {
                throw new IllegalArgumentException("reply lengths are 0..65535");
            }
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
            return new UdpChecker(this);
        }

        @Override
        public Duration attemptTimeout() {
            return conn.connectTimeout().plusSeconds(1);
        }
    }

    private final Spec spec;

    public UdpChecker(Spec spec) {
        this.spec = spec;
    }

    @Override
    public CheckResult check() throws InterruptedException {
        byte[] payload;
        if (spec.payload() != null) {
            payload = spec.payload().data();
        } else {
            payload = new byte[RANDOM_PAYLOAD];
            ThreadLocalRandom.current().nextBytes(payload);
        }
        try (DatagramSocket s = spec.conn().bindTo() != null ? new DatagramSocket(spec.conn().bindTo())
                : new DatagramSocket()) {
            s.connect(spec.conn().target());
            s.send(new DatagramPacket(payload, payload.length));
            s.setSoTimeout(spec.conn().connectTimeoutMillis());
            byte[] buf = new byte[Math.max(spec.maxReplyLength(), 0) + 1];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return spec.requireReply() ? CheckResult.down("no reply within " + spec.conn().connectTimeout().toMillis()
                        + " ms") : CheckResult.up("no ICMP error");
            }
            if (!spec.requireReply()) {
                return CheckResult.up("reply received");
            }
            int len = p.getLength();
            if (len < spec.minReplyLength() || len > spec.maxReplyLength()) {
                return CheckResult.down("reply of " + (len > spec.maxReplyLength() ? "more than " + spec.maxReplyLength()
                        : len) + " bytes, expected " + spec.minReplyLength() + ".." + spec.maxReplyLength());
            }
            if (spec.reply() != null && !spec.reply().matchesPrefix(buf, len)) {
                return CheckResult.down("reply data mismatch");
            }
            return CheckResult.up("reply ok");
        } catch (IOException e) {
            Net.rethrowIfInterrupted(e);
            return CheckResult.down(Net.describe(e));
        }
    }
}
