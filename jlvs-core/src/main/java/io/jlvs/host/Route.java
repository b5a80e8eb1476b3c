package io.jlvs.host;

import io.jlvs.service.IpAddr;

/**
 * One route as rtnetlink reports it ({@code RTM_NEWROUTE}: {@code rtm_dst_len}, {@code rtm_type},
 * {@code RTA_DST}, {@code RTA_OIF}, {@code RTA_GATEWAY}, {@code RTA_PREFSRC}, {@code RTAX_MTU},
 * {@code RTA_PRIORITY}): a plain input the daemon fills, IPv4 or IPv6. The prefix's host bits are cleared.
 *
 * @param type     {@link #RTN_UNICAST}, {@link #RTN_LOCAL}, {@link #RTN_BLACKHOLE}, {@link #RTN_UNREACHABLE} or
 *                 {@link #RTN_PROHIBIT} (the kernel's {@code rtm_type} values; other types are the daemon's to skip)
 * @param oif      the output interface (0 for the types that need none)
 * @param gateway  the next hop, or null for an on-link (connected) route
 * @param prefsrc  the preferred source address, or null
 * @param mtu      the route's MTU ({@code RTAX_MTU}), or 0 for the interface's
 * @param metric   {@code RTA_PRIORITY}: among routes to the same prefix the lowest wins
 */
public record Route(IpAddr prefix, int prefixLength, int type, int oif, IpAddr gateway, IpAddr prefsrc, int mtu,
                    int metric) {
    /** {@code rtm_type} values, {@code include/uapi/linux/rtnetlink.h}. */
    public static final int RTN_UNICAST = 1, RTN_LOCAL = 2, RTN_BLACKHOLE = 6, RTN_UNREACHABLE = 7, RTN_PROHIBIT = 8;

    public Route {
        int max = prefix.isV6() ? 128 : 32;
        if (prefixLength < 0 || prefixLength > max) throw new IllegalArgumentException("prefix length " + prefixLength + " for " + prefix);
        if (type != RTN_UNICAST && type != RTN_LOCAL && type != RTN_BLACKHOLE && type != RTN_UNREACHABLE && type != RTN_PROHIBIT) {
            throw new IllegalArgumentException("route type " + type + " is not unicast, local, blackhole, unreachable or prohibit");
        }
        if (type == RTN_UNICAST && oif <= 0) throw new IllegalArgumentException("unicast route to " + prefix + "/" + prefixLength + " without an interface");
        if (gateway != null && gateway.af() != prefix.af()) throw new IllegalArgumentException("gateway " + gateway + " of another family than " + prefix);
        if (prefsrc != null && prefsrc.af() != prefix.af()) throw new IllegalArgumentException("prefsrc " + prefsrc + " of another family than " + prefix);
        if (mtu < 0) throw new IllegalArgumentException("MTU " + mtu);
        prefix = new IpAddr(prefix.af(), maskHi(prefix.hi(), prefix.isV6() ? prefixLength : 0),
                prefix.isV6() ? maskLo(prefix.lo(), prefixLength) : prefix.lo() & mask32(prefixLength));
    }

    /** An on-link route: {@code prefix/len dev oif}. */
    public static Route connected(IpAddr prefix, int len, int oif) {
        return new Route(prefix, len, RTN_UNICAST, oif, null, null, 0, 0);
    }

    /** A route through a gateway: {@code prefix/len via gateway dev oif}. */
    public static Route via(IpAddr prefix, int len, IpAddr gateway, int oif) {
        return new Route(prefix, len, RTN_UNICAST, oif, gateway, null, 0, 0);
    }

    public Route withMetric(int m) { return new Route(prefix, prefixLength, type, oif, gateway, prefsrc, mtu, m); }

    public Route withMtu(int m) { return new Route(prefix, prefixLength, type, oif, gateway, prefsrc, m, metric); }

    public Route withPrefsrc(IpAddr src) { return new Route(prefix, prefixLength, type, oif, gateway, src, mtu, metric); }

    /** The first 64 bits of an IPv6 prefix of {@code len} bits. */
    static long maskHi(long hi, int len) {
        if (len <= 0) return 0;
        return len >= 64 ? hi : hi & (-1L << (64 - len));
    }

    /** The last 64 bits of an IPv6 prefix of {@code len} bits. */
    static long maskLo(long lo, int len) {
        if (len <= 64) return 0;
        return len >= 128 ? lo : lo & (-1L << (128 - len));
    }

    /** An IPv4 netmask of {@code len} bits, as the low 32 bits of a long. */
    static long mask32(int len) {
        return len == 0 ? 0 : (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL;
    }

    @Override
    public String toString() {
        String s = prefix + "/" + prefixLength;
        if (type != RTN_UNICAST) s = switch (type) {
            case RTN_LOCAL -> "local ";
            case RTN_BLACKHOLE -> "blackhole ";
            case RTN_UNREACHABLE -> "unreachable ";
            default -> "prohibit ";
        } + s;
        if (gateway != null) s += " via " + gateway;
        if (oif > 0) s += " dev " + oif;
        if (prefsrc != null) s += " src " + prefsrc;
        if (mtu > 0) s += " mtu " + mtu;
        return s + " metric " + metric;
    }
}
