package io.jlvs.ha.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * DNS_CHECK (keepalived {@code check_dns.c}): one query over UDP (recursion desired, class IN, {@code type}
 * default SOA, {@code name} default "."), and up when a response arrives with our ID, the QR bit set and
 * RCODE 0 (NOERROR), whatever its answer section. As keepalived: datagrams shorter than a header, with another
 * ID, or that are queries are ignored and the wait goes on; a response with another RCODE fails the attempt;
 * no response within connect_timeout fails it; an ICMP port unreachable fails it.
 *
 * <pre>
 *  header: ID(16) | QR(1) OPCODE(4) AA TC RD RA Z(3) RCODE(4) | QDCOUNT | ANCOUNT | NSCOUNT | ARCOUNT
 *  question: QNAME (length-prefixed labels, 0) | QTYPE(16) | QCLASS(16)
 * </pre>
 */
public final class DnsChecker implements Checker {

    public static final String KIND = "DNS_CHECK";
    public static final String DEFAULT_NAME = ".";
    public static final int TYPE_SOA = 6;
    static final int HEADER = 12;

    /** The query types keepalived knows, by keyword (case-insensitive). */
    public static final Map<String, Integer> TYPES = Map.of(
            "A", 1, "NS", 2, "CNAME", 5, "SOA", 6, "MX", 15, "TXT", 16, "AAAA", 28, "RRSIG", 46, "DNSKEY", 48);

    /** The query type of {@code keyword}, or -1. */
    public static int type(String keyword) {
        Integer t = TYPES.get(keyword.toUpperCase(Locale.ROOT));
        return t == null ? -1 : t;
    }

    /**
     * @param conn target, bind, connect_timeout
     * @param type QTYPE ({@link #TYPES})
     * @param name QNAME, "." for the root
     */
    public record Spec(ConnectOptions conn, int type, String name) implements CheckSpec {
        public Spec {
            Objects.requireNonNull(conn, "conn");
            Objects.requireNonNull(name, "name");
            if (type <= 0 || type > 0xFFFF) {
                throw new IllegalArgumentException("bad DNS type " + type);
            }
            encodeName(name); // validates the labels
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
            return new DnsChecker(this);
        }

        @Override
        public Duration attemptTimeout() {
            return conn.connectTimeout().plusSeconds(1);
        }
    }

    private final Spec spec;

    public DnsChecker(Spec spec) {
        this.spec = spec;
    }

    @Override
    public CheckResult check() throws InterruptedException {
        Net.Deadline deadline = Net.Deadline.after(spec.conn().connectTimeout());
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        byte[] query = query(id, spec.type(), spec.name());
        try (DatagramSocket s = spec.conn().bindTo() != null ? new DatagramSocket(spec.conn().bindTo())
                : new DatagramSocket()) {
            s.connect(spec.conn().target());
            s.send(new DatagramPacket(query, query.length));
            byte[] buf = new byte[4096];
            while (true) {
                s.setSoTimeout(deadline.stepMillis(spec.conn().connectTimeout()));
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                int verdict = judge(buf, p.getLength(), id);
                if (verdict == 0) {
                    return CheckResult.up("NOERROR response");
                }
                if (verdict > 0) {
                    return CheckResult.down("response RCODE " + verdict);
                }
                // ignored datagram: keep waiting until the step times out
            }
        } catch (SocketTimeoutException e) {
            return CheckResult.down("no response within " + spec.conn().connectTimeout().toMillis() + " ms");
        } catch (IOException e) {
            Net.rethrowIfInterrupted(e);
            return CheckResult.down(Net.describe(e));
        }
    }

    /** 0 for a NOERROR response to {@code id}, the RCODE (> 0) of an error response, -1 to ignore the datagram. */
    static int judge(byte[] b, int len, int id) {
        if (len < HEADER) {
            return -1;
        }
        int gotId = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        if (gotId != id) {
            return -1;
        }
        if ((b[2] & 0x80) == 0) {
            return -1; // QR clear: a query, not a response
        }
        return b[3] & 0x0F;
    }

    /** A standard query: RD set, one question of {@code type} IN for {@code name}. */
    static byte[] query(int id, int type, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER + name.length() + 6);
        out.write(id >>> 8);
        out.write(id);
        out.write(0x01); // QR=0 OPCODE=0 AA=0 TC=0 RD=1
        out.write(0x00);
        out.write(0);
        out.write(1); // QDCOUNT
        for (int i = 0; i < 6; i++) {
            out.write(0); // ANCOUNT, NSCOUNT, ARCOUNT
        }
        out.writeBytes(encodeName(name));
        out.write(type >>> 8);
        out.write(type);
        out.write(0);
        out.write(1); // IN
        return out.toByteArray();
    }

    /**
     * QNAME of {@code name}: "." and "" are the root; a trailing dot is optional.
     *
     * @throws IllegalArgumentException an empty or over-long label, or a name over 255 bytes
     */
    public static byte[] encodeName(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!n.isEmpty()) {
            for (String label : n.split("\\.", -1)) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                if (l.length == 0 || l.length > 63) {
                    throw new IllegalArgumentException("DNS name " + name + ": labels have 1 to 63 characters");
                }
                out.write(l.length);
                out.writeBytes(l);
            }
        }
        out.write(0);
        if (out.size() > 255) {
            throw new IllegalArgumentException("DNS name " + name + " is longer than 255 bytes");
        }
        return out.toByteArray();
    }
}
