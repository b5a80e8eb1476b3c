package io.jlvs.netio.rtnl;

import static io.jlvs.netio.sys.RouteNetlink.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.jlvs.netio.sys.Netlink;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The decoders on hand-built messages laid out as the kernel sends them (no socket, no root). */
class RtnlParserTest {

    private final Arena arena = Arena.ofConfined();
    private final RtnlParser parser = new RtnlParser();

    @AfterEach
    void close() {
        arena.close();
    }

    private List<RtEvent> events(NlBytes datagram) {
        MemorySegment seg = datagram.toSegment(arena);
        List<RtEvent> out = new ArrayList<>();
        parser.forEachMessage(seg, (int) seg.byteSize(), (type, flags, seq, pid, off, len) -> {
            RtEvent e = parser.event(type, seg, off, len);
            if (e != null) {
                out.add(e);
            }
            return true;
        });
        return out;
    }

    private RtEvent single(NlBytes datagram) {
        List<RtEvent> e = events(datagram);
        assertThat(e).hasSize(1);
        return e.getFirst();
    }

    static InetAddress ip(String s) {
        return RtnlParser.address(NlBytes.ip(s));
    }

    static NlBytes ifinfo(NlBytes b, int family, int type, int index, int flags) {
        return b.u8(family).u8(0).u16(type).u32(index).u32(flags).u32(0);
    }

    static NlBytes ifaddr(NlBytes b, int family, int prefixLen, int flags, int scope, int index) {
        return b.u8(family).u8(prefixLen).u8(flags).u8(scope).u32(index);
    }

    static NlBytes rtmsg(NlBytes b, int family, int dstLen, int table, int protocol, int scope, int type) {
        return b.u8(family).u8(dstLen).u8(0).u8(0).u8(table).u8(protocol).u8(scope).u8(type).u32(0);
    }

    static NlBytes ndmsg(NlBytes b, int family, int index, int state, int flags) {
        return b.u8(family).u8(0).u16(0).u32(index).u16(state).u8(flags).u8(RTN_UNICAST);
    }

    // ---- links ----

    @Test
    void vethLinkWithEveryField() {
        NlBytes b = new NlBytes().msg(RTM_NEWLINK, 0, 0, 0);
        ifinfo(b, AF_UNSPEC, 1, 3, IFF_UP | IFF_RUNNING | IFF_LOWER_UP | IFF_BROADCAST)
                .attrStr(IFLA_IFNAME, "jlvsv0")
                .attr(IFLA_ADDRESS, NlBytes.mac(0x02_00_00_00_00_01L))
                .attr(IFLA_BROADCAST, NlBytes.mac(0xFF_FF_FF_FF_FF_FFL))
                .attrU32(IFLA_MTU, 1500)
                .attrU32(IFLA_LINK, 4)
                .attrU32(IFLA_MASTER, 7)
                .attrU8(IFLA_OPERSTATE, 6)
                .nest(IFLA_LINKINFO).attrStr(IFLA_INFO_KIND, "veth").nest(2).attrU32(1, 4).end().end()
                .end();
        RtEvent.Link e = (RtEvent.Link) single(b);
        assertThat(e.action()).isEqualTo(RtEvent.Action.NEW);
        assertThat(e.link()).isEqualTo(new LinkInfo(3, "jlvsv0", 1, IFF_UP | IFF_RUNNING | IFF_LOWER_UP
                | IFF_BROADCAST, 0x02_00_00_00_00_01L, 1500, "veth", 7, 4, 6));
        assertThat(e.link().isUp()).isTrue();
        assertThat(e.link().isRunning()).isTrue();
        assertThat(e.link().isLoopback()).isFalse();
        assertThat(e.link().macString()).isEqualTo("02:00:00:00:00:01");
    }

