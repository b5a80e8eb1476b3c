package io.jlvs.ha.check;

/**
 * Where {@link CheckRunner} runs the blocking attempts. Production: {@link #virtualThreads()}, one virtual thread
 * per attempt, cancelled by interrupt. Tests: an executor that runs the attempt inline, or holds it.
 */
@FunctionalInterface
public interface AttemptExecutor {

    /** Starts {@code attempt}; the handle interrupts it. */
    CheckScheduler.Cancellable start(String name, Runnable attempt);

    static AttemptExecutor virtualThreads() {
        return (name, attempt) -> {
            Thread t = Thread.ofVirtual().name(name).start(attempt);
            return t::interrupt;
        };
    }
}
