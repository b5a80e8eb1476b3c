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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jlvsd and jlvsadm as an operator runs them, each director in its own network namespace:
 *
 * <pre>
 *   netns jlvs-ctl-a-PID: jlvsd (@jlvsd) <- jlvsadm, ipvsadm scripts, a non-root caller
 *   netns jlvs-ctl-b-PID: jlvsd (@jlvsd) <- jlvsadm        (same socket name: namespaces keep them apart)
 * </pre>
 * Needs root and iproute2; skips and says why otherwise. Every process runs under a time limit; namespaces and
 * daemons are removed whatever happens.
 */
@Tag("netns")
class JlvsdNetnsIT {
    static final long STEP_TIMEOUT_S = 30;
    final String nsA = "jlvs-ctl-a-" + ProcessHandle.current().pid(), nsB = "jlvs-ctl-b-" + ProcessHandle.current().pid();
    final List<Process> daemons = new ArrayList<>();
    final List<String> namespaces = new ArrayList<>();
    final List<Path> logs = new ArrayList<>();

    record Run(int rc, String out, String err) {}

    @BeforeEach
    void prerequisites() throws Exception {
        boolean root = "0".equals(exec(List.of("id", "-u"), "").out.strip());
        Assumptions.assumeTrue(root, "SKIPPED: netns test needs root (CI runs as root)");
        Assumptions.assumeTrue(exec(List.of("ip", "netns", "list"), "").rc == 0, "SKIPPED: iproute2 'ip netns' unavailable");
        Assumptions.assumeTrue(exec(List.of("socat", "-V"), "").rc == 0, "SKIPPED: socat unavailable (./jlvs test installs it)");
        for (String ns : List.of(nsA, nsB)) {
            exec(List.of("ip", "netns", "del", ns), "");                       // a leftover of a crashed run
            assertThat(exec(List.of("ip", "netns", "add", ns), "").rc).as("ip netns add " + ns).isZero();
            namespaces.add(ns);
        }
        for (String ns : namespaces) {
            Path log = Files.createTempFile("jlvsd-" + ns, ".log");
            logs.add(log);
            daemons.add(new ProcessBuilder(inNs(ns, java("daemon"))).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start());
        }
        for (String ns : namespaces) awaitDaemon(ns);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : daemons) {
            p.destroy();                                                       // SIGTERM: the daemon's own shutdown
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (String ns : namespaces) exec(List.of("ip", "netns", "del", ns), "");
        for (Path log : logs) Files.deleteIfExists(log);
    }

