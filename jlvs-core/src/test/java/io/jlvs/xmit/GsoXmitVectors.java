package io.jlvs.xmit;

import io.jlvs.packet.DropReason;
import io.jlvs.packet.IpProto;
import io.jlvs.service.TunnelType;
import io.jlvs.testkit.Gso;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.testkit.Vector;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.jlvs.testkit.PacketBuilder.ACK;
import static io.jlvs.testkit.PacketBuilder.CWR;
import static io.jlvs.testkit.PacketBuilder.ECE;
import static io.jlvs.testkit.PacketBuilder.FIN;
import static io.jlvs.testkit.PacketBuilder.PSH;
import static io.jlvs.testkit.PacketBuilder.concat;
import static io.jlvs.testkit.PacketBuilder.gueHeader;
import static io.jlvs.testkit.Vector.vector;
import static io.jlvs.xmit.Net.*;
import static io.jlvs.xmit.V.*;

/**
 * GSO super-frames (a virtio-net header on the way in: {@link Vector#vnet}) through every transmitter: sent whole
 * with their offload instructions where the port takes them ({@link Vector#txOffload}), their partial checksum
 * kept (and its pseudo-header sum updated for NAT); cut into segments by {@link Segmenter} where it does not, for
 * tunnels and for the local stack; the MTU applied to the segments. The expected segments are written down
 * packet by packet with {@link PacketBuilder} (IPv4 ID + k, sequence numbers, FIN and PSH on the last, CWR on the
 * first); frames sent with a virtio-net header are verified as their receiver would take them ({@link Gso#verify}).
 */
class GsoXmitVectors {
    static final int CPORT = 40000, VPORT = 80, DPORT = 8080;
    static final long SEQ = 0xFFFF_F000L, ACK_SEQ = 2000;
    static final int MSS = 1448, MSS6 = 1428;
    static final int NEEDS = Gso.NEEDS_CSUM, VALID = Gso.DATA_VALID;
    static final int TCPV4 = Gso.TCPV4, TCPV6 = Gso.TCPV6, UDP_L4 = Gso.UDP_L4;
    /** Ethernet + IPv4 + TCP with timestamps; Ethernet + IPv6 + TCP with timestamps. */
    static final int HDR4 = 14 + 20 + 32, HDR6 = 14 + 40 + 32;
    /** Three full segments; two and a short one. */
    static final byte[] P3 = bytes(3 * MSS), P25 = bytes(2 * MSS + 700), P3V6 = bytes(3 * MSS6);

    @TestFactory
    Stream<DynamicTest> vectors() { return XmitVectorRunner.tests(cases()); }

    static List<XmitCase> cases() {
        List<XmitCase> cases = new ArrayList<>();
        nat(cases);
        directRoute(cases);
        tunnels(cases);
        local(cases);
        mtu(cases);
        return cases;
    }