    @Test
    void loopbackWithoutLinkinfoAndATunWithoutMac() {
        NlBytes b = new NlBytes().msg(RTM_NEWLINK, Netlink.NLM_F_MULTI, 9, 100);
        ifinfo(b, AF_UNSPEC, 772, 1, IFF_UP | IFF_LOOPBACK | IFF_RUNNING)
                .attrStr(IFLA_IFNAME, "lo").attr(IFLA_ADDRESS, new byte[6]).attrU32(IFLA_MTU, 65536).end();
        b.msg(RTM_DELLINK, 0, 0, 0);
        ifinfo(b, AF_UNSPEC, 65534, 9, 0).attrStr(IFLA_IFNAME, "jlvstun0").attrU32(IFLA_MTU, 1500)
                .nest(IFLA_LINKINFO).attrStr(IFLA_INFO_KIND, "tun").end().end();
        List<RtEvent> e = events(b);
        LinkInfo lo = ((RtEvent.Link) e.get(0)).link();
        assertThat(lo.isLoopback()).isTrue();
        assertThat(lo.mac()).isZero();
        assertThat(lo.kind()).isEmpty();
        assertThat(lo.master()).isZero();
        RtEvent.Link tun = (RtEvent.Link) e.get(1);
        assertThat(tun.action()).isEqualTo(RtEvent.Action.DEL);
        assertThat(tun.link().hasMac()).isFalse();
        assertThat(tun.link().macString()).isEmpty();
        assertThat(tun.link().kind()).isEqualTo("tun");
        assertThat(tun.link().isUp()).isFalse();
        assertThat(parser.stats().malformedMessages()).isZero();
    }

    @Test
    void bridgePortNotificationsAreNotLinks() {
        NlBytes b = new NlBytes().msg(RTM_NEWLINK, 0, 0, 0);
        ifinfo(b, AF_BRIDGE, 1, 3, IFF_UP).attrStr(IFLA_IFNAME, "jlvsv0").end();
        assertThat(events(b)).isEmpty();
        assertThat(parser.stats().malformedMessages()).isZero();
    }

    // ---- addresses ----

    @Test
    void ipv4AddressPrefersLocalOverPeerAndReadsTheLongFlags() {
        NlBytes b = new NlBytes().msg(RTM_NEWADDR, 0, 0, 0);
        ifaddr(b, AF_INET, 24, IFA_F_PERMANENT, RT_SCOPE_UNIVERSE, 3)
                .attrIp(IFA_ADDRESS, "192.0.2.99").attrIp(IFA_LOCAL, "192.0.2.1")
                .attrStr(IFA_LABEL, "jlvsv0:1").attrIp(IFA_BROADCAST, "192.0.2.255")
                .attrU32(IFA_FLAGS, IFA_F_PERMANENT | 0x200).end();
        AddrInfo a = ((RtEvent.Addr) single(b)).addr();
        assertThat(a).isEqualTo(new AddrInfo(3, AF_INET, ip("192.0.2.1"), 24, 0, IFA_F_PERMANENT | 0x200, "jlvsv0:1"));
        assertThat(a.address()).isInstanceOf(Inet4Address.class);
        assertThat(a.cidr()).isEqualTo("192.0.2.1/24");
    }

    @Test
    void ipv6AddressHasOnlyIfaAddress() {
        NlBytes b = new NlBytes().msg(RTM_DELADDR, 0, 0, 0);
        ifaddr(b, AF_INET6, 64, IFA_F_NODAD, RT_SCOPE_UNIVERSE, 3).attrIp(IFA_ADDRESS, "2001:db8::1").end();
        RtEvent.Addr e = (RtEvent.Addr) single(b);
        assertThat(e.action()).isEqualTo(RtEvent.Action.DEL);
        assertThat(e.addr()).isEqualTo(new AddrInfo(3, AF_INET6, ip("2001:db8::1"), 64, 0, IFA_F_NODAD, ""));
        assertThat(e.addr().address()).isInstanceOf(Inet6Address.class);
    }

    @Test
    void ipv4MappedIpv6AddressStaysIpv6() {
        NlBytes b = new NlBytes().msg(RTM_NEWADDR, 0, 0, 0);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 192;
        mapped[15] = 1;
        ifaddr(b, AF_INET6, 128, 0, 0, 2).attr(IFA_ADDRESS, mapped).end();
        assertThat(((RtEvent.Addr) single(b)).addr().address()).isInstanceOf(Inet6Address.class);
    }

