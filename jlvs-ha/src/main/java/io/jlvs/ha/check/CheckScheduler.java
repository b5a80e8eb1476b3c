package io.jlvs.ha.check;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time for {@link CheckRunner}: a clock and one-shot timers. Production uses {@link #of(ScheduledExecutorService)};
 * tests use a fake whose time they step, so no runner test sleeps.
 */
public interface CheckScheduler {

    /** Monotonic nanoseconds. */
    long nanoTime();

    /** Runs {@code task} once, {@code delayNanos} from now (0: as soon as possible). */
    Cancellable schedule(long delayNanos, Runnable task);

    /** A pending timer or a running attempt that can be called off. */
    interface Cancellable {
        Cancellable NONE = () -> {};

        void cancel();
    }

    /** Timers on {@code executor} (one thread is enough: timer tasks only post attempts and update state). */
    static CheckScheduler of(ScheduledExecutorService executor) {
        return new CheckScheduler() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Cancellable schedule(long delayNanos, Runnable task) {
                ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }
        };
    }
}
