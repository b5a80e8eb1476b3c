package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * Maglev hashing ({@code net/netfilter/ipvs/ip_vs_mh.c}; Eisenbud et al., NSDI'16, section 3.4): a prime-sized
 * lookup table, filled from a per-dest permutation of its slots, maps the hash of the client address (and, with
 * mh-port, its port) to a real server. The hash keys are fixed, so two directors given the same dest list build the
 * same table, and a jlvs director builds the same table as a 64-bit Linux one.
 *
 * <p>Table ({@code ip_vs_mh_reassign}, rebuilt on every add/del/edit), with {@code M} the table size:
 * <ul>
 *   <li>{@code gcd} of the dests' positive {@code last_weight}s and {@code rshift = max(0, fls(max_last_weight / gcd)
 *       - TAB_INDEX / 2)}; {@code gcd < 1} (no dest with a last weight) leaves the table empty.</li>
 *   <li>per dest, in list order: {@code offset = hsiphash(v, key1) % M}, {@code skip = hsiphash(v, key2) % (M - 1) + 1}
 *       with {@code v = ntohs(dport) + ntohl(daddr_fold)}, and {@code turns = (last_weight / gcd) >> rshift}, or 1 when
 *       that is 0 but {@code last_weight} is not. A dest whose {@code last_weight} is 0 (added with weight 0) gets no
 *       slot. A dest edited to weight 0 keeps its {@code last_weight}, hence its slots: quiescing it moves nobody.</li>
 *   <li>populate: rounds over the list; in each, every dest claims {@code turns} slots, each the next not-yet-taken
 *       slot of its sequence {@code offset, offset + skip, ...} (mod M), until all M slots are taken.</li>
 * </ul>
 * More than M dests: the kernel's reassign fails with -EINVAL and the previous table stays; so here.
 *
 * <p>Lookup: slot {@code hsiphash(ntohs(sport) + ntohl(saddr_fold), key1) % M}. Weight <= 0 or OVERLOAD gives null;
 * with mh-fallback the slots {@code hsiphash(roffset + port + fold, key1) % M}, {@code roffset = (k + ihash) % M},
 * are tried for k = 0..M-1 until an available dest (or an empty slot) is found.
 */
public final class MaglevHashingScheduler implements Scheduler {
    public static final String NAME = "mh";

    /** The table sizes {@code CONFIG_IP_VS_MH_TAB_INDEX} 8..17 select. */
    static final int[] PRIMES = {251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071};
    /** {@code CONFIG_IP_VS_MH_TAB_INDEX} default: 12, table size 4093. */
    public static final int DEFAULT_TAB_INDEX = 12;
    /** {@code generate_hash_secret}: both words of hash1 are 2654435761, both of hash2 2654446892. */
    static final int KEY1 = (int) 2654435761L, KEY2 = (int) 2654446892L;

    private final int size;
    private final int tabBits;
    private final HalfSipHash.Variant variant;
    private volatile RealServer[] lookup;

    /** The default build: table index 12 (4093 slots), 64-bit kernel hsiphash. */
    public MaglevHashingScheduler() {
        this(DEFAULT_TAB_INDEX, HalfSipHash.Variant.SIPHASH_1_3);
    }

    /**
     * @param tabIndex {@code CONFIG_IP_VS_MH_TAB_INDEX}, 8..17 (table size {@code PRIMES[tabIndex - 8]})
     * @param variant  the hsiphash of the kernel to agree with: {@link HalfSipHash.Variant#SIPHASH_1_3} for 64-bit
     */
    public MaglevHashingScheduler(int tabIndex, HalfSipHash.Variant variant) {
        if (tabIndex < 8 || tabIndex > 17) throw new IllegalArgumentException("mh table index must be 8..17: " + tabIndex);
        this.size = PRIMES[tabIndex - 8];
        this.tabBits = tabIndex / 2;
        this.variant = variant;
        this.lookup = new RealServer[size];
    }

    @Override
    public String name() { return NAME; }

