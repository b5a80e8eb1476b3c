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

/**
 * ICMP errors about NAT connections, rewritten inside and out. The quotes are the first 8 octets after the IP
 * header (RFC 792), so no quoted L4 checksum is in them (IPVS leaves quoted L4 checksums alone); the UDP
 * quotes carry checksum 0.
 */
class IcmpNatVectors {
    static final int CPORT = 40000, VPORT = 80, DPORT = 8080;

    @TestFactory
    Stream<DynamicTest> vectors() { return XmitVectorRunner.tests(cases()); }

    static List<XmitCase> cases() {
        List<XmitCase> cases = new ArrayList<>();
        for (String client : new String[] {CLIENT, CLIENT6}) {
            boolean v6 = FakeNextHops.v6(client);
            String vip = v6 ? VIP6 : VIP, rs = v6 ? RS6 : RS1;
            int unreachType = v6 ? 1 : 3, portUnreach = v6 ? 4 : 3;
            for (int p : PROTOCOLS) {
                XmitConn c = conn(p, client, CPORT, vip, VPORT, rs, DPORT);
                cases.add(out(vector(fam(client) + " " + name(p) + " port unreachable from rs1 about the client's packet: outer source, quoted destination and port to the VIP")
                        .in(error(ip(fromRs(RS1_MAC), rs, client, 64), v6, unreachType, portUnreach, quote(client, rs, p, CPORT, DPORT)))
                        .expect(Verdict.TX)
                        .out(error(ip(toClient(), vip, client, 63), v6, unreachType, portUnreach, quote(client, vip, p, CPORT, VPORT))), c));
                cases.add(in(vector(fam(client) + " " + name(p) + " port unreachable from the client about a reply: outer destination, quoted source and port to rs1")
                        .in(error(ip(fromClient(), client, vip, 64), v6, unreachType, portUnreach, quote(vip, client, p, VPORT, CPORT)))
                        .expect(Verdict.TX)
                        .out(error(ip(toRs(RS1_MAC), client, rs, 63), v6, unreachType, portUnreach, quote(rs, client, p, DPORT, CPORT))), c));
            }
        }
        XmitConn tcp4 = tcp(CLIENT, VIP, RS1), tcp6 = tcp(CLIENT6, VIP6, RS6);
        byte[] big = first(ip(PacketBuilder.eth(GW_MAC, DIRECTOR_MAC), VIP, CLIENT, 63).tcp(VPORT, CPORT).ack().payload(bytes(1000)).buildL3(), 548);
        byte[] bigRs = first(ip(PacketBuilder.eth(GW_MAC, DIRECTOR_MAC), RS1, CLIENT, 63).tcp(DPORT, CPORT).ack().payload(bytes(1000)).buildL3(), 548);
        cases.add(in(vector("IPv4 fragmentation needed from the client's path about a reply, quoting 548 octets: mtu kept, ICMP checksum over the whole message")
                .in(ip(fromClient(), "198.51.100.1", VIP, 250).icmpFragNeeded(1300, big))
                .expect(Verdict.TX)
                .out(ip(toRs(RS1_MAC), "198.51.100.1", RS1, 249).icmpFragNeeded(1300, withTcpChecksumOf(bigRs, big))), tcp4));
        cases.add(in(vector("IPv6 packet too big from the client's path about a reply")
                .in(fromClient().ipv6("2001:db8:100::1", VIP6).hopLimit(64).packetTooBig(1280, quote(VIP6, CLIENT6, IpProto.IPPROTO_TCP, VPORT, CPORT)))
                .expect(Verdict.TX)
                .out(toRs(RS1_MAC).ipv6("2001:db8:100::1", RS6).hopLimit(63).packetTooBig(1280, quote(RS6, CLIENT6, IpProto.IPPROTO_TCP, DPORT, CPORT))), tcp6));
        cases.add(out(vector("IPv4 time exceeded from a router on rs1's side about the client's packet")
                .in(ip(fromRs(RS1_MAC), DIRECTOR_IN, CLIENT, 64).icmpError(11, 0, quote(CLIENT, RS1, IpProto.IPPROTO_TCP, CPORT, DPORT)))
                .expect(Verdict.TX)
                .out(ip(toClient(), VIP, CLIENT, 63).icmpError(11, 0, quote(CLIENT, VIP, IpProto.IPPROTO_TCP, CPORT, VPORT))), tcp4));
        cases.add(out(vector("IPv4 error quoting a non-first fragment: addresses rewritten, the octets where ports would be left alone")
                .in(ip(fromRs(RS1_MAC), RS1, CLIENT, 64).icmpError(3, 1, first(ip(fromClient(), CLIENT, RS1, 63).fragment(8, false).protocol(6).payload(bytes(8)).buildL3(), 28)))
                .expect(Verdict.TX)
                .out(ip(toClient(), VIP, CLIENT, 63).icmpError(3, 1, first(ip(fromClient(), CLIENT, VIP, 63).fragment(8, false).protocol(6).payload(bytes(8)).buildL3(), 28))), tcp4));
        cases.add(out(vector("IPv4 parameter problem: not an error IPVS relays for a connection")
                .in(ip(fromRs(RS1_MAC), RS1, CLIENT, 64).icmpError(12, 0, quote(CLIENT, RS1, IpProto.IPPROTO_TCP, CPORT, DPORT)))
                .expect(DropReason.BAD_ICMP_QUOTE.code()), tcp4));
        cases.add(out(vector("IPv4 error quoting 10 octets: no complete IP header to rewrite")
                .in(ip(fromRs(RS1_MAC), RS1, CLIENT, 64).icmpError(3, 3, first(quote(CLIENT, RS1, IpProto.IPPROTO_TCP, CPORT, DPORT), 10)))
                .expect(DropReason.BAD_ICMP_QUOTE.code()), tcp4));
        cases.add(out(vector("IPv6 error quoting an IPv6 header and 2 octets: no ports to rewrite")
                .in(ip(fromRs(RS1_MAC), RS6, CLIENT6, 64).icmpv6Error(1, 4, first(quote(CLIENT6, RS6, IpProto.IPPROTO_UDP, CPORT, DPORT), 42)))
                .expect(DropReason.BAD_ICMP_QUOTE.code()), tcp6));
        cases.add(out(vector("IPv4 error with a bad ICMP checksum: dropped, not laundered")
                .in(ip(fromRs(RS1_MAC), RS1, CLIENT, 64).icmpError(3, 3, quote(CLIENT, RS1, IpProto.IPPROTO_TCP, CPORT, DPORT)).badChecksum())
                .expect(DropReason.BAD_ICMP_CHECKSUM.code()), tcp4));
        cases.add(out(vector("IPv6 error with a bad ICMPv6 checksum: dropped")
                .in(ip(fromRs(RS1_MAC), RS6, CLIENT6, 64).icmpv6Error(1, 4, quote(CLIENT6, RS6, IpProto.IPPROTO_TCP, CPORT, DPORT)).badChecksum())
                .expect(DropReason.BAD_ICMPV6_CHECKSUM.code()), tcp6));
        cases.add(out(vector("ICMP echo reply: not an error")
                .in(ip(fromRs(RS1_MAC), RS1, CLIENT, 64).icmpEchoReply(1, 1))
                .expect(DropReason.BAD_ICMP_QUOTE.code()), tcp4));
        cases.add(in(vector("IPv4 error from the client toward a local real server: rewritten to the local port")
                .in(error(ip(fromClient(), CLIENT, VIP, 64), false, 3, 3, quote(VIP, CLIENT, IpProto.IPPROTO_TCP, VPORT, CPORT)))
                .expect(Verdict.LOCAL)
                .local(error(ip(fromClient(), CLIENT, DIRECTOR, 64), false, 3, 3, quote(DIRECTOR, CLIENT, IpProto.IPPROTO_TCP, DPORT, CPORT))),
                tcp(CLIENT, VIP, DIRECTOR)));
        return cases;
    }

