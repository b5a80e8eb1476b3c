package io.jlvs.xmit;

import io.jlvs.packet.Flow;
import io.jlvs.testkit.Addresses;

/**
 * A routing and neighbour table for tests and benchmarks: exact host entries, then a default route per family.
 * Linear search over arrays, so lookups allocate nothing.
 */
/** Test routes and neighbours: a list of exact host entries, then default routes per family. */
public final class FakeNextHops implements NextHops {
    private static final int MAX = 64;
    private final int[] af = new int[MAX], result = new int[MAX];
    private final long[] hi = new long[MAX], lo = new long[MAX];
    private final Egress[] egress = new Egress[MAX];
    private int n;
    private final Egress[] def = new Egress[2];
    /** Lookups answered with {@link #KNOWN_NH}: what the last one asked for. */
    int lastFlags;

    /** A host on the link: its MAC, the MTU toward it, the director's address toward it. */
    public FakeNextHops host(String addr, String mac, int mtu, String src) {
        return entry(addr, RESOLVED, new Egress().set(1, Addresses.macLong(Net.DIRECTOR_MAC), Addresses.macLong(mac),
                Egress.NO_VLAN, mtu, hi(src), lo(src)));
    }

    /** A host on a VLAN. */
    public FakeNextHops vlanHost(String addr, String mac, int vlanTci, String src) {
        return entry(addr, RESOLVED, new Egress().set(2, Addresses.macLong(Net.DIRECTOR_MAC), Addresses.macLong(mac),
                vlanTci, 1500, hi(src), lo(src)));
    }

    public FakeNextHops local(String addr) { return entry(addr, LOCAL, new Egress()); }

    public FakeNextHops unreachable(String addr) { return entry(addr, UNREACHABLE, new Egress()); }

    public FakeNextHops unresolved(String addr, String src) {
        return entry(addr, UNRESOLVED, new Egress().set(1, Addresses.macLong(Net.DIRECTOR_MAC), 0, Egress.NO_VLAN, 1500,
                hi(src), lo(src)));
    }

    /** The default route of the address's family: via a gateway's MAC, from {@code src}. */
    public FakeNextHops defaultRoute(String src, String gatewayMac, int mtu) {
        def[v6(src) ? 1 : 0] = new Egress().set(1, Addresses.macLong(Net.DIRECTOR_MAC), Addresses.macLong(gatewayMac),
                Egress.NO_VLAN, mtu, hi(src), lo(src));
        return this;
    }

    /** A host reached through the gateway with its own path MTU. */
    public FakeNextHops via(String addr, String gatewayMac, int mtu, String src) { return host(addr, gatewayMac, mtu, src); }

    private FakeNextHops entry(String addr, int r, Egress e) {
        af[n] = v6(addr) ? Flow.AF_INET6 : Flow.AF_INET;
        hi[n] = hi(addr);
        lo[n] = lo(addr);
        result[n] = r;
        egress[n++] = e;
        return this;
    }

    @Override
    public int resolve(int family, long h, long l, int flags, Egress out) {
        lastFlags = flags;
        for (int i = 0; i < n; i++) {
            if (af[i] == family && hi[i] == h && lo[i] == l) {
                if (result[i] == RESOLVED || result[i] == UNRESOLVED) out.copy(egress[i]);
                return result[i];
            }
        }
        Egress d = def[family == Flow.AF_INET6 ? 1 : 0];
        if (d == null) return UNREACHABLE;
        out.copy(d);
        return RESOLVED;
    }

    public static boolean v6(String addr) { return addr.indexOf(':') >= 0; }

    public static long hi(String addr) { return v6(addr) ? Addresses.ipv6Hi(addr) : 0; }

    public static long lo(String addr) { return v6(addr) ? Addresses.ipv6Lo(addr) : Addresses.ipv4Int(addr) & 0xFFFF_FFFFL; }
}
