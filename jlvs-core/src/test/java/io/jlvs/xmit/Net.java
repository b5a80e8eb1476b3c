package io.jlvs.xmit;

import io.jlvs.packet.Flow;
import io.jlvs.packet.IpProto;
import io.jlvs.service.TunnelType;
import io.jlvs.testkit.Addresses;
import io.jlvs.testkit.PacketBuilder;

/**
 * The test network (documentation ranges, RFC 5737 and RFC 3849): clients behind a gateway, the director with
 * its VIPs, real servers on the director's link.
 *
 * <pre>
 *  client 198.51.100.7 --- gateway ---[eth0: 192.0.2.1, VIP 192.0.2.10]- director -[eth1: 203.0.113.1]--- rs1 203.0.113.11
 *  client 2001:db8:100::7          [2001:db8::1, VIP 2001:db8::a]                 [2001:db8:1::1]      rs1 2001:db8:1::b
 * </pre>
 */
final class Net {
    static final String DIRECTOR_MAC = "02:00:00:00:00:02", GW_MAC = "02:00:00:00:00:01";
    static final String RS1_MAC = "02:00:00:00:01:11", RS2_MAC = "02:00:00:00:01:12", RS3_MAC = "02:00:00:00:01:13";

    static final String CLIENT = "198.51.100.7", CLIENT_SMALL_MTU = "198.51.100.99", VIP = "192.0.2.10";
    static final String DIRECTOR = "192.0.2.1", DIRECTOR_IN = "203.0.113.1";
    static final String RS1 = "203.0.113.11", RS_MTU = "203.0.113.21", RS_VLAN = "203.0.113.31";
    static final String RS_UNRESOLVED = "203.0.113.41", RS_UNREACHABLE = "203.0.113.51", LOOPBACK = "127.0.0.1";

    static final String CLIENT6 = "2001:db8:100::7", CLIENT6_SMALL_MTU = "2001:db8:100::99", VIP6 = "2001:db8::a";
    static final String DIRECTOR6 = "2001:db8::1", DIRECTOR6_IN = "2001:db8:1::1";
    static final String RS6 = "2001:db8:1::b", RS6_MTU = "2001:db8:1::15", RS6_VLAN = "2001:db8:1::1f";
    static final String RS6_UNRESOLVED = "2001:db8:1::29", RS6_SMALL_MTU = "2001:db8:1::33";

    static final int VLAN_TCI = 20;
    static final int IDENT = 0x4000;

    private Net() {}

    static FakeNextHops hops() {
        return new FakeNextHops()
                .host(RS1, RS1_MAC, 1500, DIRECTOR_IN)
                .host(RS_MTU, RS2_MAC, 1400, DIRECTOR_IN)
                .vlanHost(RS_VLAN, RS3_MAC, VLAN_TCI, DIRECTOR_IN)
                .unresolved(RS_UNRESOLVED, DIRECTOR_IN)
                .unreachable(RS_UNREACHABLE)
                .local(DIRECTOR).local(VIP).local(LOOPBACK)
                .via(CLIENT_SMALL_MTU, GW_MAC, 1400, DIRECTOR)
                .host(RS6, RS1_MAC, 1500, DIRECTOR6_IN)
                .host(RS6_MTU, RS2_MAC, 1400, DIRECTOR6_IN)
                .host(RS6_SMALL_MTU, RS2_MAC, 1300, DIRECTOR6_IN)
                .vlanHost(RS6_VLAN, RS3_MAC, VLAN_TCI, DIRECTOR6_IN)
                .unresolved(RS6_UNRESOLVED, DIRECTOR6_IN)
                .local(DIRECTOR6).local(VIP6).local("::1")
                .via(CLIENT6_SMALL_MTU, GW_MAC, 1400, DIRECTOR6)
                .defaultRoute(DIRECTOR, GW_MAC, 1500)
                .defaultRoute(DIRECTOR6, GW_MAC, 1500);
    }

    // ---------------------------------------------------------------- frames

    static PacketBuilder fromClient() { return PacketBuilder.eth(GW_MAC, DIRECTOR_MAC); }

    static PacketBuilder toClient() { return PacketBuilder.eth(DIRECTOR_MAC, GW_MAC); }

    static PacketBuilder fromRs(String mac) { return PacketBuilder.eth(mac, DIRECTOR_MAC); }

    static PacketBuilder toRs(String mac) { return PacketBuilder.eth(DIRECTOR_MAC, mac); }

    /** An IP header of the family of {@code src}. */
    static PacketBuilder ip(PacketBuilder b, String src, String dst) {
        return FakeNextHops.v6(src) ? b.ipv6(src, dst) : b.ipv4(src, dst);
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 3);
        return b;
    }

    // ---------------------------------------------------------------- connections

    /** A connection client:cport -> vip:vport, scheduled to rs:dport. */
    static XmitConn conn(int protocol, String client, int cport, String vip, int vport, String rs, int dport) {
        XmitConn c = new XmitConn();
        c.af = FakeNextHops.v6(client) ? Flow.AF_INET6 : Flow.AF_INET;
        c.protocol = protocol;
        c.caddrHi = FakeNextHops.hi(client);
        c.caddrLo = FakeNextHops.lo(client);
        c.cport = cport;
        c.vaddrHi = FakeNextHops.hi(vip);
        c.vaddrLo = FakeNextHops.lo(vip);
        c.vport = vport;
        c.dest(FakeNextHops.v6(rs) ? Flow.AF_INET6 : Flow.AF_INET, FakeNextHops.hi(rs), FakeNextHops.lo(rs), dport);
        return c;
    }

    static XmitConn tcp(String client, String vip, String rs) { return conn(IpProto.IPPROTO_TCP, client, 40000, vip, 80, rs, 8080); }

    static XmitConn tunnel(XmitConn c, TunnelType type, int port, int flags) { return c.tunnel(type, port, flags); }

    static long mac(String m) { return Addresses.macLong(m); }
}
