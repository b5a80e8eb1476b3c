package io.jlvs.ctl.keepalived;

/**
 * The checker timing options a {@code virtual_server} or {@code real_server} sets for the checkers below it
 * ({@code delay_loop}, {@code retry}, {@code delay_before_retry}, {@code warmup}, {@code connect_timeout}). Times in
 * microseconds (keepalived's {@code TIMER_HZ}); {@value #UNSET} where not given at that level. A real server's
 * values are resolved: what it did not set comes from its virtual server, whose {@code delay_loop} defaults to
 * 60 s and {@code connect_timeout} to 5 s. Left unset after resolution: {@code retry}, {@code delay_before_retry}
 * and {@code warmup}, whose defaults depend on the checker type (retry 1, DNS 3, MISC 0; delay_before_retry HTTP
 * and SSL 3 s, DNS the delay loop, others 1 s; warmup the delay loop): the checker code applies those.
 */
public record CheckDefaults(long delayLoopUs, long retry, long delayBeforeRetryUs, long warmupUs, long connectTimeoutUs) {
    public static final long UNSET = -1;
    public static final long TIMER_HZ = 1_000_000L;
    /** {@code KEEPALIVED_DEFAULT_DELAY}. */
    public static final long DEFAULT_DELAY_LOOP_US = 60 * TIMER_HZ;
    /** A virtual server's {@code connection_to} when not given. */
    public static final long DEFAULT_CONNECT_TIMEOUT_US = 5 * TIMER_HZ;

    public static final CheckDefaults NONE = new CheckDefaults(UNSET, UNSET, UNSET, UNSET, UNSET);

    /** Each unset value taken from {@code parent}. */
    public CheckDefaults orElse(CheckDefaults parent) {
        return new CheckDefaults(delayLoopUs != UNSET ? delayLoopUs : parent.delayLoopUs,
                retry != UNSET ? retry : parent.retry,
                delayBeforeRetryUs != UNSET ? delayBeforeRetryUs : parent.delayBeforeRetryUs,
                warmupUs != UNSET ? warmupUs : parent.warmupUs,
                connectTimeoutUs != UNSET ? connectTimeoutUs : parent.connectTimeoutUs);
    }

    CheckDefaults withDelayLoop(long v) { return new CheckDefaults(v, retry, delayBeforeRetryUs, warmupUs, connectTimeoutUs); }

    CheckDefaults withRetry(long v) { return new CheckDefaults(delayLoopUs, v, delayBeforeRetryUs, warmupUs, connectTimeoutUs); }

    CheckDefaults withDelayBeforeRetry(long v) { return new CheckDefaults(delayLoopUs, retry, v, warmupUs, connectTimeoutUs); }

    CheckDefaults withWarmup(long v) { return new CheckDefaults(delayLoopUs, retry, delayBeforeRetryUs, v, connectTimeoutUs); }

    CheckDefaults withConnectTimeout(long v) { return new CheckDefaults(delayLoopUs, retry, delayBeforeRetryUs, warmupUs, v); }
}