    @Test
    void addressOfTheWrongSizeOrPrefixTooLongIsMalformed() {
        NlBytes b = new NlBytes().msg(RTM_NEWADDR, 0, 0, 0);
        ifaddr(b, AF_INET, 24, 0, 0, 3).attr(IFA_LOCAL, new byte[16]).end();
        b.msg(RTM_NEWADDR, 0, 0, 0);
        ifaddr(b, AF_INET, 33, 0, 0, 3).attrIp(IFA_LOCAL, "192.0.2.1").end();
        b.msg(RTM_NEWADDR, 0, 0, 0);
        ifaddr(b, AF_INET6, 64, 0, 0, 3).end(); // no address at all
        b.msg(RTM_NEWADDR, 0, 0, 0);
        ifaddr(b, AF_INET, 24, 0, 0, 3).attrIp(IFA_LOCAL, "192.0.2.7").end(); // a good one after them
        List<RtEvent> e = events(b);
        assertThat(e).hasSize(1);
        assertThat(((RtEvent.Addr) e.getFirst()).addr().address()).isEqualTo(ip("192.0.2.7"));
        assertThat(parser.stats().malformedMessages()).isEqualTo(3);
    }

    // ---- routes ----

    @Test
    void ipv4RouteWithGatewayMetricMtuPrefsrcAndALargeTableId() {
        NlBytes b = new NlBytes().msg(RTM_NEWROUTE, 0, 0, 0);
        rtmsg(b, AF_INET, 24, RT_TABLE_UNSPEC + 252, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST)
                .attrU32(RTA_TABLE, 1000)
                .attrIp(RTA_DST, "198.51.100.0")
                .attrIp(RTA_GATEWAY, "192.0.2.254")
                .attrU32(RTA_OIF, 3)
                .attrIp(RTA_PREFSRC, "192.0.2.1")
                .attrU32(RTA_PRIORITY, 7)
                .nest(RTA_METRICS).attrU32(RTAX_MTU, 1400).attrU32(8 /* RTAX_ADVMSS */, 1360).end()
                .end();
        RouteInfo r = ((RtEvent.Route) single(b)).route();
        assertThat(r).isEqualTo(new RouteInfo(AF_INET, 1000, RTN_UNICAST, RTPROT_BOOT, 0, 0, ip("198.51.100.0"), 24,
                ip("192.0.2.254"), 3, ip("192.0.2.1"), 7, 1400, List.of()));
        assertThat(r.typeName()).isEqualTo("unicast");
        assertThat(r.prefix()).isEqualTo("198.51.100.0/24");
        assertThat(r.isMultipath()).isFalse();
    }

    @Test
    void defaultRouteHasTheZeroAddressAndBlackholeHasNoNextHop() {
        NlBytes b = new NlBytes().msg(RTM_NEWROUTE, 0, 0, 0);
        rtmsg(b, AF_INET6, 0, RT_TABLE_MAIN, RTPROT_STATIC, 0, RTN_UNICAST)
                .attrIp(RTA_GATEWAY, "2001:db8::fe").attrU32(RTA_OIF, 2).end();
        b.msg(RTM_DELROUTE, 0, 0, 0);
        rtmsg(b, AF_INET, 25, RT_TABLE_MAIN, RTPROT_BOOT, 0, RTN_BLACKHOLE).attrIp(RTA_DST, "198.51.100.128").end();
        List<RtEvent> e = events(b);
        RouteInfo dflt = ((RtEvent.Route) e.get(0)).route();
        assertThat(dflt.dst()).isEqualTo(ip("::"));
        assertThat(dflt.dstLen()).isZero();
        assertThat(dflt.table()).isEqualTo(RT_TABLE_MAIN);
        assertThat(dflt.gateway()).isEqualTo(ip("2001:db8::fe"));
        RtEvent.Route bh = (RtEvent.Route) e.get(1);
        assertThat(bh.action()).isEqualTo(RtEvent.Action.DEL);
        assertThat(bh.route().typeName()).isEqualTo("blackhole");
        assertThat(bh.route().gateway()).isNull();
        assertThat(bh.route().oif()).isZero();
        assertThat(bh.route().prefsrc()).isNull();
    }

    @Test
    void ipv4RouteViaAnIpv6NextHop() {
        NlBytes b = new NlBytes().msg(RTM_NEWROUTE, 0, 0, 0);
        byte[] via = new byte[18];
        java.nio.ByteBuffer.wrap(via).order(java.nio.ByteOrder.nativeOrder()).putShort((short) AF_INET6)
                .put(NlBytes.ip("fe80::1"));
        rtmsg(b, AF_INET, 26, RT_TABLE_MAIN, RTPROT_BOOT, 0, RTN_UNICAST)
                .attrIp(RTA_DST, "203.0.113.64").attr(RTA_VIA, via).attrU32(RTA_OIF, 3).end();
        RouteInfo r = ((RtEvent.Route) single(b)).route();
        assertThat(r.gateway()).isEqualTo(ip("fe80::1")).isInstanceOf(Inet6Address.class);
        assertThat(r.family()).isEqualTo(AF_INET);
    }

