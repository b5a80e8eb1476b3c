package io.jlvs.director;

import io.jlvs.conn.ConnFlags;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;
import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.jlvs.director.DirectorHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code --pe sip}: persistence by Call-ID on a director driven by a fake clock. */
class SipPersistenceTest {
    static final int SIP = 5060;
    final DirectorHarness h = new DirectorHarness();

    /** {@code ipvsadm -A -u VIP:5060 -s rr -p timeout [-o] --pe sip}, real servers rs1 (head) and rs2, NAT. */
    VirtualService sipService(String vip, int timeoutSec, boolean onePacket, String... rs) {
        int flags = VirtualService.F_PERSISTENT | (onePacket ? VirtualService.F_ONEPACKET : 0);
        ServiceKey key = vip.contains(":") ? ServiceKey.of(17, io.jlvs.service.IpAddr.parse(vip), SIP) : ServiceKey.udp(vip, SIP);
        VirtualService svc = new VirtualService(key, SchedulerRegistry.create("rr"), flags, timeoutSec,
                vip.contains(":") ? 128 : -1, "sip");
        assertThat(h.services.add(svc)).isTrue();
        for (int i = rs.length - 1; i >= 0; i--) add(svc, rs[i], SIP, FwdMethod.MASQ, 1);
        return svc;
    }

