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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jlvsd run from a keepalived.conf with its HTTP_GET health checks, end to end in the namespace lab of
 * {@code scripts/lab.sh} (a client, the director, four nginx real servers; the fourth is the sorry server):
 *
 * <pre>
 *  ns ${LAB}c  curl ──> 192.0.2.10:80 ──> ns ${LAB}d  jlvsd -f keepalived.conf (native data plane, NAT, rr)
 *                                                 │  HTTP_GET / every second (retry 1, delay_before_retry 1)
 *                                                 └──> ${LAB}r1..r3 198.51.100.11..13:80 nginx "rsK"
 *                                                      ${LAB}r4     198.51.100.14:80    nginx "rs4" (sorry_server)
 * </pre>
 * One jlvsd goes through the story, each step asserted with {@code jlvsadm -Sn} run in the director's
 * namespace: the three real servers are in; nginx on rs2 stopped: rs2 leaves within delay_loop + retries; started
 * again: back; a SIGHUP with rs1's weight changed (and rs2 now inhibit_on_failure) during a rate-limited download:
 * the weight applies and the download completes byte-identical; rs2 stopped again: weight 0 instead of removal;
 * all three stopped: the sorry server is in and the client gets its page through the data plane; rs1 back: the
 * sorry server out. Needs root, nginx and curl; skips and says why otherwise. Every process runs under a time
 * limit; jlvsd, nginx and the namespaces are removed whatever happens ({@code lab.sh down}).
 */
@Tag("netns")
class KeepalivedNetnsIT {
    static final long STEP_TIMEOUT_S = 20;
    /** How long a verdict may take to show: delay_loop 1 + one retry 1 s later + slack for a busy machine. */
    static final long VERDICT_BOUND_MS = 10_000;
    static final String VIP = "192.0.2.10";

    final String lab = "jlvsk" + ProcessHandle.current().pid() % 100_000;
    final Path root = Path.of("").toAbsolutePath().getParent();
    final Path labScript = root.resolve("scripts/lab.sh");
    final Path nginxDir = Path.of("/tmp/" + lab + "-nginx");
    Path tmp;
    Path conf;
    Path log;
    Process jlvsd;
    Process transfer;
    boolean labUp;

    record Run(int rc, String out, String err) {}

