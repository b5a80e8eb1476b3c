package io.jlvs.netio.rtnl;

import io.jlvs.netio.sys.RouteNetlink;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One route as RTM_NEWROUTE describes it ({@code ip route show table all}).
 *
 * @param family   2 (AF_INET) or 10 (AF_INET6)
 * @param table    the 32-bit {@code RTA_TABLE} if present, else {@code rtm_table} (254 main, 255 local)
 * @param type     {@code rtm_type}: {@link #RTN_UNICAST}, {@link #RTN_LOCAL}, {@link #RTN_BROADCAST},
 *                 {@link #RTN_BLACKHOLE}, {@link #RTN_UNREACHABLE}, ... ({@link #typeName()})
 * @param protocol {@code rtm_protocol}: 2 kernel, 3 boot (ip route add), 4 static...
 * @param scope    {@code rtm_scope}: 0 universe, 253 link, 254 host
 * @param flags    {@code rtm_flags} (RTNH_F_* of a single-path route, RTM_F_*)
 * @param dst      {@code RTA_DST}; the all-zero address of the family for a default route (never null)
 * @param dstLen   {@code rtm_dst_len}: the prefix length
 * @param gateway  {@code RTA_GATEWAY}, or the address of {@code RTA_VIA} (may be of the other family: an IPv4
 *                 route via an IPv6 next hop), or the first hop's for a multipath route; null when on-link
 * @param oif      {@code RTA_OIF}, or the first hop's ifindex for a multipath route; 0 for none
 * @param prefsrc  {@code RTA_PREFSRC}; null if absent
 * @param priority {@code RTA_PRIORITY} (the metric), 0 if absent
 * @param mtu      {@code RTAX_MTU} inside {@code RTA_METRICS}, 0 if absent
 * @param nextHops the hops of {@code RTA_MULTIPATH} in order; empty for a single-path route
 */
public record RouteInfo(int family, int table, int type, int protocol, int scope, int flags, InetAddress dst,
        int dstLen, InetAddress gateway, int oif, InetAddress prefsrc, int priority, int mtu,
        List<NextHop> nextHops) {

    public static final int RTN_UNICAST = RouteNetlink.RTN_UNICAST;
    public static final int RTN_LOCAL = RouteNetlink.RTN_LOCAL;
    public static final int RTN_BROADCAST = RouteNetlink.RTN_BROADCAST;
    public static final int RTN_ANYCAST = RouteNetlink.RTN_ANYCAST;
    public static final int RTN_MULTICAST = RouteNetlink.RTN_MULTICAST;
    public static final int RTN_BLACKHOLE = RouteNetlink.RTN_BLACKHOLE;
    public static final int RTN_UNREACHABLE = RouteNetlink.RTN_UNREACHABLE;
    public static final int RTN_PROHIBIT = RouteNetlink.RTN_PROHIBIT;
    public static final int RTN_THROW = RouteNetlink.RTN_THROW;

    public static final int RT_TABLE_MAIN = RouteNetlink.RT_TABLE_MAIN;
    public static final int RT_TABLE_LOCAL = RouteNetlink.RT_TABLE_LOCAL;

    private static final String[] TYPE_NAMES = {"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
        "blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve"};

    public RouteInfo {
        Objects.requireNonNull(dst, "dst");
        nextHops = List.copyOf(nextHops);
    }

    /** The {@code ip route} word for {@link #type()}: "unicast", "local", "blackhole"... */
    public String typeName() {
        return type >= 0 && type < TYPE_NAMES.length ? TYPE_NAMES[type] : Integer.toString(type);
    }

    public boolean isMultipath() {
        return !nextHops.isEmpty();
    }

    /** {@code "198.51.100.0/24"}, {@code "0.0.0.0/0"} for a default route. */
    public String prefix() {
        return IpText.format(dst) + "/" + dstLen;
    }
}
