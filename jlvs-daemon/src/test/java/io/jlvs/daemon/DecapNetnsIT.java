package io.jlvs.daemon;

import io.jlvs.netio.Tun;
import io.jlvs.netio.sys.Inet;
import io.jlvs.netio.sys.Libc;
import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jlvs decap} on a real server in a network namespace, fed tunnelled packets from another:
 *
 * <pre>
 *  netns jlvsdcNNNNNa (director + client stand-in)          netns jlvsdcNNNNNb (real server)
 *   jlvsdcNNNNNx 192.0.2.1/24 2001:db8:d::1/64 ---veth--- jlvsdcNNNNNy 192.0.2.2/24 2001:db8:d::2/64
 *   [TCP case: route VIP via TUN jlvsdcNNNNNe, a           lo: VIP 203.0.113.10/32, 2001:db8:f::10/128
 *    test process wraps each packet in IPIP to .2]         jlvs decap --dev jlvsdcNNNNNt --gue-port 6080
 *                                                          socat echo (UDP, TCP) on the VIPs, port 7
 * </pre>
 * Each case sends the client's packet to the VIP inside a tunnel (IPIP 4in4, GUE, 6in6, GRE with checksum: built
 * by {@link PacketBuilder}, the outer header added by the kernel through socat's raw/UDP sender), and the echo's
 * reply, sent by the real server's own stack from the VIP, must come back to the client untunnelled. A real TCP
 * connection runs over IPIP too, and an inner packet larger than the TUN device's MTU (as GRO merges them) goes
 * through. Last, a malformed packet is dropped, and the counters jlvs decap prints on
 * SIGTERM account for all of it. Needs root, socat and /dev/net/tun; skips and says why otherwise. Every process
 * runs under a time limit; namespaces and processes are removed whatever happens.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DecapNetnsIT {
    static final long STEP_TIMEOUT_S = 20;
    static final String A_IP = "192.0.2.1", B_IP = "192.0.2.2", A_IP6 = "2001:db8:d::1", B_IP6 = "2001:db8:d::2";
    static final String VIP = "203.0.113.10", VIP6 = "2001:db8:f::10";
    static final int GUE_PORT = 6080;

    final String id = "jlvsdc" + ThreadLocalRandom.current().nextInt(10000, 100000);
    final String nsA = id + "a", nsB = id + "b", vethA = id + "x", vethB = id + "y", tunB = id + "t", tunA = id + "e";
    final List<String> namespaces = new ArrayList<>();
    final List<Process> processes = new ArrayList<>();
    Process decap;
    Path decapLog;
    Path tmp;

    record Run(int rc, String out, String err) {}

    @BeforeAll
    void setUp() throws Exception {
        boolean root = "0".equals(exec(List.of("id", "-u")).out.strip());
        Assumptions.assumeTrue(root, "SKIPPED: netns test needs root (CI runs as root)");
        Assumptions.assumeTrue(exec(List.of("ip", "netns", "list")).rc == 0, "SKIPPED: iproute2 'ip netns' unavailable");
        Assumptions.assumeTrue(exec(List.of("socat", "-V")).rc == 0, "SKIPPED: socat unavailable (./jlvs test installs it)");
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/net/tun")), "SKIPPED: /dev/net/tun missing (no TUN driver)");
        tmp = Files.createTempDirectory("jlvs-decap-it");
        for (String ns : List.of(nsA, nsB)) {
            ok(List.of("ip", "netns", "add", ns));
            namespaces.add(ns);
        }
        ok(List.of("ip", "link", "add", vethA, "netns", nsA, "type", "veth", "peer", "name", vethB, "netns", nsB));
        ip(nsA, "link", "set", "lo", "up");
        ip(nsB, "link", "set", "lo", "up");
        ip(nsA, "addr", "add", A_IP + "/24", "dev", vethA);
        ip(nsA, "addr", "add", A_IP6 + "/64", "dev", vethA, "nodad");
        ip(nsA, "link", "set", vethA, "mtu", "9000", "up");
        ip(nsB, "addr", "add", B_IP + "/24", "dev", vethB);
        ip(nsB, "addr", "add", B_IP6 + "/64", "dev", vethB, "nodad");
        ip(nsB, "link", "set", vethB, "mtu", "9000", "up");
        ip(nsB, "addr", "add", VIP + "/32", "dev", "lo");
        ip(nsB, "addr", "add", VIP6 + "/128", "dev", "lo", "nodad");
        // the client's replies arrive on the veth while its route to the VIP (TCP case) is the TUN device
        ok(inNs(nsA, List.of("sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
                "net.ipv4.conf." + vethA + ".rp_filter=0")));

        decapLog = tmp.resolve("decap.log");
        decap = start(inNs(nsB, JlvsdNetnsIT.java("decap", "--dev", tunB, "--gue-port", String.valueOf(GUE_PORT))), decapLog);
        start(inNs(nsB, List.of("socat", "-T", "5", "UDP4-RECVFROM:7,bind=" + VIP + ",fork", "EXEC:cat")), tmp.resolve("echo4.log"));
        start(inNs(nsB, List.of("socat", "-T", "5", "UDP6-RECVFROM:7,bind=[" + VIP6 + "],fork", "EXEC:cat")), tmp.resolve("echo6.log"));
        start(inNs(nsB, List.of("socat", "-T", "5", "TCP4-LISTEN:7,bind=" + VIP + ",reuseaddr,fork", "EXEC:cat")), tmp.resolve("tcp.log"));
        awaitTrue(() -> Files.readString(decapLog).contains("jlvs decap: delivering to " + tunB), "jlvs decap started", decapLog);
        awaitTrue(() -> exec(inNs(nsB, List.of("ss", "-Hln", "sport", "=", ":7"))).out.lines().count() >= 3,
                "echo servers listening", tmp.resolve("echo4.log"));
    }

    @AfterAll
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (String ns : namespaces) exec(List.of("ip", "netns", "del", ns));
        if (tmp != null) {
            try (var files = Files.list(tmp)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(tmp);
        }
    }

    @Test
    @Order(1)
    void ipipV4UdpReachesTheEchoAndTheReplyComesBackDirectly() throws Exception {
        byte[] inner = udp4(40001, "ipip four in four");
        udpRoundTrip("UDP4-RECV:40001", inner, List.of("IP4-SENDTO:" + B_IP + ":4"), "ipip four in four");
    }

    @Test
    @Order(2)
    void gueV4Udp() throws Exception {
        byte[] payload = PacketBuilder.concat(PacketBuilder.gueHeader(4), udp4(40002, "gue over udp"));
        udpRoundTrip("UDP4-RECV:40002", payload, List.of("UDP4-SENDTO:" + B_IP + ":" + GUE_PORT), "gue over udp");
    }

    @Test
    @Order(3)
    void ipv6InIpv6Udp() throws Exception {
        byte[] inner = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv6(A_IP6, VIP6).hopLimit(64)
                .udp(40003, 7).payload("six in six").buildL3();
        udpRoundTrip("UDP6-RECV:40003", inner, List.of("IP6-SENDTO:[" + B_IP6 + "]:41"), "six in six");
    }

    @Test
    @Order(4)
    void greWithChecksumOverIpv6CarryingIpv4() throws Exception {
        byte[] gre = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(A_IP, B_IP)
                .gre(0x0800).greChecksum().payload(udp4(40004, "gre with checksum")).buildL3();
        byte[] greHeaderAndInner = java.util.Arrays.copyOfRange(gre, 20, gre.length);
        udpRoundTrip("UDP4-RECV:40004", greHeaderAndInner, List.of("IP6-SENDTO:[" + B_IP6 + "]:47"), "gre with checksum");
    }

    @Test
    @Order(5)
    void anInnerPacketLargerThanTheTunMtuAsGroMakesThem() throws Exception {
        String text = "big datagram " + "0123456789".repeat(399);              // 4031 octets of IP, TUN MTU 1500
        udpRoundTrip("UDP4-RECV:40005", udp4(40005, text), List.of("IP4-SENDTO:" + B_IP + ":4"), text.substring(0, 200));
    }

    @Test
    @Order(6)
    void aTcpConnectionOverIpip() throws Exception {
        Path ready = tmp.resolve("encap.log");
        start(inNs(nsA, javaMain(Encapsulator.class.getName(), tunA, B_IP, String.valueOf(STEP_TIMEOUT_S))), ready);
        awaitTrue(() -> Files.readString(ready).contains("ready"), "the test encapsulator", ready);
        ip(nsA, "route", "add", VIP + "/32", "dev", tunA, "src", A_IP);
        Run r = exec(inNs(nsA, List.of("socat", "-t", "3", "-T", "8", "-", "TCP4:" + VIP + ":7,connect-timeout=8")),
                "hello through a tunnel\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.out).as("TCP echo through IPIP and jlvs decap (socat: %s)", r.err).isEqualTo("hello through a tunnel\n");
    }

    @Test
    @Order(7)
    void malformedPacketsAreCountedAndTheCountersArePrintedOnSigterm() throws Exception {
        Path ctl = tmp.resolve("control.bin");
        Files.write(ctl, PacketBuilder.concat(new byte[] {0x20, 0, 0, 0}, udp4(40009, "a GUE control message")));
        ok(inNs(nsA, List.of("socat", "-u", "OPEN:" + ctl, "UDP4-SENDTO:" + B_IP + ":" + GUE_PORT)));
        Thread.sleep(300);                                                     // let the receiver count it
        decap.destroy();                                                       // SIGTERM (through timeout)
        assertThat(decap.waitFor(STEP_TIMEOUT_S, TimeUnit.SECONDS)).as("jlvs decap exits on SIGTERM").isTrue();
        String log = Files.readString(decapLog);
        String report = log.substring(log.lastIndexOf("jlvs decap on " + tunB));
        assertThat(report).contains("dropped 1 GUE_CONTROL");
        assertThat(report).containsPattern("raw4/4 +ipip 4in4 +received [1-9]\\d*, delivered [1-9]");
        assertThat(report).containsPattern("raw6/41 +ipip 6in6 +received [1-9]\\d*, delivered [1-9]");
        assertThat(report).containsPattern("raw6/47 +gre over IPv6 +received [1-9]\\d*, delivered [1-9]");
        assertThat(report).containsPattern("udp/6080 +gue over IPv4 and IPv6 +received [2-9]\\d*, delivered [1-9]");
        assertThat(exec(inNs(nsB, List.of("ip", "link", "show", tunB))).rc).as("the TUN device is gone").isNotZero();
    }

    // ------------------------------------------------------------------ helpers

    static byte[] udp4(int port, String text) {
        return PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(A_IP, VIP).ttl(64).id(port).df()
                .udp(port, 7).payload(text).buildL3();
    }

    /**
     * Listens with {@code listen} in the client's namespace, sends {@code bytes} with socat to {@code sendTo}
     * (raw IP or UDP: the kernel adds the outer header) until the listener has printed {@code expect}.
     */
    void udpRoundTrip(String listen, byte[] bytes, List<String> sendTo, String expect) throws Exception {
        Path packet = Files.write(tmp.resolve("packet-" + System.nanoTime() + ".bin"), bytes);
        Path got = tmp.resolve("got-" + System.nanoTime() + ".log");
        Process listener = start(inNs(nsA, List.of("socat", "-u", listen, "STDOUT")), got);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_S);
            while (System.nanoTime() < deadline && !Files.readString(got).contains(expect)) {
                List<String> send = new ArrayList<>(List.of("socat", "-u", "OPEN:" + packet));
                send.addAll(sendTo);
                ok(inNs(nsA, send));
                Thread.sleep(300);                                             // a reply is a round trip away; bounded
            }
            assertThat(Files.readString(got)).as("echo reply in the client's namespace (decap log: %s)",
                    Files.readString(decapLog)).contains(expect);
        } finally {
            listener.destroy();
            listener.waitFor(5, TimeUnit.SECONDS);
        }
    }

    interface Check { boolean ok() throws Exception; }

    void awaitTrue(Check check, String what, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            if (check.ok()) return;
            Thread.sleep(100);                                                 // polling a process start, bounded
        }
        throw new AssertionError(what + " not within " + STEP_TIMEOUT_S + " s; log: " + Files.readString(log));
    }

    Process start(List<String> cmd, Path log) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    void ip(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        ok(cmd);
    }

    static void ok(List<String> cmd) throws Exception {
        Run r = exec(cmd);
        assertThat(r.rc).as(String.join(" ", cmd) + ": " + r.err).isZero();
    }

    static List<String> javaMain(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(JlvsdNetnsIT.java(args));
        cmd.set(cmd.indexOf("io.jlvs.daemon.JlvsMain"), mainClass);
        return cmd;
    }

    static List<String> inNs(String ns, List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("timeout", String.valueOf(STEP_TIMEOUT_S * 3), "ip", "netns", "exec", ns));
        all.addAll(cmd);
        return all;
    }

    static Run exec(List<String> cmd) throws IOException, InterruptedException {
        return exec(cmd, new byte[0]);
    }

    static Run exec(List<String> cmd, byte[] stdin) throws IOException, InterruptedException {
        JlvsdNetnsIT.Run r = JlvsdNetnsIT.exec(cmd, stdin);
        return new Run(r.rc(), r.out(), r.err());
    }

    /**
     * The director's part in the TCP case, run in the client's namespace: a TUN device the VIP is routed to, and
     * every IPv4 packet read from it sent in an IPIP packet to the real server (raw socket of protocol 4: the
     * kernel adds the outer header). Args: device, real server, seconds to run.
     */
    public static final class Encapsulator {
        public static void main(String[] args) throws Exception {
            String dev = args[0];
            byte[] rs = InetAddress.getByName(args[1]).getAddress();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
            try (Tun tun = Tun.open(dev); Arena arena = Arena.ofConfined()) {
                tun.bringUp();
                int fd = (int) Libc.check("socket", Libc.socket(Inet.AF_INET, Inet.SOCK_RAW, 4));
                MemorySegment sa = arena.allocate(Inet.SOCKADDR_IN);
                sa.set(ValueLayout.JAVA_SHORT, 0, (short) Inet.AF_INET);
                MemorySegment.copy(rs, 0, sa, ValueLayout.JAVA_BYTE, 4, 4);
                Libc.check("connect", Libc.connect(fd, sa, (int) sa.byteSize()));
                System.out.println("ready");
                System.out.flush();
                MemorySegment buf = arena.allocate(65536);
                while (System.nanoTime() < deadline) {
                    int n = tun.read(buf, 0, 65536, 200);
                    if (n <= 0 || (buf.get(ValueLayout.JAVA_BYTE, 0) & 0xF0) != 0x40) continue;
                    Libc.send(fd, buf, n, 0);
                }
                Libc.close(fd);
            }
        }
    }
}
