package io.jlvs.ctl.offline;

import io.jlvs.packet.Flow;
import io.jlvs.service.IpAddr;
import io.jlvs.xmit.Egress;
import io.jlvs.xmit.NextHops;

import java.util.Arrays;

/**
 * Routes and neighbours for a director on an in-memory network (the simulator, replays): every address is
 * directly reachable on one interface and always resolved, so no frame waits for ARP/NDP. The director's own
 * addresses (VIPs included, when the caller lists them) are {@link #LOCAL}; an address with a MAC of its own
 * ({@link #neighbour}) is sent to that MAC; every other address goes to the default gateway's MAC. The source
 * address toward a destination (tunnel outer headers, ICMP errors) is the first local address of its family, or
 * the unspecified address when there is none.
 *
 * <p>Configure first, then hand to a director: lookups search small arrays, without locking or allocating.
 */
public final class StaticNextHops implements NextHops {
    /** MAC of the director's interface when none is given: 02:00:00:00:00:01 (locally administered). */
    public static final long DEFAULT_DIRECTOR_MAC = 0x0200_0000_0001L;
    /** MAC of the default gateway when none is given: 02:00:00:00:00:fe. */
    public static final long DEFAULT_GATEWAY_MAC = 0x0200_0000_00FEL;
    /** The single interface frames leave on. */
    public static final int IF_INDEX = 1;

    // entries: address (family, hi, lo) and what it resolves to (NEIGHBOUR_LOCAL or a MAC)
    private static final long NEIGHBOUR_LOCAL = -1;
    private int[] af = new int[8];
    private long[] hi = new long[8], lo = new long[8], mac = new long[8];
    private int n;
    private long directorMac = DEFAULT_DIRECTOR_MAC, gatewayMac = DEFAULT_GATEWAY_MAC;
    private int mtu = 1500;
    private IpAddr src4 = IpAddr.v4(0), src6 = IpAddr.v6(0, 0);
    private boolean src4Set, src6Set;

    /** The director's MAC: the source of every frame it sends. */
    public StaticNextHops directorMac(long mac) { directorMac = mac; return this; }

    public long directorMac() { return directorMac; }

    /** The MAC every address without a {@link #neighbour} entry is sent to. */
    public StaticNextHops gatewayMac(long mac) { gatewayMac = mac; return this; }

    public long gatewayMac() { return gatewayMac; }

    /** The path MTU toward every destination (IP octets). */
    public StaticNextHops mtu(int mtu) {
        if (mtu < 68 || mtu > 65535) throw new IllegalArgumentException("MTU " + mtu + " out of range 68..65535");
        this.mtu = mtu;
        return this;
    }

    public int mtu() { return mtu; }

    /** One of the director's own addresses (a VIP, or an interface address): delivered to the local stack. */
    public StaticNextHops local(IpAddr addr) {
        put(addr, NEIGHBOUR_LOCAL);
        if (addr.isV6() && !src6Set) { src6 = addr; src6Set = true; }
        if (!addr.isV6() && !src4Set) { src4 = addr; src4Set = true; }
        return this;
    }

    /** A host with a MAC of its own (a real server, a router). */
    public StaticNextHops neighbour(IpAddr addr, long mac) {
        put(addr, mac & 0xFFFF_FFFF_FFFFL);
        return this;
    }

    private void put(IpAddr a, long what) {
        int family = a.isV6() ? Flow.AF_INET6 : Flow.AF_INET;
        for (int i = 0; i < n; i++) {
            if (af[i] == family && hi[i] == a.hi() && lo[i] == a.lo()) {
                if (mac[i] != NEIGHBOUR_LOCAL) mac[i] = what;     // a local address stays local
                return;
            }
        }
        if (n == af.length) {
            af = Arrays.copyOf(af, 2 * n);
            hi = Arrays.copyOf(hi, 2 * n);
            lo = Arrays.copyOf(lo, 2 * n);
            mac = Arrays.copyOf(mac, 2 * n);
        }
        af[n] = family;
        hi[n] = a.hi();
        lo[n] = a.lo();
        mac[n++] = what;
    }

    @Override
    public int resolve(int family, long h, long l, int flags, Egress out) {
        if (family != Flow.AF_INET6) { h = 0; l &= 0xFFFF_FFFFL; }
        long to = gatewayMac;
        for (int i = 0; i < n; i++) {
            if (af[i] == family && hi[i] == h && lo[i] == l) {
                if (mac[i] == NEIGHBOUR_LOCAL) return LOCAL;
                to = mac[i];
                break;
            }
        }
        IpAddr src = family == Flow.AF_INET6 ? src6 : src4;
        out.set(IF_INDEX, directorMac, to, Egress.NO_VLAN, mtu, src.hi(), src.lo());
        return RESOLVED;
    }

    /** "02:00:00:00:00:fe" as a long; IllegalArgumentException naming the text otherwise. */
    public static long parseMac(String s) {
        String[] parts = s.split("[:-]", -1);
        if (parts.length != 6) throw new IllegalArgumentException("bad MAC address '" + s + "' (expected 6 hex octets, e.g. 02:00:00:00:00:01)");
        long m = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) throw new IllegalArgumentException("bad MAC address '" + s + "' (expected 6 hex octets, e.g. 02:00:00:00:00:01)");
            int v;
            try {
                v = Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad MAC address '" + s + "' (expected 6 hex octets, e.g. 02:00:00:00:00:01)");
            }
            m = (m << 8) | v;
        }
        return m;
    }

    /** "02:00:00:00:00:fe". */
    public static String formatMac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            sb.append(String.format("%02x", (mac >>> (8 * i)) & 0xFF));
            if (i > 0) sb.append(':');
        }
        return sb.toString();
    }
}