    @Test
    void multipathRouteListsEveryHopAndTakesTheFirstAsGatewayAndOif() {
        NlBytes b = new NlBytes().msg(RTM_NEWROUTE, 0, 0, 0);
        rtmsg(b, AF_INET, 25, RT_TABLE_MAIN, RTPROT_BOOT, 0, RTN_UNICAST)
                .attrIp(RTA_DST, "203.0.113.128")
                .nest(RTA_MULTIPATH)
                .hop(0, 0, 3).attrIp(RTA_GATEWAY, "192.0.2.253").end()
                .hop(RTNH_F_ONLINK, 1, 4).attrIp(RTA_GATEWAY, "192.0.2.252").end()
                .hop(0, 2, 5).end()
                .end()
                .end();
        RouteInfo r = ((RtEvent.Route) single(b)).route();
        assertThat(r.nextHops()).containsExactly(
                new NextHop(ip("192.0.2.253"), 3, 1, 0),
                new NextHop(ip("192.0.2.252"), 4, 2, RTNH_F_ONLINK),
                new NextHop(null, 5, 3, 0));
        assertThat(r.gateway()).isEqualTo(ip("192.0.2.253"));
        assertThat(r.oif()).isEqualTo(3);
        assertThat(r.isMultipath()).isTrue();
    }

    @Test
    void badlyFramedHopEndsTheHopListButKeepsTheRoute() {
        NlBytes b = new NlBytes().msg(RTM_NEWROUTE, 0, 0, 0);
        rtmsg(b, AF_INET, 24, RT_TABLE_MAIN, RTPROT_BOOT, 0, RTN_UNICAST)
                .attrIp(RTA_DST, "203.0.113.0")
                .nest(RTA_MULTIPATH)
                .hop(0, 0, 3).attrIp(RTA_GATEWAY, "192.0.2.253").end()
                .u16(200).u16(0).u32(4) // an rtnexthop claiming 200 bytes
                .end()
                .end();
        RouteInfo r = ((RtEvent.Route) single(b)).route();
        assertThat(r.nextHops()).containsExactly(new NextHop(ip("192.0.2.253"), 3, 1, 0));
        assertThat(parser.stats().badAttributes()).isEqualTo(1);
    }

    @Test
    void attributeOfTheWrongSizeIsIgnoredAndCounted() {
        NlBytes b = new NlBytes().msg(RTM_NEWROUTE, 0, 0, 0);
        rtmsg(b, AF_INET, 24, RT_TABLE_MAIN, RTPROT_KERNEL, RT_SCOPE_LINK, RTN_UNICAST)
                .attrIp(RTA_DST, "192.0.2.0")
                .attr(RTA_OIF, (byte) 3, (byte) 0)          // 2 bytes: not a u32
                .attr(RTA_GATEWAY, NlBytes.ip("2001:db8::1")) // 16 bytes in an IPv4 route
                .attr(RTA_PREFSRC, (byte) 1)
                .end();
        RouteInfo r = ((RtEvent.Route) single(b)).route();
        assertThat(r.oif()).isZero();
        assertThat(r.gateway()).isNull();
        assertThat(r.prefsrc()).isNull();
        assertThat(parser.stats().badAttributes()).isEqualTo(3);
        assertThat(parser.stats().malformedMessages()).isZero();
    }

    @Test
    void multicastRoutingAndMplsFamiliesAreSkippedSilently() {
        NlBytes b = new NlBytes().msg(RTM_NEWROUTE, 0, 0, 0);
        rtmsg(b, 128 /* RTNL_FAMILY_IPMR */, 32, RT_TABLE_DEFAULT, 0, 0, RTN_MULTICAST).end();
        b.msg(RTM_NEWROUTE, 0, 0, 0);
        rtmsg(b, 28 /* AF_MPLS */, 20, RT_TABLE_MAIN, 0, 0, RTN_UNICAST).end();
        assertThat(events(b)).isEmpty();
        assertThat(parser.stats().malformedMessages()).isZero();
    }

