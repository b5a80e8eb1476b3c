package io.jlvs.ctl.keepalived.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** notify scripts: split like misc_path, run without a shell, bounded by a timeout, failures reported. */
class NotifyScriptsTest {

    @TempDir
    Path dir;

    Path script(String body) throws IOException {
        Path s = dir.resolve("notify.sh");
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    @Test
    void aScriptRunsWithItsQuotedArguments() throws IOException {
        Path out = dir.resolve("out");
        Path s = script("printf '%s|' \"$@\" > " + out);
        try (NotifyScripts n = new NotifyScripts(Duration.ofSeconds(10))) {
            int rc = n.run("test", Values.commandLine(List.of(s + " UP 'rs 2' \"a b\"")));
            assertThat(rc).isZero();
        }
        assertThat(Files.readString(out)).isEqualTo("UP|rs 2|a b|");
    }

    @Test
    void aFailingOrMissingScriptIsReportedNotThrown() throws IOException {
        try (NotifyScripts n = new NotifyScripts(Duration.ofSeconds(10))) {
            assertThat(n.run("test", List.of(script("exit 3").toString()))).isEqualTo(3);
            assertThat(n.run("test", List.of(dir.resolve("missing").toString()))).isEqualTo(-1);
        }
    }

    @Test
    void aScriptThatOverrunsItsTimeoutIsKilled() throws IOException {
        Path pid = dir.resolve("pid");
        Path s = script("echo $$ > " + pid + "\nexec sleep 30");
        long start = System.nanoTime();
        try (NotifyScripts n = new NotifyScripts(Duration.ofMillis(300))) {
            assertThat(n.run("test", List.of(s.toString()))).isEqualTo(-1);
        }
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
        long p = Long.parseLong(Files.readString(pid).strip());
        assertThat(ProcessHandle.of(p).map(h -> {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // checked below
            }
            return h.isAlive();
        }).orElse(false)).as("the script was killed").isFalse();
    }

    @Test
    void notifyRunsInTheBackground() throws Exception {
        Path out = dir.resolve("bg");
        Path s = script("echo done > " + out);
        try (NotifyScripts n = new NotifyScripts(Duration.ofSeconds(10))) {
            n.notify("test", s.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(Files.exists(out) && Files.readString(out).equals("done\n")) && System.nanoTime() < deadline) {
                Thread.sleep(10);                         // waiting for a real process, bounded
            }
        }
        assertThat(Files.readString(out)).isEqualTo("done\n");
    }
}
