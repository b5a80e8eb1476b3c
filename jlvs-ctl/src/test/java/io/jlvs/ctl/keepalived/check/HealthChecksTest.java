package io.jlvs.ctl.keepalived.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlvs.ctl.api.Caller;
import io.jlvs.ctl.api.ControlService;
import io.jlvs.ctl.api.Request;
import io.jlvs.ctl.ipvsadm.IpvsadmExecutor;
import io.jlvs.ctl.ipvsadm.IpvsadmParser;
import io.jlvs.ctl.ipvsadm.NameResolver;
import io.jlvs.ctl.ipvsadm.Services;
import io.jlvs.ctl.ipvsadm.StatsProvider;
import io.jlvs.ctl.keepalived.ConfMessages;
import io.jlvs.ctl.keepalived.KeepalivedLoader;
import io.jlvs.ctl.keepalived.KeepalivedService;
import io.jlvs.ctl.keepalived.RealServerId;
import io.jlvs.ha.check.AttemptExecutor;
import io.jlvs.ha.check.CheckKey;
import io.jlvs.ha.check.CheckRunner;
import io.jlvs.ha.check.CheckScheduler;
import io.jlvs.service.ServiceTable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge from checker blocks to the table: a real {@link KeepalivedService} over a jlvs table, a real
 * {@link CheckRunner} on a fake clock with attempts run inline, verdicts applied inline, scripts recorded. The
 * checks are FILE_CHECKs (the test writes the files) and a TCP_CHECK against a loopback server, so every
 * transition is one {@code advance} away and nothing leaves the host.
 */
class HealthChecksTest {

    @TempDir
    Path dir;
    final ServiceTable table = new ServiceTable();
    final ControlService control = new ControlService(new IpvsadmExecutor(table,
            new IpvsadmParser("ipvsadm", NameResolver.offline(Services.builtIn())), StatsProvider.NONE, 4096),
            ControlService.NO_GROUP);
    final ManualScheduler clock = new ManualScheduler();
    final List<String> scripts = new ArrayList<>();
    KeepalivedService service;
    HealthChecks checks;

    /** Three real servers, each with a FILE_CHECK on its own file ("0": up, anything else: down). */
    static final String CONF = """
            track_file rs1 {
              file DIR/rs1
            }
            track_file rs2 {
              file DIR/rs2
            }
            track_file rs3 {
              file DIR/rs3
            }
            virtual_server 192.0.2.10 80 {
              delay_loop 1
              lb_algo rr
              lb_kind NAT
              protocol TCP
              quorum_up "/usr/local/bin/vs-up 192.0.2.10"
              quorum_down /usr/local/bin/vs-down
              sorry_server 198.51.100.14 80
              real_server 198.51.100.11 80 {
                weight 1
                FILE_CHECK {
                  track_file rs1
                  weight 0
                }
              }
              real_server 198.51.100.12 80 {
                weight 2
                notify_up "/usr/local/bin/rs-up rs2"
                notify_down "/usr/local/bin/rs-down rs2"
                FILE_CHECK {
                  track_file rs2
                  weight 0
                }
              }
              real_server 198.51.100.13 80 {
                weight 3
                FILE_CHECK {
                  track_file rs3
                  weight 0
                }
              }
            }
            """;

    @AfterEach
    void close() {
        if (checks != null) {
            checks.close();
        }
    }