    static String invite(String callIdHeader) {
        return "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
                + "To: Bob <sip:bob@biloxi.example.com>\r\n"
                + "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
                + callIdHeader + "\r\n"
                + "CSeq: 314159 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static PacketBuilder sipFrom(String client, int cport, String vip, String callIdHeader) {
        PacketBuilder b = client.contains(":") ? fromClient().ipv6(client, vip) : fromClient().ipv4(client, vip);
        return b.udp(cport, SIP).payload(invite(callIdHeader).getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends one request and returns the real server it went to (address only). */
    String request(String client, int cport, String callIdHeader) {
        return request(client, cport, client.contains(":") ? VIP6 : VIP, callIdHeader);
    }

    String request(String client, int cport, String vip, String callIdHeader) {
        assertThat(h.in(sipFrom(client, cport, vip, callIdHeader))).isEqualTo(Verdict.TX);
        Flow out = h.sent();
        return addr(out.af, out.dstHi, out.dstLo);
    }

    int templates() {
        int[] n = {0};
        h.conns.forEach(c -> { if ((h.conns.flags(c) & ConnFlags.TEMPLATE) != 0) n[0]++; });
        return n[0];
    }

    @Test
    void sameCallIdFromAnotherPortLandsOnTheSameRealServer() {
        sipService(VIP, 60, false, RS1, RS2);
        assertThat(request(CLIENT, 5060, "Call-ID: a84b4c76e66710@pc33.atlanta.example.com")).isEqualTo(RS1);
        assertThat(request(CLIENT, 5070, "Call-ID: a84b4c76e66710@pc33.atlanta.example.com")).isEqualTo(RS1);
        assertThat(request(CLIENT, 5080, "Call-ID: a84b4c76e66710@pc33.atlanta.example.com")).isEqualTo(RS1);
        assertThat(templates()).isEqualTo(1);
        assertThat(h.conns.size()).isEqualTo(4);                              // three connections, one template
        assertThat(h.director.persistenceData().size()).isEqualTo(1);
    }

    @Test
    void differentCallIdsAreScheduledEachOnItsOwn() {
        sipService(VIP, 60, false, RS1, RS2);
        List<String> got = new ArrayList<>();
        for (int call = 0; call < 6; call++) got.add(request(CLIENT, 5060 + call, "Call-ID: call" + call));
        assertThat(got).containsExactly(RS1, RS2, RS1, RS2, RS1, RS2);       // rr, one template per call
        assertThat(templates()).isEqualTo(6);
        // each call keeps its server
        for (int call = 5; call >= 0; call--) {
            assertThat(request(CLIENT, 6000 + call, "Call-ID: call" + call)).isEqualTo(call % 2 == 0 ? RS1 : RS2);
        }
        assertThat(templates()).isEqualTo(6);
    }

    @Test
    void theSameCallIdFromAnotherClientNetworkIsAnotherTemplate() {
        sipService(VIP, 60, false, RS1, RS2);
        assertThat(request(CLIENT, 5060, "Call-ID: shared")).isEqualTo(RS1);
        assertThat(request(CLIENT2, 5060, "Call-ID: shared")).isEqualTo(RS2);  // the client address is in the key
        assertThat(templates()).isEqualTo(2);
    }

    @Test
    void compactFormIsTheSameCallId() {
        sipService(VIP, 60, false, RS1, RS2);
        assertThat(request(CLIENT, 5060, "Call-ID: compact@host")).isEqualTo(RS1);
        assertThat(request(CLIENT, 5061, "i: compact@host")).isEqualTo(RS1);
        assertThat(request(CLIENT, 5062, "i:compact@host")).isEqualTo(RS1);
        assertThat(request(CLIENT, 5063, "call-id: other")).isEqualTo(RS2);
        assertThat(templates()).isEqualTo(2);
    }

    @Test
    void missingCallIdIsDroppedWithoutIcmpAsTheKernelDoes() {
        sipService(VIP, 60, false, RS1, RS2);
        assertThat(h.in(sipFrom(CLIENT, 5060, VIP, "Subject: no call id"))).isEqualTo(DropReason.NO_PE_DATA.code());
        assertThat(h.tx.frames).isEmpty();                                     // *ignored = -1: NF_DROP, no ICMP
        assertThat(h.conns.size()).isZero();
        assertThat(h.director.drops(DropReason.NO_PE_DATA)).isEqualTo(1);
        // an empty datagram, a Call-ID not ended by CR/LF
        assertThat(h.in(fromClient().ipv4(CLIENT, VIP).udp(5060, SIP))).isEqualTo(DropReason.NO_PE_DATA.code());
        assertThat(h.in(fromClient().ipv4(CLIENT, VIP).udp(5060, SIP).payload("OPTIONS sip:x SIP/2.0\r\nCall-ID: x")))
                .isEqualTo(DropReason.NO_PE_DATA.code());
        assertThat(h.conns.size()).isZero();
        // the next good request is scheduled as if nothing happened
        assertThat(request(CLIENT, 5060, "Call-ID: good")).isEqualTo(RS1);
    }

    @Test
    void missingCallIdIsDroppedEvenWithoutRealServers() {
        sipService(VIP, 60, false);
        assertThat(h.in(sipFrom(CLIENT, 5060, VIP, "Subject: none"))).isEqualTo(DropReason.NO_PE_DATA.code());
        assertThat(h.tx.frames).isEmpty();
        // with a Call-ID: ip_vs_leave, ICMP port unreachable
        assertThat(h.in(sipFrom(CLIENT, 5060, VIP, "Call-ID: x"))).isEqualTo(DropReason.NO_REAL_SERVER.code());
        assertThat(h.tx.frames).hasSize(1);
        assertThat(h.director.persistenceData().size()).isZero();
    }

    @Test
    void aTcpServiceWithPeSipDropsEveryNewConnection() {
        VirtualService svc = new VirtualService(ServiceKey.tcp(VIP, SIP), SchedulerRegistry.create("rr"),
                VirtualService.F_PERSISTENT, 60, -1, "sip");
        h.services.add(svc);
        add(svc, RS1, SIP, FwdMethod.MASQ, 1);
        assertThat(h.in(tcpIn(CLIENT, 40000, VIP, SIP).syn().payload("x\r\nCall-ID: tcp\r\n")))
                .isEqualTo(DropReason.NO_PE_DATA.code());                     // fill_param: "Only useful with UDP"
        assertThat(h.conns.size()).isZero();
    }

    @Test
    void templatesExpireAndTakeTheirCallIdWithThem() {
        VirtualService svc = sipService(VIP, 60, false, RS1, RS2);
        RealServer rs1 = svc.dests()[0];
        assertThat(request(CLIENT, 5060, "Call-ID: expiring")).isEqualTo(RS1);
        assertThat(rs1.persistConns()).isEqualTo(1);
        // the UDP connection lives 300 s; the template outlives it (60 s, then 60 s more while it controls one)
        h.advanceSeconds(299);
        assertThat(templates()).isEqualTo(1);
        assertThat(request(CLIENT, 5062, "Call-ID: expiring")).isEqualTo(RS1);
        h.advanceSeconds(299);
        assertThat(request(CLIENT, 5064, "Call-ID: expiring")).isEqualTo(RS1);
        h.advanceSeconds(301 + 61);
        assertThat(h.conns.size()).isZero();
        assertThat(h.director.persistenceData().size()).isZero();
        assertThat(rs1.persistConns()).isZero();
        assertThat(rs1.activeConns() + rs1.inactConns()).isZero();
        // a new call with the same Call-ID is a new template: rr moved on to rs2
        assertThat(request(CLIENT, 5060, "Call-ID: expiring")).isEqualTo(RS2);
    }

    @Test
    void onePacketSchedulingKeepsTheCallOnItsServer() {
        // -o with --pe sip, the combination SIP load balancing uses: every datagram a connection of its own
        VirtualService svc = sipService(VIP, 60, true, RS1, RS2);
        assertThat(request(CLIENT, 5060, "Call-ID: ops-a")).isEqualTo(RS1);
        assertThat(request(CLIENT, 5060, "Call-ID: ops-b")).isEqualTo(RS2);
        for (int i = 0; i < 5; i++) {
            assertThat(request(CLIENT, 5060 + i, "Call-ID: ops-a")).isEqualTo(RS1);
            assertThat(request(CLIENT, 5060 + i, "Call-ID: ops-b")).isEqualTo(RS2);
        }
        h.advanceSeconds(1);
        assertThat(h.conns.size()).isEqualTo(2);                              // the two templates only
        assertThat(svc.dests()[0].inactConns() + svc.dests()[0].activeConns()).isZero();
        assertThat(svc.dests()[0].persistConns()).isEqualTo(1);
    }

    @Test
    void usingATemplateRestartsItsTimer() {
        sipService(VIP, 60, true, RS1, RS2);
        assertThat(request(CLIENT, 5060, "Call-ID: kept")).isEqualTo(RS1);
        for (int i = 0; i < 5; i++) {                                         // every 50 s for 250 s
            h.advanceSeconds(50);
            assertThat(request(CLIENT, 5060, "Call-ID: kept")).isEqualTo(RS1);
        }
        h.advanceSeconds(61);
        assertThat(h.conns.size()).isZero();
        assertThat(h.director.persistenceData().size()).isZero();
    }

    @Test
    void ipv6() {
        String rs6b = "2001:db8:1::c";                                        // reached through the default route
        sipService(VIP6, 60, false, RS6, rs6b);
        assertThat(request(CLIENT6, 5060, "Call-ID: v6@host")).isEqualTo(RS6);
        assertThat(request(CLIENT6, 5062, "i: v6@host")).isEqualTo(RS6);
        assertThat(request(CLIENT6, 5064, "Call-ID: other-v6@host")).isEqualTo(rs6b);
        assertThat(request(CLIENT6, 5066, "Call-ID: v6@host")).isEqualTo(RS6);
        assertThat(templates()).isEqualTo(2);
        assertThat(h.in(sipFrom(CLIENT6, 5068, VIP6, "X: none"))).isEqualTo(DropReason.NO_PE_DATA.code());
    }

    @Test
    void aRemovedServersTemplateIsNotReused() {
        VirtualService svc = sipService(VIP, 60, false, RS1, RS2);
        assertThat(request(CLIENT, 5060, "Call-ID: moving")).isEqualTo(RS1);
        svc.removeDest(svc.dests()[0]);
        h.cfg.expireNodestConn = true;
        assertThat(request(CLIENT, 5070, "Call-ID: moving")).isEqualTo(RS2);  // ip_vs_check_template fails
        assertThat(request(CLIENT, 5080, "Call-ID: moving")).isEqualTo(RS2);
    }
}
