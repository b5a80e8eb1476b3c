package io.jlvs.ha.check;

/**
 * The outcome of one attempt: up or down, a human-readable detail for the log, and for dynamic checkers
 * (MISC_CHECK with misc_dynamic, FILE_CHECK with dynamic) the weight they ask for.
 *
 * <p>The weight is either {@code absolute} (misc_dynamic: exit status - 2 <em>is</em> the weight) or a delta to
 * add to the real server's configured weight (FILE_CHECK: value x weight); keepalived keeps both as a per-checker
 * contribution {@code cur_weight} added to the configured weight, and so does {@link CheckRunner}. A plain
 * checker's result is a delta of 0.
 *
 * @param up             the target answered as configured
 * @param detail         why (for logs): "connected", "HTTP status 503", "exit status 1"...
 * @param absoluteWeight {@code weight} is the real server's weight rather than a delta
 * @param weight         the absolute weight or the delta (0 for checkers without dynamic weight)
 */
public record CheckResult(boolean up, String detail, boolean absoluteWeight, long weight) {

    public static CheckResult up(String detail) {
        return new CheckResult(true, detail, false, 0);
    }

    public static CheckResult down(String detail) {
        return new CheckResult(false, detail, false, 0);
    }

    /** Up, and the real server's weight becomes {@code weight} (misc_dynamic). */
    public static CheckResult upWithWeight(String detail, int weight) {
        return new CheckResult(true, detail, true, weight);
    }

    /** Up, and {@code delta} is added to the real server's configured weight (FILE_CHECK dynamic). */
    public static CheckResult upAdding(String detail, long delta) {
        return new CheckResult(true, detail, false, delta);
    }

    /** This result's contribution to a real server configured with {@code configuredWeight}. */
    public long contribution(int configuredWeight) {
        return absoluteWeight ? weight - configuredWeight : weight;
    }
}
