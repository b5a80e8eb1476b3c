package io.jlvs.ctl.keepalived.check;

import io.jlvs.ha.check.CheckScheduler;
import java.time.Duration;
import java.util.PriorityQueue;

/** A {@link CheckScheduler} whose clock moves only when the test says; due timers run in time order. */
final class ManualScheduler implements CheckScheduler {

    private record Task(long due, long seq, Runnable run, boolean[] cancelled) {}

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
            a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(long delayNanos, Runnable task) {
        boolean[] cancelled = {false};
        queue.add(new Task(now + Math.max(0, delayNanos), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Moves the clock forward by {@code d}, running each timer that falls due at its own time. */
    void advance(Duration d) {
        long end;
        synchronized (this) {
            end = now + d.toNanos();
        }
        for (int guard = 0; guard < 1_000_000; guard++) {
            Task t;
            synchronized (this) {
                t = queue.peek();
                if (t == null || t.due > end) {
                    now = end;
                    return;
                }
                queue.poll();
                now = Math.max(now, t.due);
            }
            if (!t.cancelled[0]) {
                t.run.run();
            }
        }
        throw new AssertionError("timers keep falling due: a loop");
    }

    void advanceSeconds(double s) {
        advance(Duration.ofNanos((long) (s * 1e9)));
    }
}
