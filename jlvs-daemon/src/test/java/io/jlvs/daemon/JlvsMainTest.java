package io.jlvs.daemon;

import io.jlvs.sched.SchedulerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JlvsMainTest {
    final StringWriter out = new StringWriter(), err = new StringWriter();

    int run(String... args) {
        CommandLine cl = JlvsMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void simRunsAFile(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("t.sim");
        Files.writeString(script, """
                -A -t 198.51.100.10:80 -s rr
                -a -t 198.51.100.10:80 -r 192.0.2.1 -m
                conn tcp 203.0.113.7:40000 198.51.100.10:80
                oops
                """);
        assertThat(run("sim", script.toString())).isEqualTo(1);
        assertThat(out.toString()).isEqualTo("203.0.113.7:40000 -> 192.0.2.1:80\n");
        assertThat(err.toString()).isEqualTo("sim: line 4: unknown command 'oops' (expected -..., conn, close, time, list)\n");
    }

    @Test
    void simHelpDescribesTheLineSyntaxAndWhatIsSimulated() {
        assertThat(run("sim", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: jlvs sim [-hV] [--echo] [FILE]", "--echo", "conn PROTO CIP:CPORT VIP:VPORT [mark N]",
                "close CIP:CPORT", "time +SECONDS", "list", "persistence (-p, -M) keeps a client on its real server")
                .doesNotContain("Not simulated yet: persistence");
    }

    @Test
    void aMissingFileIsAClearError() {
        assertThat(run("sim", "/no/such/file.sim")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("sim: cannot read /no/such/file.sim: no such file\n");
    }

    @Test
    void theDemoScriptRunsCleanly() {
        assumeTrue(SchedulerRegistry.exists("sh"), "SKIPPED: the demo's section 4 needs the sh scheduler, not registered yet");
        Path demo = Path.of("..", "examples", "demo.sim");
        assertThat(demo).exists();
        int status = run("sim", demo.toString());
        assertThat(err.toString()).isEmpty();
        assertThat(status).isZero();
        assertThat(out.toString()).contains("203.0.113.7:40001 -> 192.0.2.13:8080", "IP Virtual Server version 1.2.1 (size=4096)",
                // persistence: the client's second connection follows its first, through the template
                "203.0.113.7:41001 -> 192.0.2.42:8443\n203.0.113.8:41001 -> 192.0.2.41:8443\n203.0.113.7:41002 -> 192.0.2.42:8443\n");
        assertThat(out.toString().lines().count()).isBetween(30L, 50L);
    }
}
