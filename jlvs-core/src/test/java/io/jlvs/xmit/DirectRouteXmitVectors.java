package io.jlvs.xmit;

import io.jlvs.packet.DropReason;
import io.jlvs.packet.IpProto;
import io.jlvs.testkit.Vector;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.jlvs.testkit.Vector.vector;
import static io.jlvs.xmit.Net.*;
import static io.jlvs.xmit.V.*;

/** Direct routing: the MACs change, the TTL drops by one, addresses and ports stay. */
class DirectRouteXmitVectors {
    @TestFactory
    Stream<DynamicTest> vectors() { return XmitVectorRunner.tests(cases()); }

    static List<XmitCase> cases() {
        List<XmitCase> cases = new ArrayList<>();
        for (String client : new String[] {CLIENT, CLIENT6}) {
            boolean v6 = FakeNextHops.v6(client);
            String vip = v6 ? VIP6 : VIP, rs = v6 ? RS6 : RS1;
            for (int p : PROTOCOLS) {
                cases.add(dr(vector(fam(client) + " " + name(p) + " DR: Ethernet to rs1, TTL - 1, the IP packet otherwise untouched")
                        .in(l4(ip(fromClient(), client, vip, 64), p, 40000, 80))
                        .expect(Verdict.TX)
                        .out(l4(ip(toRs(RS1_MAC), client, vip, 63), p, 40000, 80)), conn(p, client, 40000, vip, 80, rs, 80)));
            }
            cases.add(dr(vector(fam(client) + " TCP DR from a tagged frame to a real server on VLAN 20")
                    .in(ip(fromClient().vlan(10), client, vip, 64).tcp(40000, 80).syn().seq(5).mss(1400))
                    .expect(Verdict.TX)
                    .out(ip(toRs(RS3_MAC).vlan(VLAN_TCI), client, vip, 63).tcp(40000, 80).syn().seq(5).mss(1400)),
                    tcp(client, vip, v6 ? RS6_VLAN : RS_VLAN)));
            cases.add(dr(vector(fam(client) + " TCP DR to a real server that is a director address: unchanged to the local port")
                    .in(ip(fromClient(), client, vip, 64).tcp(40000, 80).ack().payload(PAYLOAD))
                    .expect(Verdict.LOCAL)
                    .local(ip(fromClient(), client, vip, 64).tcp(40000, 80).ack().payload(PAYLOAD)),
                    tcp(client, vip, v6 ? DIRECTOR6 : DIRECTOR)));
        }
        XmitConn tcp4 = tcp(CLIENT, VIP, RS1);
        cases.add(dr(vector("IPv4 TCP DR with TTL 1: ICMP time exceeded from the VIP")
                .in(ip(fromClient(), CLIENT, VIP, 1).tcp(40000, 80).ack())
                .expect(DropReason.TTL_EXCEEDED.code())
                .out(icmpFrom(toClient(), VIP, CLIENT).icmpError(11, 0, ip(fromClient(), CLIENT, VIP, 1).tcp(40000, 80).ack().buildL3())), tcp4));
        byte[] big = bytes(1460);
        cases.add(dr(vector("IPv4 TCP DR, 1500 octets with DF toward an MTU of 1400: ICMP fragmentation needed from the VIP")
                .in(ip(fromClient(), CLIENT, VIP, 64).tcp(40000, 80).ack().payload(big))
                .expect(DropReason.MTU_EXCEEDED.code())
                .out(icmpFrom(toClient(), VIP, CLIENT).icmpFragNeeded(1400, first(ip(fromClient(), CLIENT, VIP, 63).tcp(40000, 80).ack().payload(big).buildL3(), 548))),
                tcp(CLIENT, VIP, RS_MTU)));
        byte[] udp = bytes(1472);
        byte[] l3 = toRs(RS2_MAC).ipv4(CLIENT, VIP).ttl(63).id(ID).udp(40000, 53).payload(udp).buildL3();
        byte[] seg = range(l3, 20, l3.length);
        cases.add(dr(vector("IPv4 UDP DR, 1500 octets without DF toward an MTU of 1400: fragmented")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).udp(40000, 53).payload(udp))
                .expect(Verdict.TX)
                .out(toRs(RS2_MAC).ipv4(CLIENT, VIP).ttl(63).id(ID).fragment(0, true).protocol(17).payload(range(seg, 0, 1376)),
                        toRs(RS2_MAC).ipv4(CLIENT, VIP).ttl(63).id(ID).fragment(1376, false).protocol(17).payload(range(seg, 1376, seg.length))),
                conn(IpProto.IPPROTO_UDP, CLIENT, 40000, VIP, 53, RS_MTU, 53)));
        cases.add(XmitCase.of(vector("IPv4 TCP DR with a partial checksum: completed on the way out")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).tcp(40000, 80).ack().partialChecksum().payload(PAYLOAD))
                .partial(14 + 20, 16, false)
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(CLIENT, VIP).ttl(63).id(ID).tcp(40000, 80).ack().payload(PAYLOAD)),
                (env, f, tx) -> env.dr().transmit(f, tcp4, tx)));
        cases.add(dr(vector("IPv4 TCP DR, next hop unresolved: dropped")
                .in(ip(fromClient(), CLIENT, VIP, 64).tcp(40000, 80).ack()).expect(DropReason.NEIGH_UNRESOLVED.code()),
                tcp(CLIENT, VIP, RS_UNRESOLVED)));
        cases.add(dr(vector("IPv4 TCP DR from a loopback source: refused")
                .in(ip(fromClient(), LOOPBACK, VIP, 64).tcp(40000, 80).ack()).expect(DropReason.LOCAL_ROUTE_REFUSED.code()), tcp4));
        return cases;
    }

    static XmitCase dr(Vector v, XmitConn conn) { return XmitCase.of(v, (env, f, tx) -> env.dr().transmit(f, conn, tx)); }
}
