package io.jlvs.netio.sys;

import static io.jlvs.netio.sys.Netlink.offset;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * NETLINK_ROUTE messages: the fixed headers of {@code <linux/rtnetlink.h>} ({@code rtattr}, {@code rtmsg},
 * {@code rtnexthop}, {@code rtvia}), {@code <linux/if_link.h>} ({@code ifinfomsg}), {@code <linux/if_addr.h>}
 * ({@code ifaddrmsg}) and {@code <linux/neighbour.h>} ({@code ndmsg}), with the message types, multicast
 * groups, attribute types and flag values jlvs reads, under their C names. Fields are host byte order;
 * addresses inside attributes are network order.
 */
public final class RouteNetlink {

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_BRIDGE = 7;
    public static final int AF_INET6 = 10;

    // message types
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_DELNEIGH = 29;
    public static final int RTM_GETNEIGH = 30;

    // legacy multicast group bits for sockaddr_nl.nl_groups
    public static final int RTMGRP_LINK = 0x1;
    public static final int RTMGRP_NOTIFY = 0x2;
    public static final int RTMGRP_NEIGH = 0x4;
    public static final int RTMGRP_IPV4_IFADDR = 0x10;
    public static final int RTMGRP_IPV4_ROUTE = 0x40;
    public static final int RTMGRP_IPV6_IFADDR = 0x100;
    public static final int RTMGRP_IPV6_ROUTE = 0x400;

    // struct ifinfomsg: interface flags (<linux/if.h>)
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_POINTOPOINT = 0x10;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_NOARP = 0x80;
    public static final int IFF_PROMISC = 0x100;
    public static final int IFF_MASTER = 0x400;
    public static final int IFF_SLAVE = 0x800;
    public static final int IFF_MULTICAST = 0x1000;
    public static final int IFF_LOWER_UP = 0x10000;

    // IFLA_* attributes of RTM_NEWLINK
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_BROADCAST = 2;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINK = 5;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_LINKINFO = 18;
    /** Nested in IFLA_LINKINFO. */
    public static final int IFLA_INFO_KIND = 1;

    // IFA_* attributes of RTM_NEWADDR
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_FLAGS = 8;
    public static final int IFA_F_SECONDARY = 0x01;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_DADFAILED = 0x08;
    public static final int IFA_F_DEPRECATED = 0x20;
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;

    // RTA_* attributes of RTM_NEWROUTE
    public static final int RTA_DST = 1;
    public static final int RTA_SRC = 2;
    public static final int RTA_IIF = 3;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_METRICS = 8;
    public static final int RTA_MULTIPATH = 9;
    public static final int RTA_TABLE = 15;
    public static final int RTA_VIA = 18;
    /** In RTA_METRICS (nested, type = RTAX_*). */
    public static final int RTAX_MTU = 2;

    // rtm_type
    public static final int RTN_UNSPEC = 0;
    public static final int RTN_UNICAST = 1;
    public static final int RTN_LOCAL = 2;
    public static final int RTN_BROADCAST = 3;
    public static final int RTN_ANYCAST = 4;
    public static final int RTN_MULTICAST = 5;
    public static final int RTN_BLACKHOLE = 6;
    public static final int RTN_UNREACHABLE = 7;
    public static final int RTN_PROHIBIT = 8;
    public static final int RTN_THROW = 9;
    public static final int RTN_NAT = 10;
    public static final int RTN_XRESOLVE = 11;

    // rtm_protocol
    public static final int RTPROT_UNSPEC = 0;
    public static final int RTPROT_KERNEL = 2;
    public static final int RTPROT_BOOT = 3;
    public static final int RTPROT_STATIC = 4;

    // rtm_scope / ifa_scope
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_SITE = 200;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    public static final int RT_SCOPE_NOWHERE = 255;

    // rtm_table
    public static final int RT_TABLE_UNSPEC = 0;
    public static final int RT_TABLE_DEFAULT = 253;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RT_TABLE_LOCAL = 255;

    // rtm_flags
    public static final int RTM_F_CLONED = 0x200;

    // rtnh_flags
    public static final int RTNH_F_DEAD = 1;
    public static final int RTNH_F_ONLINK = 4;
    public static final int RTNH_F_LINKDOWN = 16;

    // NDA_* attributes of RTM_NEWNEIGH
    public static final int NDA_DST = 1;
    public static final int NDA_LLADDR = 2;

    // ndm_state
    public static final int NUD_NONE = 0x00;
    public static final int NUD_INCOMPLETE = 0x01;
    public static final int NUD_REACHABLE = 0x02;
    public static final int NUD_STALE = 0x04;
    public static final int NUD_DELAY = 0x08;
    public static final int NUD_PROBE = 0x10;
    public static final int NUD_FAILED = 0x20;
    public static final int NUD_NOARP = 0x40;
    public static final int NUD_PERMANENT = 0x80;

    // ndm_flags
    public static final int NTF_USE = 0x01;
    public static final int NTF_SELF = 0x02;
    public static final int NTF_MASTER = 0x04;
    public static final int NTF_PROXY = 0x08;
    public static final int NTF_EXT_LEARNED = 0x10;
    public static final int NTF_ROUTER = 0x80;

    /** {@code struct rtattr { unsigned short rta_len; unsigned short rta_type; }}: 4 bytes, then the payload. */
    public static final StructLayout RTATTR = MemoryLayout.structLayout(
            JAVA_SHORT.withName("rta_len"),
            JAVA_SHORT.withName("rta_type")).withName("rtattr");

