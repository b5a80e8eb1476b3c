package io.jlvs.ha.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** UDP_CHECK against a UDP responder on loopback, and keepalived's hex string format. */
class UdpCheckerTest {

    private static final class Responder implements AutoCloseable {
        final DatagramSocket socket;
        volatile byte[] lastPayload;
        final Thread thread;

        /** {@code reply} maps a datagram to the answer, or null for silence. */
        Responder(UnaryOperator<byte[]> reply) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(Servers.v4(), 0));
            thread = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[2048];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        lastPayload = Arrays.copyOf(buf, p.getLength());
                        byte[] r = reply.apply(lastPayload);
                        if (r != null) {
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

    private static UdpChecker.Spec spec(int port, String payload, boolean requireReply, String reply, int min, int max) {
        return new UdpChecker.Spec(Servers.to(port), payload == null ? null : HexPattern.parse(payload, false),
                requireReply, reply == null ? null : HexPattern.parse(reply, true), min, max);
    }

    @Test
    void echoServerIsUpAndThePayloadIsSent() throws Exception {
        try (Responder echo = new Responder(b -> b)) {
            CheckResult r = spec(echo.port(), "de ad be ef", true, null, 0, 255).newChecker().check();
            assertThat(r.up()).as(r.detail()).isTrue();
            assertThat(echo.lastPayload).containsExactly(0xde, 0xad, 0xbe, 0xef);
        }
    }

    @Test
    void withoutPayloadRandomBytesAreSent() throws Exception {
        try (Responder echo = new Responder(b -> b)) {
            assertThat(spec(echo.port(), null, true, null, 0, 255).newChecker().check().up()).isTrue();
            assertThat(echo.lastPayload).hasSize(UdpChecker.RANDOM_PAYLOAD);
        }
    }

    @Test
    void replyPatternWithWildcardsAndLengthLimits() throws Exception {
        try (Responder echo = new Responder(b -> b)) {
            assertThat(spec(echo.port(), "12 34 56", true, "12 3x", 0, 255).newChecker().check().up()).isTrue();
            CheckResult mismatch = spec(echo.port(), "12 34 56", true, "12 44", 0, 255).newChecker().check();
            assertThat(mismatch.up()).isFalse();
            assertThat(mismatch.detail()).isEqualTo("reply data mismatch");
            assertThat(spec(echo.port(), "12 34 56", true, null, 4, 255).newChecker().check().up()).isFalse();
            assertThat(spec(echo.port(), "12 34 56", true, null, 0, 2).newChecker().check().detail())
                    .contains("more than 2 bytes");
        }
    }

    @Test
    void silenceIsUpUnlessAReplyIsRequired() throws Exception {
        try (Responder silent = new Responder(b -> null)) {
            assertThat(spec(silent.port(), "01", false, null, 0, 255).newChecker().check().up()).isTrue();
            CheckResult r = spec(silent.port(), "01", true, null, 0, 255).newChecker().check();
            assertThat(r.up()).isFalse();
            assertThat(r.detail()).startsWith("no reply");
        }
    }

    @Test
    void portUnreachableIsDown() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(Servers.v4(), 0))) {
            port = s.getLocalPort();
        }
        CheckResult r = spec(port, "01", false, null, 0, 255).newChecker().check();
        assertThat(r.up()).isFalse();
        assertThat(r.detail()).isEqualTo("port unreachable");
    }

    @Test
    void hexStringsAreReadAsKeepalivedReadsThem() {
        assertThat(HexPattern.parse("Ab12f 3 456 546443123", false).data())
                .containsExactly(0xAB, 0x12, 0x0F, 0x03, 0x45, 0x06, 0x54, 0x64, 0x43, 0x12, 0x03);
        HexPattern p = HexPattern.parse("1x X2", true);
        assertThat(p.data()).containsExactly(0x10, 0x02);
        assertThat(p.mask()).containsExactly(0x0F, 0xF0);
        assertThat(p.matchesPrefix(new byte[] {0x1F, (byte) 0xE2, 9}, 3)).isTrue();
        assertThat(p.matchesPrefix(new byte[] {0x2F}, 1)).isFalse();
        assertThat(HexPattern.parse("0a", false)).isEqualTo(HexPattern.parse("0A", false));
        assertThatThrownBy(() -> HexPattern.parse("0g", false)).hasMessageContaining("'g'");
        assertThatThrownBy(() -> HexPattern.parse("1x", false)).hasMessageContaining("'x'");
        assertThatThrownBy(() -> HexPattern.parse("  ", false)).hasMessageContaining("empty");
    }
}
