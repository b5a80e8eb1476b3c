package io.jlvs.netio.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace a test creates, uses and deletes: {@code ip netns add/del}, commands run inside it
 * ({@link #ip}, {@link #sh}), and Java code run inside it on a thread of its own ({@link #start}, {@link #call}).
 *
 * <p>Java code enters with {@code setns(fd, CLONE_NEWNET)} ({@link io.jlvs.netio.Netns#enter}) on a fresh platform
 * thread: the network namespace is per thread, so that thread's sockets (JDK sockets and AF_PACKET rings alike)
 * live in the namespace while the rest of the JVM stays in the host's. The thread ends with its task, so no
 * thread of the pool is left in a deleted namespace. The daemon's data-plane threads use the same mechanism.
 *
 * <p>Names start with {@code jlvs}, end with a random suffix (at most 15 characters) so parallel runs never
 * collide; {@link #close()} deletes the namespace (and so its links) whatever happened.
 */
public final class Netns implements AutoCloseable {

    public record Run(int rc, String out) {}

    private static final long COMMAND_TIMEOUT_S = 10;

    private final String name;
    private final List<Thread> threads = new ArrayList<>();

    private Netns(String name) {
        this.name = name;
    }

    /** Why netns tests cannot run here (not root, no {@code ip netns}), or null when they can. */
    public static String skipReason() {
        try {
            if (!"0".equals(exec(List.of("id", "-u")).out.strip())) {
                return "SKIPPED: netns tests need root (CI runs as root)";
            }
            if (exec(List.of("ip", "netns", "list")).rc != 0) {
                return "SKIPPED: iproute2 'ip netns' is unavailable";
            }
            return null;
        } catch (IOException e) {
            return "SKIPPED: cannot run id/ip: " + e.getMessage();
        }
    }

    /** {@code prefix} plus a random suffix: {@code jlvsrgA3f9c1}; prefix at most 9 characters. */
    public static String uniqueName(String prefix) {
        if (!prefix.startsWith("jlvs") || prefix.length() > 9) {
            throw new IllegalArgumentException("namespace prefixes start with jlvs and have at most 9 characters");
        }
        return prefix + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }

    public static Netns create(String prefix) throws IOException {
        String name = uniqueName(prefix);
        Run r = exec(List.of("ip", "netns", "add", name));
        if (r.rc != 0) {
            throw new IOException("ip netns add " + name + ": " + r.out);
        }
        Netns ns = new Netns(name);
        ns.ip("link", "set", "lo", "up");
        ns.sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
        return ns;
    }

    public String name() {
        return name;
    }

    /** {@code ip -n NAME args...}; throws with ip's output when it fails. */
    public String ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        Run r = exec(cmd);
        if (r.rc != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + r.rc + "): " + r.out);
        }
        return r.out;
    }

    /** {@code ip netns exec NAME sh -c script} under a 10 s limit; the exit code and merged output. */
    public Run sh(String script) throws IOException {
        return exec(List.of("ip", "netns", "exec", name, "timeout", String.valueOf(COMMAND_TIMEOUT_S), "sh", "-c",
                script));
    }

    /** Runs {@code task} on a new platform thread inside this namespace. */
    public <T> CompletableFuture<T> start(String role, Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().name(name + "-" + role).start(() -> {
            try {
                io.jlvs.netio.Netns.enter(name);   // the thread stays there until it ends
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        synchronized (threads) {
            threads.add(t);
        }
        return f;
    }

    /** Runs {@code task} inside this namespace and waits for it, at most {@code timeoutS} seconds. */
    public <T> T call(long timeoutS, Callable<T> task) throws Exception {
        try {
            return start("call", task).get(timeoutS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** Waits (bounded) for this namespace's threads, then deletes it. */
    @Override
    public void close() throws IOException {
        List<Thread> ts;
        synchronized (threads) {
            ts = new ArrayList<>(threads);
        }
        for (Thread t : ts) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exec(List.of("ip", "netns", "del", name));
    }

    static Run exec(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT_S + 5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + cmd, e);
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