    @Test
    void twoDirectorsInTwoNamespacesConfiguredWithJlvsadm() throws Exception {
        // configure A
        assertThat(adm(nsA, "", "-A", "-t", "198.51.100.10:80", "-s", "wrr", "-p", "120").rc).isZero();
        assertThat(adm(nsA, "", "-a", "-t", "198.51.100.10:80", "-r", "192.0.2.11:80", "-m", "-w", "3").rc).isZero();
        assertThat(adm(nsA, "", "-A", "-u", "[2001:db8::10]:53", "-s", "sh", "-b", "sh-port").rc).isZero();
        assertThat(adm(nsA, "", "-a", "-u", "[2001:db8::10]:53", "-r", "[2001:db8::1]:53", "-i").rc).isZero();
        Run saved = adm(nsA, "", "-S", "-n");
        assertThat(saved.out).contains("-A -t 198.51.100.10:80 -s wrr -p 120", "-a -u [2001:db8::10]:53 -r [2001:db8::1]:53 -i -w 1");

        // B is another director: empty, and changes there leave A alone
        assertThat(adm(nsB, "", "-S", "-n").out).isEmpty();
        assertThat(adm(nsB, "", "-A", "-t", "203.0.113.1:443").rc).isZero();
        assertThat(adm(nsA, "", "-S", "-n").out).isEqualTo(saved.out);

        // -S | -R is the identity
        assertThat(adm(nsA, "", "-C").rc).isZero();
        assertThat(adm(nsA, saved.out, "-R").rc).isZero();
        assertThat(adm(nsA, "", "-S", "-n").out).isEqualTo(saved.out);

        // a batch with one bad line changes nothing
        Run bad = adm(nsA, "-A -t 198.51.100.20:80\n-a -t 198.51.100.20:80 -r 192.0.2.99:80 -x 5 -y 9\n", "-R");
        assertThat(bad.rc).isNotZero();
        assertThat(adm(nsA, "", "-S", "-n").out).isEqualTo(saved.out);

        // --json
        Run json = adm(nsA, "", "-L", "--json");
        assertThat(json.rc).isZero();
        assertThat(json.out).contains("\"services\"", "\"198.51.100.10\"", "\"2001:db8::10\"");

        // a non-root caller (SO_PEERCRED: uid 65534) may list but not change; spoken with socat, framed as jlvsadm does
        Run nobodyChange = asNobodyRequest(nsA, "{\"v\":1,\"id\":\"n\",\"op\":\"ipvsadm\",\"argv\":[\"-D\",\"-t\",\"198.51.100.10:80\"]}");
        assertThat(nobodyChange.out).contains("\"exitStatus\":255", "Permission denied (you must be root)");
        Run nobodyList = asNobodyRequest(nsA, "{\"v\":1,\"id\":\"l\",\"op\":\"ipvsadm\",\"argv\":[\"-Ln\"]}");
        assertThat(nobodyList.out).contains("\"exitStatus\":0", "198.51.100.10:80");
        assertThat(adm(nsA, "", "-S", "-n").out).isEqualTo(saved.out);

        // invoked as ipvsadm: ipvsadm's own listing
        Run ipvsadm = exec(inNs(nsA, java("ipvsadm", "-Ln")), "");
        assertThat(ipvsadm.out).startsWith("IP Virtual Server version 1.2.1 (size=4096)\n");
    }

    // ------------------------------------------------------------------ helpers

    Run adm(String ns, String stdin, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("jlvsadm"));
        argv.addAll(List.of(args));
        return exec(inNs(ns, java(argv.toArray(String[]::new))), stdin);
    }

    void awaitDaemon(String ns) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            if (adm(ns, "", "-Ln").rc == 0) return;
            Thread.sleep(200);                                                 // polling a process start, bounded
        }
        throw new AssertionError("jlvsd in " + ns + " did not answer within " + STEP_TIMEOUT_S + " s; its log:\n"
                + String.join("\n", logs.stream().map(JlvsdNetnsIT::read).toList()));
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(" + p + ": " + e + ")";
        }
    }

    static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.jlvs.daemon.JlvsMain"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static List<String> inNs(String ns, List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("timeout", String.valueOf(STEP_TIMEOUT_S), "ip", "netns", "exec", ns));
        all.addAll(cmd);
        return all;
    }

    /** One framed request (4-byte big-endian length, then JSON) sent as uid/gid 65534 with socat. */
    Run asNobodyRequest(String ns, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] frame = java.nio.ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
        return exec(inNs(ns, asNobody(List.of("socat", "-t", "5", "-", "ABSTRACT-CONNECT:jlvsd"))), frame);
    }

    static List<String> asNobody(List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        all.addAll(cmd);
        return all;
    }

    static Run exec(List<String> cmd, String stdin) throws IOException, InterruptedException {
        return exec(cmd, stdin.getBytes(StandardCharsets.UTF_8));
    }

    static Run exec(List<String> cmd, byte[] stdin) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jlvs-it", ".out"), err = Files.createTempFile("jlvs-it", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            }
            if (!p.waitFor(STEP_TIMEOUT_S + 5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", cmd));
            }
            return new Run(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
                    new String(Files.readAllBytes(err), StandardCharsets.UTF_8));   // lenient: socat output is framed
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
