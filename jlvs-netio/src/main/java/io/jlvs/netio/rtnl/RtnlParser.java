package io.jlvs.netio.rtnl;

import static io.jlvs.netio.sys.RouteNetlink.AF_INET;
import static io.jlvs.netio.sys.RouteNetlink.AF_INET6;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import io.jlvs.netio.sys.Netlink;
import io.jlvs.netio.sys.RouteNetlink;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decodes NETLINK_ROUTE messages into the records of this package. Every read is preceded by a bounds check
 * against the message (as the kernel's {@code nlmsg_ok}/{@code nla_ok} do), so no input makes it throw: a
 * message that cannot be decoded is skipped and counted ({@link #stats()}), a decoder returns null.
 * Messages of families jlvs does not follow (bridge fdb, MPLS, multicast routing) are skipped without counting.
 *
 * <p>Offsets are those of a message's payload in {@code seg} (after the {@code nlmsghdr}); all integers are
 * host order, addresses network order.
 */
final class RtnlParser {

    /** Attribute types beyond this are not looked at (the ones we read are all below 32). */
    static final int MAX_ATTR = 64;

    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong badAttributes = new AtomicLong();
    final AtomicLong stale = new AtomicLong();
    final AtomicLong redumps = new AtomicLong();
    final AtomicLong overruns = new AtomicLong();

    RtnlStats stats() {
        return new RtnlStats(malformed.get(), badAttributes.get(), stale.get(), redumps.get(), overruns.get());
    }

    void countMalformed() {
        malformed.incrementAndGet();
    }

    // ---- the datagram: a sequence of messages ----

    /** Called for each well-framed message of a datagram; returns false to stop. */
    @FunctionalInterface
    interface MessageVisitor {
        boolean message(int type, int flags, int seq, int pid, long payloadOff, int payloadLen);
    }

    /**
     * Walks the {@code length} bytes of one datagram message by message. A header that is short or claims more
     * bytes than remain ends the walk (the rest of the datagram cannot be framed) and is counted.
     */
    void forEachMessage(MemorySegment seg, int length, MessageVisitor visitor) {
        long end = Math.min(length, seg.byteSize());
        long p = 0;
        while (end - p >= Netlink.NLMSG_HDRLEN) {
            int len = seg.get(JAVA_INT_UNALIGNED, p + Netlink.NLMSG_LEN);
            if (len < Netlink.NLMSG_HDRLEN || len > end - p) {
                countMalformed();
                return;
            }
            int type = u16(seg, p + Netlink.NLMSG_TYPE);
            int flags = u16(seg, p + Netlink.NLMSG_FLAGS);
            int seq = seg.get(JAVA_INT_UNALIGNED, p + Netlink.NLMSG_SEQ);
            int pid = seg.get(JAVA_INT_UNALIGNED, p + Netlink.NLMSG_PID);
            if (!visitor.message(type, flags, seq, pid, p + Netlink.NLMSG_HDRLEN, len - Netlink.NLMSG_HDRLEN)) {
                return;
            }
            p += Netlink.align(len);
        }
        if (p < end) {
            countMalformed(); // 1..15 bytes of trailing junk
        }
    }

    /** The event a notification of {@code type} carries, or null (another type, another family, malformed). */
    RtEvent event(int type, MemorySegment seg, long off, int len) {
        return switch (type) {
            case RouteNetlink.RTM_NEWLINK, RouteNetlink.RTM_DELLINK -> {
                LinkInfo l = link(seg, off, len);
                yield l == null ? null : new RtEvent.Link(action(type, RouteNetlink.RTM_NEWLINK), l);
            }
            case RouteNetlink.RTM_NEWADDR, RouteNetlink.RTM_DELADDR -> {
                AddrInfo a = addr(seg, off, len);
                yield a == null ? null : new RtEvent.Addr(action(type, RouteNetlink.RTM_NEWADDR), a);
            }
            case RouteNetlink.RTM_NEWROUTE, RouteNetlink.RTM_DELROUTE -> {
                RouteInfo r = route(seg, off, len);
                yield r == null ? null : new RtEvent.Route(action(type, RouteNetlink.RTM_NEWROUTE), r);
            }
            case RouteNetlink.RTM_NEWNEIGH, RouteNetlink.RTM_DELNEIGH -> {
                NeighInfo n = neigh(seg, off, len);
                yield n == null ? null : new RtEvent.Neigh(action(type, RouteNetlink.RTM_NEWNEIGH), n);
            }
            default -> null;
        };
    }

    private static RtEvent.Action action(int type, int newType) {
        return type == newType ? RtEvent.Action.NEW : RtEvent.Action.DEL;
    }

    // ---- RTM_NEWLINK ----

    LinkInfo link(MemorySegment seg, long off, int len) {
        int hdr = (int) RouteNetlink.IFINFOMSG.byteSize();
        if (len < hdr) {
            countMalformed();
            return null;
        }
        int family = u8(seg, off + RouteNetlink.IFI_FAMILY);
        if (family != RouteNetlink.AF_UNSPEC) {
            return null; // AF_BRIDGE port notifications and the like: not a link's state
        }
        Attrs tb = attrs(seg, off + hdr, off + len);
        if (tb == null) {
            return null;
        }
        long mac = LinkInfo.NO_MAC;
        if (tb.len(RouteNetlink.IFLA_ADDRESS) == 6) {
            mac = mac48(seg, tb.off(RouteNetlink.IFLA_ADDRESS));
        }
        String kind = "";
        if (tb.has(RouteNetlink.IFLA_LINKINFO)) {
            Attrs info = attrs(seg, tb.off(RouteNetlink.IFLA_LINKINFO),
                    tb.off(RouteNetlink.IFLA_LINKINFO) + tb.len(RouteNetlink.IFLA_LINKINFO));
            if (info == null) {
                return null;
            }
            kind = string(seg, info, RouteNetlink.IFLA_INFO_KIND);
        }
        return new LinkInfo(
                seg.get(JAVA_INT_UNALIGNED, off + RouteNetlink.IFI_INDEX),
                string(seg, tb, RouteNetlink.IFLA_IFNAME),
                u16(seg, off + RouteNetlink.IFI_TYPE),
                seg.get(JAVA_INT_UNALIGNED, off + RouteNetlink.IFI_FLAGS),
                mac,
                u32(seg, tb, RouteNetlink.IFLA_MTU, 0),
                kind,
                u32(seg, tb, RouteNetlink.IFLA_MASTER, 0),
                u32(seg, tb, RouteNetlink.IFLA_LINK, 0),
                u8attr(seg, tb, RouteNetlink.IFLA_OPERSTATE, LinkInfo.IF_OPER_UNKNOWN));
    }

    // ---- RTM_NEWADDR ----

    AddrInfo addr(MemorySegment seg, long off, int len) {
        int hdr = (int) RouteNetlink.IFADDRMSG.byteSize();
        if (len < hdr) {
            countMalformed();
            return null;
        }
        int family = u8(seg, off + RouteNetlink.IFA_FAMILY);
        int alen = addressLength(family);
        if (alen == 0) {
            return null;
        }
        int prefixLen = u8(seg, off + RouteNetlink.IFA_PREFIXLEN);
        Attrs tb = attrs(seg, off + hdr, off + len);
        if (tb == null) {
            return null;
        }
        int which = tb.has(RouteNetlink.IFA_LOCAL) ? RouteNetlink.IFA_LOCAL : RouteNetlink.IFA_ADDRESS;
        if (prefixLen > alen * 8 || tb.len(which) != alen) {
            countMalformed();
            return null;
        }
        int flags = u8(seg, off + RouteNetlink.IFA_FLAGS_OFFSET);
        flags = u32(seg, tb, RouteNetlink.IFA_FLAGS, flags);
        return new AddrInfo(
                seg.get(JAVA_INT_UNALIGNED, off + RouteNetlink.IFA_INDEX),
                family,
                address(seg, tb.off(which), alen),
                prefixLen,
                u8(seg, off + RouteNetlink.IFA_SCOPE),
                flags,
                string(seg, tb, RouteNetlink.IFA_LABEL));
    }

    // ---- RTM_NEWROUTE ----

    RouteInfo route(MemorySegment seg, long off, int len) {
        int hdr = (int) RouteNetlink.RTMSG.byteSize();
        if (len < hdr) {
            countMalformed();
            return null;
        }
        int family = u8(seg, off + RouteNetlink.RTM_FAMILY);
        int alen = addressLength(family);
        if (alen == 0) {
            return null; // MPLS, IPMR, ...
        }
        int dstLen = u8(seg, off + RouteNetlink.RTM_DST_LEN);
        Attrs tb = attrs(seg, off + hdr, off + len);
        if (tb == null) {
            return null;
        }
        if (dstLen > alen * 8 || (tb.has(RouteNetlink.RTA_DST) && tb.len(RouteNetlink.RTA_DST) != alen)) {
            countMalformed();
            return null;
        }
        InetAddress dst = tb.has(RouteNetlink.RTA_DST)
                ? address(seg, tb.off(RouteNetlink.RTA_DST), alen)
                : address(new byte[alen]);
        InetAddress gateway = gateway(seg, tb, alen);
        int oif = u32(seg, tb, RouteNetlink.RTA_OIF, 0);
        List<NextHop> hops = tb.has(RouteNetlink.RTA_MULTIPATH) ? multipath(seg, tb, alen) : List.of();
        if (!hops.isEmpty()) {
            if (gateway == null) {
                gateway = hops.getFirst().gateway();
            }
            if (oif == 0) {
                oif = hops.getFirst().oif();
            }
        }
        InetAddress prefsrc = null;
        if (tb.has(RouteNetlink.RTA_PREFSRC)) {
            if (tb.len(RouteNetlink.RTA_PREFSRC) == alen) {
                prefsrc = address(seg, tb.off(RouteNetlink.RTA_PREFSRC), alen);
            } else {
                badAttributes.incrementAndGet();
            }
        }
        int mtu = 0;
        if (tb.has(RouteNetlink.RTA_METRICS)) {
            Attrs metrics = attrs(seg, tb.off(RouteNetlink.RTA_METRICS),
                    tb.off(RouteNetlink.RTA_METRICS) + tb.len(RouteNetlink.RTA_METRICS));
            if (metrics != null) {
                mtu = u32(seg, metrics, RouteNetlink.RTAX_MTU, 0);
            }
        }
        return new RouteInfo(
                family,
                u32(seg, tb, RouteNetlink.RTA_TABLE, u8(seg, off + RouteNetlink.RTM_TABLE)),
                u8(seg, off + RouteNetlink.RTM_TYPE),
                u8(seg, off + RouteNetlink.RTM_PROTOCOL),
                u8(seg, off + RouteNetlink.RTM_SCOPE),
                seg.get(JAVA_INT_UNALIGNED, off + RouteNetlink.RTM_FLAGS),
                dst, dstLen, gateway, oif, prefsrc,
                u32(seg, tb, RouteNetlink.RTA_PRIORITY, 0),
                mtu, hops);
    }

    /** RTA_GATEWAY (an address of the route's family) or RTA_VIA (family + address); null if neither. */
    private InetAddress gateway(MemorySegment seg, Attrs tb, int alen) {
        if (tb.has(RouteNetlink.RTA_GATEWAY)) {
            if (tb.len(RouteNetlink.RTA_GATEWAY) == alen) {
                return address(seg, tb.off(RouteNetlink.RTA_GATEWAY), alen);
            }
            badAttributes.incrementAndGet();
        }
        if (tb.has(RouteNetlink.RTA_VIA)) {
            int len = tb.len(RouteNetlink.RTA_VIA);
            if (len >= RouteNetlink.RTVIA_ADDR) {
                long via = tb.off(RouteNetlink.RTA_VIA);
                int viaLen = addressLength(u16(seg, via + RouteNetlink.RTVIA_FAMILY));
                if (viaLen != 0 && len - RouteNetlink.RTVIA_ADDR == viaLen) {
                    return address(seg, via + RouteNetlink.RTVIA_ADDR, viaLen);
                }
            }
            badAttributes.incrementAndGet();
        }
        return null;
    }

    /** The rtnexthop records of RTA_MULTIPATH; a badly framed hop ends the list (counted). */
    private List<NextHop> multipath(MemorySegment seg, Attrs tb, int alen) {
        long p = tb.off(RouteNetlink.RTA_MULTIPATH);
        long end = p + tb.len(RouteNetlink.RTA_MULTIPATH);
        int hdr = (int) RouteNetlink.RTNEXTHOP.byteSize();
        List<NextHop> hops = new ArrayList<>(4);
        while (end - p >= hdr) {
            int len = u16(seg, p + RouteNetlink.RTNH_LEN);
            if (len < hdr || len > end - p) {
                badAttributes.incrementAndGet();
                break;
            }
            Attrs nested = attrs(seg, p + hdr, p + len);
            InetAddress gw = nested == null ? null : gateway(seg, nested, alen);
            hops.add(new NextHop(gw, seg.get(JAVA_INT_UNALIGNED, p + RouteNetlink.RTNH_IFINDEX),
                    u8(seg, p + RouteNetlink.RTNH_HOPS) + 1, u8(seg, p + RouteNetlink.RTNH_FLAGS)));
            p += Netlink.align(len);
        }
        return hops;
    }

    // ---- RTM_NEWNEIGH ----

    NeighInfo neigh(MemorySegment seg, long off, int len) {
        int hdr = (int) RouteNetlink.NDMSG.byteSize();
        if (len < hdr) {
            countMalformed();
            return null;
        }
        int family = u8(seg, off + RouteNetlink.NDM_FAMILY);
        int alen = addressLength(family);
        if (alen == 0) {
            return null; // AF_BRIDGE fdb entries
        }
        Attrs tb = attrs(seg, off + hdr, off + len);
        if (tb == null) {
            return null;
        }
        if (tb.len(RouteNetlink.NDA_DST) != alen) {
            countMalformed();
            return null;
        }
        long lladdr = NeighInfo.NO_LLADDR;
        if (tb.len(RouteNetlink.NDA_LLADDR) == 6) {
            lladdr = mac48(seg, tb.off(RouteNetlink.NDA_LLADDR));
        }
        return new NeighInfo(
                seg.get(JAVA_INT_UNALIGNED, off + RouteNetlink.NDM_IFINDEX),
                family,
                address(seg, tb.off(RouteNetlink.NDA_DST), alen),
                lladdr,
                u16(seg, off + RouteNetlink.NDM_STATE),
                u8(seg, off + RouteNetlink.NDM_FLAGS),
                u8(seg, off + RouteNetlink.NDM_TYPE));
    }

    // ---- NLMSG_ERROR ----

    /**
     * The text of an extended ack ({@code NLMSGERR_ATTR_MSG}) in an NLMSG_ERROR payload, or null. Past the
     * {@code int error} comes the failed request: its header alone when NLM_F_CAPPED, else all of it.
     */
    String extAckMessage(MemorySegment seg, long off, int len, int flags) {
        if ((flags & Netlink.NLM_F_ACK_TLVS) == 0 || len < Netlink.NLMSGERR.byteSize()) {
            return null;
        }
        long tlvs;
        if ((flags & Netlink.NLM_F_CAPPED) != 0) {
            tlvs = off + Netlink.NLMSGERR.byteSize();
        } else {
            int reqLen = seg.get(JAVA_INT_UNALIGNED, off + Netlink.NLMSGERR_MSG + Netlink.NLMSG_LEN);
            if (reqLen < Netlink.NLMSG_HDRLEN || reqLen > len - Netlink.NLMSGERR_MSG) {
                countMalformed();
                return null;
            }
            tlvs = off + Netlink.NLMSGERR_MSG + Netlink.align(reqLen);
        }
        if (tlvs > off + len) {
            return null;
        }
        Attrs tb = attrs(seg, tlvs, off + len);
        if (tb == null || !tb.has(Netlink.NLMSGERR_ATTR_MSG)) {
            return null;
        }
        String msg = string(seg, tb, Netlink.NLMSGERR_ATTR_MSG);
        return msg.isEmpty() ? null : msg;
    }

    // ---- attributes ----

    /** Where each attribute type's payload is ({@code nla_parse}: the last occurrence of a type wins). */
    static final class Attrs {
        private final long[] off = new long[MAX_ATTR];
        private final int[] len = new int[MAX_ATTR];

        Attrs() {
            Arrays.fill(len, -1);
        }

        boolean has(int type) {
            return len[type] >= 0;
        }

        /** Payload length, -1 when absent. */
        int len(int type) {
            return len[type];
        }

        long off(int type) {
            return off[type];
        }
    }

    /** Frames the attributes in [from, to); null (counted) if one is badly framed. */
    Attrs attrs(MemorySegment seg, long from, long to) {
        Attrs tb = new Attrs();
        long p = from;
        while (to - p >= RouteNetlink.RTA_HDRLEN) {
            int len = u16(seg, p + RouteNetlink.RTA_LEN);
            if (len < RouteNetlink.RTA_HDRLEN || len > to - p) {
                countMalformed();
                return null;
            }
            int type = u16(seg, p + RouteNetlink.RTA_TYPE) & Netlink.NLA_TYPE_MASK;
            if (type < MAX_ATTR) {
                tb.off[type] = p + RouteNetlink.RTA_HDRLEN;
                tb.len[type] = len - RouteNetlink.RTA_HDRLEN;
            }
            p += Netlink.align(len);
        }
        return tb;
    }

    /** A u32 attribute, {@code absent} when missing; one shorter than 4 bytes is ignored and counted. */
    private int u32(MemorySegment seg, Attrs tb, int type, int absent) {
        int len = tb.len(type);
        if (len < 0) {
            return absent;
        }
        if (len < 4) {
            badAttributes.incrementAndGet();
            return absent;
        }
        return seg.get(JAVA_INT_UNALIGNED, tb.off(type));
    }

    private int u8attr(MemorySegment seg, Attrs tb, int type, int absent) {
        int len = tb.len(type);
        if (len < 0) {
            return absent;
        }
        if (len < 1) {
            badAttributes.incrementAndGet();
            return absent;
        }
        return u8(seg, tb.off(type));
    }

    /** A NUL-terminated (or attribute-bounded) string, "" when missing. */
    private static String string(MemorySegment seg, Attrs tb, int type) {
        int len = tb.len(type);
        if (len <= 0) {
            return "";
        }
        long p = tb.off(type);
        int n = 0;
        while (n < len && seg.get(JAVA_BYTE, p + n) != 0) {
            n++;
        }
        byte[] b = new byte[n];
        MemorySegment.copy(seg, JAVA_BYTE, p, b, 0, n);
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- values ----

    static int addressLength(int family) {
        return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
    }

    static InetAddress address(MemorySegment seg, long off, int alen) {
        byte[] b = new byte[alen];
        MemorySegment.copy(seg, JAVA_BYTE, off, b, 0, alen);
        return address(b);
    }

    /** An Inet4Address for 4 bytes, an Inet6Address for 16 (also for IPv4-mapped ones, unlike getByAddress). */
    static InetAddress address(byte[] b) {
        try {
            return b.length == 16 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + b.length + " bytes", e);
        }
    }

    static long mac48(MemorySegment seg, long off) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (seg.get(JAVA_BYTE, off + i) & 0xFF);
        }
        return mac;
    }

    static int u8(MemorySegment seg, long off) {
        return seg.get(JAVA_BYTE, off) & 0xFF;
    }

    static int u16(MemorySegment seg, long off) {
        return seg.get(JAVA_SHORT_UNALIGNED, off) & 0xFFFF;
    }
}
