package io.jlvs.daemon;

import io.jlvs.cli.Jlvsadm;
import io.jlvs.netio.NetioAvailability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** jlvsd and jlvsadm in one JVM, over a real abstract Unix socket of a name unique to the test. */
class JlvsdTest {
    String socket;
    Jlvsd daemon;
    String out, err;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(NetioAvailability.isAvailable(), () -> "native access unavailable: "
                + NetioAvailability.unavailabilityCause().orElse("?"));
        socket = "jlvs-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        daemon = Jlvsd.start(new Jlvsd.Options(socket, -1, null, 4096, 1024, null));
    }

    @AfterEach
    void stop() {
        if (daemon != null) daemon.close();
    }

    int run(String program, String stdin, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int rc = Jlvsadm.run(program, args, socket, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return rc;
    }

    int adm(String... args) { return run("jlvsadm", "", args); }

    @Test
    void configureAndListAsIpvsadmPrintsIt() {
        assertThat(adm("-A", "-t", "198.51.100.10:80", "-s", "wrr")).isZero();
        assertThat(adm("-a", "-t", "198.51.100.10:80", "-r", "192.0.2.1:8080", "-m", "-w", "3")).isZero();
        assertThat(adm("-Ln")).isZero();
        assertThat(out).isEqualTo("IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  198.51.100.10:80 wrr\n"
                + "  -> 192.0.2.1:8080               Masq    3      0          0         \n");   // ipvsadm's %-10u
        assertThat(adm("-A", "-t", "198.51.100.10:80")).isEqualTo(255);
        assertThat(err).isEqualTo("Service already exists\n");
    }

    @Test
    void saveThenRestoreIsTheIdentityAndRestoreIsAllOrNothing() {
        adm("-A", "-t", "198.51.100.10:80", "-s", "rr", "-p", "600");
        adm("-a", "-t", "198.51.100.10:80", "-r", "192.0.2.1:80", "-g", "-w", "2");
        adm("-A", "-u", "[2001:db8::10]:53", "-s", "sh", "-b", "sh-port");
        adm("-a", "-u", "[2001:db8::10]:53", "-r", "[2001:db8::1]:53", "-m");
        assertThat(adm("-S", "-n")).isZero();
        String saved = out;
        assertThat(adm("-C")).isZero();
        assertThat(run("jlvsadm", saved, "-R")).isZero();
        adm("-S", "-n");
        assertThat(out).isEqualTo(saved);

        String bad = "-A -t 203.0.113.5:80\n-a -t 203.0.113.5:80 -r 999.1.1.1\n";
        assertThat(run("jlvsadm", bad, "-R")).isNotZero();
        assertThat(err).contains("illegal real server address");
        adm("-S", "-n");
        assertThat(out).isEqualTo(saved);                    // the good first line was not applied either
    }

    @Test
    void jsonListingIsAMarkedExtension() {
        adm("-A", "-t", "198.51.100.10:80", "-s", "rr");
        assertThat(adm("-L", "--json")).isZero();
        assertThat(out).contains("\"services\"", "\"scheduler\" : \"rr\"", "\"address\" : \"198.51.100.10\"");
        assertThat(run("ipvsadm", "", "-L", "--json")).isNotZero();        // plain ipvsadm has no --json
        assertThat(adm("-h")).isZero();
        assertThat(out).contains("jlvsadm extensions");
        assertThat(run("ipvsadm", "", "-h")).isZero();
        assertThat(out).doesNotContain("jlvsadm extensions");
    }

    @Test
    void noDaemonGivesIpvsadmsMessage() {
        daemon.close();
        assertThat(adm("-Ln")).isEqualTo(2);
        assertThat(err).startsWith("Can't initialize ipvs: ").contains("ECONNREFUSED")
                .endsWith("Are you sure that IP Virtual Server is built in the kernel or as module?\n");
        assertThat(adm("-v")).isZero();                                    // needs no daemon
        assertThat(out).startsWith("ipvsadm v1.31");
    }
}
