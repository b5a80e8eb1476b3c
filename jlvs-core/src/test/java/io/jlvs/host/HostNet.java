package io.jlvs.host;

import io.jlvs.packet.Flow;
import io.jlvs.service.IpAddr;
import io.jlvs.testkit.Addresses;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.RecordingTxPort;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The host the host-package tests run on (documentation ranges, RFC 5737 and RFC 3849):
 *
 * <pre>
 *  clients --- gw 192.0.2.254 ---[eth0 #2: 192.0.2.1/24, VIP 192.0.2.10]- director -[eth1 #3: 203.0.113.1/24, NAT gw .254]--- rs1 203.0.113.11
 *              2001:db8::fe       [2001:db8::1/64, fe80::2, VIP 2001:db8::a]        [2001:db8:1::1/64, fe80::3, NAT gw 2001:db8:1::fe]  rs1 2001:db8:1::b
 *  lo #1 (127.0.0.1/8, ::1), eth2 #4 down (198.18.0.0/15 is routed there)
 * </pre>
 */
final class HostNet {
    static final int LO = 1, ETH0 = 2, ETH1 = 3, ETH2 = 4;
    static final String ETH0_MAC = "02:00:00:00:00:02", ETH1_MAC = "02:00:00:00:00:03", ETH2_MAC = "02:00:00:00:00:04";
    static final String GW_MAC = "02:00:00:00:00:fe", RS1_MAC = "02:00:00:00:01:11", RS2_MAC = "02:00:00:00:01:12";
    static final String CLIENT_MAC = "02:00:00:00:00:77";

    static final String DIRECTOR = "192.0.2.1", VIP = "192.0.2.10", GW = "192.0.2.254", DIRECTOR_IN = "203.0.113.1";
    static final String NATGW = "203.0.113.254", RS1 = "203.0.113.11", RS2 = "203.0.113.12", CLIENT = "198.51.100.7";
    static final String DIRECTOR6 = "2001:db8::1", VIP6 = "2001:db8::a", GW6 = "2001:db8::fe", DIRECTOR6_IN = "2001:db8:1::1";
    static final String NATGW6 = "2001:db8:1::fe", RS6 = "2001:db8:1::b", RS6_2 = "2001:db8:1::c", CLIENT6 = "2001:db8:100::7";
    static final String LL0 = "fe80::2", LL1 = "fe80::3";

    private HostNet() {}

    static IpAddr ip(String s) { return IpAddr.parse(s); }

    static long mac(String m) { return Addresses.macLong(m); }

    static int af(String a) { return a.indexOf(':') >= 0 ? Flow.AF_INET6 : Flow.AF_INET; }

    static long hi(String a) { return ip(a).hi(); }

    static long lo(String a) { return ip(a).lo(); }

    static HostTables tables() {
        HostTables t = new HostTables();
        t.publish(Links.of(new Link(LO, "lo", 0, 65536, true), new Link(ETH0, "eth0", mac(ETH0_MAC), 1500, true),
                new Link(ETH1, "eth1", mac(ETH1_MAC), 9000, true), new Link(ETH2, "eth2", mac(ETH2_MAC), 1500, false)));
        t.publishHost(List.of(
                new HostAddress(LO, ip("127.0.0.1"), 8), new HostAddress(LO, ip("::1"), 128),
                new HostAddress(ETH0, ip(LL0), 64), new HostAddress(ETH0, ip(DIRECTOR), 24), new HostAddress(ETH0, ip(DIRECTOR6), 64),
                new HostAddress(ETH1, ip(DIRECTOR_IN), 24), new HostAddress(ETH1, ip(LL1), 64), new HostAddress(ETH1, ip(DIRECTOR6_IN), 64)));
        t.publishOwned(List.of(
                new OwnedAddress(OwnedAddress.ANY_INTERFACE, ip(VIP), OwnedAddress.Kind.VIP),
                new OwnedAddress(ETH0, ip(VIP6), OwnedAddress.Kind.VIP),
                new OwnedAddress(ETH1, ip(NATGW), OwnedAddress.Kind.NAT_GATEWAY),
                new OwnedAddress(ETH1, ip(NATGW6), OwnedAddress.Kind.NAT_GATEWAY)));
        t.publish(RouteTable.of(List.of(
                new Route(ip("127.0.0.0"), 8, Route.RTN_LOCAL, LO, null, null, 0, 0),
                Route.connected(ip("192.0.2.0"), 24, ETH0),
                Route.connected(ip("203.0.113.0"), 24, ETH1).withPrefsrc(ip(DIRECTOR_IN)),
                Route.via(ip("0.0.0.0"), 0, ip(GW), ETH0),
                Route.via(ip("198.51.100.128"), 25, ip("192.0.2.253"), ETH0).withMtu(1400),
                new Route(ip("198.51.100.66"), 32, Route.RTN_BLACKHOLE, 0, null, null, 0, 0),
                new Route(ip("198.51.100.67"), 32, Route.RTN_UNREACHABLE, 0, null, null, 0, 0),
                new Route(ip("198.51.100.68"), 32, Route.RTN_PROHIBIT, 0, null, null, 0, 0),
                Route.connected(ip("198.18.0.0"), 15, ETH2),
                Route.connected(ip("2001:db8::"), 64, ETH0),
                Route.connected(ip("2001:db8:1::"), 64, ETH1),
                Route.connected(ip("fe80::"), 64, ETH1),
                Route.via(ip("::"), 0, ip(GW6), ETH0),
                new Route(ip("2001:db8:dead::"), 48, Route.RTN_BLACKHOLE, 0, null, null, 0, 0))));
        return t;
    }

    /** A host plane over {@link #tables()} whose ring is {@code ring}, clock at 0. */
    static HostPlane plane(HostTables t, RecordingTxPort ring) {
        HostPlane p = new HostPlane(t, HostPlane.Config.DEFAULTS, ring);
        p.poll(0);
        return p;
    }

    static final int HEADROOM = 64, TAILROOM = 128;

    /** The frame in a buffer with room around it, received on {@code ifIndex} at {@code nowNs}. */
    static Frame frame(byte[] bytes, int ifIndex, long nowNs) { return frame(bytes, ifIndex, nowNs, HEADROOM, TAILROOM); }

    static Frame frame(byte[] bytes, int ifIndex, long nowNs, int headroom, int tailroom) {
        MemorySegment seg = MemorySegment.ofArray(new byte[headroom + bytes.length + tailroom]);
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, headroom, bytes.length);
        Frame f = new Frame().wrap(seg, 0, seg.byteSize(), headroom, bytes.length);
        f.ifIndex = ifIndex;
        f.nowNs = nowNs;
        return f;
    }

    static PacketBuilder eth(String src, String dst) { return PacketBuilder.eth(src, dst); }
}