    @BeforeEach
    void setUp() throws Exception {
        boolean isRoot = "0".equals(exec(List.of("id", "-u")).out.strip());
        Assumptions.assumeTrue(isRoot, "SKIPPED: netns test needs root (CI runs as root)");
        Assumptions.assumeTrue(exec(List.of("ip", "netns", "list")).rc == 0, "SKIPPED: iproute2 'ip netns' unavailable");
        Assumptions.assumeTrue(exec(List.of("sh", "-c", "command -v nginx")).rc == 0,
                "SKIPPED: nginx unavailable (apt-get install nginx-light)");
        Assumptions.assumeTrue(exec(List.of("curl", "--version")).rc == 0, "SKIPPED: curl unavailable");
        Assumptions.assumeTrue(Files.exists(labScript), "SKIPPED: " + labScript + " not found (run from the repository)");
        tmp = Files.createTempDirectory("jlvs-ka-it");
        conf = tmp.resolve("keepalived.conf");
        log = tmp.resolve("jlvsd.log");
        labUp = true;
        Run up = labShell("lab_up 4 && for k in 1 2 3 4; do lab_nginx $k; done");
        assertThat(up.rc).as("lab up: " + up.err).isZero();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (transfer != null) transfer.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        if (jlvsd != null) {
            jlvsd.destroy();                                                    // SIGTERM: jlvsd's own shutdown
            if (!jlvsd.waitFor(10, TimeUnit.SECONDS)) jlvsd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (labUp) labShell("lab_down");
        if (tmp != null) {
            try (var files = Files.list(tmp)) {
                for (Path p : files.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(tmp);
        }
    }

    static String keepalivedConf(int rs1Weight, boolean rs2Inhibit) {
        StringBuilder sb = new StringBuilder("""
                global_defs {
                  router_id jlvs-it
                }
                virtual_server 192.0.2.10 80 {
                  delay_loop 1
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  sorry_server 198.51.100.14 80
                """);
        for (int k = 1; k <= 3; k++) {
            sb.append("  real_server 198.51.100.1").append(k).append(" 80 {\n")
                    .append("    weight ").append(k == 1 ? rs1Weight : 1).append('\n')
                    .append(k == 2 && rs2Inhibit ? "    inhibit_on_failure\n" : "")
                    .append("""
                                HTTP_GET {
                                  url {
                                    path /
                                    status_code 200
                                  }
                                  connect_timeout 1
                                  retry 1
                                  delay_before_retry 1
                                }
                              }
                            """);
        }
        return sb.append("}\n").toString();
    }

    @Test
    void healthChecksDriveTheTableAndReloadKeepsTransfers() throws Exception {
        Files.writeString(conf, keepalivedConf(1, false));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab + "d"));
        cmd.addAll(java(true, "daemon", "-f", conf.toString()));
        jlvsd = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        // 1. started: the three real servers, no sorry server
        long t = awaitTable("the three real servers", s -> s.contains(rs(1, 1)) && s.contains(rs(2, 1)) && s.contains(rs(3, 1)),
                30_000);
        assertThat(save()).doesNotContain("198.51.100.14");
        System.out.println(java.time.Instant.now() + " jlvsd up with its table after " + t + " ms");
        awaitLog("every check's first result", l -> l.contains("HTTP_GET 198.51.100.11:80 UP")
                && l.contains("HTTP_GET 198.51.100.12:80 UP") && l.contains("HTTP_GET 198.51.100.13:80 UP"));

        // 2. nginx on rs2 stopped: removed within delay_loop + retries
        long killed = stopNginx(2);
        t = awaitTable("rs2 removed", s -> !s.contains("198.51.100.12"), killed, VERDICT_BOUND_MS);
        System.out.println(java.time.Instant.now() + " rs2 removed " + t + " ms after nginx was told to stop");
        assertThat(save()).contains(rs(1, 1), rs(3, 1));

        // 3. started again: back
        startNginx(2);
        t = awaitTable("rs2 back", s -> s.contains(rs(2, 1)), VERDICT_BOUND_MS);
        System.out.println(java.time.Instant.now() + " rs2 back " + t + " ms after nginx started");

        // 4. SIGHUP with rs1's weight changed during a download: applied, the download completes intact
        Path got = tmp.resolve("1m.bin");
        transfer = new ProcessBuilder(inNs("c", "curl", "-s", "-S", "-m", "30", "--limit-rate", "300k", "-o", got.toString(),
                "http://" + VIP + "/1m.bin")).redirectErrorStream(true).redirectOutput(tmp.resolve("curl.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((!Files.exists(got) || Files.size(got) < 64 * 1024) && transfer.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);                                                   // until the download is under way
        }
        assertThat(transfer.isAlive()).as("the download runs when the reload comes (%s bytes so far)",
                Files.exists(got) ? Files.size(got) : 0).isTrue();
        Files.writeString(conf, keepalivedConf(3, true));
        assertThat(exec(List.of("kill", "-HUP", Long.toString(jlvsd.pid()))).rc).isZero();
        t = awaitTable("rs1 with weight 3", s -> s.contains(rs(1, 3)), VERDICT_BOUND_MS);
        System.out.println(java.time.Instant.now() + " reload applied " + t + " ms after SIGHUP; download still running: " + transfer.isAlive());
        assertThat(save()).contains(rs(2, 1), rs(3, 1));
        assertThat(transfer.waitFor(30, TimeUnit.SECONDS)).as("download finished").isTrue();
        assertThat(transfer.exitValue()).as("curl: " + Files.readString(tmp.resolve("curl.log"))).isZero();
        byte[] body = Files.readAllBytes(got);
        assertThat(body).hasSize(1 << 20);
        boolean identical = false;
        for (int k = 1; k <= 3; k++) identical |= Arrays.equals(body, Files.readAllBytes(nginxDir.resolve("r" + k + "/www/1m.bin")));
        assertThat(identical).as("1m.bin byte-identical to a real server's copy").isTrue();
        transfer = null;

        // 5. rs2 is now inhibit_on_failure: stopped, it stays with weight 0
        killed = stopNginx(2);
        t = awaitTable("rs2 inhibited", s -> s.contains(rs(2, 0)), killed, VERDICT_BOUND_MS);
        System.out.println(java.time.Instant.now() + " rs2 at weight 0 " + t + " ms after nginx was told to stop");
        startNginx(2);
        awaitTable("rs2 enabled again", s -> s.contains(rs(2, 1)), VERDICT_BOUND_MS);

        // 6. all three stopped: the sorry server is in, the client gets its page through the data plane
        for (int k = 1; k <= 3; k++) killed = stopNginx(k);
        t = awaitTable("the sorry server in", s -> s.contains(rs(4, 1)) && !s.contains("198.51.100.11")
                && !s.contains("198.51.100.13"), killed, VERDICT_BOUND_MS);
        System.out.println(java.time.Instant.now() + " sorry server in " + t + " ms after the last nginx was told to stop");
        assertThat(save()).contains(rs(2, 0));                                  // inhibited: kept, weight 0
        Run page = exec(inNs("c", "curl", "-s", "-S", "-m", "5", "http://" + VIP + "/"));
        assertThat(page.out).as("client page: " + page.err).isEqualTo("rs4\n");

        // 7. rs1 back: quorum regained, the sorry server out
        startNginx(1);
        t = awaitTable("the sorry server out", s -> s.contains(rs(1, 3)) && !s.contains("198.51.100.14"), VERDICT_BOUND_MS);
        System.out.println(java.time.Instant.now() + " sorry server out " + t + " ms after rs1 came back");
        page = exec(inNs("c", "curl", "-s", "-S", "-m", "5", "http://" + VIP + "/"));
        assertThat(page.out).as("client page: " + page.err).isEqualTo("rs1\n");
        String events = String.join("\n", Files.readAllLines(log).stream()
                .filter(l -> l.contains("HTTP_GET") || l.contains("real server") || l.contains("quorum") || l.contains("reload")).toList());
        System.out.println(java.time.Instant.now() + " jlvsd's log of the checks:\n" + events);
        assertThat(events).contains("HTTP_GET 198.51.100.12:80 DOWN", "real server 198.51.100.12:80 of TCP 192.0.2.10:80 DOWN",
                "lost quorum", "gained quorum", "health checks reloaded: 3 kept with their state, 0 started, 0 stopped");
    }

    // ------------------------------------------------------------------ helpers

    /** The -Sn line of real server K with weight W. */
    static String rs(int k, int w) {
        return "-a -t " + VIP + ":80 -r 198.51.100.1" + k + ":80 -m -w " + w + "\n";
    }

    /** Polls {@code jlvsadm -Sn} until {@code ok} (bounded); the elapsed milliseconds. */
    long awaitTable(String what, Predicate<String> ok, long boundMs) throws Exception {
        return awaitTable(what, ok, System.nanoTime(), boundMs);
    }

    /** As above, the bound counted from {@code start} (a {@link System#nanoTime()}). */
    long awaitTable(String what, Predicate<String> ok, long start, long boundMs) throws Exception {
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(boundMs);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = save();
            if (ok.test(last)) return (System.nanoTime() - start) / 1_000_000;
            if (!jlvsd.isAlive()) break;
            Thread.sleep(100);                                                  // real checks on a real clock
        }
        throw new AssertionError(what + ": not seen within " + boundMs + " ms; jlvsadm -Sn:\n" + last
                + "\njlvsadm -Ln:\n" + adm("-Ln").out + "\njlvsd log (tail):\n" + logTail());
    }

    /** Waits for jlvsd's log to satisfy {@code ok} (bounded). */
    void awaitLog(String what, Predicate<String> ok) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(VERDICT_BOUND_MS);
        while (!ok.test(Files.readString(log)) && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(ok.test(Files.readString(log))).as(what + ": not in jlvsd's log within " + VERDICT_BOUND_MS
                + " ms:\n" + logTail()).isTrue();
    }

    String save() throws Exception {
        return adm("-S", "-n").out;
    }

    Run adm(String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("jlvsadm"));
        a.addAll(List.of(args));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab + "d"));
        cmd.addAll(java(false, a.toArray(String[]::new)));
        return exec(cmd);
    }

    String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** Stops nginx on real server K (SIGTERM to its master, then waits for it); when it was told, in nanoTime. */
    long stopNginx(int k) throws Exception {
        Path pidFile = nginxDir.resolve("r" + k + "/nginx.pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        long told = System.nanoTime();
        assertThat(exec(List.of("kill", Long.toString(pid))).rc).isZero();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) || Files.exists(pidFile))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);                                                   // nginx's shutdown, bounded
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("nginx r" + k + " stopped").isFalse();
        return told;
    }

    void startNginx(int k) throws Exception {
        Path dir = nginxDir.resolve("r" + k);
        Run r = exec(inNs("r" + k, "nginx", "-c", dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString()));
        assertThat(r.rc).as("nginx r" + k + ": " + r.err).isZero();
    }

    List<String> inNs(String ns, String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", lab + ns));
        all.addAll(List.of(cmd));
        return all;
    }

    Run labShell(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source " + labScript + " && " + script);
        Map<String, String> env = pb.environment();
        env.put("LAB", lab);
        return exec(pb, new byte[0], 60);
    }

    /** java running JlvsMain with the options scripts/lib.sh's jlvs_java_opts gives (daemon: the full JIT). */
    static List<String> java(boolean daemon, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xshare:auto"));
        if (!daemon) cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.jlvs.daemon.JlvsMain"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Run exec(List<String> cmd) throws IOException, InterruptedException {
        return exec(new ProcessBuilder(cmd), new byte[0], STEP_TIMEOUT_S);
    }

    static Run exec(ProcessBuilder pb, byte[] stdin, long timeoutS) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jlvs-it", ".out"), err = Files.createTempFile("jlvs-it", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            }
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", pb.command()));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
