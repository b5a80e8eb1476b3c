package io.jlvs.xmit;

import io.jlvs.packet.DropReason;
import io.jlvs.packet.IpProto;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.testkit.Vector;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.jlvs.testkit.Vector.vector;
import static io.jlvs.xmit.Net.*;
import static io.jlvs.xmit.V.*;

/** NAT: DNAT of the client's packets ({@link NatXmit#transmit}), SNAT of the replies ({@link NatXmit#reply}). */
class NatXmitVectors {
    static final int CPORT = 40000, VPORT = 80, DPORT = 8080;

    @TestFactory
    Stream<DynamicTest> vectors() { return XmitVectorRunner.tests(cases()); }

    static List<XmitCase> cases() {
        List<XmitCase> cases = new ArrayList<>();
        for (String client : new String[] {CLIENT, CLIENT6}) {
            boolean v6 = FakeNextHops.v6(client);
            String vip = v6 ? VIP6 : VIP, rs = v6 ? RS6 : RS1;
            for (int p : PROTOCOLS) {
                XmitConn conn = conn(p, client, CPORT, vip, VPORT, rs, DPORT);
                cases.add(dnat(vector(fam(client) + " " + name(p) + " DNAT: daddr, dport to rs1, TTL - 1, L4 checksum updated, Ethernet to rs1")
                        .in(l4(ip(fromClient(), client, vip, 64), p, CPORT, VPORT))
                        .expect(Verdict.TX)
                        .out(l4(ip(toRs(RS1_MAC), client, rs, 63), p, CPORT, DPORT)), conn));
                cases.add(snat(vector(fam(client) + " " + name(p) + " SNAT of the reply: saddr, sport to the VIP, TTL - 1, Ethernet to the gateway")
                        .in(l4(ip(fromRs(RS1_MAC), rs, client, 64), p, DPORT, CPORT))
                        .expect(Verdict.TX)
                        .out(l4(ip(toClient(), vip, client, 63), p, VPORT, CPORT)), conn));
            }
            XmitConn same = conn(IpProto.IPPROTO_SCTP, client, CPORT, vip, VPORT, rs, VPORT);
            cases.add(dnat(vector(fam(client) + " SCTP DNAT without port translation: CRC32c untouched (no pseudo-header)")
                    .in(l4(ip(fromClient(), client, vip, 64), IpProto.IPPROTO_SCTP, CPORT, VPORT))
                    .expect(Verdict.TX)
                    .out(l4(ip(toRs(RS1_MAC), client, rs, 63), IpProto.IPPROTO_SCTP, CPORT, VPORT)), same));
        }
        XmitConn tcp4 = tcp(CLIENT, VIP, RS1), tcp6 = tcp(CLIENT6, VIP6, RS6);
        XmitConn udp4 = conn(IpProto.IPPROTO_UDP, CLIENT, CPORT, VIP, 53, RS1, 5353);
        XmitConn udp6 = conn(IpProto.IPPROTO_UDP, CLIENT6, CPORT, VIP6, 53, RS6, 5353);

        // UDP checksum 0 (none, IPv4): udp_dnat_handler's full calculation branch computes one
        cases.add(dnat(vector("IPv4 UDP checksum 0 DNAT: a checksum is computed in full (udp_dnat_handler)")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).udp(CPORT, 53).noChecksum().payload(PAYLOAD))
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(ID).udp(CPORT, 5353).payload(PAYLOAD)), udp4));
        cases.add(snat(vector("IPv4 UDP checksum 0 SNAT: a checksum is computed in full (udp_snat_handler)")
                .in(fromRs(RS1_MAC).ipv4(RS1, CLIENT).ttl(64).id(ID).udp(5353, CPORT).noChecksum().payload(PAYLOAD))
                .expect(Verdict.TX)
                .out(toClient().ipv4(VIP, CLIENT).ttl(63).id(ID).udp(53, CPORT).payload(PAYLOAD)), udp4));
        cases.add(dnat(vector("IPv4 UDP whose updated checksum is 0 is sent as 0xFFFF")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).udp(CPORT, 53).payload(zeroSumPayload()))
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(ID).udp(CPORT, 5353).payload(zeroSumPayload())), udp4));

        // L2: VLAN tags come off, the egress's tag goes on
        cases.add(dnat(vector("IPv4 TCP DNAT of an 802.1Q-tagged frame: untagged toward rs1")
                .in(v4in(fromClient().vlan(10)))
                .expect(Verdict.TX)
                .out(v4out(toRs(RS1_MAC), RS1)), tcp4));
        cases.add(dnat(vector("IPv4 TCP DNAT of a QinQ frame: untagged toward rs1")
                .in(v4in(fromClient().serviceVlan(100).vlan(10)))
                .expect(Verdict.TX)
                .out(v4out(toRs(RS1_MAC), RS1)), tcp4));
        cases.add(dnat(vector("IPv4 TCP DNAT to a real server on VLAN 20: the tag is added")
                .in(v4in(fromClient()))
                .expect(Verdict.TX)
                .out(v4out(toRs(RS3_MAC).vlan(VLAN_TCI), RS_VLAN)), tcp(CLIENT, VIP, RS_VLAN)));
        cases.add(dnat(vector("IPv6 TCP DNAT to a real server on VLAN 20, from a tagged frame")
                .in(ip(fromClient().vlan(10), CLIENT6, VIP6, 64).tcp(CPORT, VPORT).syn().seq(1).mss(1440))
                .expect(Verdict.TX)
                .out(ip(toRs(RS3_MAC).vlan(VLAN_TCI), CLIENT6, RS6_VLAN, 63).tcp(CPORT, DPORT).syn().seq(1).mss(1440)),
                tcp(CLIENT6, VIP6, RS6_VLAN)));

        // IPv4 options, IPv6 extension headers
        cases.add(dnat(vector("IPv4 TCP with options DNAT: header checksum over the options")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).ipOptions((byte) 0x94, (byte) 4, (byte) 0, (byte) 0)
                        .tcp(CPORT, VPORT).ack().payload(PAYLOAD))
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(ID).ipOptions((byte) 0x94, (byte) 4, (byte) 0, (byte) 0)
                        .tcp(CPORT, DPORT).ack().payload(PAYLOAD)), tcp4));
        cases.add(dnat(vector("IPv6 TCP behind a destination options header DNAT")
                .in(fromClient().ipv6(CLIENT6, VIP6).hopLimit(64).destOptions().tcp(CPORT, VPORT).ack().payload(PAYLOAD))
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv6(CLIENT6, RS6).hopLimit(63).destOptions().tcp(CPORT, DPORT).ack().payload(PAYLOAD)), tcp6));

        // partial checksums (CHECKSUM_PARTIAL): pseudo-header sum updated, then completed before sending
        cases.add(XmitCase.of(vector("IPv4 TCP with a partial checksum DNAT: completed on the way out")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).df().tcp(CPORT, VPORT).ack().partialChecksum().payload(PAYLOAD))
                .partial(14 + 20, 16, false)
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(ID).df().tcp(CPORT, DPORT).ack().payload(PAYLOAD)),
                (env, f, tx) -> env.nat().transmit(f, tcp4, tx)));
        cases.add(XmitCase.of(vector("IPv6 UDP with a partial checksum SNAT: completed on the way out")
                .in(fromRs(RS1_MAC).ipv6(RS6, CLIENT6).hopLimit(64).udp(5353, CPORT).partialChecksum().payload(PAYLOAD))
                .partial(14 + 40, 6, false)
                .expect(Verdict.TX)
                .out(toClient().ipv6(VIP6, CLIENT6).hopLimit(63).udp(53, CPORT).payload(PAYLOAD)),
                (env, f, tx) -> env.nat().reply(f, udp6, tx)));

        // fragments (IPVS sees them reassembled; here they pass one by one)
        cases.add(dnat(vector("IPv4 non-first fragment DNAT: the address only")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(0x77).fragment(1480, false).protocol(17).payload(bytes(100)))
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(0x77).fragment(1480, false).protocol(17).payload(bytes(100))), udp4));
        cases.add(dnat(vector("IPv4 first fragment TCP DNAT: port and checksum updated incrementally")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(0x78).fragment(0, true).tcp(CPORT, VPORT).ack().payload(bytes(64)))
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(0x78).fragment(0, true).tcp(CPORT, DPORT).ack().payload(bytes(64))), tcp4));
        cases.add(dnat(vector("IPv4 first fragment SCTP DNAT with port translation: dropped, the CRC32c covers the whole packet")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(0x79).fragment(0, true).sctp(CPORT, VPORT, 1).chunk(0, 0, bytes(64)))
                .expect(DropReason.FRAGMENT_UNSUPPORTED.code()), conn(IpProto.IPPROTO_SCTP, CLIENT, CPORT, VIP, VPORT, RS1, DPORT)));

        // routes: local, loopback, unresolved, unreachable, full ring
        cases.add(dnat(vector("IPv4 TCP DNAT to a real server that is a director address: rewritten, to the local port, TTL kept")
                .in(v4in(fromClient()))
                .expect(Verdict.LOCAL)
                .local(fromClient().ipv4(CLIENT, DIRECTOR).ttl(64).id(ID).df().tcp(CPORT, DPORT).ack().payload(PAYLOAD)),
                tcp(CLIENT, VIP, DIRECTOR)));
        cases.add(dnat(vector("IPv6 TCP DNAT to a local real server")
                .in(ip(fromClient(), CLIENT6, VIP6, 64).tcp(CPORT, VPORT).ack().payload(PAYLOAD))
                .expect(Verdict.LOCAL)
                .local(ip(fromClient(), CLIENT6, DIRECTOR6, 64).tcp(CPORT, DPORT).ack().payload(PAYLOAD)),
                tcp(CLIENT6, VIP6, DIRECTOR6)));
        cases.add(dnat(vector("IPv4 TCP DNAT to 127.0.0.1 from the world: refused")
                .in(v4in(fromClient())).expect(DropReason.LOCAL_ROUTE_REFUSED.code()), tcp(CLIENT, VIP, LOOPBACK)));
        cases.add(dnat(vector("IPv4 TCP DNAT, next hop unresolved: dropped")
                .in(v4in(fromClient())).expect(DropReason.NEIGH_UNRESOLVED.code()), tcp(CLIENT, VIP, RS_UNRESOLVED)));
        cases.add(dnat(vector("IPv6 TCP DNAT, next hop unresolved: dropped")
                .in(ip(fromClient(), CLIENT6, VIP6, 64).tcp(CPORT, VPORT).ack()).expect(DropReason.NEIGH_UNRESOLVED.code()),
                tcp(CLIENT6, VIP6, RS6_UNRESOLVED)));
        cases.add(dnat(vector("IPv4 TCP DNAT, no route: dropped")
                .in(v4in(fromClient())).expect(DropReason.NO_ROUTE.code()), tcp(CLIENT, VIP, RS_UNREACHABLE)));
        cases.add(XmitCase.of(vector("IPv4 TCP DNAT, transmit ring full: dropped")
                .in(v4in(fromClient())).expect(DropReason.TX_QUEUE_FULL.code()),
                (env, f, tx) -> { env.tx.capacity = 0; return env.nat().transmit(f, tcp4, tx); }));
        cases.add(XmitCase.room(vector("IPv4 TCP DNAT to VLAN 20 in a buffer with no room for the tag: dropped")
                .in(v4in(fromClient())).expect(DropReason.NO_HEADROOM.code()),
                (env, f, tx) -> env.nat().transmit(f, tcp(CLIENT, VIP, RS_VLAN), tx), 0, 0));

        // TTL
        cases.add(dnat(vector("IPv4 TCP DNAT with TTL 1: ICMP time exceeded to the client, from the VIP, TOS 0xC0 | (tos & 0x1E)")
                .in(fromClient().ipv4(CLIENT, VIP).tos(0xB9).ttl(1).id(ID).df().tcp(CPORT, VPORT).ack().payload(PAYLOAD))
                .expect(DropReason.TTL_EXCEEDED.code())
                .out(icmpFrom(toClient(), VIP, CLIENT).tos(0xD8).icmpError(11, 0,
                        fromClient().ipv4(CLIENT, VIP).tos(0xB9).ttl(1).id(ID).df().tcp(CPORT, VPORT).ack().payload(PAYLOAD).buildL3())),
                tcp4));
        cases.add(dnat(vector("IPv6 UDP DNAT with hop limit 1: ICMPv6 time exceeded to the client, from the VIP")
                .in(ip(fromClient(), CLIENT6, VIP6, 1).udp(CPORT, 53).payload(PAYLOAD))
                .expect(DropReason.TTL_EXCEEDED.code())
                .out(icmpFrom(toClient(), VIP6, CLIENT6).icmpv6Error(3, 0, ip(fromClient(), CLIENT6, VIP6, 1).udp(CPORT, 53).payload(PAYLOAD).buildL3())),
                udp6));
        cases.add(dnat(vector("IPv4 TCP DNAT with TTL 0: ICMP time exceeded")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(0).id(ID).tcp(CPORT, VPORT).ack())
                .expect(DropReason.TTL_EXCEEDED.code())
                .out(icmpFrom(toClient(), VIP, CLIENT).icmpError(11, 0, fromClient().ipv4(CLIENT, VIP).ttl(0).id(ID).tcp(CPORT, VPORT).ack().buildL3())),
                tcp4));
        cases.add(snat(vector("IPv4 TCP SNAT with TTL 1: ICMP time exceeded to the real server, from the director's address")
                .in(fromRs(RS1_MAC).ipv4(RS1, CLIENT).ttl(1).id(ID).tcp(DPORT, CPORT).ack())
                .expect(DropReason.TTL_EXCEEDED.code())
                .out(icmpFrom(toRs(RS1_MAC), DIRECTOR_IN, RS1).icmpError(11, 0, fromRs(RS1_MAC).ipv4(RS1, CLIENT).ttl(1).id(ID).tcp(DPORT, CPORT).ack().buildL3())),
                tcp4));

        // MTU
        byte[] big4 = bytes(1460), big6 = bytes(1440);
        cases.add(dnat(vector("IPv4 TCP DNAT, 1500 octets with DF toward an MTU of 1400: ICMP fragmentation needed (mtu 1400) from the VIP, quoting 548 octets after the TTL decrement")
                .in(ip(fromClient(), CLIENT, VIP, 64).tcp(CPORT, VPORT).ack().payload(big4))
                .expect(DropReason.MTU_EXCEEDED.code())
                .out(icmpFrom(toClient(), VIP, CLIENT).icmpFragNeeded(1400, first(ip(fromClient(), CLIENT, VIP, 63).tcp(CPORT, VPORT).ack().payload(big4).buildL3(), 548))),
                tcp(CLIENT, VIP, RS_MTU)));
        cases.add(dnat(vector("IPv6 TCP DNAT, 1500 octets toward an MTU of 1400: ICMPv6 packet too big (mtu 1400) from the VIP, quoting 1232 octets")
                .in(ip(fromClient(), CLIENT6, VIP6, 64).tcp(CPORT, VPORT).ack().payload(big6))
                .expect(DropReason.MTU_EXCEEDED.code())
                .out(icmpFrom(toClient(), VIP6, CLIENT6).packetTooBig(1400, first(ip(fromClient(), CLIENT6, VIP6, 63).tcp(CPORT, VPORT).ack().payload(big6).buildL3(), 1232))),
                tcp(CLIENT6, VIP6, RS6_MTU)));
        cases.add(dnat(vector("IPv6 non-first fragment over the MTU: dropped without ICMPv6")
                .in(fromClient().ipv6(CLIENT6, VIP6).hopLimit(64).fragmentId(9).fragment(1448, false).protocol(6).payload(bytes(1452)))
                .expect(DropReason.MTU_EXCEEDED.code()),
                tcp(CLIENT6, VIP6, RS6_MTU)));
        byte[] udpBig = bytes(1472);
        byte[] natted = toRs(RS2_MAC).ipv4(CLIENT, RS_MTU).ttl(63).id(ID).udp(CPORT, 5353).payload(udpBig).buildL3();
        byte[] seg = range(natted, 20, natted.length);
        cases.add(dnat(vector("IPv4 UDP DNAT, 1500 octets without DF toward an MTU of 1400: two fragments (1376 + 104 octets)")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).udp(CPORT, 53).payload(udpBig))
                .expect(Verdict.TX)
                .out(toRs(RS2_MAC).ipv4(CLIENT, RS_MTU).ttl(63).id(ID).fragment(0, true).protocol(17).payload(range(seg, 0, 1376)),
                        toRs(RS2_MAC).ipv4(CLIENT, RS_MTU).ttl(63).id(ID).fragment(1376, false).protocol(17).payload(range(seg, 1376, seg.length))),
                conn(IpProto.IPPROTO_UDP, CLIENT, CPORT, VIP, 53, RS_MTU, 5353)));
        cases.add(snat(vector("IPv4 TCP SNAT, 1500 octets with DF toward a client path of MTU 1400: ICMP fragmentation needed to the real server, quoting the packet before the TTL decrement")
                .in(ip(fromRs(RS1_MAC), RS1, CLIENT_SMALL_MTU, 64).tcp(DPORT, CPORT).ack().payload(big4))
                .expect(DropReason.MTU_EXCEEDED.code())
                .out(icmpFrom(toRs(RS1_MAC), DIRECTOR_IN, RS1).icmpFragNeeded(1400, first(ip(fromRs(RS1_MAC), RS1, CLIENT_SMALL_MTU, 64).tcp(DPORT, CPORT).ack().payload(big4).buildL3(), 548))),
                tcp(CLIENT_SMALL_MTU, VIP, RS1)));
        cases.add(snat(vector("IPv6 TCP SNAT, 1500 octets toward a client path of MTU 1400: ICMPv6 packet too big to the real server")
                .in(ip(fromRs(RS1_MAC), RS6, CLIENT6_SMALL_MTU, 64).tcp(DPORT, CPORT).ack().payload(big6))
                .expect(DropReason.MTU_EXCEEDED.code())
                .out(icmpFrom(toRs(RS1_MAC), DIRECTOR6_IN, RS6).packetTooBig(1400, first(ip(fromRs(RS1_MAC), RS6, CLIENT6_SMALL_MTU, 64).tcp(DPORT, CPORT).ack().payload(big6).buildL3(), 1232))),
                tcp(CLIENT6_SMALL_MTU, VIP6, RS6)));
        return cases;
    }

    static XmitCase dnat(Vector v, XmitConn conn) { return XmitCase.of(v, (env, f, tx) -> env.nat().transmit(f, conn, tx)); }

    static XmitCase snat(Vector v, XmitConn conn) { return XmitCase.of(v, (env, f, tx) -> env.nat().reply(f, conn, tx)); }

    private static PacketBuilder v4in(PacketBuilder l2) {
        return l2.ipv4(CLIENT, VIP).ttl(64).id(ID).df().tcp(CPORT, VPORT).ack().payload(PAYLOAD);
    }

    private static PacketBuilder v4out(PacketBuilder l2, String rs) {
        return l2.ipv4(CLIENT, rs).ttl(63).id(ID).df().tcp(CPORT, DPORT).ack().payload(PAYLOAD);
    }

    /**
     * Two payload octets chosen so the UDP checksum after DNAT to rs1:5353 computes to 0 (sent as 0xFFFF).
     * Found by search: the sum of the rest of the datagram and the pseudo-header is fixed.
     */
    static byte[] zeroSumPayload() {
        for (int w = 0; w < 0x10000; w++) {
            byte[] p = {(byte) (w >>> 8), (byte) w};
            byte[] l3 = PacketBuilder.eth(DIRECTOR_MAC, RS1_MAC).ipv4(CLIENT, RS1).udp(CPORT, 5353).payload(p).buildL3();
            if ((l3[26] & 0xFF) == 0xFF && (l3[27] & 0xFF) == 0xFF) return p;
        }
        throw new AssertionError("no payload gives a zero UDP checksum");
    }
}
