package io.jlvs.ha.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * MISC_CHECK (keepalived {@code check_misc.c}): runs {@code misc_path} (a program and its arguments, without a
 * shell) and judges its exit status:
 * <ul>
 *   <li>0: up (with {@code misc_dynamic}, back to the configured weight);</li>
 *   <li>with {@code misc_dynamic}, 2..255: up, and the real server's weight becomes status - 2;</li>
 *   <li>anything else (1, or 2..255 without misc_dynamic, or a signal): down.</li>
 * </ul>
 * The script gets {@code misc_timeout} (keepalived: delay_loop when unset; the ctl mapping resolves that); then
 * it and its descendants get SIGTERM, and SIGKILL two seconds later, and the attempt fails ("timed out"). Output
 * is discarded. With {@code user} (and {@code group}) and jlvsd running as root, the script runs through
 * {@code runuser}; otherwise as jlvsd's own user.
 */
public final class MiscChecker implements Checker {

    public static final String KIND = "MISC_CHECK";
    static final Duration KILL_GRACE = Duration.ofSeconds(2);

    /**
     * @param command the program and its arguments
     * @param timeout misc_timeout (resolved)
     * @param dynamic misc_dynamic
     * @param user    user to run as, or null
     * @param group   group to run as, or null (the user's)
     */
    public record Spec(List<String> command, Duration timeout, boolean dynamic, String user, String group)
            implements CheckSpec {
        public Spec {
            command = List.copyOf(command);
            Objects.requireNonNull(timeout, "timeout");
            if (command.isEmpty()) {
                throw new IllegalArgumentException("MISC_CHECK needs misc_path");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("misc_timeout must be positive");
            }
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String target() {
            return String.join(" ", command);
        }

        @Override
        public Checker newChecker() {
            return new MiscChecker(this);
        }

        @Override
        public Duration attemptTimeout() {
            return timeout.plus(KILL_GRACE).plusSeconds(2);
        }
    }

    private final Spec spec;

    public MiscChecker(Spec spec) {
        this.spec = spec;
    }

    @Override
    public CheckResult check() throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(commandLine())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return CheckResult.down("cannot run " + spec.command().getFirst() + ": " + e.getMessage());
        }
        try {
            if (!p.waitFor(spec.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                terminate(p);
                return CheckResult.down("timed out after " + spec.timeout().toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            terminate(p);
            throw e;
        }
        return judge(p.exitValue(), spec.dynamic());
    }

    /** keepalived's reading of an exit status (a shell's 128+n for a signal is down whatever the mode). */
    static CheckResult judge(int status, boolean dynamic) {
        if (status == 0) {
            return CheckResult.up("exit status 0");
        }
        if (dynamic && status >= 2 && status <= 255) {
            return CheckResult.upWithWeight("exit status " + status, status - 2);
        }
        return CheckResult.down("exit status " + status);
    }

    List<String> commandLine() {
        if (spec.user() == null || !isRoot()) {
            return spec.command();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("runuser");
        cmd.add("-u");
        cmd.add(spec.user());
        if (spec.group() != null) {
            cmd.add("-g");
            cmd.add(spec.group());
        }
        cmd.add("--");
        cmd.addAll(spec.command());
        return cmd;
    }

    private static boolean isRoot() {
        try {
            return "0".equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString());
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** SIGTERM to the script and its descendants, SIGKILL after the grace time. */
    private static void terminate(Process p) {
        List<ProcessHandle> tree = new ArrayList<>();
        p.descendants().forEach(tree::add);
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long end = System.nanoTime() + KILL_GRACE.toNanos();
        for (ProcessHandle h : tree) {
            long left = end - System.nanoTime();
            try {
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception e) {
                // still alive, or we were interrupted: forced below
            }
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }
}
