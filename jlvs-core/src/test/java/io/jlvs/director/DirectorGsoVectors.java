package io.jlvs.director;

import io.jlvs.packet.DropReason;
import io.jlvs.service.FwdMethod;
import io.jlvs.testkit.Gso;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.Verdict;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.jlvs.director.DirectorHarness.*;
import static io.jlvs.director.DirectorVectors.*;
import static io.jlvs.testkit.Vector.vector;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GSO super-frames through the whole spine ({@link Director#ingress}), as a receive ring with
 * {@code PACKET_VNET_HDR} hands them over (veth, or a NIC with GRO): a connection is opened with an ordinary SYN,
 * then the data comes as super-frames, in both directions for NAT, sent whole with their virtio-net header where
 * the port takes one and cut into segments where it does not; a header that does not fit the packet is a drop.
 */
class DirectorGsoVectors {
    static final int MSS = 1448;
    static final byte[] DATA3 = DirectorVectors.bytes(3 * MSS);

    @TestFactory
    Stream<DynamicTest> vectors() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name, () -> assertThat(c.run()).as(c.name).isEmpty()));
    }

    static List<DirectorCase> cases() {
        List<DirectorCase> cases = new ArrayList<>();
        cases.add(DirectorCase.of("NAT TCPv4 with GSO both ways, ports with offloads",
                        h -> add(service(h, TCP, VIP, VPORT, "rr"), RS1, NAT_PORT, FwdMethod.MASQ, 1))
                .packet(vector("SYN: scheduled to rs1:8080")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, VPORT))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID1), CPORT, NAT_PORT)))
                .packet(vector("super-frame of 3 x 1448 from the client: DNAT once, sent whole (NEEDS_CSUM, TCPV4 1448)")
                        .in(data(ip(fromClient(), CLIENT, VIP, 64, ID2), CPORT, VPORT).partialChecksum())
                        .vnet(Gso.NEEDS_CSUM, Gso.TCPV4, MSS, 34, 16).txOffload()
                        .expect(Verdict.TX)
                        .outOffload(data(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID2), CPORT, NAT_PORT).partialChecksum(),
                                Gso.NEEDS_CSUM, Gso.TCPV4, 54, MSS, 34, 16))
                .packet(vector("super-frame from rs1 (GRO on its link): SNAT once, sent whole to the client")
                        .in(data(ip(fromRs(RS1_MAC), RS1, CLIENT, 64, ID3), NAT_PORT, CPORT).partialChecksum())
                        .vnet(Gso.NEEDS_CSUM, Gso.TCPV4, MSS, 34, 16).txOffload()
                        .expect(Verdict.TX)
                        .outOffload(data(ip(toClient(), VIP, CLIENT, 63, ID3), VPORT, CPORT).partialChecksum(),
                                Gso.NEEDS_CSUM, Gso.TCPV4, 54, MSS, 34, 16)));
        int mss6 = 1440;                                              // 40 + 20 + 1440 = 1500
        byte[] data6 = DirectorVectors.bytes(3 * mss6);
        List<byte[]> segments6 = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            segments6.add(toRs(RS6_MAC).ipv6(CLIENT6, RS6).hopLimit(63).tcp(CPORT, NAT_PORT).ack()
                    .seq(1001 + k * mss6).ackSeq(5001).payload(Arrays.copyOfRange(data6, k * mss6, (k + 1) * mss6)).build());
        }
        cases.add(DirectorCase.of("NAT TCPv6 with GSO, port without offloads",
                        h -> add(service(h, TCP, VIP6, VPORT, "rr"), RS6, NAT_PORT, FwdMethod.MASQ, 1))
                .packet(vector("SYN: scheduled to rs6:8080")
                        .in(tcpSyn(ip(fromClient(), CLIENT6, VIP6, 64, 0), CPORT, VPORT))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS6_MAC), CLIENT6, RS6, 63, 0), CPORT, NAT_PORT)))
                .packet(vector("super-frame of 3 x 1440: DNAT, cut into three segments with complete checksums")
                        .in(fromClient().ipv6(CLIENT6, VIP6).hopLimit(64).tcp(CPORT, VPORT).ack().seq(1001).ackSeq(5001)
                                .partialChecksum().payload(data6))
                        .vnet(Gso.NEEDS_CSUM, Gso.TCPV6, mss6, 54, 16)
                        .expect(Verdict.TX)
                        .out(segments6)));
        List<byte[]> tunnelled = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            tunnelled.add(ipip(RS1, fromClient().ipv4(CLIENT, VIP).ttl(63).id(ID2 + k).df().tcp(CPORT, VPORT).ack()
                    .seq(1001 + k * 1400).ackSeq(5001).payload(Arrays.copyOfRange(DirectorVectors.bytes(3 * 1400), k * 1400, (k + 1) * 1400))).build());
        }
        cases.add(DirectorCase.of("TUN TCPv4 with GSO: each segment encapsulated",
                        h -> add(service(h, TCP, VIP, VPORT, "rr"), RS1, VPORT, FwdMethod.TUNNEL, 1))
                .packet(vector("SYN: IP-in-IP to rs1")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, VPORT))
                        .expect(Verdict.TX)
                        .out(ipip(RS1, tcpSyn(ip(fromClient(), CLIENT, VIP, 63, ID1), CPORT, VPORT))))
                .packet(vector("super-frame of 3 x 1400 (port with offloads): three IP-in-IP packets")
                        .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID2).df().tcp(CPORT, VPORT).ack().seq(1001).ackSeq(5001)
                                .partialChecksum().payload(DirectorVectors.bytes(3 * 1400)))
                        .vnet(Gso.NEEDS_CSUM, Gso.TCPV4, 1400, 34, 16).txOffload()
                        .expect(Verdict.TX)
                        .out(tunnelled)));
        cases.add(DirectorCase.of("BAD_OFFLOAD", h -> add(service(h, TCP, VIP, VPORT, "rr"), RS1, NAT_PORT, FwdMethod.MASQ, 1))
                .packet(vector("IPv4 TCP frame whose virtio-net header says TCPV6: dropped before anything else")
                        .in(data(ip(fromClient(), CLIENT, VIP, 64, ID2), CPORT, VPORT).partialChecksum())
                        .vnet(Gso.NEEDS_CSUM, Gso.TCPV6, MSS, 34, 16).txOffload()
                        .expect(DropReason.BAD_OFFLOAD.code())));
        return cases;
    }

    /** An ACK with {@link #DATA3}, established-connection sequence numbers. */
    private static PacketBuilder data(PacketBuilder ip, int sport, int dport) {
        return ip.tcp(sport, dport).ack().seq(1001).ackSeq(5001).payload(DATA3);
    }

    @Test
    void aBadOffloadIsCountedAsADrop() {
        DirectorHarness h = new DirectorHarness();
        int v = h.in(data(ip(fromClient(), CLIENT, VIP, 64, ID2), CPORT, VPORT).partialChecksum().build(), 0,
                new int[] {Gso.NEEDS_CSUM, Gso.UDP_L4, MSS, 34, 16}, true);
        assertThat(v).isEqualTo(DropReason.BAD_OFFLOAD.code());
        assertThat(h.director.drops(DropReason.BAD_OFFLOAD)).isEqualTo(1);
    }
}
