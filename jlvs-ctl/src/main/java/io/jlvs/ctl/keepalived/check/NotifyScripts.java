package io.jlvs.ctl.keepalived.check;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs keepalived's notify scripts ({@code notify_up}/{@code notify_down} of a real server,
 * {@code quorum_up}/{@code quorum_down} of a virtual server) as keepalived's {@code notify_exec} does: in the
 * background, the caller never waits. The script line is split into words as {@code misc_path} is (quotes group
 * words) and run without a shell, stdin from /dev/null, output discarded. Each run is bounded by a timeout (then
 * the script and its descendants are killed); at most {@value #MAX_RUNNING} run at once, further ones are dropped
 * and counted (a flapping server must not fork without end). Failures (cannot start, non-zero exit, timeout) are
 * logged, never thrown.
 */
public final class NotifyScripts implements HealthChecks.Notifier, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyScripts.class);
    /** How long a notify script may run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Scripts running at once at most. */
    static final int MAX_RUNNING = 32;

    private final Duration timeout;
    private final Semaphore slots = new Semaphore(MAX_RUNNING);
    private final AtomicLong dropped = new AtomicLong();
    private final ExecutorService threads =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jlvs-notify-", 0).factory());

    public NotifyScripts(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
    }

    public NotifyScripts() {
        this(DEFAULT_TIMEOUT);
    }

    @Override
    public void notify(String event, String script) {
        List<String> cmd = Values.commandLine(List.of(script));
        if (cmd.isEmpty()) {
            return;
        }
        if (!slots.tryAcquire()) {
            LOG.warn("{}: not running {}: {} notify scripts already running ({} dropped so far)", event, script,
                    MAX_RUNNING, dropped.incrementAndGet());
            return;
        }
        try {
            threads.execute(() -> {
                try {
                    run(event, cmd);
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            slots.release();                        // closed: jlvsd is stopping
        }
    }

    /** Notify scripts not run because too many were running. */
    public long dropped() {
        return dropped.get();
    }

    /** Runs one script to its end or its timeout; returns its exit status, or -1 (not started, timed out). */
    int run(String event, List<String> cmd) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot run {}: {}", event, cmd.getFirst(), e.getMessage());
            return -1;
        }
        LOG.info("{}: running {}", event, String.join(" ", cmd));
        try {
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(p);
                LOG.warn("{}: {} killed after {} ms", event, cmd.getFirst(), timeout.toMillis());
                return -1;
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            return -1;
        }
        int rc = p.exitValue();
        if (rc != 0) {
            LOG.warn("{}: {} exited with status {}", event, cmd.getFirst(), rc);
        }
        return rc;
    }

    private static void kill(Process p) {
        List<ProcessHandle> tree = new ArrayList<>();
        p.descendants().forEach(tree::add);
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops waiting for running scripts (they are killed); later notifications are ignored. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
