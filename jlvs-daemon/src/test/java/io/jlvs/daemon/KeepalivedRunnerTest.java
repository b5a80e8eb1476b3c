package io.jlvs.daemon;

import io.jlvs.cli.Jlvsadm;
import io.jlvs.ctl.keepalived.KeepalivedService;
import io.jlvs.netio.NetioAvailability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jlvsd -t -f FILE} exit codes, and jlvsd loading and reloading a keepalived.conf. */
class KeepalivedRunnerTest {
    static final String CONF = """
            global_defs {
              router_id lb1
              notification_email_from lb@example.org
            }
            virtual_server 198.51.100.10 80 {
              protocol TCP
              lb_algo wrr
              lb_kind NAT
              real_server 192.0.2.11 8080 {
                weight 2
                TCP_CHECK {
                  connect_timeout 3
                }
              }
              real_server 192.0.2.12 8080 {
                weight 1
              }
            }
            """;

    @TempDir
    Path dir;
    final StringWriter out = new StringWriter(), err = new StringWriter();
    Jlvsd daemon;
    KeepalivedRunner runner;
    String socket;

    @AfterEach
    void stop() {
        if (runner != null) runner.close();
        if (daemon != null) daemon.close();
    }

    int run(String... args) {
        CommandLine cl = JlvsMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    Path write(String text) throws IOException {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void configTestOfAValidFileExitsZeroAndNamesWhatItSkips() throws IOException {
        Path f = write(CONF);
        assertThat(run("daemon", "-t", "-f", f.toString())).isZero();
        assertThat(err.toString()).isEqualTo(f + ":3: skipped: notification_email_from: not implemented in jlvs\n"
                + "jlvsd: " + f + ": configuration valid: 1 virtual servers, 2 real servers, 1 keywords skipped\n");
    }

    @Test
    void configTestOfABrokenFileExitsOneWithFileAndLine() throws IOException {
        Path f = write(CONF.replace("lb_algo wrr", "lb_algo fastest").replace("weight 1", "weight -1"));
        assertThat(run("daemon", "--config-test", "--use-file", f.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(f + ":7: error: lb_algo: invalid scheduler 'fastest'",
                f + ":16: error: weight: number '-1' outside range [0, 65535]",
                "jlvsd: " + f + ": configuration invalid: 2 errors");
    }

    @Test
    void configTestOfAMissingFileExitsOne() {
        assertThat(run("daemon", "-t", "-f", dir.resolve("nope.conf").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot open " + dir.resolve("nope.conf") + ": no such file");
    }

    @Test
    void configTestHonoursTheConfigId() throws IOException {
        Path f = write(CONF.replace("  real_server 192.0.2.12", "@other real_server 192.0.2.12").replace("weight 1\n", "weight x\n"));
        assertThat(run("daemon", "-t", "-i", "lb1", "-f", f.toString())).isEqualTo(1);   // the bad weight is read
        err.getBuffer().setLength(0);
        assertThat(run("daemon", "-t", "-i", "other", "-f", f.toString())).isEqualTo(1);
        Path g = write(CONF.replace("  real_server 192.0.2.12 8080 {\n    weight 1\n  }\n",
                "@other real_server 192.0.2.12 8080 {\n@other weight x\n@other }\n"));
        err.getBuffer().setLength(0);
        assertThat(run("daemon", "-t", "-i", "lb1", "-f", g.toString())).as(err.toString()).isZero();
        assertThat(err.toString()).contains("1 virtual servers, 1 real servers");
    }

    @Test
    void configTestValidatesTheCheckerBlocks() throws IOException {
        Path f = write(CONF.replace("connect_timeout 3", "connect_timeout 3\n      connect_port 99999\n      bind_if eth0"));
        assertThat(run("daemon", "-t", "-f", f.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(f + ":13: error: connect_port", f + ":14: skipped: bind_if:",
                "jlvsd: " + f + ": configuration invalid: 1 errors");
    }

    // ---- a running jlvsd ----

    void startDaemon(Path conf) throws IOException {
        startDaemon(conf, false);
    }

    void startDaemon(Path conf, boolean checks) throws IOException {
        Assumptions.assumeTrue(NetioAvailability.isAvailable(), () -> "SKIPPED: native access unavailable: "
                + NetioAvailability.unavailabilityCause().orElse("?"));
        socket = "jlvs-ka-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
        daemon = Jlvsd.start(new Jlvsd.Options(socket, -1, null, 4096, 1024, null));
        runner = KeepalivedRunner.start(daemon, conf, "lb1", checks);    // no checks: nothing leaves the host
    }

    String jlvsadmSave() {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int rc = Jlvsadm.run("jlvsadm", new String[]{"-S", "-n"}, socket, new ByteArrayInputStream(new byte[0]),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        assertThat(rc).as(e.toString(StandardCharsets.UTF_8)).isZero();
        return o.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jlvsdLoadsTheFileAndJlvsadmSeesTheTable() throws IOException {
        startDaemon(write(CONF));
        assertThat(jlvsadmSave()).isEqualTo("""
                -A -t 198.51.100.10:80 -s wrr
                -a -t 198.51.100.10:80 -r 192.0.2.11:8080 -m -w 2
                -a -t 198.51.100.10:80 -r 192.0.2.12:8080 -m -w 1
                """);
    }

    @Test
    void reloadAppliesAChangedWeightAndRefusesABrokenFile() throws IOException {
        Path f = write(CONF);
        startDaemon(f);
        Files.writeString(f, CONF.replace("weight 2", "weight 5"));
        KeepalivedService.Applied a = runner.reload();
        assertThat(a.applied()).isTrue();
        assertThat(a.ops()).extracting(Object::toString).containsExactly("-e -t 198.51.100.10:80 -r 192.0.2.11:8080 -m -w 5");
        assertThat(jlvsadmSave()).contains("-a -t 198.51.100.10:80 -r 192.0.2.11:8080 -m -w 5");

        Files.writeString(f, CONF.replace("weight 1", "weight 3") + "}\n");
        assertThat(runner.reload().applied()).isFalse();
        assertThat(jlvsadmSave()).contains("192.0.2.12:8080 -m -w 1");
    }

    @Test
    void aBrokenFileAtStartIsRefused() throws IOException {
        Assumptions.assumeTrue(NetioAvailability.isAvailable(), "SKIPPED: native access unavailable");
        socket = "jlvs-ka-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
        daemon = Jlvsd.start(new Jlvsd.Options(socket, -1, null, 4096, 1024, null));
        Path f = write(CONF.replace("lb_kind NAT", "lb_kind XYZ"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> KeepalivedRunner.start(daemon, f, null, false));
        assertThat(jlvsadmSave()).isEmpty();
    }

    @Test
    void sighupReloads() throws Exception {
        Path f = write(CONF);
        startDaemon(f);
        Assumptions.assumeTrue(runner.hangupHandled(), "SKIPPED: this JVM does not let jlvsd handle SIGHUP");
        Files.writeString(f, CONF.replace("weight 1", "weight 4"));
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!jlvsadmSave().contains("192.0.2.12:8080 -m -w 4") && System.nanoTime() < deadline) {
            Thread.sleep(20);                            // the signal is asynchronous: poll, bounded
        }
        assertThat(jlvsadmSave()).contains("-a -t 198.51.100.10:80 -r 192.0.2.12:8080 -m -w 4");
    }

    @Test
    void withHealthChecksAFailedServerLeavesTheTableAndCloseStopsTheChecks() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket()) {
            server.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            // the checks go to a loopback server standing in for 192.0.2.11; 192.0.2.12 has no checker (always up)
            startDaemon(write(CONF.replace("connect_timeout 3", "connect_timeout 3\n      connect_ip 127.0.0.1\n"
                    + "      connect_port " + server.getLocalPort() + "\n      delay_loop 0.2\n      warmup 0\n      retry 0")), true);
            assertThat(runner.healthChecks().runner().checks()).hasSize(1);
            assertThat(jlvsadmSave()).contains("192.0.2.11:8080 -m -w 2");
            server.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (jlvsadmSave().contains("192.0.2.11") && System.nanoTime() < deadline) {
                Thread.sleep(20);                        // real checks on a real clock: poll, bounded
            }
            assertThat(jlvsadmSave()).doesNotContain("192.0.2.11").contains("192.0.2.12:8080 -m -w 1");
        }
        runner.close();
        assertThat(runner.healthChecks().runner().checks()).isEmpty();
    }
}
