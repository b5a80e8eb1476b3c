package io.jlvs.ha.check;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how often a check runs and how failures count, keepalived's checker timing keywords with their
 * defaults already resolved (checker block, then real_server, then virtual_server, then the kind's default):
 *
 * @param delayLoop        {@code delay_loop}: interval between attempts (keepalived default 60 s)
 * @param retry            {@code retry} / {@code nb_get_retry}: failed attempts retried before DOWN
 *                         (default 1; MISC_CHECK 0; DNS_CHECK 3)
 * @param delayBeforeRetry {@code delay_before_retry}: interval before a retry (default 1 s; HTTP_GET/SSL_GET
 *                         3 s; DNS_CHECK delay_loop)
 * @param warmup           {@code warmup}: the first attempt waits a random time in [0, warmup] (default
 *                         delay_loop; 0 starts at once)
 * @param alpha            {@code alpha}: the check starts DOWN and must succeed once; without it, it starts UP
 */
public record CheckPolicy(Duration delayLoop, int retry, Duration delayBeforeRetry, Duration warmup, boolean alpha) {

    public static final Duration DEFAULT_DELAY_LOOP = Duration.ofSeconds(60);

    public CheckPolicy {
        Objects.requireNonNull(delayLoop, "delayLoop");
        Objects.requireNonNull(delayBeforeRetry, "delayBeforeRetry");
        Objects.requireNonNull(warmup, "warmup");
        if (delayLoop.isNegative() || delayLoop.isZero()) {
            throw new IllegalArgumentException("delay_loop must be positive: " + delayLoop);
        }
        if (retry < 0) {
            throw new IllegalArgumentException("retry must not be negative: " + retry);
        }
        if (delayBeforeRetry.isNegative() || warmup.isNegative()) {
            throw new IllegalArgumentException("delay_before_retry and warmup must not be negative");
        }
    }
}
