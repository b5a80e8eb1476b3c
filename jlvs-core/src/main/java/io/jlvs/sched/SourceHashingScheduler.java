package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Source hashing ({@code net/netfilter/ipvs/ip_vs_sh.c}): a static 256-bucket table maps the hash of the client
 * address (and, with sh-port, its port) to a real server.
 *
 * <p>Table ({@code ip_vs_sh_reassign}, rebuilt on every add/del/edit): walk the dests in list order, each filling
 * {@code weight} consecutive buckets, wrapping around the list until all 256 are filled. The advance test is
 * {@code ++count >= weight}, so a dest of weight 0 still takes one bucket per turn (it is then refused at lookup).
 *
 * <p>Lookup: bucket {@code (offset + hash_32(port + ntohl(addr_fold), 8)) & 255} with offset 0. A dest with
 * weight <= 0 or OVERLOAD gives null; with sh-fallback ({@link SchedFlags#FALLBACK}) the buckets
 * {@code hash(addr, port, (k + ihash) % 256)} are tried for k = 0..255 until an available dest (or an empty
 * bucket) is found.
 */
public final class SourceHashingScheduler implements Scheduler {
    public static final String NAME = "sh";

    /** {@code CONFIG_IP_VS_SH_TAB_BITS}. */
    static final int TAB_BITS = 8;
    static final int TAB_SIZE = 1 << TAB_BITS;
    static final int TAB_MASK = TAB_SIZE - 1;

    private volatile RealServer[] buckets = new RealServer[TAB_SIZE];

    @Override
    public String name() { return NAME; }

    @Override
    public void destsChanged(VirtualService svc) {
        buckets = fill(svc.dests());
    }

    /** {@code ip_vs_sh_reassign}: weight-long runs of buckets per dest, in list order, wrapping. */
    static RealServer[] fill(RealServer[] dests) {
        RealServer[] t = new RealServer[TAB_SIZE];
        if (dests.length == 0) return t;
        int p = 0, count = 0;
        for (int i = 0; i < TAB_SIZE; i++) {
            RealServer d = dests[p];
            t[i] = d;
            if (++count >= d.weight()) {
                p = p + 1 == dests.length ? 0 : p + 1;
                count = 0;
            }
        }
        return t;
    }

    /** {@code ip_vs_sh_hashkey}. */
    static int hashKey(int port, int addrFold, int offset) {
        return (offset + SchedHash.hash32(port + addrFold, TAB_BITS)) & TAB_MASK;
    }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        RealServer[] t = buckets;
        int port = SchedHash.flowPort(svc, flow);
        int fold = flow.srcFold();
        int ihash = hashKey(port, fold, 0);
        RealServer d = t[ihash];
        if (d == null) return null;
        if (!SchedHash.unavailable(d)) return d;
        if (!svc.hasFlag(SchedFlags.FALLBACK)) return null;
        for (int offset = 0; offset < TAB_SIZE; offset++) {           // ip_vs_sh_get_fallback
            int roffset = (offset + ihash) % TAB_SIZE;
            d = t[hashKey(port, fold, roffset)];
            if (d == null) return null;
            if (!SchedHash.unavailable(d)) return d;
        }
        return null;
    }

    /** The current table, bucket by bucket (tests, diagnostics). */
    RealServer[] table() { return buckets.clone(); }
}