    // ---- neighbours ----

    @Test
    void neighboursWithAndWithoutLinkLayerAddress() {
        NlBytes b = new NlBytes().msg(RTM_NEWNEIGH, 0, 0, 0);
        ndmsg(b, AF_INET, 3, NUD_PERMANENT, 0).attrIp(NDA_DST, "192.0.2.254")
                .attr(NDA_LLADDR, NlBytes.mac(0x02_00_00_00_00_FEL)).attrU32(4 /* NDA_PROBES */, 0).end();
        b.msg(RTM_NEWNEIGH, 0, 0, 0);
        ndmsg(b, AF_INET6, 3, NUD_INCOMPLETE, NTF_ROUTER).attrIp(NDA_DST, "2001:db8::fe").end();
        b.msg(RTM_DELNEIGH, 0, 0, 0);
        ndmsg(b, AF_BRIDGE, 3, NUD_PERMANENT, NTF_SELF).attr(NDA_LLADDR, NlBytes.mac(1)).end();
        List<RtEvent> e = events(b);
        assertThat(e).hasSize(2);
        NeighInfo v4 = ((RtEvent.Neigh) e.get(0)).neigh();
        assertThat(v4).isEqualTo(new NeighInfo(3, AF_INET, ip("192.0.2.254"), 0x02_00_00_00_00_FEL, NUD_PERMANENT, 0,
                RTN_UNICAST));
        assertThat(v4.isValid()).isTrue();
        assertThat(v4.stateName()).isEqualTo("PERMANENT");
        NeighInfo v6 = ((RtEvent.Neigh) e.get(1)).neigh();
        assertThat(v6.hasLladdr()).isFalse();
        assertThat(v6.isValid()).isFalse();
        assertThat(v6.flags()).isEqualTo(NTF_ROUTER);
        assertThat(v6.stateName()).isEqualTo("INCOMPLETE");
        assertThat(new NeighInfo(1, AF_INET, ip("192.0.2.1"), 1, NUD_STALE | NUD_DELAY | 0x100, 0, 1).stateName())
                .isEqualTo("STALE|DELAY|0x100");
    }

    @Test
    void neighbourWithoutDestinationIsMalformed() {
        NlBytes b = new NlBytes().msg(RTM_NEWNEIGH, 0, 0, 0);
        ndmsg(b, AF_INET, 3, NUD_REACHABLE, 0).attr(NDA_LLADDR, NlBytes.mac(1)).end();
        assertThat(events(b)).isEmpty();
        assertThat(parser.stats().malformedMessages()).isEqualTo(1);
    }

    // ---- framing ----

    @Test
    void headerShorterThanSixteenOrLongerThanTheDatagramEndsTheWalk() {
        NlBytes good = new NlBytes().msg(RTM_NEWNEIGH, 0, 0, 0);
        ndmsg(good, AF_INET, 3, NUD_REACHABLE, 0).attrIp(NDA_DST, "192.0.2.9").end();
        byte[] one = good.toArray();
        for (int badLen : new int[] {0, 15, one.length * 2 + 1, -1}) {
            NlBytes b = new NlBytes().bytes(one).u32(badLen).u16(RTM_NEWNEIGH).u16(0).u32(0).u32(0).bytes(one);
            RtnlParser p = new RtnlParser();
            MemorySegment seg = b.toSegment(arena);
            int[] seen = {0};
            p.forEachMessage(seg, (int) seg.byteSize(), (type, flags, seq, pid, off, len) -> {
                seen[0]++;
                return true;
            });
            assertThat(seen[0]).as("messages before nlmsg_len %d", badLen).isEqualTo(1);
            assertThat(p.stats().malformedMessages()).isEqualTo(1);
        }
    }

