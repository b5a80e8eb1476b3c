package io.jlvs.host;

import io.jlvs.packet.Flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's routes, IPv4 and IPv6, with longest-prefix match; among routes to the same prefix the lowest
 * metric wins (then the first given). Built immutably on the control side from rtnetlink ({@link #of}) and
 * published through {@link HostTables#publish(RouteTable)}; the data-plane thread looks up without allocating.
 *
 * <p>IPv4 is a DIR-16-8-8 table (the multibit trie of DPDK's {@code rte_lpm}, with one more level): a 65536-entry
 * first level indexed by the top 16 bits, then 256-entry chunks for the next octet and the last one, created
 * only under prefixes longer than /16 and /24. A lookup is one to three array reads. Entries hold a route
 * index + 1 (0: no route) or, with the sign bit, the chunk below. Building paints prefixes in order of length,
 * so longer ones overwrite shorter ones and a new chunk starts as a copy of the entry it replaces.
 *
 * <p>IPv6 keeps one hash entry per prefix ({@link AddressMap} keyed by the masked address and the length) and
 * probes the lengths present, longest first: as many probes as distinct lengths, a handful in practice.
 */
public final class RouteTable {
    /** {@link #lookup} result when no route matches. */
    public static final int NO_ROUTE = -1;
    public static final RouteTable EMPTY = of(List.of());

    private static final int CHUNK = 256;
    private static final int POINTER = Integer.MIN_VALUE;

    private final List<Route> routes;
    // per route index
    private final int[] type, oif, mtu, metric, prefixLength;
    private final long[] gwHi, gwLo, srcHi, srcLo;
    private final boolean[] hasGateway, hasSrc;
    // IPv4
    private final int[] l1;
    private final int[] l2, l3;
    // IPv6
    private final AddressMap v6;
    private final int[] lengths6;

    private RouteTable(List<Route> routes, long seed) {
        this.routes = List.copyOf(routes);
        int n = routes.size();
        type = new int[n];
        oif = new int[n];
        mtu = new int[n];
        metric = new int[n];
        prefixLength = new int[n];
        gwHi = new long[n];
        gwLo = new long[n];
        srcHi = new long[n];
        srcLo = new long[n];
        hasGateway = new boolean[n];
        hasSrc = new boolean[n];
        for (int i = 0; i < n; i++) {
            Route r = routes.get(i);
            type[i] = r.type();
            oif[i] = r.oif();
            mtu[i] = r.mtu();
            metric[i] = r.metric();
            prefixLength[i] = r.prefixLength();
            if (r.gateway() != null) {
                hasGateway[i] = true;
                gwHi[i] = r.gateway().hi();
                gwLo[i] = r.gateway().lo();
            }
            if (r.prefsrc() != null) {
                hasSrc[i] = true;
                srcHi[i] = r.prefsrc().hi();
                srcLo[i] = r.prefsrc().lo();
            }
        }
        // the winner per prefix: lowest metric, then first given
        Map<String, Integer> best = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Route r = routes.get(i);
            String k = r.prefix() + "/" + r.prefixLength();
            Integer b = best.get(k);
            if (b == null || routes.get(b).metric() > r.metric()) best.put(k, i);
        }
        List<Integer> v4 = new ArrayList<>(), v6list = new ArrayList<>();
        for (int i : best.values()) (routes.get(i).prefix().isV6() ? v6list : v4).add(i);
        v4.sort(Comparator.comparingInt(i -> routes.get(i).prefixLength()));

        // IPv4: paint shortest first
        l1 = new int[1 << 16];
        IntList chunks2 = new IntList(), chunks3 = new IntList();
        for (int i : v4) {
            Route r = routes.get(i);
            int p = (int) r.prefix().lo(), len = r.prefixLength(), leaf = i + 1;
            int top = p >>> 16;
            if (len <= 16) {
                Arrays.fill(l1, top, top + (1 << (16 - len)), leaf);
                continue;
            }
            int c2 = chunkBelow(l1, top, chunks2);
            int mid = (p >>> 8) & 0xFF;
            if (len <= 24) {
                chunks2.fill(c2 * CHUNK + mid, 1 << (24 - len), leaf);
                continue;
            }
            int c3 = chunkBelow(chunks2, c2 * CHUNK + mid, chunks3);
            chunks3.fill(c3 * CHUNK + (p & 0xFF), 1 << (32 - len), leaf);
        }
        l2 = chunks2.toArray();
        l3 = chunks3.toArray();

        // IPv6: one entry per prefix, lengths longest first
        v6 = new AddressMap(Math.max(1, v6list.size()), seed);
        boolean[] present = new boolean[129];
        for (int i : v6list) {
            Route r = routes.get(i);
            v6.v0(v6.insert(r.prefix().hi(), r.prefix().lo(), r.prefixLength()), i);
            present[r.prefixLength()] = true;
        }
        int count = 0;
        for (boolean b : present) if (b) count++;
        lengths6 = new int[count];
        for (int len = 128, k = 0; len >= 0; len--) if (present[len]) lengths6[k++] = len;
    }

    /** The chunk under {@code table[at]}, created as a copy of the entry it replaces when there is none yet. */
    private static int chunkBelow(int[] table, int at, IntList chunks) {
        int e = table[at];
        if (e < 0) return e & ~POINTER;
        int c = chunks.addChunk(e);
        table[at] = POINTER | c;
        return c;
    }

    private static int chunkBelow(IntList table, int at, IntList chunks) {
        int e = table.get(at);
        if (e < 0) return e & ~POINTER;
        int c = chunks.addChunk(e);
        table.set(at, POINTER | c);
        return c;
    }

    /** A table of these routes, IPv4 and IPv6 mixed. */
    public static RouteTable of(List<Route> routes) { return new RouteTable(routes, HostTables.RANDOM.nextLong()); }

    /**
     * The route to {@code af}/{@code hi}/{@code lo} (IPv4 in the low 32 bits of {@code lo}): longest prefix,
     * then lowest metric.
     *
     * @return the route's index for the accessors, or {@link #NO_ROUTE}
     */
    public int lookup(int af, long hi, long lo) {
        return af == Flow.AF_INET ? lookup4((int) lo) : lookup6(hi, lo);
    }

    /** IPv4 longest-prefix match: one to three array reads. */
    public int lookup4(int addr) {
        int e = l1[addr >>> 16];
        if (e < 0) {
            e = l2[((e & ~POINTER) << 8) | ((addr >>> 8) & 0xFF)];
            if (e < 0) e = l3[((e & ~POINTER) << 8) | (addr & 0xFF)];
        }
        return e - 1;
    }

    /** IPv6 longest-prefix match: one hash probe per prefix length present, longest first. */
    public int lookup6(long hi, long lo) {
        int[] lengths = lengths6;
        for (int len : lengths) {
            int s = v6.find(Route.maskHi(hi, len), Route.maskLo(lo, len), len);
            if (s != AddressMap.MISSING) return (int) v6.v0(s);
        }
        return NO_ROUTE;
    }

    /** {@link Route#RTN_UNICAST}, {@link Route#RTN_LOCAL}, ... */
    public int type(int route) { return type[route]; }

    public int oif(int route) { return oif[route]; }

    /** The route's MTU, 0 for the interface's. */
    public int mtu(int route) { return mtu[route]; }

    public int metric(int route) { return metric[route]; }

    public int prefixLength(int route) { return prefixLength[route]; }

    public boolean hasGateway(int route) { return hasGateway[route]; }

    public long gatewayHi(int route) { return gwHi[route]; }

    public long gatewayLo(int route) { return gwLo[route]; }

    public boolean hasPrefsrc(int route) { return hasSrc[route]; }

    public long prefsrcHi(int route) { return srcHi[route]; }

    public long prefsrcLo(int route) { return srcLo[route]; }

    /** The route as given (control side, tests). */
    public Route route(int route) { return routes.get(route); }

    public List<Route> routes() { return routes; }

    /** A growable int array of 256-entry chunks (build time only). */
    private static final class IntList {
        private int[] a = new int[CHUNK * 4];
        private int size;

        int addChunk(int fill) {
            if (size + CHUNK > a.length) a = Arrays.copyOf(a, a.length * 2);
            Arrays.fill(a, size, size + CHUNK, fill);
            size += CHUNK;
            return size / CHUNK - 1;
        }

        int get(int i) { return a[i]; }

        void set(int i, int v) { a[i] = v; }

        void fill(int from, int count, int v) { Arrays.fill(a, from, from + count, v); }

        int[] toArray() { return Arrays.copyOf(a, Math.max(size, 1)); }
    }
}
