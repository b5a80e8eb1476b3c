package io.jlvs.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jlvsd's native data plane end to end, one forwarding method per case, as the kernel's IPVS selftest
 * ({@code tools/testing/selftests/net/netfilter/ipvs.sh}) checks it. Each case builds a fresh namespace lab with
 * {@code scripts/lab.sh} (prefix {@code jlvse<pid><case letter>}), starts jlvsd in the director's namespace with no
 * interface named (it serves d0 and d1), configures it with one {@code jlvsadm -R} batch and drives real clients:
 *
 * <pre>
 *   ns ..c (client)        ns ..d (director: jlvsd)                ns ..s (switch)   ns ..rK (K = 1..3)
 *  +---------------+     +--------------------------------+      +----------+      +------------------------+
 *  | c0 192.0.2.2  |-----| d0 192.0.2.1    2001:db8:c::1  |      |  bridge  |------| r0 198.51.100.1K       |
 *  | 2001:db8:c::2 | veth|    jlvs answers ARP/NDP for    |      |  ..br    | veth |    2001:db8:1::1K      |
 *  | curl, socat   |     |    VIPs 192.0.2.10, ..c::10    |      |          |      | default via .1 / ::1   |
 *  | (all under    |     | d1 198.51.100.1 2001:db8:1::1  |------|          |      | nginx :80 "rsK" 1m.bin |
 *  |  timeout)     |     | ip_forward=1: DR/TUN replies   | veth +----------+      | socat UDP echo :7      |
 *  +---------------+     | LocalNode case: VIPs on lo,    |                        | DR/TUN: VIPs on lo,    |
 *                        |  nginx :8080 :81 "local",      |                        |  jlvs decap (TUN)      |
 *                        |  TUN jlvslocal0 (jlvsd's)      |                        +------------------------+
 *                        +--------------------------------+
 * </pre>
 * Cases: NAT IPv4 rr with {@code -Ln --stats} and a 1 MiB transfer compared byte for byte (veth offloads left on:
 * jlvs forwards GRO/TSO super-frames); NAT IPv6 and a UDP echo; persistence; DR IPv4 and IPv6 (replies bypass
 * jlvs); TUN with IPIP and 6in6 through {@code jlvs decap}, and with GUE; LocalNode (NAT to the director's own
 * address, IPv4 and IPv6, and -g to it); a real server deleted while a download runs (its packets drop, as IPVS's
 * with expire_nodest_conn=0; added back, the download completes) and one quiesced with weight 0 (it goes on).
 *
 * <p>Needs root, iproute2, nft, nginx, curl, socat, timeout and /dev/net/tun; skips and says which is missing.
 * Every client runs under {@code timeout}; jlvsd, decap, socat and nginx are stopped and the namespaces deleted
 * after each case, whatever happened.
 */
@Tag("netns")
class DataPlaneNetnsIT {
    static final String VIP4 = "192.0.2.10", VIP6 = "2001:db8:c::10";
    static final long STEP_TIMEOUT_S = 20;
    static final int MIB = 1 << 20;
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final String RUN = "jlvse" + ProcessHandle.current().pid() % 100000;
    static final AtomicInteger CASES = new AtomicInteger();

    String lab;
    Path tmp, jlvsdLog;
    Process jlvsd;
    final List<Process> processes = new ArrayList<>();

    record Run(int rc, String out, String err) {
        @Override
        public String toString() { return "rc " + rc + ", out '" + out.strip() + "', err '" + err.strip() + "'"; }
    }

    @BeforeEach
    void prerequisites() throws Exception {
        boolean root = "0".equals(exec(List.of("id", "-u"), "", 5).out.strip());
        Assumptions.assumeTrue(root, "SKIPPED: netns test needs root (CI runs as root)");
        for (List<String> probe : List.of(List.of("ip", "-V"), List.of("nft", "--version"), List.of("nginx", "-v"),
                List.of("curl", "--version"), List.of("socat", "-V"), List.of("timeout", "--version"))) {
            boolean present;
            try {
                present = exec(probe, "", 5).rc == 0;
            } catch (IOException e) {
                present = false;
            }
            Assumptions.assumeTrue(present, "SKIPPED: " + probe.get(0) + " unavailable (./jlvs test installs it)");
        }
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/net/tun")), "SKIPPED: /dev/net/tun missing (no TUN driver)");
        Assumptions.assumeTrue(ROOT != null && Files.exists(ROOT.resolve("scripts/lab.sh")),
                "SKIPPED: scripts/lab.sh not found above " + Path.of("").toAbsolutePath());
        lab = RUN + (char) ('a' + CASES.getAndIncrement() % 26);              // <= 11 chars; "..br" <= 13
        tmp = Files.createTempDirectory(lab + "-");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (lab == null) return;                                               // skipped before anything was made
        try {
            if (jlvsd != null) {
                jlvsd.destroy();                                               // SIGTERM: jlvsd removes its nft table
                if (!jlvsd.waitFor(10, TimeUnit.SECONDS)) jlvsd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            for (Process p : processes) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } finally {
            try {
                lab("lab_down");                                               // kills what is left (nginx), deletes ns
            } finally {
                try (var files = Files.walk(tmp)) {
                    for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
                }
            }
        }
    }

    // ------------------------------------------------------------------ cases

    @Test
    void natIpv4RoundRobinStatsAndOneMebibyte() throws Exception {
        up(3);
        configure(natService(VIP4 + ":80", "", 3, false));
        List<String> answers = curls("http://" + VIP4 + "/", 6);
        assertRoundRobin(answers, List.of("rs1", "rs2", "rs3"));

        Path got = tmp.resolve("1m.bin");
        Run dl = client(List.of("curl", "-sS", "-m", "10", "-o", got.toString(), "-w", "%{http_code}", "http://" + VIP4 + "/1m.bin"));
        assertThat(dl.out).as("1 MiB download: %s; %s", dl, log()).isEqualTo("200");
        String next = answers.get(0);                                          // rr goes on: the 7th is the 1st again
        assertThat(Files.size(got)).isEqualTo(MIB);
        assertThat(Files.mismatch(got, served(next, "1m.bin"))).as("1m.bin from %s, byte for byte", next).isEqualTo(-1L);

        String rsNext = "198.51.100.1" + next.substring(2) + ":80";
        Map<String, long[]> stats = awaitStats(s -> conns(s, "TCP " + VIP4 + ":80") == 7);
        assertThat(conns(stats, "TCP " + VIP4 + ":80")).isEqualTo(7);
        for (int k = 1; k <= 3; k++) {
            String rs = "198.51.100.1" + k + ":80";
            long[] d = stats.get("TCP " + VIP4 + ":80 -> " + rs);
            assertThat(d).as("stats line of %s", rs).isNotNull();
            assertThat(d[0]).as("connections to %s", rs).isEqualTo(rs.equals(rsNext) ? 3 : 2);
            assertThat(d[1]).as("packets in to %s", rs).isPositive();
            assertThat(d[2]).as("packets out of %s", rs).isPositive();
        }
        assertThat(stats.get("TCP " + VIP4 + ":80 -> " + rsNext)[4]).as("bytes out of %s (1 MiB and headers)", rsNext)
                .isGreaterThan(MIB);
    }

    @Test
    void natIpv6TcpAndUdpEchoOverIpv4() throws Exception {
        up(3);
        for (int k = 1; k <= 3; k++) {
            start("echo-r" + k, "r" + k, List.of("socat", "-T", "2", "UDP4-RECVFROM:7,fork", "EXEC:cat"));
        }
        String batch = natService("[" + VIP6 + "]:80", "", 3, true) + natUdpEcho();
        configure(batch);
        assertRoundRobin(curls("http://[" + VIP6 + "]/", 3), List.of("rs1", "rs2", "rs3"));

        awaitTrue(() -> {
            for (int k = 1; k <= 3; k++) {
                if (!inNs("r" + k, List.of("ss", "-Hlun", "sport", "=", ":7"), 5).out.contains(":7")) return false;
            }
            return true;
        }, "the UDP echo servers listening");
        List<Process> clients = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {                                          // three source ports: three connections
            Path out = tmp.resolve("udp" + i + ".out");
            outs.add(out);
            clients.add(new ProcessBuilder(timed(5, inNsCmd("c", List.of("socat", "-t", "1.5", "-", "UDP4:" + VIP4 + ":7"))))
                    .redirectOutput(out.toFile()).redirectError(tmp.resolve("udp" + i + ".err").toFile()).start());
            processes.add(clients.getLast());
        }
        for (int i = 0; i < 3; i++) {
            try (var in = clients.get(i).getOutputStream()) {
                in.write(("jlvs udp echo " + i + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        for (int i = 0; i < 3; i++) {
            assertThat(clients.get(i).waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(outs.get(i))).as("UDP echo %d through the VIP (%s)", i, log())
                    .isEqualTo("jlvs udp echo " + i + "\n");
        }
        Set<String> dests = new LinkedHashSet<>();
        for (String line : adm("", "-Lnc").out.lines().toList()) {
            if (line.startsWith("UDP") && line.contains(VIP4 + ":7")) dests.add(line.trim().split("\\s+")[5]);
        }
        assertThat(dests).as("UDP connections, one per real server").containsExactlyInAnyOrder(
                "198.51.100.11:7", "198.51.100.12:7", "198.51.100.13:7");
    }

    @Test
    void persistenceKeepsAClientOnOneRealServer() throws Exception {
        up(3);
        configure(natService(VIP4 + ":80", " -p 60", 3, false));
        List<String> answers = curls("http://" + VIP4 + "/", 5);
        assertThat(Set.copyOf(answers)).as("five connections with -p 60: %s", answers).hasSize(1);
        assertThat(answers.get(0)).isIn("rs1", "rs2", "rs3");
    }

    @Test
    void directRoutingIpv4AndIpv6() throws Exception {
        up(3);
        StringBuilder b = new StringBuilder("-A -t " + VIP4 + ":80 -s rr\n-A -t [" + VIP6 + "]:80 -s rr\n");
        for (int k = 1; k <= 3; k++) {
            lab("lab_vip_on_lo " + k);
            b.append("-a -t ").append(VIP4).append(":80 -r 198.51.100.1").append(k).append(":80 -g\n");
            b.append("-a -t [").append(VIP6).append("]:80 -r [2001:db8:1::1").append(k).append("]:80 -g\n");
        }
        configure(b.toString());
        assertRoundRobin(curls("http://" + VIP4 + "/", 6), List.of("rs1", "rs2", "rs3"));
        assertRoundRobin(curls("http://[" + VIP6 + "]/", 3), List.of("rs1", "rs2", "rs3"));
        // the replies went from the real servers through the director's kernel: jlvs saw requests only
        Map<String, long[]> stats = awaitStats(s -> conns(s, "TCP " + VIP4 + ":80") == 6);
        long[] svc = stats.get("TCP " + VIP4 + ":80");
        assertThat(svc[1]).as("packets in").isPositive();
        assertThat(svc[2]).as("packets out (DR replies bypass the director's data plane)").isZero();
    }

    @Test
    void tunnelIpipThroughJlvsDecap() throws Exception {
        up(3);
        StringBuilder b = new StringBuilder("-A -t " + VIP4 + ":80 -s rr\n-A -t [" + VIP6 + "]:80 -s rr\n");
        for (int k = 1; k <= 3; k++) {
            lab("lab_vip_on_lo " + k);
            startDecap(k, List.of());
            b.append("-a -t ").append(VIP4).append(":80 -r 198.51.100.1").append(k).append(":80 -i\n");
            b.append("-a -t [").append(VIP6).append("]:80 -r [2001:db8:1::1").append(k).append("]:80 -i\n");
        }
        for (int k = 1; k <= 3; k++) awaitDecap(k);
        configure(b.toString());
        assertRoundRobin(curls("http://" + VIP4 + "/", 6), List.of("rs1", "rs2", "rs3"));
        assertRoundRobin(curls("http://[" + VIP6 + "]/", 3), List.of("rs1", "rs2", "rs3"));
    }

    @Test
    void tunnelGueThroughJlvsDecap() throws Exception {
        up(2);
        StringBuilder b = new StringBuilder("-A -t " + VIP4 + ":80 -s rr\n");
        for (int k = 1; k <= 2; k++) {
            lab("lab_vip_on_lo " + k);
            startDecap(k, List.of("--no-ipip", "--no-gre", "--gue-port", "6080"));
            b.append("-a -t ").append(VIP4).append(":80 -r 198.51.100.1").append(k).append(":80 -i --tun-type gue --tun-port 6080\n");
        }
        for (int k = 1; k <= 2; k++) awaitDecap(k);
        configure(b.toString());
        assertRoundRobin(curls("http://" + VIP4 + "/", 4), List.of("rs1", "rs2"));
        assertThat(adm("", "-Ln", "--tun-info").out).contains("gue");
    }

    /**
     * A real server with the director's own address: NAT to 198.51.100.1:8080 (and [2001:db8:1::1]:8080) next to a
     * remote real server, the local stack's replies rewritten by jlvs as any real server's; and the classic LocalNode
     * (the packet delivered unchanged: {@code -g} to a local address, port 81).
     */
    @Test
    void localNodeServedByTheDirectorsOwnStack() throws Exception {
        up(1);
        lab("lab_x d ip addr add " + VIP4 + "/32 dev lo; lab_x d ip addr add " + VIP6 + "/128 dev lo nodad");
        directorNginx("local");                                                // as IPVS needs it: the VIP is local
        configure("-A -t " + VIP4 + ":80 -s rr\n-a -t " + VIP4 + ":80 -r 198.51.100.11:80 -m\n"
                + "-a -t " + VIP4 + ":80 -r 198.51.100.1:8080 -m\n"
                + "-A -t [" + VIP6 + "]:80 -s rr\n-a -t [" + VIP6 + "]:80 -r [2001:db8:1::11]:80 -m\n"
                + "-a -t [" + VIP6 + "]:80 -r [2001:db8:1::1]:8080 -m\n"
                + "-A -t " + VIP4 + ":81 -s rr\n-a -t " + VIP4 + ":81 -r 198.51.100.1:81 -g\n");
        assertRoundRobin(curls("http://" + VIP4 + "/", 4), List.of("rs1", "local"));
        assertRoundRobin(curls("http://[" + VIP6 + "]/", 4), List.of("rs1", "local"));
        assertThat(curls("http://" + VIP4 + ":81/", 2)).containsExactly("local", "local");
    }

    /**
     * IPVS's rule (expire_nodest_conn=0, the default): {@code ipvsadm -d} makes the connections of that real server
     * drop their packets silently (no RST, the client's ACKs stop reaching the server), new connections go to the
     * others, and adding the same real server back takes it from the trash with its connections, which carry on.
     */
    @Test
    void realServerDeletedWhileADownloadRunsAndAddedBack() throws Exception {
        up(3);
        configure(natService(VIP4 + ":80", "", 3, false));
        Path got = tmp.resolve("slow.bin");
        Process slow = slowDownload(got);
        String rs = busyRealServer();
        String name = "rs" + rs.charAt(rs.indexOf(':') - 1);
        assertThat(adm("", "-d", "-t", VIP4 + ":80", "-r", rs).rc).as("jlvsadm -d %s", rs).isZero();
        long acked = bytesAcked(name);
        assertThat(acked).as("bytes acknowledged to %s when it is deleted", name).isLessThan(MIB);

        List<String> after = curls("http://" + VIP4 + "/", 4);
        assertThat(after).as("new connections after deleting %s", rs).doesNotContain(name);
        assertThat(Set.copyOf(after)).hasSize(2);
        assertThat(slow.isAlive()).as("the download waits for %s", rs).isTrue();
        assertThat(bytesAcked(name)).as("bytes the client acknowledged to %s while it is deleted", name).isEqualTo(acked);

        assertThat(adm("", "-a", "-t", VIP4 + ":80", "-r", rs, "-m").rc).as("jlvsadm -a %s again", rs).isZero();
        assertDownloaded(slow, got, name);
    }

    /** Weight 0 (keepalived's inhibit_on_failure, ipvsadm -e -w 0): new connections avoid it, old ones go on. */
    @Test
    void realServerQuiescedWhileADownloadRuns() throws Exception {
        up(3);
        configure(natService(VIP4 + ":80", "", 3, false));
        Path got = tmp.resolve("slow.bin");
        Process slow = slowDownload(got);
        String rs = busyRealServer();
        String name = "rs" + rs.charAt(rs.indexOf(':') - 1);
        assertThat(adm("", "-e", "-t", VIP4 + ":80", "-r", rs, "-m", "-w", "0").rc).as("jlvsadm -e -w 0 %s", rs).isZero();
        List<String> after = curls("http://" + VIP4 + "/", 4);
        assertThat(after).as("new connections after quiescing %s", rs).doesNotContain(name);
        assertThat(Set.copyOf(after)).hasSize(2);
        assertThat(slow.isAlive()).as("the download still runs (200 KB/s)").isTrue();
        assertThat(bytesAcked(name)).as("bytes acknowledged to %s", name).isLessThan(MIB);
        assertDownloaded(slow, got, name);
    }

    /** 1 MiB sent at 200 KB/s by the real server (nginx's limit_rate: the TCP connection lasts about 5 s). */
    Process slowDownload(Path got) throws IOException {
        Process slow = new ProcessBuilder(timed(30, inNsCmd("c", List.of("curl", "-sS", "-m", "25",
                "-o", got.toString(), "http://" + VIP4 + "/slow/1m.bin"))))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("slow.log").toFile()).start();
        processes.add(slow);
        return slow;
    }

    /** The real server of the established connection to the VIP (from {@code jlvsadm -Lnc}). */
    String busyRealServer() throws Exception {
        String[] busy = new String[1];
        awaitTrue(() -> {
            for (String line : adm("", "-Lnc").out.lines().toList()) {
                String[] t = line.trim().split("\\s+");
                if (t.length >= 6 && t[0].equals("TCP") && t[2].equals("ESTABLISHED") && t[4].equals(VIP4 + ":80")) {
                    busy[0] = t[5];
                    return true;
                }
            }
            return false;
        }, "the download's connection in -Lnc");
        return busy[0];
    }

    /** bytes_acked of real server rsK's connection on port 80, as its kernel counts it ({@code ss -ti}). */
    long bytesAcked(String rsName) throws Exception {
        Run r = inNs("r" + rsName.substring(2), List.of("ss", "-Htin", "sport", "=", ":80"), 5);
        Matcher m = Pattern.compile("bytes_acked:(\\d+)").matcher(r.out);
        assertThat(m.find()).as("ss -ti on %s: %s; all: %s", rsName, r,
                inNs("r" + rsName.substring(2), List.of("ss", "-tinae"), 5)).isTrue();
        return Long.parseLong(m.group(1));
    }

    void assertDownloaded(Process slow, Path got, String rsName) throws Exception {
        assertThat(slow.waitFor(25, TimeUnit.SECONDS)).as("download finished").isTrue();
        assertThat(slow.exitValue()).as("curl exit status: %s; %s", Files.readString(tmp.resolve("slow.log")), log()).isZero();
        assertThat(Files.mismatch(got, served(rsName, "1m.bin"))).as("1m.bin from %s, byte for byte", rsName).isEqualTo(-1L);
    }

    // ------------------------------------------------------------------ lab

    /** A fresh lab with {@code n} real servers running nginx, and jlvsd serving the director's interfaces. */
    void up(int n) throws Exception {
        StringBuilder s = new StringBuilder("lab_up " + n);
        for (int k = 1; k <= n; k++) s.append("; lab_nginx ").append(k);
        lab(s.toString());
        startJlvsd();
    }

    void startJlvsd() throws Exception {
        jlvsdLog = tmp.resolve("jlvsd.log");
        List<String> cmd = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "io.jlvs.daemon.JlvsMain", "daemon"));
        jlvsd = new ProcessBuilder(timed(300, inNsCmd("d", cmd))).redirectErrorStream(true)
                .redirectOutput(jlvsdLog.toFile()).start();
        awaitTrue(() -> {
            String l = Files.readString(jlvsdLog);
            if (!jlvsd.isAlive()) throw new AssertionError("jlvsd exited: " + l);
            return l.contains("started: control socket") && l.contains("serving interface d0")
                    && l.contains("serving interface d1");
        }, "jlvsd serving d0 and d1");
    }

    void startDecap(int k, List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.jlvs.daemon.JlvsMain",
                "decap", "--dev", "jlvsdecap0"));
        cmd.addAll(options);
        start("decap-r" + k, "r" + k, cmd);
    }

    void awaitDecap(int k) throws Exception {
        Path log = tmp.resolve("decap-r" + k + ".log");
        awaitTrue(() -> Files.readString(log).contains("jlvs decap: delivering to"), "jlvs decap on r" + k);
    }

    /** nginx in the director's namespace on ports 8080 (IPv4 and IPv6) and 81 answering {@code text}. */
    void directorNginx(String text) throws Exception {
        Path dir = Path.of("/tmp", lab + "-nginx", "director");                  // readable by nginx's workers;
        Files.createDirectories(dir.resolve("www"));                           // lab_down removes it
        Files.writeString(dir.resolve("www/index.html"), text + "\n");
        Files.writeString(dir.resolve("nginx.conf"), "worker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + ";\ndaemon on;\nevents { worker_connections 64; }\n"
                + "http { access_log off; server { listen 8080; listen [::]:8080; listen 81; root " + dir.resolve("www") + "; } }\n");
        Run r = inNs("d", List.of("nginx", "-c", dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString()), 10);
        assertThat(r.rc).as("nginx in the director: %s", r).isZero();
    }

    /** A service with {@code n} NAT real servers (198.51.100.1K or 2001:db8:1::1K, port 80). */
    static String natService(String svc, String options, int n, boolean v6) {
        StringBuilder b = new StringBuilder("-A -t " + svc + " -s rr" + options + "\n");
        for (int k = 1; k <= n; k++) {
            b.append("-a -t ").append(svc).append(" -r ").append(v6 ? "[2001:db8:1::1" + k + "]" : "198.51.100.1" + k)
                    .append(":80 -m\n");
        }
        return b.toString();
    }

    static String natUdpEcho() {
        StringBuilder b = new StringBuilder("-A -u " + VIP4 + ":7 -s rr\n");
        for (int k = 1; k <= 3; k++) b.append("-a -u ").append(VIP4).append(":7 -r 198.51.100.1").append(k).append(":7 -m\n");
        return b.toString();
    }

    /** The file nginx of real server {@code rsK} serves. */
    Path served(String rsName, String file) {
        return Path.of("/tmp", lab + "-nginx", "r" + rsName.substring(2), "www", file);
    }

    void configure(String batch) throws Exception {
        Run r = adm(batch, "-R");
        assertThat(r.rc).as("jlvsadm -R <<%s: %s", batch, r).isZero();
    }

    Run adm(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                "io.jlvs.daemon.JlvsMain", "jlvsadm"));
        cmd.addAll(List.of(args));
        return exec(timed(STEP_TIMEOUT_S, inNsCmd("d", cmd)), stdin, STEP_TIMEOUT_S + 5);
    }

    /** {@code count} curls from the client, each a new connection; the bodies, stripped. */
    List<String> curls(String url, int count) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Run r = client(List.of("curl", "-sS", "-m", "5", url));
            assertThat(r.rc).as("curl %s #%d: %s; %s", url, i + 1, r, log()).isZero();
            bodies.add(r.out.strip());
        }
        return bodies;
    }

    Run client(List<String> cmd) throws Exception {
        return exec(timed(15, inNsCmd("c", cmd)), "", 20);
    }

    static void assertRoundRobin(List<String> answers, List<String> servers) {
        int n = servers.size();
        assertThat(answers.subList(0, n)).as("one cycle of rr: %s", answers).containsExactlyInAnyOrderElementsOf(servers);
        for (int i = n; i < answers.size(); i++) {
            assertThat(answers.get(i)).as("rr repeats its order: %s", answers).isEqualTo(answers.get(i - n));
        }
    }

    /**
     * {@code jlvsadm -Ln --stats --exact} parsed: "PROT VIP:PORT" and "PROT VIP:PORT -> RS:PORT" to {conns, inPkts,
     * outPkts, inBytes, outBytes}; polled until {@code done} holds (the estimator refreshes the listing every 2 s).
     */
    Map<String, long[]> awaitStats(Predicate<Map<String, long[]>> done) throws Exception {
        Map<String, long[]> last = Map.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        String text = "";
        while (System.nanoTime() < deadline) {
            text = adm("", "-Ln", "--stats", "--exact").out;
            last = parseStats(text);
            if (done.test(last)) return last;
            Thread.sleep(500);                                                 // the next estimation, bounded
        }
        throw new AssertionError("stats not as expected within 8 s:\n" + text + log());
    }

    static final Pattern STATS_LINE = Pattern.compile("^(TCP|UDP|SCTP|FWM)?\\s*(->)?\\s*(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");

    static Map<String, long[]> parseStats(String text) {
        Map<String, long[]> m = new HashMap<>();
        String svc = null;
        for (String line : text.lines().toList()) {
            Matcher x = STATS_LINE.matcher(line);
            if (!x.matches()) continue;
            long[] v = {Long.parseLong(x.group(4)), Long.parseLong(x.group(5)), Long.parseLong(x.group(6)),
                Long.parseLong(x.group(7)), Long.parseLong(x.group(8))};
            if (x.group(1) != null) {
                svc = x.group(1) + " " + x.group(3);
                m.put(svc, v);
            } else if (x.group(2) != null && svc != null) {
                m.put(svc + " -> " + x.group(3), v);
            }
        }
        return m;
    }

    static long conns(Map<String, long[]> stats, String key) {
        long[] v = stats.get(key);
        return v == null ? -1 : v[0];
    }

    /** Runs {@code script} in bash with scripts/lab.sh sourced and LAB set; must succeed. */
    void lab(String script) throws Exception {
        List<String> cmd = List.of("timeout", "60", "bash", "-c", "source '" + ROOT.resolve("scripts/lab.sh") + "'; " + script);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LAB", lab);
        Run r = exec(pb, "", 65);
        assertThat(r.rc).as("lab script '%s': %s", script, r).isZero();
    }

    Process start(String name, String ns, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(timed(300, inNsCmd(ns, cmd))).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    Run inNs(String ns, List<String> cmd, long timeoutS) throws Exception {
        return exec(timed(timeoutS, inNsCmd(ns, cmd)), "", timeoutS + 5);
    }

    List<String> inNsCmd(String ns, List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", lab + ns));
        all.addAll(cmd);
        return all;
    }

    static List<String> timed(long seconds, List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("timeout", String.valueOf(seconds)));
        all.addAll(cmd);
        return all;
    }

    static String java() { return Path.of(System.getProperty("java.home"), "bin", "java").toString(); }

    /** jlvsd's log so far, for failure messages. */
    String log() {
        try {
            return jlvsdLog == null ? "" : "\njlvsd log:\n" + Files.readString(jlvsdLog);
        } catch (IOException e) {
            return "\n(jlvsd log unreadable: " + e + ")";
        }
    }

    interface Check { boolean ok() throws Exception; }

    void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            if (check.ok()) return;
            Thread.sleep(100);                                                 // polling a process start, bounded
        }
        throw new AssertionError(what + ": not within " + STEP_TIMEOUT_S + " s" + log());
    }

    static Run exec(List<String> cmd, String stdin, long timeoutS) throws IOException, InterruptedException {
        return exec(new ProcessBuilder(cmd), stdin, timeoutS);
    }

    static Run exec(ProcessBuilder pb, String stdin, long timeoutS) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jlvs-dp-it", ".out"), err = Files.createTempFile("jlvs-dp-it", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeoutS + " s: " + String.join(" ", pb.command()));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