    @Test
    void attributeLongerThanItsMessageDropsTheMessage() {
        NlBytes b = new NlBytes().msg(RTM_NEWLINK, 0, 0, 0);
        ifinfo(b, AF_UNSPEC, 1, 3, 0).attrStr(IFLA_IFNAME, "jlvsv0").u16(100).u16(IFLA_MTU).u32(1500).end();
        b.msg(RTM_NEWLINK, 0, 0, 0);
        ifinfo(b, AF_UNSPEC, 1, 4, 0).u16(2).u16(IFLA_MTU).end(); // rta_len 2 < 4
        b.msg(RTM_NEWLINK, 0, 0, 0);
        ifinfo(b, AF_UNSPEC, 1, 5, 0).attrStr(IFLA_IFNAME, "jlvsv5").end();
        List<RtEvent> e = events(b);
        assertThat(e).hasSize(1);
        assertThat(((RtEvent.Link) e.getFirst()).link().name()).isEqualTo("jlvsv5");
        assertThat(parser.stats().malformedMessages()).isEqualTo(2);
    }

    @Test
    void fixedHeaderTooShortIsMalformed() {
        NlBytes b = new NlBytes().msg(RTM_NEWROUTE, 0, 0, 0).u32(0).end()
                .msg(RTM_NEWLINK, 0, 0, 0).u32(0).end()
                .msg(RTM_NEWADDR, 0, 0, 0).u16(0).end()
                .msg(RTM_NEWNEIGH, 0, 0, 0).u32(0).end();
        assertThat(events(b)).isEmpty();
        assertThat(parser.stats().malformedMessages()).isEqualTo(4);
    }

    @Test
    void trailingJunkIsCounted() {
        NlBytes b = new NlBytes().msg(Netlink.NLMSG_NOOP, 0, 0, 0).end().u32(7);
        assertThat(events(b)).isEmpty();
        assertThat(parser.stats().malformedMessages()).isEqualTo(1);
    }

    @Test
    void visitorCanStopTheWalk() {
        NlBytes b = new NlBytes().msg(Netlink.NLMSG_NOOP, 0, 1, 0).end().msg(Netlink.NLMSG_DONE, 2, 2, 0).u32(0).end()
                .msg(Netlink.NLMSG_NOOP, 0, 3, 0).end();
        MemorySegment seg = b.toSegment(arena);
        List<Integer> seqs = new ArrayList<>();
        parser.forEachMessage(seg, (int) seg.byteSize(), (type, flags, seq, pid, off, len) -> {
            seqs.add(seq);
            return type != Netlink.NLMSG_DONE;
        });
        assertThat(seqs).containsExactly(1, 2);
    }

    // ---- NLMSG_ERROR ----

    @Test
    void extendedAckMessageIsFoundAfterACappedOrAFullRequest() {
        NlBytes capped = new NlBytes().msg(Netlink.NLMSG_ERROR, Netlink.NLM_F_CAPPED | Netlink.NLM_F_ACK_TLVS, 5, 9)
                .u32(-17).u32(40).u16(RTM_NEWADDR).u16(0x605).u32(5).u32(9)
                .attrStr(Netlink.NLMSGERR_ATTR_MSG, "Address already assigned").end();
        assertThat(extAck(capped)).isEqualTo("Address already assigned");

        NlBytes full = new NlBytes().msg(Netlink.NLMSG_ERROR, Netlink.NLM_F_ACK_TLVS, 5, 9)
                .u32(-19).u32(24).u16(RTM_NEWLINK).u16(5).u32(5).u32(9).u32(0).u32(0)
                .attrU32(Netlink.NLMSGERR_ATTR_OFFS, 16).attrStr(Netlink.NLMSGERR_ATTR_MSG, "no such device").end();
        assertThat(extAck(full)).isEqualTo("no such device");

        NlBytes plain = new NlBytes().msg(Netlink.NLMSG_ERROR, 0, 5, 9).u32(-1).u32(16).u16(1).u16(0).u32(0).u32(0)
                .end();
        assertThat(extAck(plain)).isNull();

        NlBytes lying = new NlBytes().msg(Netlink.NLMSG_ERROR, Netlink.NLM_F_ACK_TLVS, 5, 9)
                .u32(-1).u32(4000).u16(1).u16(0).u32(0).u32(0).end();
        assertThat(extAck(lying)).isNull();
        assertThat(parser.stats().malformedMessages()).isEqualTo(1);
    }

    private String extAck(NlBytes b) {
        MemorySegment seg = b.toSegment(arena);
        String[] out = {null};
        parser.forEachMessage(seg, (int) seg.byteSize(), (type, flags, seq, pid, off, len) -> {
            out[0] = parser.extAckMessage(seg, off, len, flags);
            return false;
        });
        return out[0];
    }
}
