package io.jlvs.netio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.jlvs.netio.sys.IcmpSockets;
import java.lang.foreign.MemoryLayout.PathElement;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ICMP echo to loopback through a ping socket or a raw socket (whichever this process may open). */
class PingTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void sockaddrLayoutsMatchNetinetIn() {
        assertThat(IcmpSockets.SOCKADDR_IN.byteSize()).isEqualTo(16);
        assertThat(IcmpSockets.SIN_ADDR_OFFSET).isEqualTo(4);
        assertThat(IcmpSockets.SOCKADDR_IN6.byteSize()).isEqualTo(28);
        assertThat(IcmpSockets.SIN6_ADDR_OFFSET).isEqualTo(8);
        assertThat(IcmpSockets.SOCKADDR_IN6.byteOffset(PathElement.groupElement("sin6_scope_id"))).isEqualTo(24);
    }

    @Test
    void echoRequestV4CarriesIdSeqAndAValidChecksum() {
        byte[] p = Ping.request(false, 0x1234, 0xABCD, 42);
        assertThat(p[0]).isEqualTo((byte) 8);
        assertThat(p[4]).isEqualTo((byte) 0x12);
        assertThat(p[7]).isEqualTo((byte) 0xCD);
        assertThat(Ping.checksum(p, 0, p.length)).isZero();
    }

    @Test
    void replyMatchingChecksTypeSequenceAndForRawTheIdentifier() {
        byte[] reply = Ping.request(false, 7, 9, 0);
        reply[0] = 0;
        assertThat(Ping.isReply(reply, reply.length, false, false, 1, 9)).isTrue();
        assertThat(Ping.isReply(reply, reply.length, false, false, 1, 10)).isFalse();
        byte[] withIp = new byte[20 + reply.length];
        withIp[0] = 0x45;
        System.arraycopy(reply, 0, withIp, 20, reply.length);
        assertThat(Ping.isReply(withIp, withIp.length, false, true, 7, 9)).isTrue();
        assertThat(Ping.isReply(withIp, withIp.length, false, true, 8, 9)).isFalse();
        byte[] request = Ping.request(false, 7, 9, 0);
        assertThat(Ping.isReply(request, request.length, false, false, 7, 9)).as("our own request").isFalse();
    }

    @Test
    void loopbackV4Answers() throws Exception {
        assumeThat(NetioAvailability.isAvailable()).as(NetioAvailability.unavailabilityCause().orElse("")).isTrue();
        Ping.Result r = Ping.echo(InetAddress.getByName("127.0.0.1"), null, 0, 2 * SECOND);
        assertThat(r.replied()).as(r.detail()).isTrue();
        assertThat(r.rttNanos()).isPositive();
    }

    @Test
    void loopbackV6AnswersWithASourceAddress() throws Exception {
        assumeThat(NetioAvailability.isAvailable()).isTrue();
        Ping.Result r = Ping.echo(InetAddress.getByName("::1"), InetAddress.getByName("::1"), 0, 2 * SECOND);
        assertThat(r.replied()).as(r.detail()).isTrue();
    }

    @Test
    void anInterruptedWaitThrows() throws Exception {
        assumeThat(NetioAvailability.isAvailable()).isTrue();
        Thread.currentThread().interrupt();
        try {
            Ping.echo(InetAddress.getByName("127.0.0.1"), null, 0, 2 * SECOND);
            org.assertj.core.api.Assertions.fail("expected InterruptedException");
        } catch (InterruptedException expected) {
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }
}