    /** The number of lookup slots (M). */
    public int tableSize() { return size; }

    @Override
    public void destsChanged(VirtualService svc) {
        RealServer[] dests = svc.dests();
        if (dests.length > size) return;                       // -EINVAL: the old table stays
        int gcd = gcdOfLastWeights(dests);
        RealServer[] t = new RealServer[size];
        if (gcd >= 1) populate(svc.af(), dests, gcd, shiftOf(dests, gcd), t);
        lookup = t;
    }

    /** {@code ip_vs_mh_gcd_weight}: gcd of the positive last weights, 0 when there is none. */
    static int gcdOfLastWeights(RealServer[] dests) {
        int g = 0;
        for (RealServer d : dests) {
            int w = d.lastWeight();
            if (w > 0) g = g > 0 ? gcd(w, g) : w;
        }
        return g;
    }

    private static int gcd(int a, int b) {
        while (b != 0) { int r = a % b; a = b; b = r; }
        return a;
    }

    /** {@code ip_vs_mh_shift_weight}: how far to shift {@code last_weight / gcd} so the largest fits in TAB_BITS. */
    int shiftOf(RealServer[] dests, int gcd) {
        int max = 0;
        for (RealServer d : dests) max = Math.max(max, d.lastWeight());
        int mw = max / gcd;
        int shift = (32 - Integer.numberOfLeadingZeros(mw)) - tabBits;   // fls(mw) - IP_VS_MH_TAB_BITS
        return Math.max(shift, 0);
    }

    /** {@code ip_vs_mh_permutate} + {@code ip_vs_mh_populate}. */
    private void populate(int svcAf, RealServer[] dests, int gcd, int rshift, RealServer[] t) {
        int n = dests.length;
        int[] skip = new int[n], next = new int[n], turns = new int[n];
        for (int i = 0; i < n; i++) {
            RealServer d = dests[i];
            int v = (d.port() & 0xFFFF) + SchedHash.fold(svcAf, d.addr());
            next[i] = Integer.remainderUnsigned(variant.hash1u32(v, KEY1, KEY1), size);
            skip[i] = Integer.remainderUnsigned(variant.hash1u32(v, KEY2, KEY2), size - 1) + 1;
            int lw = d.lastWeight();
            int tn = (lw / gcd) >> rshift;
            turns[i] = tn != 0 ? tn : (lw != 0 ? 1 : 0);
        }
        boolean[] taken = new boolean[size];
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < turns[i]; k++) {           // turns < 1: the dest is passed over
                    int c = next[i];
                    while (taken[c]) {
                        c += skip[i];
                        if (c >= size) c -= size;
                    }
                    next[i] = c;
                    taken[c] = true;
                    t[c] = dests[i];
                    if (++filled == size) return;
                }
            }
        }
    }

    /** {@code ip_vs_mh_hashkey} reduced mod M: the slot of {@code offset + port + fold} under hash1. */
    private int slot(int fold, int port, int offset) {
        return Integer.remainderUnsigned(variant.hash1u32(offset + port + fold, KEY1, KEY1), size);
    }

    @Override
    public RealServer schedule(VirtualService svc, Flow flow) {
        RealServer[] t = lookup;
        int port = SchedHash.flowPort(svc, flow);
        int fold = flow.srcFold();
        int ihash = slot(fold, port, 0);
        RealServer d = t[ihash];
        if (d == null) return null;
        if (!SchedHash.unavailable(d)) return d;
        if (!svc.hasFlag(SchedFlags.FALLBACK)) return null;
        for (int offset = 0; offset < size; offset++) {            // ip_vs_mh_get_fallback
            int roffset = (offset + ihash) % size;
            d = t[slot(fold, port, roffset)];
            if (d == null) return null;
            if (!SchedHash.unavailable(d)) return d;
        }
        return null;
    }

    /** The current lookup table, slot by slot (tests, diagnostics). */
    RealServer[] table() { return lookup.clone(); }
}
