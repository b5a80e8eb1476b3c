package io.jlvs.sched;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Schedulers by the name users type after {@code -s}, as {@code register_ip_vs_scheduler} in
 * {@code ip_vs_sched.c}. {@link #create} makes a fresh instance for one virtual service.
 */
public final class SchedulerRegistry {
    private static final Map<String, Supplier<Scheduler>> BY_NAME = new LinkedHashMap<>();

    static {
        // rr, wrr, lc, wlc, sed, nq, fo, ovf, twos
        register(RoundRobinScheduler.NAME, RoundRobinScheduler::new);
        register(WeightedRoundRobinScheduler.NAME, WeightedRoundRobinScheduler::new);
        register(LeastConnectionScheduler.NAME, LeastConnectionScheduler::new);
        register(WeightedLeastConnectionScheduler.NAME, WeightedLeastConnectionScheduler::new);
        register(ShortestExpectedDelayScheduler.NAME, ShortestExpectedDelayScheduler::new);
        register(NeverQueueScheduler.NAME, NeverQueueScheduler::new);
        register(WeightedFailoverScheduler.NAME, WeightedFailoverScheduler::new);
        register(WeightedOverflowScheduler.NAME, WeightedOverflowScheduler::new);
        register(PowerOfTwoChoicesScheduler.NAME, PowerOfTwoChoicesScheduler::new);
        // sh, mh, dh, lblc, lblcr
        register(SourceHashingScheduler.NAME, SourceHashingScheduler::new);
        register(MaglevHashingScheduler.NAME, MaglevHashingScheduler::new);
        register(DestinationHashingScheduler.NAME, DestinationHashingScheduler::new);
        register(LocalityBasedLeastConnectionScheduler.NAME, LocalityBasedLeastConnectionScheduler::new);
        register(LocalityBasedLeastConnectionWithReplicationScheduler.NAME, LocalityBasedLeastConnectionWithReplicationScheduler::new);
    }

    private SchedulerRegistry() {}

    private static void register(String name, Supplier<Scheduler> factory) {
        if (BY_NAME.putIfAbsent(name, factory) != null) throw new IllegalStateException("scheduler registered twice: " + name);
    }

    /** A new scheduler instance, or null if no scheduler has that name. */
    public static Scheduler create(String name) {
        Supplier<Scheduler> f = BY_NAME.get(name);
        return f == null ? null : f.get();
    }

    public static boolean exists(String name) { return BY_NAME.containsKey(name); }

    /** Every registered name, in registration order. */
    public static Set<String> names() { return Collections.unmodifiableSet(BY_NAME.keySet()); }
}
