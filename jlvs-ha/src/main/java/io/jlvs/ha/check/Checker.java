package io.jlvs.ha.check;

/**
 * One kind of health check bound to one target: {@link #check()} makes one attempt and says whether the target
 * answered as it should (keepalived's {@code check_*.c} minus its scheduling). Intervals, retries,
 * delay_before_retry, warmup, alpha and the up/down transitions belong to {@link CheckRunner}, never to a checker.
 *
 * <p>An attempt may block: the runner gives each one its own (virtual) thread. It must honour its spec's
 * timeouts (connect_timeout per network step, misc_timeout for a script) and return within
 * {@link CheckSpec#attemptTimeout()}; when it does not, the runner interrupts it and counts a failure, so it must
 * also answer an interrupt promptly (blocking socket calls of a virtual thread do; native waits poll the flag).
 *
 * <p>A checker is created once per distinct check ({@link CheckSpec#newChecker()}) and may keep state between
 * attempts (FILE_CHECK remembers the last valid value); attempts of one checker never overlap.
 */
public interface Checker {

    /** One attempt. Failures of the target are a {@link CheckResult#down(String)}, not exceptions. */
    CheckResult check() throws InterruptedException;

    /** Releases what the checker holds; the runner calls it when the check is removed. */
    default void close() {}
}
