package io.jlvs.netio;

import static io.jlvs.netio.IpTool.ipn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlvs.netio.sys.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A non-blocking TUN device in a namespace {@code jlvstn<hex>}: {@link Tun#readNow} answers EAGAIN at once when
 * nothing is queued, and returns the packet the stack routed to the device (a UDP datagram sent to
 * 203.0.113.2 through {@code jlvstn0} 203.0.113.1/24) when there is one.
 */
@Tag("netns")
class TunNetnsIT {
    private String ns;

    @BeforeEach
    void setUp() {
        IpTool.assumeRootAndIp();
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/net/tun")), "SKIPPED: /dev/net/tun missing (no TUN driver)");
        ns = IpTool.uniqueName("jlvstn");
        IpTool.addNetns(ns);
    }

    @AfterEach
    void tearDown() {
        if (ns != null) IpTool.delNetns(ns);
    }

    @Test
    void readNowNeverWaitsAndReturnsWhatTheStackRoutedToTheDevice() throws Exception {
        try (Netns.Scope in = Netns.enter(ns); Tun tun = Tun.open("jlvstn0", true); Arena arena = Arena.ofConfined()) {
            IpTool.ok("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.jlvstn0.disable_ipv6=1");   // no MLD, RS
            tun.bringUp();
            ipn(ns, "addr", "add", "203.0.113.1/24", "dev", "jlvstn0");
            MemorySegment buf = arena.allocate(2048);
            for (int i = 0; i < 16 && tun.readNow(buf, 16, 1500) > 0; i++) {
                // whatever the stack sent when the device came up
            }
            long t0 = System.nanoTime();
            assertThat(tun.readNow(buf, 16, 1500)).isEqualTo(-Errno.EAGAIN);
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));

            byte[] payload = "to the tun device".getBytes(StandardCharsets.US_ASCII);
            try (DatagramSocket s = new DatagramSocket()) {                   // opened inside: the namespace's socket
                s.send(new DatagramPacket(payload, payload.length, new InetSocketAddress("203.0.113.2", 9)));
            }
            int n = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                n = tun.readNow(buf, 16, 1500);
                if (n > 0 && (buf.get(ValueLayout.JAVA_BYTE, 16) & 0xF0) == 0x40) break;   // not an IPv6 solicitation
                Thread.sleep(10);                                              // polling the device, bounded
            }
            assertThat(n).isEqualTo(20 + 8 + payload.length);
            assertThat(buf.get(ValueLayout.JAVA_BYTE, 16 + 9)).isEqualTo((byte) 17);            // UDP
            byte[] got = buf.asSlice(16 + 28, payload.length).toArray(ValueLayout.JAVA_BYTE);
            assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("to the tun device");
        }
    }

    @Test
    void readNowOnABlockingDeviceIsRefused() throws Exception {
        try (Netns.Scope in = Netns.enter(ns); Tun tun = Tun.open("jlvstn1"); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64);
            assertThatThrownBy(() -> tun.readNow(buf, 0, 64)).isInstanceOf(IllegalStateException.class);
        }
    }
}
