package io.jlvs.ha.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** DNS_CHECK against a tiny UDP DNS responder on loopback. */
class DnsCheckerTest {

    /** Answers each query with what {@code answer} makes of it (a list of datagrams, possibly empty). */
    private static final class Responder implements AutoCloseable {
        final DatagramSocket socket;
        final List<byte[]> queries = new CopyOnWriteArrayList<>();
        final Thread thread;

        Responder(Function<byte[], List<byte[]>> answer) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(Servers.v4(), 0));
            thread = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[512];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        byte[] q = Arrays.copyOf(buf, p.getLength());
                        queries.add(q);
                        for (byte[] r : answer.apply(q)) {
                            socket.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
            thread.interrupt();
        }
    }

    /** The query turned into a response: QR set, RA set, the given RCODE (and optionally another ID). */
    private static byte[] response(byte[] q, int rcode, int idDelta) {
        byte[] r = q.clone();
        int id = (((q[0] & 0xFF) << 8) | (q[1] & 0xFF)) + idDelta;
        r[0] = (byte) (id >>> 8);
        r[1] = (byte) id;
        r[2] |= (byte) 0x80;
        r[3] = (byte) (0x80 | rcode);
        return r;
    }

    private static CheckResult check(int port, int type, String name) throws InterruptedException {
        return new DnsChecker.Spec(Servers.to(port), type, name).newChecker().check();
    }

    @Test
    void upOnANoErrorResponseAndTheQueryIsKeepalivedS() throws Exception {
        try (Responder r = new Responder(q -> List.of(response(q, 0, 0)))) {
            CheckResult res = check(r.port(), DnsChecker.TYPE_SOA, ".");
            assertThat(res.up()).as(res.detail()).isTrue();
            byte[] q = r.queries.getFirst();
            assertThat(q).hasSize(12 + 1 + 4);
            assertThat(q[2]).as("RD").isEqualTo((byte) 0x01);
            assertThat(Arrays.copyOfRange(q, 4, 6)).containsExactly(0, 1);
            assertThat(Arrays.copyOfRange(q, 12, 17)).containsExactly(0, 0, 6, 0, 1);
        }
    }

    @Test
    void theNameIsEncodedAsLabels() throws Exception {
        try (Responder r = new Responder(q -> List.of(response(q, 0, 0)))) {
            assertThat(check(r.port(), DnsChecker.type("aaaa"), "www.example.test.").up()).isTrue();
            byte[] q = r.queries.getFirst();
            byte[] name = Arrays.copyOfRange(q, 12, q.length - 4);
            assertThat(new String(name, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("\u0003www\u0007example\u0004test\u0000");
            assertThat(q[q.length - 3]).isEqualTo((byte) 28);
        }
    }

    @Test
    void anErrorRcodeIsDown() throws Exception {
        try (Responder r = new Responder(q -> List.of(response(q, 2, 0)))) {
            CheckResult res = check(r.port(), DnsChecker.TYPE_SOA, ".");
            assertThat(res.up()).isFalse();
            assertThat(res.detail()).isEqualTo("response RCODE 2");
        }
    }

    @Test
    void foreignIdsShortDatagramsAndQueriesAreIgnored() throws Exception {
        try (Responder r = new Responder(q -> List.of(new byte[] {1, 2, 3}, response(q, 0, 1), q, response(q, 0, 0)))) {
            assertThat(check(r.port(), DnsChecker.TYPE_SOA, ".").up()).isTrue();
        }
        try (Responder r = new Responder(q -> List.of(response(q, 0, 1)))) {
            assertThat(check(r.port(), DnsChecker.TYPE_SOA, ".").detail()).startsWith("no response");
        }
    }

    @Test
    void downWhenNobodyListensOrNobodyAnswers() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(Servers.v4(), 0))) {
            port = s.getLocalPort();
        }
        assertThat(check(port, DnsChecker.TYPE_SOA, ".").detail()).isEqualTo("port unreachable");
        try (Responder r = new Responder(q -> List.of())) {
            assertThat(check(r.port(), DnsChecker.TYPE_SOA, ".").detail()).startsWith("no response");
        }
    }

    @Test
    void badNamesAreRefused() {
        assertThatThrownBy(() -> DnsChecker.encodeName("a..b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsChecker.encodeName("x".repeat(64))).isInstanceOf(IllegalArgumentException.class);
        assertThat(DnsChecker.encodeName("")).containsExactly(0);
        assertThat(DnsChecker.type("mx")).isEqualTo(15);
        assertThat(DnsChecker.type("SRV")).isEqualTo(-1);
    }
}
