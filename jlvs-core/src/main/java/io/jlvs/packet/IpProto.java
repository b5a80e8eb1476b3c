package io.jlvs.packet;

/**
 * IP protocol numbers (IANA "Assigned Internet Protocol Numbers") with their C names from
 * {@code include/uapi/linux/in.h} and {@code include/uapi/linux/in6.h}: the IPv4 protocol field and the IPv6
 * next-header field share this space.
 */
public final class IpProto {
    public static final int IPPROTO_HOPOPTS = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_IPIP = 4;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_ROUTING = 43;
    public static final int IPPROTO_FRAGMENT = 44;
    public static final int IPPROTO_GRE = 47;
    public static final int IPPROTO_ESP = 50;
    public static final int IPPROTO_AH = 51;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int IPPROTO_NONE = 59;
    public static final int IPPROTO_DSTOPTS = 60;
    public static final int IPPROTO_MH = 135;
    public static final int IPPROTO_SCTP = 132;
    /** Host Identity Protocol (RFC 7401), an IPv6 extension header. */
    public static final int IPPROTO_HIP = 139;
    /** Shim6 (RFC 5533), an IPv6 extension header. */
    public static final int IPPROTO_SHIM6 = 140;

    private IpProto() {}
}