    private static void nat(List<XmitCase> cases) {
        XmitConn tcp4 = tcp(CLIENT, VIP, RS1), tcp6 = tcp(CLIENT6, VIP6, RS6);
        cases.add(dnat(vector("NAT in, TCPv4 super-frame of 3 x 1448 to a port with offloads: rewritten once, sent whole, the partial checksum's pseudo-header sum follows the address")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK | PSH, P3).partialChecksum())
                .vnet(NEEDS, TCPV4, MSS, 34, 16).txOffload()
                .expect(Verdict.TX)
                .outOffload(packet(toRs(RS1_MAC), CLIENT, RS1, 63, ID, CPORT, DPORT, ACK | PSH, P3).partialChecksum(),
                        NEEDS, TCPV4, HDR4, MSS, 34, 16), tcp4));
        cases.add(dnat(vector("NAT in, TCPv4 super-frame of 1448 + 1448 + 700 to a port without offloads: three segments, IDs + 0..2, PSH on the last, checksums computed")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK | PSH, P25).partialChecksum())
                .vnet(NEEDS, TCPV4, MSS, 34, 16)
                .expect(Verdict.TX)
                .out(built(tcpSegments(() -> toRs(RS1_MAC), CLIENT, RS1, 63, CPORT, DPORT, ACK | PSH, P25, MSS))), tcp4));
        cases.add(snat(vector("NAT reply, TCPv6 super-frame of 3 x 1428 to a port with offloads: SNAT once, sent whole as TCPV6")
                .in(packet(fromRs(RS1_MAC), RS6, CLIENT6, 64, 0, DPORT, CPORT, ACK, P3V6).partialChecksum())
                .vnet(NEEDS, TCPV6, MSS6, 54, 16).txOffload()
                .expect(Verdict.TX)
                .outOffload(packet(toClient(), VIP6, CLIENT6, 63, 0, VPORT, CPORT, ACK, P3V6).partialChecksum(),
                        NEEDS, TCPV6, HDR6, MSS6, 54, 16), tcp6));
        cases.add(snat(vector("NAT reply, TCPv6 super-frame without offloads: three segments with FIN and PSH on the last only")
                .in(packet(fromRs(RS1_MAC), RS6, CLIENT6, 64, 0, DPORT, CPORT, ACK | PSH | FIN, P3V6).partialChecksum())
                .vnet(NEEDS, TCPV6, MSS6, 54, 16)
                .expect(Verdict.TX)
                .out(built(tcpSegments(Net::toClient, VIP6, CLIENT6, 63, VPORT, CPORT, ACK | PSH | FIN, P3V6, MSS6))), tcp6));
        cases.add(dnat(vector("NAT in, verified (DATA_VALID) TCPv4 super-frame with offloads: given the partial form GSO needs (pseudo-header sum over the whole length)")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK, P3))
                .vnet(VALID, TCPV4, MSS, 0, 0).txOffload()
                .expect(Verdict.TX)
                .outOffload(packet(toRs(RS1_MAC), CLIENT, RS1, 63, ID, CPORT, DPORT, ACK, P3).partialChecksum(),
                        NEEDS, TCPV4, HDR4, MSS, 34, 16), tcp4));
        cases.add(dnat(vector("NAT in, verified TCPv4 super-frame without offloads: three segments, checksums computed in full")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK, P3))
                .vnet(VALID, TCPV4, MSS, 0, 0)
                .expect(Verdict.TX)
                .out(built(tcpSegments(() -> toRs(RS1_MAC), CLIENT, RS1, 63, CPORT, DPORT, ACK, P3, MSS))), tcp4));
        cases.add(dnat(vector("NAT in, TCPv4 super-frame with CWR to a port with offloads: the GSO type carries the ECN bit")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK | ECE | CWR, P3).partialChecksum())
                .vnet(NEEDS, TCPV4 | Gso.ECN, MSS, 34, 16).txOffload()
                .expect(Verdict.TX)
                .outOffload(packet(toRs(RS1_MAC), CLIENT, RS1, 63, ID, CPORT, DPORT, ACK | ECE | CWR, P3).partialChecksum(),
                        NEEDS, TCPV4 | Gso.ECN, HDR4, MSS, 34, 16), tcp4));
        cases.add(dnat(vector("NAT in, TCPv4 super-frame with CWR without offloads: CWR on the first segment only, ECE on all")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK | ECE | CWR, P3).partialChecksum())
                .vnet(NEEDS, TCPV4 | Gso.ECN, MSS, 34, 16)
                .expect(Verdict.TX)
                .out(built(tcpSegments(() -> toRs(RS1_MAC), CLIENT, RS1, 63, CPORT, DPORT, ACK | ECE | CWR, P3, MSS))), tcp4));
        cases.add(dnat(vector("NAT in, a 'super-frame' of one segment's payload: not GSO; sent with its partial checksum, GSO_NONE")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK, bytes(1000)).partialChecksum())
                .vnet(NEEDS, TCPV4, MSS, 34, 16).txOffload()
                .expect(Verdict.TX)
                .outOffload(packet(toRs(RS1_MAC), CLIENT, RS1, 63, ID, CPORT, DPORT, ACK, bytes(1000)).partialChecksum(),
                        NEEDS, Gso.NONE, HDR4, 0, 34, 16), tcp4));
        cases.add(snat(vector("NAT reply, IPv6 UDP with a partial checksum to a port with offloads: left partial, NEEDS_CSUM at the UDP checksum")
                .in(fromRs(RS1_MAC).ipv6(RS6, CLIENT6).hopLimit(64).udp(5353, CPORT).partialChecksum().payload(PAYLOAD))
                .vnet(NEEDS, Gso.NONE, 0, 54, 6).txOffload()
                .expect(Verdict.TX)
                .outOffload(toClient().ipv6(VIP6, CLIENT6).hopLimit(63).udp(53, CPORT).partialChecksum().payload(PAYLOAD),
                        NEEDS, Gso.NONE, 14 + 40 + 8, 0, 54, 6),
                conn(IpProto.IPPROTO_UDP, CLIENT6, CPORT, VIP6, 53, RS6, 5353)));
        cases.add(dnat(vector("NAT in, TCPv4 super-frame to a real server on VLAN 20 with offloads: checksum start 38 behind the tag")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK, P3).partialChecksum())
                .vnet(NEEDS, TCPV4, MSS, 34, 16).txOffload()
                .expect(Verdict.TX)
                .outOffload(packet(toRs(RS3_MAC).vlan(VLAN_TCI), CLIENT, RS_VLAN, 63, ID, CPORT, DPORT, ACK, P3).partialChecksum(),
                        NEEDS, TCPV4, HDR4 + 4, MSS, 38, 16), tcp(CLIENT, VIP, RS_VLAN)));

        // UDP segmentation offload (UDP_SEGMENT senders, UDP GRO)
        XmitConn udp4 = conn(IpProto.IPPROTO_UDP, CLIENT, CPORT, VIP, 53, RS1, 5353);
        XmitConn udp6 = conn(IpProto.IPPROTO_UDP, CLIENT6, CPORT, VIP6, 53, RS6, 5353);
        byte[] u = bytes(3 * 1000);
        cases.add(dnat(vector("NAT in, UDP_L4 super-frame of 3 x 1000 to a port with offloads: sent whole as UDP_L4, the UDP length the whole datagram's")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).udp(CPORT, 53).partialChecksum().payload(u))
                .vnet(NEEDS, UDP_L4, 1000, 34, 6).txOffload()
                .expect(Verdict.TX)
                .outOffload(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(ID).udp(CPORT, 5353).partialChecksum().payload(u),
                        NEEDS, UDP_L4, 42, 1000, 34, 6), udp4));
        List<byte[]> datagrams = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            datagrams.add(toRs(RS1_MAC).ipv6(CLIENT6, RS6).hopLimit(63).udp(CPORT, 5353).payload(range(u, k * 1000, k * 1000 + 1000)).build());
        }
        cases.add(dnat(vector("NAT in, IPv6 UDP_L4 super-frame without offloads: three datagrams, each its own length and checksum")
                .in(fromClient().ipv6(CLIENT6, VIP6).hopLimit(64).udp(CPORT, 53).partialChecksum().payload(u))
                .vnet(NEEDS, UDP_L4, 1000, 54, 6)
                .expect(Verdict.TX)
                .out(datagrams), udp6));
        List<byte[]> withOptions = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            withOptions.add(toRs(RS1_MAC).ipv6(CLIENT6, RS6).hopLimit(63).destOptions().tcp(CPORT, DPORT).flags(ACK)
                    .seq((SEQ + k * 1400L) & 0xFFFF_FFFFL).ackSeq(ACK_SEQ).timestamps(7, 9).payload(range(bytes(2 * 1400), k * 1400, k * 1400 + 1400)).build());
        }
        cases.add(dnat(vector("NAT in, TCPv6 super-frame behind a destination options header, no offloads: the extension header in every segment")
                .in(fromClient().ipv6(CLIENT6, VIP6).hopLimit(64).destOptions().tcp(CPORT, VPORT).flags(ACK).seq(SEQ).ackSeq(ACK_SEQ)
                        .timestamps(7, 9).partialChecksum().payload(bytes(2 * 1400)))
                .vnet(NEEDS, TCPV6, 1400, 62, 16)
                .expect(Verdict.TX)
                .out(withOptions), tcp6));
        cases.add(dnat(vector("NAT in, TCPv6 super-frame with 590 octets of headers to cut: dropped (more than the segmenter's 512)")
                .in(fromClient().ipv6(CLIENT6, VIP6).hopLimit(64).extension(PacketBuilder.DEST_OPTIONS, new int[500])
                        .tcp(CPORT, VPORT).flags(ACK).seq(SEQ).ackSeq(ACK_SEQ).timestamps(7, 9).partialChecksum().payload(bytes(2 * 800)))
                .vnet(NEEDS, TCPV6, 800, 558, 16)
                .expect(DropReason.BAD_OFFLOAD.code()), tcp6));
        cases.add(XmitCase.of(vector("NAT in, TCPv4 super-frame to a port with offloads whose slots take 2048 octets: cut in software")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK | PSH, P25).partialChecksum())
                .vnet(NEEDS, TCPV4, MSS, 34, 16).txOffload()
                .expect(Verdict.TX)
                .out(built(tcpSegments(() -> toRs(RS1_MAC), CLIENT, RS1, 63, CPORT, DPORT, ACK | PSH, P25, MSS))),
                (env, f, tx) -> { env.tx.maxFrameLength = 2048; return env.nat().transmit(f, tcp4, tx); }));
        cases.add(XmitCase.of(vector("NAT in, TCPv4 super-frame, transmit ring full after the first segment: dropped")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK, P3).partialChecksum())
                .vnet(NEEDS, TCPV4, MSS, 34, 16)
                .expect(DropReason.TX_QUEUE_FULL.code())
                .out(built(tcpSegments(() -> toRs(RS1_MAC), CLIENT, RS1, 63, CPORT, DPORT, ACK, P3, MSS)).getFirst()),
                (env, f, tx) -> { env.tx.capacity = 1; return env.nat().transmit(f, tcp4, tx); }));
    }

    private static void directRoute(List<XmitCase> cases) {
        cases.add(dr(vector("DR, TCPv4 super-frame to a port with offloads: to rs1's MAC whole, TTL - 1, checksum left partial")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK, P3).partialChecksum())
                .vnet(NEEDS, TCPV4, MSS, 34, 16).txOffload()
                .expect(Verdict.TX)
                .outOffload(packet(toRs(RS1_MAC), CLIENT, VIP, 63, ID, CPORT, VPORT, ACK, P3).partialChecksum(),
                        NEEDS, TCPV4, HDR4, MSS, 34, 16), tcp(CLIENT, VIP, RS1)));
        cases.add(dr(vector("DR, TCPv6 super-frame without offloads: three segments to rs1's MAC")
                .in(packet(fromClient(), CLIENT6, VIP6, 64, 0, CPORT, VPORT, ACK | PSH, P3V6).partialChecksum())
                .vnet(NEEDS, TCPV6, MSS6, 54, 16)
                .expect(Verdict.TX)
                .out(built(tcpSegments(() -> toRs(RS1_MAC), CLIENT6, VIP6, 63, CPORT, VPORT, ACK | PSH, P3V6, MSS6))),
                tcp(CLIENT6, VIP6, RS6)));
    }

    /** Tunnels cannot carry a super-frame (no tunnel GSO type for a packet socket): each segment is encapsulated. */
    private static void tunnels(List<XmitCase> cases) {
        int mss4 = 1400, mss6 = 1380;                                 // segments that fit the tunnels' MTU (1452 / 1468)
        byte[] p4 = bytes(2 * mss4 + 700), p6 = bytes(3 * mss6);
        List<byte[]> inner4 = l3(tcpSegments(Net::fromClient, CLIENT, VIP, 63, CPORT, VPORT, ACK | PSH, p4, mss4));
        List<byte[]> inner6 = l3(tcpSegments(Net::fromClient, CLIENT6, VIP6, 63, CPORT, VPORT, ACK, p6, mss6));
        List<byte[]> ipip = new ArrayList<>(), gue = new ArrayList<>(), gre = new ArrayList<>(), remcsum = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            ipip.add(toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).ttl(63).id(0).df().ipip(inner4.get(k)).build());
            gue.add(toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).ttl(63).id(IDENT + k).udp(TunnelXmitVectors.SPORT, TunnelXmitVectors.GUE_PORT)
                    .payload(concat(gueHeader(41), inner6.get(k))).build());
            gre.add(toRs(RS1_MAC).ipv6(DIRECTOR6_IN, RS6).hopLimit(63).gre(0x0800).greChecksum().payload(inner4.get(k)).build());
            remcsum.add(toRs(RS1_MAC).ipv4(DIRECTOR_IN, RS1).ttl(63).id(0).df().udp(TunnelXmitVectors.SPORT, TunnelXmitVectors.GUE_PORT)
                    .payload(concat(gueHeader(4), inner4.get(k))).build());
        }
        PacketBuilder in4 = packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK | PSH, p4).partialChecksum();
        cases.add(tun(vector("IPIP 4in4, TCPv4 super-frame (port with offloads): cut, each segment encapsulated: DF copied, outer ID 0")
                .in(in4).vnet(NEEDS, TCPV4, mss4, 34, 16).txOffload()
                .expect(Verdict.TX)
                .out(ipip), tcp(CLIENT, VIP, RS1).tunnel(TunnelType.IPIP, 0, 0)));
        cases.add(tun(vector("GUE 6in4 --tun-csum, TCPv6 super-frame: three GUE packets, fresh outer IDs, UDP checksums")
                .in(packet(fromClient(), CLIENT6, VIP6, 64, 0, CPORT, VPORT, ACK, p6).partialChecksum())
                .vnet(NEEDS, TCPV6, mss6, 54, 16).txOffload()
                .expect(Verdict.TX)
                .gue(TunnelXmitVectors.GUE_PORT)
                .out(gue), tcp(CLIENT6, VIP6, RS1).tunnel(TunnelType.GUE, TunnelXmitVectors.GUE_PORT, TunnelType.FLAG_CSUM)));
        cases.add(tun(vector("GRE 4in6 --tun-csum, TCPv4 super-frame: three GRE packets with their checksums")
                .in(in4).vnet(NEEDS, TCPV4, mss4, 34, 16)
                .expect(Verdict.TX)
                .out(gre), tcp(CLIENT, VIP, RS6).tunnel(TunnelType.GRE, 0, TunnelType.FLAG_CSUM)));
        cases.add(tun(vector("GUE --tun-remcsum, TCPv4 super-frame: segments complete, so no remote checksum option")
                .in(in4).vnet(NEEDS, TCPV4, mss4, 34, 16)
                .expect(Verdict.TX)
                .gue(TunnelXmitVectors.GUE_PORT)
                .out(remcsum), tcp(CLIENT, VIP, RS1).tunnel(TunnelType.GUE, TunnelXmitVectors.GUE_PORT, TunnelType.FLAG_REMCSUM)));
        byte[] quote = first(packet(fromClient(), CLIENT, VIP, 63, ID, CPORT, VPORT, ACK, P3).partialChecksum().buildL3(), 548);
        cases.add(tun(vector("IPIP toward MTU 1400, TCPv4 super-frame of 1448-octet segments with DF: ICMP fragmentation needed with mtu 1380")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK, P3).partialChecksum()).vnet(NEEDS, TCPV4, MSS, 34, 16)
                .expect(DropReason.MTU_EXCEEDED.code())
                .out(icmpFrom(toClient(), VIP, CLIENT).icmpFragNeeded(1380, quote)),
                tcp(CLIENT, VIP, RS_MTU).tunnel(TunnelType.IPIP, 0, 0)));
    }

    /** The local stack (a TAP without a virtio-net header) takes neither partial checksums nor super-frames. */
    private static void local(List<XmitCase> cases) {
        cases.add(XmitCase.of(vector("local node, TCPv4 super-frame: cut into three segments with complete checksums, link header as it came, TTL kept")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK | PSH, P25).partialChecksum())
                .vnet(NEEDS, TCPV4, MSS, 34, 16).txOffload()
                .expect(Verdict.LOCAL)
                .local(built(tcpSegments(Net::fromClient, CLIENT, VIP, 64, CPORT, VPORT, ACK | PSH, P25, MSS))),
                (env, f, tx) -> env.localNode().transmit(f, null, tx)));
        cases.add(dnat(vector("NAT in to a real server that is a director address, TCPv6 super-frame: rewritten, then cut for the local port")
                .in(packet(fromClient(), CLIENT6, VIP6, 64, 0, CPORT, VPORT, ACK, P3V6).partialChecksum())
                .vnet(NEEDS, TCPV6, MSS6, 54, 16).txOffload()
                .expect(Verdict.LOCAL)
                .local(built(tcpSegments(Net::fromClient, CLIENT6, DIRECTOR6, 64, CPORT, DPORT, ACK, P3V6, MSS6))),
                tcp(CLIENT6, VIP6, DIRECTOR6)));
    }

    /** The MTU applies to the segments ({@code skb_gso_validate_network_len}), never to the super-frame. */
    private static void mtu(List<XmitCase> cases) {
        byte[] p = bytes(3 * 1348);
        cases.add(dnat(vector("NAT in, TCPv4 super-frame of 4116 octets toward MTU 1400 whose segments (20 + 32 + 1348 = 1400) fit: sent whole")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK, p).partialChecksum())
                .vnet(NEEDS, TCPV4, 1348, 34, 16).txOffload()
                .expect(Verdict.TX)
                .outOffload(packet(toRs(RS2_MAC), CLIENT, RS_MTU, 63, ID, CPORT, DPORT, ACK, p).partialChecksum(),
                        NEEDS, TCPV4, HDR4, 1348, 34, 16), tcp(CLIENT, VIP, RS_MTU)));
        byte[] quote = first(packet(fromClient(), CLIENT, VIP, 63, ID, CPORT, VPORT, ACK, P3).partialChecksum().buildL3(), 548);
        cases.add(dnat(vector("NAT in, TCPv4 super-frame with DF whose 1500-octet segments exceed MTU 1400: ICMP fragmentation needed (mtu 1400) from the VIP, quoting its head")
                .in(packet(fromClient(), CLIENT, VIP, 64, ID, CPORT, VPORT, ACK, P3).partialChecksum())
                .vnet(NEEDS, TCPV4, MSS, 34, 16).txOffload()
                .expect(DropReason.MTU_EXCEEDED.code())
                .out(icmpFrom(toClient(), VIP, CLIENT).icmpFragNeeded(1400, quote)), tcp(CLIENT, VIP, RS_MTU)));
        byte[] quote6 = first(packet(fromClient(), CLIENT6, VIP6, 63, 0, CPORT, VPORT, ACK, P3V6).partialChecksum().buildL3(), 1232);
        cases.add(dnat(vector("NAT in, TCPv6 super-frame whose segments exceed MTU 1400: ICMPv6 packet too big (mtu 1400)")
                .in(packet(fromClient(), CLIENT6, VIP6, 64, 0, CPORT, VPORT, ACK, P3V6).partialChecksum())
                .vnet(NEEDS, TCPV6, MSS6, 54, 16)
                .expect(DropReason.MTU_EXCEEDED.code())
                .out(icmpFrom(toClient(), VIP6, CLIENT6).packetTooBig(1400, quote6)), tcp(CLIENT6, VIP6, RS6_MTU)));
        byte[] quoteReply = first(packet(fromRs(RS1_MAC), RS1, CLIENT_SMALL_MTU, 64, ID, DPORT, CPORT, ACK, P3).partialChecksum().buildL3(), 548);
        cases.add(snat(vector("NAT reply, TCPv4 super-frame toward a client path of MTU 1400: ICMP fragmentation needed to the real server (ip_forward's ip_exceeds_mtu)")
                .in(packet(fromRs(RS1_MAC), RS1, CLIENT_SMALL_MTU, 64, ID, DPORT, CPORT, ACK, P3).partialChecksum())
                .vnet(NEEDS, TCPV4, MSS, 34, 16).txOffload()
                .expect(DropReason.MTU_EXCEEDED.code())
                .out(icmpFrom(toRs(RS1_MAC), DIRECTOR_IN, RS1).icmpFragNeeded(1400, quoteReply)), tcp(CLIENT_SMALL_MTU, VIP, RS1)));

        // no DF: segments, each fragmented, as ip_finish_output_gso does
        byte[] u = bytes(2 * 1472);
        List<byte[]> frags = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            byte[] d = toRs(RS2_MAC).ipv4(CLIENT, RS_MTU).ttl(63).id(ID + k).udp(CPORT, 5353).payload(range(u, k * 1472, k * 1472 + 1472)).buildL3();
            byte[] l4 = range(d, 20, d.length);
            frags.add(toRs(RS2_MAC).ipv4(CLIENT, RS_MTU).ttl(63).id(ID + k).fragment(0, true).protocol(17).payload(range(l4, 0, 1376)).build());
            frags.add(toRs(RS2_MAC).ipv4(CLIENT, RS_MTU).ttl(63).id(ID + k).fragment(1376, false).protocol(17).payload(range(l4, 1376, l4.length)).build());
        }
        cases.add(dnat(vector("NAT in, IPv4 UDP_L4 super-frame without DF whose 1500-octet datagrams exceed MTU 1400 (port with offloads): cut, each datagram in two fragments")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID).udp(CPORT, 53).partialChecksum().payload(u))
                .vnet(NEEDS, UDP_L4, 1472, 34, 6).txOffload()
                .expect(Verdict.TX)
                .out(frags), conn(IpProto.IPPROTO_UDP, CLIENT, CPORT, VIP, 53, RS_MTU, 5353)));
    }

    // ---------------------------------------------------------------- builders

    /** A TCP packet with the vectors' sequence numbers and timestamps; IPv4 with DF and {@code id}. */
    static PacketBuilder packet(PacketBuilder l2, String src, String dst, int ttl, int id, int sport, int dport, int flags, byte[] payload) {
        return tcpAt(l2, src, dst, ttl, id, sport, dport, flags, SEQ, payload);
    }

    private static PacketBuilder tcpAt(PacketBuilder l2, String src, String dst, int ttl, int id, int sport, int dport, int flags,
                                       long seq, byte[] payload) {
        PacketBuilder b = FakeNextHops.v6(src) ? l2.ipv6(src, dst).hopLimit(ttl) : l2.ipv4(src, dst).ttl(ttl).id(id).df();
        return b.tcp(sport, dport).flags(flags).seq(seq).ackSeq(ACK_SEQ).timestamps(7, 9).payload(payload);
    }

    /**
     * The segments the kernel cuts a super-frame of {@code payload} into: IPv4 ID {@link V#ID} + k, sequence
     * number + k * mss, FIN and PSH only on the last, CWR only on the first, complete checksums.
     */
    static List<PacketBuilder> tcpSegments(Supplier<PacketBuilder> l2, String src, String dst, int ttl, int sport, int dport,
                                           int flags, byte[] payload, int mss) {
        List<PacketBuilder> out = new ArrayList<>();
        int n = (payload.length + mss - 1) / mss;
        for (int k = 0; k < n; k++) {
            boolean last = k == n - 1;
            int f = flags;
            if (!last) f &= ~(FIN | PSH);
            if (k > 0) f &= ~CWR;
            out.add(tcpAt(l2.get(), src, dst, ttl, ID + k, sport, dport, f, (SEQ + (long) k * mss) & 0xFFFF_FFFFL,
                    range(payload, k * mss, Math.min(payload.length, (k + 1) * mss))));
        }
        return out;
    }

    static List<byte[]> built(List<PacketBuilder> bs) {
        List<byte[]> out = new ArrayList<>();
        for (PacketBuilder b : bs) out.add(b.build());
        return out;
    }

    static List<byte[]> l3(List<PacketBuilder> bs) {
        List<byte[]> out = new ArrayList<>();
        for (PacketBuilder b : bs) out.add(b.buildL3());
        return out;
    }

    static XmitCase dnat(Vector v, XmitConn conn) { return XmitCase.of(v, (env, f, tx) -> env.nat().transmit(f, conn, tx)); }

    static XmitCase snat(Vector v, XmitConn conn) { return XmitCase.of(v, (env, f, tx) -> env.nat().reply(f, conn, tx)); }

    static XmitCase dr(Vector v, XmitConn conn) { return XmitCase.of(v, (env, f, tx) -> env.dr().transmit(f, conn, tx)); }

    static XmitCase tun(Vector v, XmitConn conn) { return XmitCase.of(v, (env, f, tx) -> env.tunnel().transmit(f, conn, tx)); }
}
