package io.jlvs.ha.check;

import java.time.Duration;
import java.util.PriorityQueue;

/** A {@link CheckScheduler} whose clock only moves when the test says so; due timers run in time order. */
final class FakeScheduler implements CheckScheduler {

    private record Task(long due, long seq, Runnable run, boolean[] cancelled) {}

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
            a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long now = 1_000_000_000L;
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

    /** Moves the clock {@code d} forward, running every timer that falls due, at its own time. */
    void advance(Duration d) {
        long end;
        synchronized (this) {
            end = now + d.toNanos();
        }
        while (true) {
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
    }

    void advanceMillis(long ms) {
        advance(Duration.ofMillis(ms));
    }

    /** Milliseconds since the start. */
    synchronized long elapsedMillis() {
        return (now - 1_000_000_000L) / 1_000_000;
    }

    /** Live (not cancelled) timers. */
    synchronized long pending() {
        return queue.stream().filter(t -> !t.cancelled[0]).count();
    }
}
