package io.jlvs.netio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * iproute2 for the netns tests: runs {@code ip -n NS ...} under a time limit, and creates and deletes the
 * test's namespace. Every name starts with "jlvs"; nothing is ever created in the host namespace.
 */
public final class IpTool {

    public static final long TIMEOUT_S = 10;

    public record Run(int rc, String out, String err) {}

    private IpTool() {}

    /** Skips the test, saying why, unless root with a working {@code ip netns}. */
    public static void assumeRootAndIp() {
        Assumptions.assumeTrue(NetioAvailability.isAvailable(),
                () -> "SKIPPED: jlvs-netio unavailable: " + NetioAvailability.unavailabilityCause().orElseThrow());
        Assumptions.assumeTrue(io.jlvs.netio.sys.Libc.geteuid() == 0, "SKIPPED: netns test needs root (CI runs as root)");
        Assumptions.assumeTrue(run("ip", "netns", "list").rc == 0, "SKIPPED: iproute2 'ip netns' unavailable");
    }

    /** A fresh name {@code prefix + 6 hex digits} (prefix starts with "jlvs"; at most 15 characters in all). */
    public static String uniqueName(String prefix) {
        String name = prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        if (!name.startsWith("jlvs") || name.length() > 15) {
            throw new IllegalArgumentException(name);
        }
        return name;
    }

    public static void addNetns(String ns) {
        run("ip", "netns", "del", ns);
        ok("ip", "netns", "add", ns);
    }

    public static void delNetns(String ns) {
        run("ip", "netns", "del", ns);
    }

    /** {@code ip -n ns ARGS}, which must succeed; returns stdout. */
    public static String ipn(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        return ok(cmd.toArray(String[]::new));
    }

    public static String ok(String... cmd) {
        Run r = run(cmd);
        assertThat(r.rc).as("%s failed: %s", String.join(" ", cmd), r.err).isZero();
        return r.out;
    }

    public static Run run(String... cmd) {
        return runWithInput("", cmd);
    }

    /** Runs {@code cmd} with {@code input} on its stdin (for {@code ip -batch -}), under the time limit. */
    public static Run runWithInput(String input, String... cmd) {
        java.nio.file.Path in = null, out = null, err = null;
        try {
            in = java.nio.file.Files.createTempFile("jlvs-ip-in", ".txt");
            out = java.nio.file.Files.createTempFile("jlvs-ip-out", ".txt");
            err = java.nio.file.Files.createTempFile("jlvs-ip-err", ".txt");
            java.nio.file.Files.writeString(in, input);
            Process p = new ProcessBuilder(cmd).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Run(-1, "", "timed out after " + TIMEOUT_S + " s");
            }
            return new Run(p.exitValue(), java.nio.file.Files.readString(out), java.nio.file.Files.readString(err));
        } catch (IOException e) {
            return new Run(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "", e.toString());
        } finally {
            for (java.nio.file.Path f : new java.nio.file.Path[] {in, out, err}) {
                if (f != null) {
                    try {
                        java.nio.file.Files.deleteIfExists(f);
                    } catch (IOException ignored) {
                        // a temp file left behind
                    }
                }
            }
        }
    }
}
