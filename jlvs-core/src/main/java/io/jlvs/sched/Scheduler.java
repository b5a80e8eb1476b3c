package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * A scheduling algorithm (IPVS's {@code struct ip_vs_scheduler}). One instance per virtual service; its
 * fields are that service's {@code sched_data}.
 *
 * <p>The control path calls the dest hooks after the service's destination list changed (the list is
 * already updated when they run, as in {@code ip_vs_ctl.c}); expensive work (tables) happens there and is
 * published as an immutable snapshot. {@link #schedule} runs on the data path for each new connection:
 * O(1) or a short loop, no allocation, no locks. All calls for one service come from one thread at a time
 * (control changes are applied between packets, by the thread that owns the service's scheduling).
 */
public interface Scheduler {

    /** The name users type after {@code -s}, e.g. "wlc". */
    String name();

    /** The service was bound to this scheduler ({@code init_service}); its current dests are in place. */
    default void init(VirtualService svc) { destsChanged(svc); }

    /** {@code add_dest}: {@code dest} was just put at the head of the list. */
    default void addDest(VirtualService svc, RealServer dest) { destsChanged(svc); }

    /** {@code del_dest}: {@code dest} was just unlinked from the list. */
    default void delDest(VirtualService svc, RealServer dest) { destsChanged(svc); }

    /**
     * {@code del_dest} with the index {@code dest} had in the list before it was unlinked, for schedulers whose
     * cursor is a list position (rr). The list owner calls this one; it defaults to the two-argument hook.
     */
    default void delDest(VirtualService svc, RealServer dest, int formerIndex) { delDest(svc, dest); }

    /** {@code upd_dest}: {@code dest}'s weight, method or thresholds were edited in place. */
    default void updDest(VirtualService svc, RealServer dest) { destsChanged(svc); }

    /** Any change of the destination list or of a dest's weight; the default target of the three hooks. */
    default void destsChanged(VirtualService svc) {}

    /** Periodic housekeeping (IPVS's per-scheduler timers, e.g. lblc's 60 s GC), driven by the owner's clock. */
    default void expire(VirtualService svc, long nowNs) {}

    /**
     * Picks the real server for a new connection (or persistence template) of {@code flow}, or null when
     * none is available. No allocation.
     */
    RealServer schedule(VirtualService svc, Flow flow);
}