    Path write(String text) throws IOException {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, text.replace("DIR", dir.toString()));
        return f;
    }

    void file(String name, String value) throws IOException {
        Files.writeString(dir.resolve(name), value + "\n");
    }

    KeepalivedService.Applied start(String text) throws IOException {
        service = new KeepalivedService(control, write(text), "test");
        AttemptExecutor inline = (name, attempt) -> {
            attempt.run();
            return CheckScheduler.Cancellable.NONE;
        };
        RandomGenerator noWarmup = () -> 0L;
        checks = HealthChecks.attach(service, l -> new CheckRunner(clock, inline, noWarmup, l), Runnable::run,
                (event, script) -> scripts.add(event + ": " + script), null);
        return service.start();
    }

    String save() {
        return control.handle(Request.ipvsadm("t", List.of("-S", "-n")), Caller.ROOT).out();
    }

    @Test
    void aFailedRealServerLeavesThePoolAndComesBackWithItsScripts() throws IOException {
        for (String f : List.of("rs1", "rs2", "rs3")) {
            file(f, "0");
        }
        assertThat(start(CONF).applied()).isTrue();
        clock.advanceSeconds(0);                                  // every first attempt: all up
        assertThat(save()).isEqualTo("""
                -A -t 192.0.2.10:80 -s rr
                -a -t 192.0.2.10:80 -r 198.51.100.11:80 -m -w 1
                -a -t 192.0.2.10:80 -r 198.51.100.12:80 -m -w 2
                -a -t 192.0.2.10:80 -r 198.51.100.13:80 -m -w 3
                """);
        assertThat(scripts).containsExactly("quorum_up of VS TCP 192.0.2.10:80: /usr/local/bin/vs-up 192.0.2.10");

        file("rs2", "1");
        clock.advanceSeconds(1);
        assertThat(save()).doesNotContain("198.51.100.12");
        assertThat(scripts).endsWith("notify_down of 198.51.100.12:80 of TCP 192.0.2.10:80: /usr/local/bin/rs-down rs2");

        file("rs2", "0");
        clock.advanceSeconds(1);
        assertThat(save()).contains("-a -t 192.0.2.10:80 -r 198.51.100.12:80 -m -w 2");
        assertThat(scripts).endsWith("notify_up of 198.51.100.12:80 of TCP 192.0.2.10:80: /usr/local/bin/rs-up rs2");
        assertThat(scripts).hasSize(3);
    }

    @Test
    void aFileCheckThatSaysDownAtLoadKeepsItsServerOutFromTheStart() throws IOException {
        file("rs2", "1");
        KeepalivedService.Applied a = start(CONF);
        assertThat(a.ops()).extracting(Object::toString).noneMatch(op -> op.contains("198.51.100.12"));
        clock.advanceSeconds(0);
        assertThat(save()).doesNotContain("198.51.100.12");
        assertThat(scripts).noneMatch(s -> s.startsWith("notify"));
        file("rs2", "0");
        clock.advanceSeconds(1);
        assertThat(save()).contains("198.51.100.12:80 -m -w 2");
    }

    @Test
    void withInhibitOnFailureAFailedServerStaysWithWeightZero() throws IOException {
        file("rs2", "1");
        start(CONF.replace("weight 2\n", "weight 2\n    inhibit_on_failure\n"));
        assertThat(save()).contains("-a -t 192.0.2.10:80 -r 198.51.100.12:80 -m -w 0");
        clock.advanceSeconds(0);
        assertThat(save()).contains("-a -t 192.0.2.10:80 -r 198.51.100.12:80 -m -w 0");
        file("rs2", "0");
        clock.advanceSeconds(1);
        assertThat(save()).contains("-a -t 192.0.2.10:80 -r 198.51.100.12:80 -m -w 2");
    }

    @Test
    void quorumLostPutsTheSorryServerInAndRegainedTakesItOut() throws IOException {
        start(CONF);
        clock.advanceSeconds(0);
        for (String f : List.of("rs1", "rs2", "rs3")) {
            file(f, "1");
        }
        clock.advanceSeconds(1);
        assertThat(save()).isEqualTo("""
                -A -t 192.0.2.10:80 -s rr
                -a -t 192.0.2.10:80 -r 198.51.100.14:80 -m -w 1
                """);
        assertThat(scripts).contains("quorum_down of VS TCP 192.0.2.10:80: /usr/local/bin/vs-down");

        file("rs3", "0");
        clock.advanceSeconds(1);
        assertThat(save()).isEqualTo("""
                -A -t 192.0.2.10:80 -s rr
                -a -t 192.0.2.10:80 -r 198.51.100.13:80 -m -w 3
                """);
        assertThat(scripts).last().isEqualTo("quorum_up of VS TCP 192.0.2.10:80: /usr/local/bin/vs-up 192.0.2.10");
    }

    @Test
    void aReloadKeepsTheStateOfUnchangedChecksAndRestartsChangedOnes() throws IOException {
        file("rs2", "1");
        start(CONF);
        clock.advanceSeconds(0);
        assertThat(save()).doesNotContain("198.51.100.12");
        HealthChecks.Plan before = checks.plan();
        CheckKey rs2 = before.checks().get(id("198.51.100.12")).getFirst();
        CheckKey rs3 = before.checks().get(id("198.51.100.13")).getFirst();
        int scriptsBefore = scripts.size();

        // rs1's weight changes, rs3's checker changes (reversed), rs2 is untouched
        write(CONF.replace("weight 1\n", "weight 5\n").replace("track_file rs3\n      weight 0",
                "track_file rs3\n      weight 0 reverse"));
        file("rs3", "1");                                        // reversed: non-zero is up
        KeepalivedService.Applied a = service.reload();
        assertThat(a.applied()).isTrue();
        assertThat(save()).contains("-a -t 192.0.2.10:80 -r 198.51.100.11:80 -m -w 5").doesNotContain("198.51.100.12");
        assertThat(checks.runner().checkState(rs2)).hasValueSatisfying(s -> {
            assertThat(s.hasRun()).as("rs2's check kept its state").isTrue();
            assertThat(s.up()).isFalse();
        });
        assertThat(checks.runner().checkState(rs3)).as("rs3's old check stopped").isEmpty();
        CheckKey rs3now = checks.plan().checks().get(id("198.51.100.13")).getFirst();
        assertThat(checks.runner().checkState(rs3now)).hasValueSatisfying(s -> assertThat(s.hasRun()).isFalse());
        assertThat(scripts).hasSize(scriptsBefore);                  // no flap, no script

        clock.advanceSeconds(1);
        assertThat(save()).contains("198.51.100.13:80 -m -w 3").doesNotContain("198.51.100.12");
    }

    @Test
    void aCheckSharedByTwoVirtualServersRunsOnceAndTellsBoth() throws IOException {
        String second = CONF.substring(CONF.indexOf("virtual_server")).replace("192.0.2.10", "192.0.2.20");
        start(CONF + second);
        clock.advanceSeconds(0);
        assertThat(checks.plan().checks()).hasSize(6);
        assertThat(checks.runner().checks()).hasSize(3);
        CheckKey rs2 = checks.plan().checks().get(id("198.51.100.12")).getFirst();
        assertThat(checks.runner().checkState(rs2).orElseThrow().owners()).hasSize(2);

        file("rs2", "1");
        clock.advanceSeconds(1);
        assertThat(save()).doesNotContain("198.51.100.12").contains("192.0.2.10:80 -r 198.51.100.13", "192.0.2.20:80 -r 198.51.100.13");
    }

    @Test
    void alphaStartsOutOfThePoolUntilTheFirstSuccess() throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            KeepalivedService.Applied a = start(CONF.replace("delay_loop 1\n", "delay_loop 1\n  alpha\n")
                    .replace("track_file rs1\n      weight 0\n", "track_file rs1\n      weight 0\n    }\n"
                            + "    TCP_CHECK {\n      connect_ip 127.0.0.1\n      connect_port " + server.getLocalPort() + "\n"));
            // rs1 has an alpha TCP_CHECK: never added before it succeeds (no flap); FILE_CHECKs have no alpha
            assertThat(a.ops()).extracting(Object::toString).noneMatch(op -> op.contains("198.51.100.11"));
            assertThat(save()).doesNotContain("198.51.100.11").contains("198.51.100.12", "198.51.100.13");
            clock.advanceSeconds(0);
            assertThat(save()).contains("-a -t 192.0.2.10:80 -r 198.51.100.11:80 -m -w 1");
        }
    }

    @Test
    void aTcpCheckRemovesAServerAfterItsRetriesAndBringsItBack() throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = server.getLocalPort();
            start(CONF.replace("track_file rs1\n      weight 0\n", "track_file rs1\n      weight 0\n    }\n"
                    + "    TCP_CHECK {\n      connect_ip 127.0.0.1\n      connect_port " + port + "\n      connect_timeout 1\n"
                    + "      retry 1\n      delay_before_retry 1\n"));
            clock.advanceSeconds(0);
            assertThat(save()).contains("198.51.100.11:80");
            server.close();
            clock.advanceSeconds(1);                               // fails: a retry 1 s later
            assertThat(save()).contains("198.51.100.11:80");
            clock.advanceSeconds(1);                               // the retry fails: down
            assertThat(save()).doesNotContain("198.51.100.11:80");
        }
    }

    @Test
    void dynamicWeightsOfAFileCheckGoToTheTable() throws IOException {
        file("rs1", "3");
        start(CONF.replace("track_file rs1\n      weight 0\n", "track_file rs1\n      weight 1\n      dynamic\n"));
        clock.advanceSeconds(0);
        assertThat(save()).contains("-a -t 192.0.2.10:80 -r 198.51.100.11:80 -m -w 4");
        file("rs1", "0");
        clock.advanceSeconds(1);
        assertThat(save()).contains("-a -t 192.0.2.10:80 -r 198.51.100.11:80 -m -w 1");
    }

    @Test
    void aRealServerWithoutCheckerIsUp() throws IOException {
        file("rs1", "1");
        start(CONF.replace("    FILE_CHECK {\n      track_file rs1\n      weight 0\n    }\n", ""));
        clock.advanceSeconds(5);
        assertThat(checks.plan().checks().get(id("198.51.100.11"))).isEmpty();
        assertThat(save()).contains("198.51.100.11:80");
    }

    @Test
    void aBrokenCheckerBlockRefusesTheFileWithFileAndLine() throws IOException {
        KeepalivedService.Applied a = start(CONF.replace("track_file rs2\n      weight 0\n", "track_file nope\n      colour blue\n"));
        assertThat(a.applied()).isFalse();
        String report = a.loaded().messages().report();
        assertThat(report).contains("keepalived.conf:31: skipped: colour: unknown keyword 'colour' in FILE_CHECK",
                "keepalived.conf:30: error: track_file nope not found");
        assertThat(save()).isEmpty();

        // and a reload with it is refused, the running configuration stays
        write(CONF);
        service.start();
        write(CONF.replace("weight 2", "weight 7").replace("track_file rs2\n      weight 0\n", "track_file nope\n"));
        assertThat(service.reload().applied()).isFalse();
        assertThat(save()).contains("198.51.100.12:80 -m -w 2");
    }

    @Test
    void theConfigTestPlanNamesSkippedAndWrongCheckerKeywords() {
        KeepalivedLoader.Result r = KeepalivedLoader.loadText("""
                SSL {
                  ca /etc/ssl/ca.pem
                }
                virtual_server 192.0.2.10 80 {
                  protocol TCP
                  real_server 198.51.100.11 80 {
                    HTTP_GET {
                      url {
                        path /
                        status_code 200
                      }
                      connect_timeout x
                      bind_if eth0
                    }
                    BFD_CHECK {
                    }
                  }
                }
                """, "k.conf", dir, "test");
        assertThat(r.valid()).as(r.messages().report()).isTrue();
        HealthChecks.plan(r.conf(), r.messages());
        assertThat(r.valid()).isFalse();
        assertThat(r.messages().of(ConfMessages.Kind.ERROR)).extracting(ConfMessages.Message::toString)
                .singleElement().asString().startsWith("k.conf:12: error: connect_timeout");
        assertThat(r.messages().of(ConfMessages.Kind.SKIPPED)).extracting(ConfMessages.Message::toString)
                .anyMatch(m -> m.startsWith("k.conf:1: skipped: SSL:"))
                .anyMatch(m -> m.startsWith("k.conf:13: skipped: bind_if:"))
                .anyMatch(m -> m.startsWith("k.conf:15: skipped: BFD_CHECK:"));
    }

    @Test
    void everyCheckerBlockOfKeepalivedsDocumentationSamplesIsAccepted() throws IOException {
        List<Path> samples;
        try (var files = Files.list(Path.of("src/test/resources/keepalived/samples"))) {
            samples = files.filter(f -> f.getFileName().toString().startsWith("keepalived.conf")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThan(10);
        int checks = 0;
        for (Path f : samples) {
            KeepalivedLoader.Result r = KeepalivedLoader.load(f, "test");
            HealthChecks.Plan p = HealthChecks.plan(r.conf(), r.messages());
            assertThat(r.messages().of(ConfMessages.Kind.ERROR)).as(f + ":\n" + r.messages().report()).isEmpty();
            checks += p.distinctChecks().size();
        }
        assertThat(checks).isGreaterThan(10);
    }

    RealServerId id(String addr) {
        return service.conf().realServers().stream().filter(r -> r.addr().toString().equals(addr)).findFirst()
                .orElseThrow().id();
    }
}
