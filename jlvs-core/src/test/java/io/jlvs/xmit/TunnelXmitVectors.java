package io.jlvs.xmit;

import io.jlvs.packet.DropReason;
import io.jlvs.packet.IpProto;
import io.jlvs.service.TunnelType;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.testkit.Vector;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.jlvs.testkit.PacketBuilder.concat;
import static io.jlvs.testkit.PacketBuilder.gueHeader;
import static io.jlvs.testkit.PacketBuilder.gueRemcsumHeader;
import static io.jlvs.testkit.Vector.vector;
import static io.jlvs.xmit.Net.*;
import static io.jlvs.xmit.V.*;

/** Tunneling: IPIP (4in4, 6in6, 4in6, 6in4), GUE and GRE with their checksum flags; outer header rules; MTU. */
class TunnelXmitVectors {
    static final int GUE_PORT = 6080;
    /** {@code udp_flow_src_port} of the pinned flow hash: h ^= h << 16; ((u64) h * (60999 - 32768) >> 32) + 32768. */
    static final int SPORT;

    static {
        long h = (XmitEnv.FLOW_HASH ^ (XmitEnv.FLOW_HASH << 16)) & 0xFFFF_FFFFL;
        SPORT = (int) ((h * (60999 - 32768)) >>> 32) + 32768;
    }

    @TestFactory
    Stream<DynamicTest> vectors() { return XmitVectorRunner.tests(cases()); }

    static List<XmitCase> cases() {
        List<XmitCase> cases = new ArrayList<>();
        String[][] families = {{CLIENT, RS1}, {CLIENT6, RS6}, {CLIENT, RS6}, {CLIENT6, RS1}};
        for (String[] fr : families) {
            String client = fr[0], rs = fr[1];
            String vip = FakeNextHops.v6(client) ? VIP6 : VIP;
            String mix = fam(client).substring(2) + "in" + fam(rs).substring(2);
            for (int p : PROTOCOLS) {
                XmitConn c = conn(p, client, 40000, vip, 80, rs, 80).tunnel(TunnelType.IPIP, 0, 0);
                byte[] inner = l4(ip(fromClient(), client, vip, 63), p, 40000, 80).buildL3();
                cases.add(tun(vector("IPIP " + mix + " " + name(p) + ": outer from the director to rs1, TTL of the inner after - 1")
                        .in(l4(ip(fromClient(), client, vip, 64), p, 40000, 80))
                        .expect(Verdict.TX)
                        .out(encap(outer(rs, 63, FakeNextHops.v6(client) ? 0 : 1, 0), client, inner)), c));
            }
            byte[] inner = l4(ip(fromClient(), client, vip, 63), IpProto.IPPROTO_TCP, 40000, 80).buildL3();
            int innerProto = FakeNextHops.v6(client) ? 41 : 4;
            boolean df = !FakeNextHops.v6(client);
            for (int flags : new int[] {TunnelType.FLAG_NOCSUM, TunnelType.FLAG_CSUM, TunnelType.FLAG_REMCSUM}) {
                XmitConn c = tcp(client, vip, rs).tunnel(TunnelType.GUE, GUE_PORT, flags);
                PacketBuilder o = outer(rs, 63, df ? 1 : 0, 0).udp(SPORT, GUE_PORT);
                if (flags == TunnelType.FLAG_NOCSUM) o.noChecksum();
                cases.add(tun(vector("GUE " + mix + " TCP, " + flagName(flags) + ": UDP to --tun-port from the flow-hash port, GUE v0 proto " + innerProto
                        + (flags == TunnelType.FLAG_NOCSUM ? ", UDP checksum 0" : ", UDP checksum")
                        + (flags == TunnelType.FLAG_REMCSUM ? " (complete inner checksum: no remote checksum option)" : ""))
                        .in(l4(ip(fromClient(), client, vip, 64), IpProto.IPPROTO_TCP, 40000, 80))
                        .expect(Verdict.TX)
                        .gue(GUE_PORT)
                        .out(o.payload(concat(gueHeader(innerProto), inner))), c));
            }
            for (int flags : new int[] {TunnelType.FLAG_NOCSUM, TunnelType.FLAG_CSUM}) {
                XmitConn c = tcp(client, vip, rs).tunnel(TunnelType.GRE, 0, flags);
                PacketBuilder o = outer(rs, 63, df ? 1 : 0, 0).gre(FakeNextHops.v6(client) ? 0x86DD : 0x0800);
                if (flags == TunnelType.FLAG_CSUM) o.greChecksum();
                cases.add(tun(vector("GRE " + mix + " TCP, " + flagName(flags) + ": protocol type of the inner packet"
                        + (flags == TunnelType.FLAG_CSUM ? ", C bit and checksum" : ""))
                        .in(l4(ip(fromClient(), client, vip, 64), IpProto.IPPROTO_TCP, 40000, 80))
                        .expect(Verdict.TX)
                        .out(o.payload(inner)), c));
            }
        }
        outerHeaderRules(cases);
        checksumOffload(cases);
        mtu(cases);
        return cases;
    }