    /** The first 8 octets past the IP header of a packet src:sport -> dst:dport, as an ICMP error quotes it. */
    static byte[] quote(String src, String dst, int protocol, int sport, int dport) {
        PacketBuilder b = ip(PacketBuilder.eth(GW_MAC, DIRECTOR_MAC), src, dst, 63);
        byte[] l3 = (protocol == IpProto.IPPROTO_UDP ? b.udp(sport, dport).noChecksum().payload(PAYLOAD) : l4(b, protocol, sport, dport)).buildL3();
        return first(l3, (FakeNextHops.v6(src) ? 40 : 20) + 8);
    }

    static PacketBuilder error(PacketBuilder ip, boolean v6, int type, int code, byte[] quote) {
        return v6 ? ip.icmpv6Error(type, code, quote) : ip.icmpError(type, code, quote);
    }

    /** {@code b} with the quoted TCP checksum of {@code from}: IPVS does not touch quoted L4 checksums. */
    private static byte[] withTcpChecksumOf(byte[] b, byte[] from) {
        byte[] r = b.clone();
        r[20 + 16] = from[20 + 16];
        r[20 + 17] = from[20 + 17];
        return r;
    }

    static XmitCase out(Vector v, XmitConn c) { return XmitCase.of(v, (env, f, tx) -> env.icmpNat().transmitOut(f, c, tx)); }

    static XmitCase in(Vector v, XmitConn c) { return XmitCase.of(v, (env, f, tx) -> env.icmpNat().transmitIn(f, c, tx)); }
}