    /** {@code struct ifinfomsg}: 16 bytes. */
    public static final StructLayout IFINFOMSG = MemoryLayout.structLayout(
            JAVA_BYTE.withName("ifi_family"),
            JAVA_BYTE.withName("__ifi_pad"),
            JAVA_SHORT.withName("ifi_type"),
            JAVA_INT.withName("ifi_index"),
            JAVA_INT.withName("ifi_flags"),
            JAVA_INT.withName("ifi_change")).withName("ifinfomsg");

    /** {@code struct ifaddrmsg}: 8 bytes. */
    public static final StructLayout IFADDRMSG = MemoryLayout.structLayout(
            JAVA_BYTE.withName("ifa_family"),
            JAVA_BYTE.withName("ifa_prefixlen"),
            JAVA_BYTE.withName("ifa_flags"),
            JAVA_BYTE.withName("ifa_scope"),
            JAVA_INT.withName("ifa_index")).withName("ifaddrmsg");

    /** {@code struct rtmsg}: 12 bytes. */
    public static final StructLayout RTMSG = MemoryLayout.structLayout(
            JAVA_BYTE.withName("rtm_family"),
            JAVA_BYTE.withName("rtm_dst_len"),
            JAVA_BYTE.withName("rtm_src_len"),
            JAVA_BYTE.withName("rtm_tos"),
            JAVA_BYTE.withName("rtm_table"),
            JAVA_BYTE.withName("rtm_protocol"),
            JAVA_BYTE.withName("rtm_scope"),
            JAVA_BYTE.withName("rtm_type"),
            JAVA_INT.withName("rtm_flags")).withName("rtmsg");

    /** {@code struct ndmsg}: 12 bytes. */
    public static final StructLayout NDMSG = MemoryLayout.structLayout(
            JAVA_BYTE.withName("ndm_family"),
            JAVA_BYTE.withName("ndm_pad1"),
            JAVA_SHORT.withName("ndm_pad2"),
            JAVA_INT.withName("ndm_ifindex"),
            JAVA_SHORT.withName("ndm_state"),
            JAVA_BYTE.withName("ndm_flags"),
            JAVA_BYTE.withName("ndm_type")).withName("ndmsg");

    /** {@code struct rtnexthop}: one hop inside RTA_MULTIPATH, 8 bytes, followed by its own attributes. */
    public static final StructLayout RTNEXTHOP = MemoryLayout.structLayout(
            JAVA_SHORT.withName("rtnh_len"),
            JAVA_BYTE.withName("rtnh_flags"),
            JAVA_BYTE.withName("rtnh_hops"),
            JAVA_INT.withName("rtnh_ifindex")).withName("rtnexthop");

    /** {@code struct rtvia { __kernel_sa_family_t rtvia_family; __u8 rtvia_addr[]; }}: 2 bytes, then the address. */
    public static final StructLayout RTVIA = MemoryLayout.structLayout(
            JAVA_SHORT.withName("rtvia_family")).withName("rtvia");

    public static final long RTA_LEN = offset(RTATTR, "rta_len");
    public static final long RTA_TYPE = offset(RTATTR, "rta_type");
    public static final int RTA_HDRLEN = (int) RTATTR.byteSize();

    public static final long IFI_FAMILY = offset(IFINFOMSG, "ifi_family");
    public static final long IFI_TYPE = offset(IFINFOMSG, "ifi_type");
    public static final long IFI_INDEX = offset(IFINFOMSG, "ifi_index");
    public static final long IFI_FLAGS = offset(IFINFOMSG, "ifi_flags");
    public static final long IFI_CHANGE = offset(IFINFOMSG, "ifi_change");

    public static final long IFA_FAMILY = offset(IFADDRMSG, "ifa_family");
    public static final long IFA_PREFIXLEN = offset(IFADDRMSG, "ifa_prefixlen");
    public static final long IFA_FLAGS_OFFSET = offset(IFADDRMSG, "ifa_flags");
    public static final long IFA_SCOPE = offset(IFADDRMSG, "ifa_scope");
    public static final long IFA_INDEX = offset(IFADDRMSG, "ifa_index");

    public static final long RTM_FAMILY = offset(RTMSG, "rtm_family");
    public static final long RTM_DST_LEN = offset(RTMSG, "rtm_dst_len");
    public static final long RTM_SRC_LEN = offset(RTMSG, "rtm_src_len");
    public static final long RTM_TOS = offset(RTMSG, "rtm_tos");
    public static final long RTM_TABLE = offset(RTMSG, "rtm_table");
    public static final long RTM_PROTOCOL = offset(RTMSG, "rtm_protocol");
    public static final long RTM_SCOPE = offset(RTMSG, "rtm_scope");
    public static final long RTM_TYPE = offset(RTMSG, "rtm_type");
    public static final long RTM_FLAGS = offset(RTMSG, "rtm_flags");

    public static final long NDM_FAMILY = offset(NDMSG, "ndm_family");
    public static final long NDM_IFINDEX = offset(NDMSG, "ndm_ifindex");
    public static final long NDM_STATE = offset(NDMSG, "ndm_state");
    public static final long NDM_FLAGS = offset(NDMSG, "ndm_flags");
    public static final long NDM_TYPE = offset(NDMSG, "ndm_type");

    public static final long RTNH_LEN = offset(RTNEXTHOP, "rtnh_len");
    public static final long RTNH_FLAGS = offset(RTNEXTHOP, "rtnh_flags");
    public static final long RTNH_HOPS = offset(RTNEXTHOP, "rtnh_hops");
    public static final long RTNH_IFINDEX = offset(RTNEXTHOP, "rtnh_ifindex");

    public static final long RTVIA_FAMILY = offset(RTVIA, "rtvia_family");
    /** {@code offsetof(struct rtvia, rtvia_addr)}. */
    public static final int RTVIA_ADDR = (int) RTVIA.byteSize();

    private RouteNetlink() {}
}