    /** TOS / traffic class with ECN, DF and ID, mixed families, VLAN, local real server. */
    private static void outerHeaderRules(List<XmitCase> cases) {
        XmitConn ipip4 = tcp(CLIENT, VIP, RS1).tunnel(TunnelType.IPIP, 0, 0);
        cases.add(tun(vector("IPIP 4in4: DSCP copied to the outer TOS, ECN CE becomes ECT(0)")
                .in(fromClient().ipv4(CLIENT, VIP).tos(0xBB).ttl(64).id(ID).df().tcp(40000, 80).ack())
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).tos(0xBA).ttl(63).id(0).df()
                        .ipip(fromClient().ipv4(CLIENT, VIP).tos(0xBB).ttl(63).id(ID).df().tcp(40000, 80).ack().buildL3())), ipip4));
        cases.add(tun(vector("IPIP 4in4: ECT(1) kept, no DF inside so none outside and a fresh outer ID")
                .in(fromClient().ipv4(CLIENT, VIP).tos(0x29).ttl(64).id(ID).udp(40000, 80).payload(PAYLOAD))
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).tos(0x29).ttl(63).id(IDENT)
                        .ipip(fromClient().ipv4(CLIENT, VIP).tos(0x29).ttl(63).id(ID).udp(40000, 80).payload(PAYLOAD).buildL3())), ipip4));
        cases.add(tun(vector("IPIP 6in6: traffic class copied, CE becomes ECT(0), flow label 0")
                .in(fromClient().ipv6(CLIENT6, VIP6).trafficClass(0x83).flowLabel(0x12345).hopLimit(64).tcp(40000, 80).ack())
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv6(DIRECTOR6_IN, RS6).trafficClass(0x82).hopLimit(63)
                        .ip6ip(fromClient().ipv6(CLIENT6, VIP6).trafficClass(0x83).flowLabel(0x12345).hopLimit(63).tcp(40000, 80).ack().buildL3())),
                tcp(CLIENT6, VIP6, RS6).tunnel(TunnelType.IPIP, 0, 0)));
        cases.add(tun(vector("IPIP 6in4: no DF outside, a fresh ID, TOS from the traffic class")
                .in(fromClient().ipv6(CLIENT6, VIP6).trafficClass(0xB8).hopLimit(64).udp(40000, 80).payload(PAYLOAD))
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).tos(0xB8).ttl(63).id(IDENT)
                        .ip6ip(fromClient().ipv6(CLIENT6, VIP6).trafficClass(0xB8).hopLimit(63).udp(40000, 80).payload(PAYLOAD).buildL3())),
                conn(IpProto.IPPROTO_UDP, CLIENT6, 40000, VIP6, 80, RS1, 80).tunnel(TunnelType.IPIP, 0, 0)));
        cases.add(tun(vector("IPIP 4in4 from a QinQ frame to a real server on VLAN 20")
                .in(fromClient().serviceVlan(7).vlan(8).ipv4(CLIENT, VIP).ttl(64).id(ID).df().tcp(40000, 80).syn())
                .expect(Verdict.TX)
                .out(toRs(RS3_MAC).vlan(VLAN_TCI).ipv4(DIRECTOR_IN, RS_VLAN).ttl(63).id(0).df()
                        .ipip(fromClient().ipv4(CLIENT, VIP).ttl(63).id(ID).df().tcp(40000, 80).syn().buildL3())),
                tcp(CLIENT, VIP, RS_VLAN).tunnel(TunnelType.IPIP, 0, 0)));
        cases.add(tun(vector("GUE to a real server that is a director address: unchanged to the local port")
                .in(ip(fromClient(), CLIENT, VIP, 64).tcp(40000, 80).ack())
                .expect(Verdict.LOCAL)
                .local(ip(fromClient(), CLIENT, VIP, 64).tcp(40000, 80).ack()),
                tcp(CLIENT, VIP, DIRECTOR).tunnel(TunnelType.GUE, GUE_PORT, TunnelType.FLAG_CSUM)));
        cases.add(tun(vector("IPIP, next hop unresolved: dropped")
                .in(ip(fromClient(), CLIENT, VIP, 64).tcp(40000, 80).ack()).expect(DropReason.NEIGH_UNRESOLVED.code()),
                tcp(CLIENT, VIP, RS_UNRESOLVED).tunnel(TunnelType.IPIP, 0, 0)));
    }

    /** Partial inner checksums: GUE's remote checksum offload keeps them partial, every other way completes them. */
    private static void checksumOffload(List<XmitCase> cases) {
        byte[] partialInner = fromClient().ipv4(CLIENT, VIP).ttl(63).id(ID).df().tcp(40000, 80).ack().partialChecksum().payload(PAYLOAD).buildL3();
        byte[] completeInner = fromClient().ipv4(CLIENT, VIP).ttl(63).id(ID).df().tcp(40000, 80).ack().payload(PAYLOAD).buildL3();
        PacketBuilder partialIn = fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).df().tcp(40000, 80).ack().partialChecksum().payload(PAYLOAD);
        cases.add(XmitCase.of(vector("GUE --tun-remcsum with a partial inner checksum: private flags and remote checksum option (start 20, field 36), inner left partial")
                .in(partialIn).partial(14 + 20, 16, false)
                .expect(Verdict.TX)
                .gue(GUE_PORT)
                .out(toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).ttl(63).id(0).df().udp(SPORT, GUE_PORT)
                        .payload(concat(gueRemcsumHeader(4, 20, 36), partialInner))),
                call(tcp(CLIENT, VIP, RS1).tunnel(TunnelType.GUE, GUE_PORT, TunnelType.FLAG_REMCSUM))));
        cases.add(XmitCase.of(vector("GUE --tun-nocsum with a partial inner checksum: completed before encapsulation")
                .in(partialIn).partial(14 + 20, 16, false)
                .expect(Verdict.TX)
                .gue(GUE_PORT)
                .out(toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).ttl(63).id(0).df().udp(SPORT, GUE_PORT).noChecksum()
                        .payload(concat(gueHeader(4), completeInner))),
                call(tcp(CLIENT, VIP, RS1).tunnel(TunnelType.GUE, GUE_PORT, TunnelType.FLAG_NOCSUM))));
        cases.add(XmitCase.of(vector("GRE --tun-csum with a partial inner checksum: completed, then the GRE checksum")
                .in(partialIn).partial(14 + 20, 16, false)
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).ttl(63).id(0).df().gre(0x0800).greChecksum().payload(completeInner)),
                call(tcp(CLIENT, VIP, RS1).tunnel(TunnelType.GRE, 0, TunnelType.FLAG_CSUM))));
        byte[] partialInner6 = fromClient().ipv6(CLIENT6, VIP6).hopLimit(63).udp(40000, 53).partialChecksum().payload(PAYLOAD).buildL3();
        cases.add(XmitCase.of(vector("GUE 6in6 --tun-remcsum with a partial UDP checksum: option start 40, field 46")
                .in(fromClient().ipv6(CLIENT6, VIP6).hopLimit(64).udp(40000, 53).partialChecksum().payload(PAYLOAD)).partial(14 + 40, 6, false)
                .expect(Verdict.TX)
                .gue(GUE_PORT)
                .out(toRs(RS1_MAC).ipv6(DIRECTOR6_IN, RS6).hopLimit(63).udp(SPORT, GUE_PORT)
                        .payload(concat(gueRemcsumHeader(41, 40, 46), partialInner6))),
                call(conn(IpProto.IPPROTO_UDP, CLIENT6, 40000, VIP6, 53, RS6, 53).tunnel(TunnelType.GUE, GUE_PORT, TunnelType.FLAG_REMCSUM))));
    }

    /** The MTU less the encapsulation; ICMP errors with it; outer fragmentation; pmtu_disc off; too small. */
    private static void mtu(List<XmitCase> cases) {
        byte[] big = bytes(1460);                                     // IPv4 TCP of 1500 octets
        byte[] quote = first(ip(fromClient(), CLIENT, VIP, 63).tcp(40000, 80).ack().payload(big).buildL3(), 548);
        int[][] overheads = {{TunnelType.IPIP.code, 0, 1480}, {TunnelType.GUE.code, TunnelType.FLAG_CSUM, 1468},
                {TunnelType.GRE.code, TunnelType.FLAG_NOCSUM, 1476}, {TunnelType.GRE.code, TunnelType.FLAG_CSUM, 1472}};
        for (int[] o : overheads) {
            TunnelType t = TunnelType.values()[o[0]];
            cases.add(tun(vector(t.optionName + " " + flagName(o[1]) + ", IPv4 DF packet of 1500 toward MTU 1500: ICMP fragmentation needed with mtu " + o[2])
                    .in(ip(fromClient(), CLIENT, VIP, 64).tcp(40000, 80).ack().payload(big))
                    .expect(DropReason.MTU_EXCEEDED.code())
                    .out(icmpFrom(toClient(), VIP, CLIENT).icmpFragNeeded(o[2], quote)),
                    tcp(CLIENT, VIP, RS1).tunnel(t, GUE_PORT, o[1])));
        }
        byte[] big6 = bytes(1440);                                    // IPv6 TCP of 1500 octets
        cases.add(tun(vector("IPIP 6in6, IPv6 packet of 1500 toward MTU 1500: ICMPv6 packet too big with mtu 1460")
                .in(ip(fromClient(), CLIENT6, VIP6, 64).tcp(40000, 80).ack().payload(big6))
                .expect(DropReason.MTU_EXCEEDED.code())
                .out(icmpFrom(toClient(), VIP6, CLIENT6).packetTooBig(1460,
                        first(ip(fromClient(), CLIENT6, VIP6, 63).tcp(40000, 80).ack().payload(big6).buildL3(), 1232))),
                tcp(CLIENT6, VIP6, RS6).tunnel(TunnelType.IPIP, 0, 0)));
        cases.add(tun(vector("GUE 4in6, IPv4 DF packet of 1500: ICMP fragmentation needed with mtu 1448 (1500 - 40 - 8 - 4)")
                .in(ip(fromClient(), CLIENT, VIP, 64).tcp(40000, 80).ack().payload(big))
                .expect(DropReason.MTU_EXCEEDED.code())
                .out(icmpFrom(toClient(), VIP, CLIENT).icmpFragNeeded(1448, quote)),
                tcp(CLIENT, VIP, RS6).tunnel(TunnelType.GUE, GUE_PORT, 0)));
        cases.add(tun(vector("GUE toward an IPv6 path of MTU 1300: 1248 left, under 1280, dropped")
                .in(ip(fromClient(), CLIENT6, VIP6, 64).tcp(40000, 80).ack())
                .expect(DropReason.TUNNEL_MTU_TOO_SMALL.code()),
                tcp(CLIENT6, VIP6, RS6_SMALL_MTU).tunnel(TunnelType.GUE, GUE_PORT, 0)));

        byte[] udp = bytes(1472);                                     // IPv4 UDP of 1500 octets, no DF
        byte[] inner = fromClient().ipv4(CLIENT, VIP).ttl(63).id(ID).udp(40000, 53).payload(udp).buildL3();
        XmitConn udp4 = conn(IpProto.IPPROTO_UDP, CLIENT, 40000, VIP, 53, RS1, 53).tunnel(TunnelType.IPIP, 0, 0);
        cases.add(tun(vector("IPIP 4in4, IPv4 packet of 1500 without DF: the outer packet of 1520 goes in two fragments")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).udp(40000, 53).payload(udp))
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).ttl(63).id(IDENT).fragment(0, true).protocol(4).payload(range(inner, 0, 1480)),
                        toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).ttl(63).id(IDENT).fragment(1480, false).protocol(4).payload(range(inner, 1480, 1500))),
                udp4));
        cases.add(tun(vector("IPIP 4in6, IPv4 packet of 1500 without DF: the outer IPv6 packet goes in two fragments (1448 + 52)")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).udp(40000, 53).payload(udp))
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv6(DIRECTOR6_IN, RS6).hopLimit(63).fragmentId(IDENT).fragment(0, true).protocol(4).payload(range(inner, 0, 1448)),
                        toRs(RS1_MAC).ipv6(DIRECTOR6_IN, RS6).hopLimit(63).fragmentId(IDENT).fragment(1448, false).protocol(4).payload(range(inner, 1448, 1500))),
                conn(IpProto.IPPROTO_UDP, CLIENT, 40000, VIP, 53, RS6, 53).tunnel(TunnelType.IPIP, 0, 0)));
        byte[] innerDf = fromClient().ipv4(CLIENT, VIP).ttl(63).id(ID).df().udp(40000, 53).payload(udp).buildL3();
        cases.add(XmitCase.of(vector("IPIP 4in4 with pmtu_disc off: a DF packet of 1500 is not refused, DF not copied, the outer packet fragmented")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).df().udp(40000, 53).payload(udp))
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).ttl(63).id(IDENT).fragment(0, true).protocol(4).payload(range(innerDf, 0, 1480)),
                        toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).ttl(63).id(IDENT).fragment(1480, false).protocol(4).payload(range(innerDf, 1480, 1500))),
                (env, f, tx) -> env.tunnel().pmtuDisc(false).transmit(f, udp4, tx)));
    }

    static XmitCase tun(Vector v, XmitConn conn) { return XmitCase.of(v, call(conn)); }

    static XmitCase.Call call(XmitConn conn) { return (env, f, tx) -> env.tunnel().transmit(f, conn, tx); }

    /** The outer header toward {@code rs}: from the director's address on that side; DF and ID 0 if {@code df}. */
    static PacketBuilder outer(String rs, int ttl, int df, int tos) {
        String mac = RS1_MAC;
        if (FakeNextHops.v6(rs)) return toRs(mac).ipv6(DIRECTOR6_IN, rs).trafficClass(tos).hopLimit(ttl);
        PacketBuilder b = toRs(mac).ipv4(DIRECTOR_IN, rs).tos(tos).ttl(ttl);
        return df != 0 ? b.id(0).df() : b.id(IDENT);
    }

    /** IP-in-IP of {@code inner} (a packet of {@code client}'s family). */
    static PacketBuilder encap(PacketBuilder outer, String client, byte[] inner) {
        return FakeNextHops.v6(client) ? outer.ip6ip(inner) : outer.ipip(inner);
    }

    static String flagName(int flags) {
        return switch (flags) {
            case TunnelType.FLAG_NOCSUM -> "--tun-nocsum";
            case TunnelType.FLAG_CSUM -> "--tun-csum";
            case TunnelType.FLAG_REMCSUM -> "--tun-remcsum";
            default -> "flags " + flags;
        };
    }
}
