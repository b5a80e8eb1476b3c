package io.jlvs.ha.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MISC_CHECK running real bash scripts. */
class MiscCheckerTest {

    @TempDir
    Path dir;

    private Path script(String body) throws Exception {
        Path p = dir.resolve("check-" + System.nanoTime() + ".sh");
        Files.writeString(p, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static CheckResult run(Path script, boolean dynamic, String... args) throws InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        return new MiscChecker.Spec(cmd, Duration.ofSeconds(5), dynamic, null, null).newChecker().check();
    }

    @Test
    void exitStatusZeroIsUpOneIsDown() throws Exception {
        assertThat(run(script("exit 0"), false).up()).isTrue();
        CheckResult down = run(script("exit 1"), false);
        assertThat(down.up()).isFalse();
        assertThat(down.detail()).isEqualTo("exit status 1");
    }

    @Test
    void argumentsArePassedWithoutAShell() throws Exception {
        Path s = script("[ \"$1\" = 'a b' ] && [ \"$2\" = '$HOME' ] && exit 0; exit 1");
        assertThat(run(s, false, "a b", "$HOME").up()).isTrue();
    }

    @Test
    void miscDynamicTurnsExitStatusIntoWeight() throws Exception {
        CheckResult r = run(script("exit 12"), true);
        assertThat(r.up()).isTrue();
        assertThat(r.absoluteWeight()).isTrue();
        assertThat(r.weight()).isEqualTo(10);
        assertThat(r.contribution(3)).isEqualTo(7);
        assertThat(run(script("exit 12"), false).up()).as("without misc_dynamic 12 is a failure").isFalse();
        assertThat(run(script("exit 1"), true).up()).isFalse();
        assertThat(run(script("exit 0"), true).contribution(3)).as("0: back to the configured weight").isZero();
        assertThat(MiscChecker.judge(255, true).weight()).isEqualTo(253);
        assertThat(MiscChecker.judge(2, true).weight()).isZero();
    }

    @Test
    void aScriptOverItsTimeoutIsKilledWithItsChildren() throws Exception {
        Path marker = dir.resolve("child-alive");
        Path s = script("(sleep 30; touch " + marker + ") & sleep 30");
        long t0 = System.nanoTime();
        CheckResult r = new MiscChecker.Spec(List.of(s.toString()), Duration.ofMillis(300), false, null, null)
                .newChecker().check();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.up()).isFalse();
        assertThat(r.detail()).startsWith("timed out");
        assertThat(ms).isLessThan(4_000);
        assertThat(ProcessHandle.current().descendants().filter(h -> h.info().commandLine().orElse("")
                .contains("sleep 30")).count()).isZero();
    }

    @Test
    void aMissingProgramIsDown() throws Exception {
        CheckResult r = run(dir.resolve("nope.sh"), false);
        assertThat(r.up()).isFalse();
        assertThat(r.detail()).startsWith("cannot run");
    }

    @Test
    void userSwitchGoesThroughRunuserOnlyAsRoot() {
        MiscChecker c = new MiscChecker(new MiscChecker.Spec(List.of("/bin/true"), Duration.ofSeconds(1), false,
                "nobody", "nogroup"));
        List<String> line = c.commandLine();
        if (line.size() > 1) {
            assertThat(line).containsExactly("runuser", "-u", "nobody", "-g", "nogroup", "--", "/bin/true");
        } else {
            assertThat(line).containsExactly("/bin/true");
        }
    }
}
