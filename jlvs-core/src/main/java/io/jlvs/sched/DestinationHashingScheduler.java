package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Destination hashing ({@code net/netfilter/ipvs/ip_vs_dh.c}): a static 256-bucket table maps the hash of the
 * packet's destination address to a real server; meant for cache clusters behind a fwmark service.
 *
 * <p>Table ({@code ip_vs_dh_reassign}, rebuilt on add and del only: dh has no {@code upd_dest}): the dests in list
 * order, one bucket each per turn, round-robin until the 256 buckets are filled. Weights play no part in the fill.
 *
 * <p>Lookup: bucket {@code hash_32(ntohl(daddr_fold), 8)}. Null when that dest is not AVAILABLE, has weight <= 0 or
 * is OVERLOADed; there is no fallback.
 */
public final class DestinationHashingScheduler implements Scheduler {
    public static final String NAME = "dh";

    /** {@code CONFIG_IP_VS_DH_TAB_BITS}. */
    static final int TAB_BITS = 8;
    static final int TAB_SIZE = 1 << TAB_BITS;

    private volatile RealServer[] buckets = new RealServer[TAB_SIZE];

    @Override
    public String name() { return NAME; }

    @Override
    public void destsChanged(VirtualService svc) {
        RealServer[] dests = svc.dests();
        RealServer[] t = new RealServer[TAB_SIZE];
        for (int i = 0; dests.length > 0 && i < TAB_SIZE; i++) t[i] = dests[i % dests.length];
        buckets = t;
    }

    /** dh registers no {@code upd_dest}: editing a dest leaves the table as it is. */
    @Override
    public void updDest(VirtualService svc, RealServer dest) {}

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        RealServer d = buckets[SchedHash.hash32(flow.dstFold(), TAB_BITS)];
        if (d == null || !d.isAvailable() || d.weight() <= 0 || d.isOverloaded()) return null;
        return d;
    }

    /** The current table, bucket by bucket (tests, diagnostics). */
    RealServer[] table() { return buckets.clone(); }
}
