package io.jlvs.host;

import io.jlvs.packet.Flow;
import io.jlvs.service.IpAddr;

import java.util.List;

/**
 * The addresses that are the director's: the host's own (from rtnetlink) and the ones jlvs owns itself (VIPs,
 * NAT-gateway addresses, from the control side). An immutable snapshot built on the control side
 * ({@link HostTables#publishHost}, {@link HostTables#publishOwned}); every query is a hash probe that allocates
 * nothing.
 *
 * <p>Addresses are two longs in the data path's convention ({@link Flow}): IPv4 in the low 32 bits of {@code lo}.
 */
public final class LocalAddresses {
    public static final LocalAddresses EMPTY = new LocalAddresses(List.of(), List.of(), 1L);

    /** {@link #ownedOn} results. */
    public static final int NOT_OWNED = 0, VIP = 1, NAT_GATEWAY = 2;

    private static final long TAG_ADDR = 1L << 48, TAG_OWNED = 2L << 48, TAG_SOURCE = 3L << 48, TAG_LINK_LOCAL = 4L << 48;
    private static final long HOST = 1, OWNED = 2;

    private final AddressMap map;
    private final List<HostAddress> host;
    private final List<OwnedAddress> owned;

    LocalAddresses(List<HostAddress> host, List<OwnedAddress> owned, long seed) {
        this.host = List.copyOf(host);
        this.owned = List.copyOf(owned);
        this.map = new AddressMap(Math.max(4, 4 * (host.size() + owned.size()) + 4), seed);
        for (HostAddress a : host) {
            IpAddr ip = a.addr();
            flag(ip, HOST);
            boolean linkLocal = isLinkLocal(ip);
            if (linkLocal) putFirst(TAG_LINK_LOCAL | a.ifIndex(), ip);
            // the first address of the interface in its family; IPv6 prefers a global one to a link-local one
            if (!linkLocal) {
                putFirst(TAG_SOURCE | (long) ip.af() << 32 | a.ifIndex(), ip);
                putFirst(TAG_SOURCE | (long) ip.af() << 32, ip);
            }
        }
        for (HostAddress a : host) {                         // interfaces with only link-local IPv6 addresses
            if (isLinkLocal(a.addr())) putFirst(TAG_SOURCE | (long) Flow.AF_INET6 << 32 | a.ifIndex(), a.addr());
        }
        for (OwnedAddress o : owned) {
            IpAddr ip = o.addr();
            flag(ip, OWNED);
            int slot = map.insert(ip.hi(), ip.lo(), TAG_OWNED | (long) ip.af() << 32 | o.ifIndex());
            long kind = o.kind() == OwnedAddress.Kind.NAT_GATEWAY ? NAT_GATEWAY : VIP;
            map.v0(slot, Math.max(map.v0(slot), kind));
        }
    }

    /** A snapshot of these addresses. */
    public static LocalAddresses of(List<HostAddress> host, List<OwnedAddress> owned) {
        return new LocalAddresses(host, owned, HostTables.RANDOM.nextLong());
    }

    private void flag(IpAddr ip, long bit) {
        int slot = map.insert(ip.hi(), ip.lo(), TAG_ADDR | ip.af());
        map.v0(slot, map.v0(slot) | bit);
    }

    private void putFirst(long tag, IpAddr ip) {
        int slot = map.insert(0, 0, tag);
        if (!map.isNew()) return;
        map.v0(slot, ip.hi());
        map.v1(slot, ip.lo());
    }

    static boolean isLinkLocal(IpAddr ip) { return ip.isV6() && (ip.hi() >>> 54) == 0x3FA; }   // fe80::/10

    public List<HostAddress> host() { return host; }

    public List<OwnedAddress> owned() { return owned; }

    /** The address is the director's: the host's own or one jlvs owns (IPVS: {@code RTN_LOCAL}). */
    public boolean isLocal(int af, long hi, long lo) {
        return map.find(hi, lo, TAG_ADDR | af) != AddressMap.MISSING;
    }

    /** The address is one of the host's own (the kernel answers ARP/NDP for it). */
    public boolean isHost(int af, long hi, long lo) {
        int s = map.find(hi, lo, TAG_ADDR | af);
        return s != AddressMap.MISSING && (map.v0(s) & HOST) != 0;
    }

    /**
     * Whether jlvs answers for the address on interface {@code ifIndex} (owned there or on every interface).
     *
     * @return {@link #NOT_OWNED}, {@link #VIP} or {@link #NAT_GATEWAY}
     */
    public int ownedOn(int af, long hi, long lo, int ifIndex) {
        int s = map.find(hi, lo, TAG_OWNED | (long) af << 32 | (ifIndex & 0xFFFF_FFFFL));
        if (s == AddressMap.MISSING) s = map.find(hi, lo, TAG_OWNED | (long) af << 32);
        return s == AddressMap.MISSING ? NOT_OWNED : (int) map.v0(s);
    }

    /**
     * The director's source address toward a destination out of {@code ifIndex} when the route names none
     * ({@code inet_select_addr} / IPv6 source selection, simplified): the interface's first host address of
     * the family (IPv6: a global one before a link-local one), else the first of any interface.
     *
     * @return a slot for {@link #slotHi}/{@link #slotLo}, or -1 when the host has no address of the family
     */
    public int source(int ifIndex, int af) {
        int s = map.find(0, 0, TAG_SOURCE | (long) af << 32 | (ifIndex & 0xFFFF_FFFFL));
        return s != AddressMap.MISSING ? s : map.find(0, 0, TAG_SOURCE | (long) af << 32);
    }

    /** The interface's first IPv6 link-local address (the source of neighbour solicitations), or -1. */
    public int linkLocal(int ifIndex) {
        return map.find(0, 0, TAG_LINK_LOCAL | (ifIndex & 0xFFFF_FFFFL));
    }

    public long slotHi(int slot) { return map.v0(slot); }

    public long slotLo(int slot) { return map.v1(slot); }
}
