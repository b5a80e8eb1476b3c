package io.jlvs.director;

import io.jlvs.app.FtpHelper;
import io.jlvs.app.SeqAdjust;
import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;
import io.jlvs.packet.PacketParser;
import io.jlvs.proto.TcpProtocol;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.Verdict;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static io.jlvs.director.DirectorHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * FTP through a NAT service on port 21, packet by packet through the director ({@code ip_vs_ftp} with
 * {@code ip_vs_app}'s sequence bookkeeping). Every frame sent is re-verified by the testkit's checksum oracle
 * (the harness does it); the control connection is followed with the sequence numbers each end uses.
 */
class DirectorFtpTest {
    static final int CPORT = 40000;
    /** 156 * 256 + 64: the real server's passive port. */
    static final int PASV_PORT = 40000;
    /** 195 * 256 + 80: the client's active port. */
    static final int ACTIVE_PORT = 50000;

    final DirectorHarness h = new DirectorHarness();

    /** A TCP segment as it left the director. */
    record Out(String src, String dst, int flags, long seq, long ack, String payload, int ipLength) {}

    static Out out(byte[] frame) {
        Flow f = new Flow();
        PacketParser p = new PacketParser();
        MemorySegment seg = MemorySegment.ofArray(frame);
        assertThat(p.parse(seg, frame.length, f)).isEqualTo(PacketParser.OK);
        byte[] payload = seg.asSlice(p.payloadOffset(), p.payloadLength()).toArray(ValueLayout.JAVA_BYTE);
        return new Out(src(f), dst(f), p.tcp().flags(), p.tcp().seq() & 0xFFFF_FFFFL, p.tcp().ackSeq() & 0xFFFF_FFFFL,
                new String(payload, StandardCharsets.US_ASCII), (int) (p.l3End() - p.l3Offset()));
    }

    /** The one frame the director sent, as a segment. */
    Out sent() {
        assertThat(h.tx.frames).hasSize(1);
        return out(h.tx.frames.get(0));
    }

    /** A data segment of the control connection from the client (v4 or v6 by the address). */
    Out client(String client, String vip, String text, long seq, long ack) {
        assertThat(h.in(tcpIn(client, CPORT, vip, 21).ack().psh().seq(seq).ackSeq(ack).payload(text))).isEqualTo(Verdict.TX);
        return sent();
    }

    Out server(String rs, String mac, int rport, String client, String text, long seq, long ack) {
        PacketBuilder b = rs.contains(":") ? fromRs(mac).ipv6(rs, client) : fromRs(mac).ipv4(rs, client);
        assertThat(h.in(b.tcp(rport, CPORT).ack().psh().seq(seq).ackSeq(ack).payload(text))).isEqualTo(Verdict.TX);
        return sent();
    }

    /** SYN, SYN-ACK, ACK: client ISN 1000, server ISN 5000; returns the control connection. */
    int handshake(String client, String vip, String rs, String mac, int rport) {
        assertThat(h.in(tcpIn(client, CPORT, vip, 21).syn().seq(1000))).isEqualTo(Verdict.TX);
        PacketBuilder b = rs.contains(":") ? fromRs(mac).ipv6(rs, client) : fromRs(mac).ipv4(rs, client);
        assertThat(h.in(b.tcp(rport, CPORT).syn().ack().seq(5000).ackSeq(1001))).isEqualTo(Verdict.TX);
        assertThat(h.in(tcpIn(client, CPORT, vip, 21).ack().seq(1001).ackSeq(5001))).isEqualTo(Verdict.TX);
        int c = conn(client, CPORT, vip, 21);
        assertThat(h.conns.state(c)).isEqualTo(TcpProtocol.S_ESTABLISHED);
        return c;
    }

    int conn(String client, int cport, String vip, int vport) {
        IpAddr c = IpAddr.parse(client), v = IpAddr.parse(vip);
        int af = client.contains(":") ? Flow.AF_INET6 : Flow.AF_INET;
        return h.conns.lookupIn(af, 6, c.hi(), c.lo(), cport, v.hi(), v.lo(), vport);
    }

    VirtualService natFtp() {
        VirtualService svc = h.service(ServiceKey.tcp(VIP, 21), "rr");
        add(svc, RS1, 21, FwdMethod.MASQ, 1);
        return svc;
    }

    // ------------------------------------------------------------------------------------------- passive

    @Test
    void passiveSession227RewrittenToTheVipSequenceNumbersFollowAndTheDataConnectionReachesTheServer() {
        VirtualService svc = natFtp();
        RealServer rs1 = svc.dests()[0];
        int ctl = handshake(CLIENT, VIP, RS1, RS1_MAC, 21);
        assertThat(h.director.apps().isBound(ctl)).as("a NAT connection to port 21 gets the FTP helper").isTrue();
        assertThat(h.director.apps().helperOf(ctl)).isInstanceOf(FtpHelper.class);

        String banner = "220 jlvs ftp\r\n";
        Out o = server(RS1, RS1_MAC, 21, CLIENT, banner, 5001, 1001);
        assertThat(o).isEqualTo(new Out(VIP + ":21", CLIENT + ":" + CPORT, 0x18, 5001, 1001, banner, 20 + 20 + banner.length()));
        long s = 5001 + banner.length(), c = 1001;

        o = client(CLIENT, VIP, "USER anonymous\r\n", c, s);
        assertThat(o.payload()).isEqualTo("USER anonymous\r\n");
        c += 16;
        o = server(RS1, RS1_MAC, 21, CLIENT, "230 ok\r\n", s, c);
        s += 8;
        o = client(CLIENT, VIP, "PASV\r\n", c, s);
        assertThat(o.dst()).isEqualTo(RS1 + ":21");
        c += 6;
        assertThat(h.director.apps().seqAdjust().appData(ctl)).isEqualTo(FtpHelper.PASV);

        // 227 with the real server's address (12 characters) becomes the VIP's (10): 2 octets shorter
        String reply = "227 Entering Passive Mode (203,0,113,11,156,64).\r\n";
        String rewritten = "227 Entering Passive Mode (192,0,2,10,156,64).\r\n";
        o = server(RS1, RS1_MAC, 21, CLIENT, reply, s, c);
        assertThat(o.payload()).isEqualTo(rewritten);
        assertThat(o.ipLength()).isEqualTo(40 + rewritten.length());
        assertThat(o.seq()).as("the resized packet keeps its sequence number").isEqualTo(s);
        assertThat(o.src()).isEqualTo(VIP + ":21");
        assertThat(h.director.apps().seqAdjust().appData(ctl)).isEqualTo(FtpHelper.ACTIVE);
        SeqAdjust seq = h.director.apps().seqAdjust();
        assertThat(h.conns.flags(ctl) & ConnFlags.SEQ_MASK).isEqualTo(ConnFlags.OUT_SEQ);
        assertThat(seq.initSeq(ctl, false)).isEqualTo((int) s);
        assertThat(seq.delta(ctl, false)).isEqualTo(-2);
        assertThat(seq.previousDelta(ctl, false)).isZero();

        // the passive data connection: client:0 -> VIP:40000, to rs1:40000, NO_CPORT, controlled, LISTEN
        int data = conn(CLIENT, 12345, VIP, PASV_PORT);                    // found by the cport-0 retry
        assertThat(data).isNotEqualTo(ConnTable.NONE);
        assertThat(h.conns.flags(data) & (ConnFlags.NO_CPORT | ConnFlags.FWD_MASK)).isEqualTo(ConnFlags.NO_CPORT | ConnFlags.MASQ);
        assertThat(h.conns.control(data)).isEqualTo(ctl);
        assertThat(h.conns.nControl(ctl)).isEqualTo(1);
        assertThat(h.conns.state(data)).isEqualTo(TcpProtocol.S_LISTEN);
        assertThat(h.conns.timeoutMs(data)).isEqualTo(120_000);
        assertThat(addr(Flow.AF_INET, h.conns.daddrHi(data), h.conns.daddrLo(data))).isEqualTo(RS1);
        assertThat(h.conns.dport(data)).isEqualTo(PASV_PORT);
        assertThat(h.director.apps().isBound(data)).isFalse();
        assertThat(rs1.inactConns()).as("the data connection counts as inactive on rs1").isEqualTo(1);
        assertThat(svc.stats().conns()).as("not a scheduled connection").isEqualTo(1);

        // later server data: its sequence numbers move by the delta; the client's acks move back
        long s2 = s + reply.length();                                       // the server's numbering
        o = server(RS1, RS1_MAC, 21, CLIENT, "150 here it comes\r\n", s2, c);
        assertThat(o.seq()).isEqualTo(s2 - 2);
        o = client(CLIENT, VIP, "", c, s2 - 2 + 19);                        // the client acks what it saw
        assertThat(o.ack()).as("the server sees its own numbering").isEqualTo(s2 + 19);
        assertThat(o.seq()).isEqualTo(c);
        o = client(CLIENT, VIP, "", c, s - 2);                              // at init_seq + delta
        assertThat(o.ack()).as("not after init_seq + delta: previous_delta (0)").isEqualTo(s - 2);
        o = client(CLIENT, VIP, "", c, s);
        assertThat(o.ack()).as("vs_fix_ack_seq compares with init_seq + delta: with a negative delta, an ack of the"
                + " reply's first octet already takes the delta (conntrack would compare ack - previous_delta)").isEqualTo(s + 2);
        o = server(RS1, RS1_MAC, 21, CLIENT, reply, s, c);                  // a retransmission of the 227
        assertThat(o.seq()).as("not after init_seq: previous_delta").isEqualTo(s);
        assertThat(o.payload()).as("passive mode is over: the kernel does not rewrite it again").isEqualTo(reply);

        // the client opens the data connection to VIP:40000 from a port of its own
        assertThat(h.in(tcpIn(CLIENT, 50123, VIP, PASV_PORT).syn().seq(77))).isEqualTo(Verdict.TX);
        o = sent();
        assertThat(o.src()).isEqualTo(CLIENT + ":50123");
        assertThat(o.dst()).isEqualTo(RS1 + ":" + PASV_PORT);
        assertThat(h.conns.flags(data) & ConnFlags.NO_CPORT).as("ip_vs_conn_fill_cport").isZero();
        assertThat(h.conns.cport(data)).isEqualTo(50123);
        assertThat(conn(CLIENT, 50123, VIP, PASV_PORT)).isEqualTo(data);
        assertThat(h.conns.state(data)).isEqualTo(TcpProtocol.S_SYN_RECV);
        assertThat(h.in(fromRs(RS1_MAC).ipv4(RS1, CLIENT).tcp(PASV_PORT, 50123).syn().ack().seq(9000).ackSeq(78)))
                .isEqualTo(Verdict.TX);
        o = sent();
        assertThat(o.src()).isEqualTo(VIP + ":" + PASV_PORT);
        assertThat(o.dst()).isEqualTo(CLIENT + ":50123");
        assertThat(o.seq()).as("data connections are not adjusted").isEqualTo(9000);

        // the control connection outlives its data connection; when both go, nothing is left bound
        h.advanceSeconds(16 * 60);
        assertThat(h.conns.size()).isZero();
        assertThat(h.director.apps().seqAdjust().bound()).isZero();
        assertThat(rs1.activeConns() + rs1.inactConns()).isZero();
    }

    @Test
    void aLongerAddressGrowsTheReplyAndSequenceNumbersMoveForward() {
        VirtualService svc = h.service(ServiceKey.tcp("192.0.2.10", 21), "rr");
        add(svc, RS1, 21, FwdMethod.MASQ, 1);
        int ctl = handshake(CLIENT, VIP, RS1, RS1_MAC, 21);
        client(CLIENT, VIP, "PASV\r\n", 1001, 5001);
        // a server that announces a short address: "10,1,2,3" (8) becomes "192,0,2,10" (10)
        String reply = "227 =10,1,2,3,4,1\r\n";
        Out o = server(RS1, RS1_MAC, 21, CLIENT, reply, 5001, 1007);
        assertThat(o.payload()).isEqualTo("227 =192,0,2,10,4,1\r\n");
        assertThat(o.ipLength()).isEqualTo(40 + reply.length() + 2);
        int data = conn(CLIENT, 1, VIP, 1025);
        assertThat(addr(Flow.AF_INET, h.conns.daddrHi(data), h.conns.daddrLo(data))).as("the announced address").isEqualTo("10.1.2.3");
        // two more rewrites: delta accumulates, previous_delta keeps the last
        long s = 5001 + reply.length();
        client(CLIENT, VIP, "PASV\r\n", 1007, s + 2);
        o = server(RS1, RS1_MAC, 21, CLIENT, reply, s, 1013);
        assertThat(o.seq()).isEqualTo(s + 2);
        assertThat(o.payload()).isEqualTo("227 =192,0,2,10,4,1\r\n");
        SeqAdjust seq = h.director.apps().seqAdjust();
        assertThat(seq.delta(ctl, false)).isEqualTo(4);
        assertThat(seq.previousDelta(ctl, false)).isEqualTo(2);
        assertThat(seq.initSeq(ctl, false)).isEqualTo((int) s);
        o = server(RS1, RS1_MAC, 21, CLIENT, "226 done\r\n", s + reply.length(), 1013);
        assertThat(o.seq()).isEqualTo(s + reply.length() + 4);
        o = client(CLIENT, VIP, "", 1013, s + reply.length() + 4 + 10);
        assertThat(o.ack()).isEqualTo(s + reply.length() + 10);
        o = client(CLIENT, VIP, "", 1013, s + 2);                           // acks the first reply only
        assertThat(o.ack()).as("before init_seq + delta: previous_delta").isEqualTo(s);
        assertThat(h.conns.nControl(ctl)).as("the second 227 found the same data connection").isEqualTo(1);
    }

    @Test
    void aReplySplitAcrossSegmentsIsNotRewrittenAsTheKernelDoesNotReassembleEither() {
        natFtp();
        int ctl = handshake(CLIENT, VIP, RS1, RS1_MAC, 21);
        client(CLIENT, VIP, "PASV\r\n", 1001, 5001);
        Out o = server(RS1, RS1_MAC, 21, CLIENT, "227 Entering Pass", 5001, 1007);
        assertThat(o.payload()).isEqualTo("227 Entering Pass");
        o = server(RS1, RS1_MAC, 21, CLIENT, "ive Mode (203,0,113,11,156,64)\r\n", 5018, 1007);
        assertThat(o.payload()).isEqualTo("ive Mode (203,0,113,11,156,64)\r\n");
        assertThat(h.conns.nControl(ctl)).isZero();
        assertThat(h.director.apps().seqAdjust().appData(ctl)).as("still waiting for a whole 227").isEqualTo(FtpHelper.PASV);
        assertThat(h.conns.flags(ctl) & ConnFlags.SEQ_MASK).isZero();
    }

    @Test
    void aReplyWithoutPasvIsNotTouchedAndNeitherIsAnythingBeforeEstablished() {
        natFtp();
        int ctl = handshake(CLIENT, VIP, RS1, RS1_MAC, 21);
        Out o = server(RS1, RS1_MAC, 21, CLIENT, "227 Entering Passive Mode (203,0,113,11,156,64)\r\n", 5001, 1001);
        assertThat(o.payload()).contains("203,0,113,11");                 // no PASV was asked
        assertThat(h.conns.nControl(ctl)).isZero();
        // a client FIN: the connection leaves ESTABLISHED, so a PASV on it is not noted
        assertThat(h.in(tcpIn(CLIENT, CPORT, VIP, 21).fin().ack().seq(1001).ackSeq(5052).payload("PASV\r\n"))).isEqualTo(Verdict.TX);
        assertThat(h.director.apps().seqAdjust().appData(ctl)).isEqualTo(FtpHelper.ACTIVE);
    }

    @Test
    void aBadTcpChecksumOnTheControlConnectionIsDroppedBeforeAnyParsing() {
        natFtp();
        int ctl = handshake(CLIENT, VIP, RS1, RS1_MAC, 21);
        int v = h.in(tcpIn(CLIENT, CPORT, VIP, 21).ack().seq(1001).ackSeq(5001).payload("PASV\r\n").badChecksum());
        assertThat(v).isEqualTo(DropReason.BAD_TCP_CHECKSUM.code());
        assertThat(h.tx.frames).isEmpty();
        assertThat(h.director.apps().seqAdjust().appData(ctl)).isEqualTo(FtpHelper.ACTIVE);
        assertThat(h.director.drops(DropReason.BAD_TCP_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void epsvOverIpv4KeepsTheTextAndMakesTheDataConnection() {
        natFtp();
        int ctl = handshake(CLIENT, VIP, RS1, RS1_MAC, 21);
        client(CLIENT, VIP, "EPSV\r\n", 1001, 5001);
        assertThat(h.director.apps().seqAdjust().appData(ctl)).isEqualTo(FtpHelper.EPSV);
        String reply = "229 Entering Extended Passive Mode (|||40000|)\r\n";
        Out o = server(RS1, RS1_MAC, 21, CLIENT, reply, 5001, 1007);
        assertThat(o.payload()).isEqualTo(reply);
        assertThat(h.conns.flags(ctl) & ConnFlags.SEQ_MASK).as("same length: no adjustment").isZero();
        int data = conn(CLIENT, 1, VIP, 40000);
        assertThat(data).isNotEqualTo(ConnTable.NONE);
        assertThat(addr(Flow.AF_INET, h.conns.daddrHi(data), h.conns.daddrLo(data))).as("the control connection's server").isEqualTo(RS1);
        assertThat(h.in(tcpIn(CLIENT, 50001, VIP, 40000).syn())).isEqualTo(Verdict.TX);
        assertThat(sent().dst()).isEqualTo(RS1 + ":40000");
    }

    // -------------------------------------------------------------------------------------------- active

    @Test
    void activeSessionPortMakesTheDataConnectionAndTheServersSynFromPort20IsRewrittenOnTheWayOut() {
        VirtualService svc = natFtp();
        RealServer rs1 = svc.dests()[0];
        int ctl = handshake(CLIENT, VIP, RS1, RS1_MAC, 21);
        String port = "PORT 198,51,100,7,195,80\r\n";
        Out o = client(CLIENT, VIP, port, 1001, 5001);
        assertThat(o.payload()).as("the kernel leaves PORT as it is").isEqualTo(port);
        assertThat(h.conns.flags(ctl) & ConnFlags.SEQ_MASK).isZero();
        int data = conn(CLIENT, ACTIVE_PORT, VIP, 20);
        assertThat(data).isNotEqualTo(ConnTable.NONE);
        assertThat(h.conns.control(data)).isEqualTo(ctl);
        assertThat(h.conns.state(data)).isEqualTo(TcpProtocol.S_LISTEN);
        assertThat(h.conns.flags(data) & ConnFlags.NO_CPORT).isZero();
        assertThat(h.conns.dport(data)).isEqualTo(20);
        assertThat(rs1.inactConns()).isEqualTo(1);

        // the real server connects from port 20 to the client's port: a reply of the data connection
        assertThat(h.in(fromRs(RS1_MAC).ipv4(RS1, CLIENT).tcp(20, ACTIVE_PORT).syn().seq(7000))).isEqualTo(Verdict.TX);
        o = sent();
        assertThat(o.src()).isEqualTo(VIP + ":20");
        assertThat(o.dst()).isEqualTo(CLIENT + ":" + ACTIVE_PORT);
        assertThat(o.flags()).isEqualTo(0x02);
        assertThat(h.conns.state(data)).as("OUTPUT SYN keeps LISTEN").isEqualTo(TcpProtocol.S_LISTEN);
        assertThat(h.in(tcpIn(CLIENT, ACTIVE_PORT, VIP, 20).syn().ack().seq(300).ackSeq(7001))).isEqualTo(Verdict.TX);
        o = sent();
        assertThat(o.dst()).isEqualTo(RS1 + ":20");
        assertThat(h.in(fromRs(RS1_MAC).ipv4(RS1, CLIENT).tcp(20, ACTIVE_PORT).ack().seq(7001).ackSeq(301))).isEqualTo(Verdict.TX);
        assertThat(h.conns.state(data)).isEqualTo(TcpProtocol.S_ESTABLISHED);
        assertThat(rs1.activeConns()).isEqualTo(2);

        // the same PORT again finds the same connection (ip_vs_conn_in_get) and puts it back in LISTEN
        client(CLIENT, VIP, port, 1001 + port.length(), 5001);
        assertThat(h.conns.nControl(ctl)).isEqualTo(1);
        assertThat(h.conns.state(data)).isEqualTo(TcpProtocol.S_LISTEN);
    }

    @Test
    void activeDataComesFromTheServicePortMinusOneOnTheRealServersPortMinusOne() {
        VirtualService svc = h.service(ServiceKey.tcp(VIP, 21), "rr");
        add(svc, RS1, 2121, FwdMethod.MASQ, 1);
        handshake(CLIENT, VIP, RS1, RS1_MAC, 2121);
        client(CLIENT, VIP, "port 198,51,100,7,195,80\r\n", 1001, 5001);    // any case
        int data = conn(CLIENT, ACTIVE_PORT, VIP, 20);
        assertThat(h.conns.dport(data)).isEqualTo(2120);
        assertThat(h.in(fromRs(RS1_MAC).ipv4(RS1, CLIENT).tcp(2120, ACTIVE_PORT).syn())).isEqualTo(Verdict.TX);
        assertThat(sent().src()).isEqualTo(VIP + ":20");
    }

    @Test
    void withoutPortTheServersSynFromPort20IsNotScheduled() {
        natFtp();
        handshake(CLIENT, VIP, RS1, RS1_MAC, 21);
        assertThat(h.in(fromRs(RS1_MAC).ipv4(RS1, CLIENT).tcp(20, ACTIVE_PORT).syn())).isEqualTo(Director.PASS);
        assertThat(h.tx.frames).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------- IPv6

    @Test
    void ipv6EpsvWithAnAddressIsCutToThePortAndEprtMakesTheActiveConnection() {
        VirtualService svc = h.service(ServiceKey.of(6, IpAddr.parse(VIP6), 21), "rr");
        add(svc, RS6, 21, FwdMethod.MASQ, 1);
        int ctl = handshake(CLIENT6, VIP6, RS6, RS6_MAC, 21);
        assertThat(h.director.apps().isBound(ctl)).isTrue();

        // PASV and PORT are IPv4 only
        Out o = client(CLIENT6, VIP6, "PASV\r\n", 1001, 5001);
        assertThat(h.director.apps().seqAdjust().appData(ctl)).isEqualTo(FtpHelper.ACTIVE);
        o = server(RS6, RS6_MAC, 21, CLIENT6, "227 Entering Passive Mode (203,0,113,11,156,64)\r\n", 5001, 1007);
        assertThat(o.payload()).contains("203,0,113,11");
        client(CLIENT6, VIP6, "EPSV 1\r\n", 1007, 5001 + 50);                // the other family: ignored
        assertThat(h.director.apps().seqAdjust().appData(ctl)).isEqualTo(FtpHelper.ACTIVE);

        long c = 1015, s = 5051;
        client(CLIENT6, VIP6, "EPSV 2\r\n", c, s);
        c += 8;
        assertThat(h.director.apps().seqAdjust().appData(ctl)).isEqualTo(FtpHelper.EPSV);
        String reply = "229 Entering Extended Passive Mode (|2|2001:db8:1::b|40000|)\r\n";
        o = server(RS6, RS6_MAC, 21, CLIENT6, reply, s, c);
        assertThat(o.payload()).isEqualTo("229 Entering Extended Passive Mode (|||40000|)\r\n");
        assertThat(o.ipLength()).isEqualTo(40 + 20 + reply.length() - 14);
        assertThat(o.src()).isEqualTo(VIP6 + ":21");
        int data = conn(CLIENT6, 1, VIP6, 40000);
        assertThat(data).isNotEqualTo(ConnTable.NONE);
        assertThat(h.conns.flags(data) & ConnFlags.NO_CPORT).isNotZero();
        o = server(RS6, RS6_MAC, 21, CLIENT6, "150 ok\r\n", s + reply.length(), c);
        assertThat(o.seq()).isEqualTo(s + reply.length() - 14);
        o = client(CLIENT6, VIP6, "", c, s + reply.length() - 14 + 8);
        assertThat(o.ack()).isEqualTo(s + reply.length() + 8);
        assertThat(h.in(tcpIn(CLIENT6, 50001, VIP6, 40000).syn())).isEqualTo(Verdict.TX);
        assertThat(sent().dst()).isEqualTo(RS6 + ":40000");

        // EPRT |2|client|port|: the active data connection from [rs6]:20
        client(CLIENT6, VIP6, "EPRT |2|2001:db8:100::7|50000|\r\n", c, s + reply.length() - 14 + 8);
        int active = conn(CLIENT6, ACTIVE_PORT, VIP6, 20);
        assertThat(active).isNotEqualTo(ConnTable.NONE);
        assertThat(h.conns.state(active)).isEqualTo(TcpProtocol.S_LISTEN);
        assertThat(h.in(fromRs(RS6_MAC).ipv6(RS6, CLIENT6).tcp(20, ACTIVE_PORT).syn())).isEqualTo(Verdict.TX);
        assertThat(sent().src()).isEqualTo(VIP6 + ":20");
    }

    @Test
    void eprtOverIpv4MakesTheActiveConnectionToTheAddressItNames() {
        natFtp();
        int ctl = handshake(CLIENT, VIP, RS1, RS1_MAC, 21);
        client(CLIENT, VIP, "EPRT |1|198.51.100.8|6275|\r\n", 1001, 5001);
        int data = conn(CLIENT2, 6275, VIP, 20);
        assertThat(data).isNotEqualTo(ConnTable.NONE);
        assertThat(h.conns.control(data)).isEqualTo(ctl);
        client(CLIENT, VIP, "EPRT |2|2001:db8::7|6276|\r\n", 1029, 5001);  // the other family: nothing
        assertThat(h.conns.nControl(ctl)).isEqualTo(1);
    }

    // -------------------------------------------------------------------------------------- not the helper's

    @Test
    void directRoutingAndOtherPortsAreUntouched() {
        VirtualService dr = h.service(ServiceKey.tcp(VIP, 21), "rr");
        add(dr, RS1, 21, FwdMethod.DROUTE, 1);
        assertThat(h.in(tcpIn(CLIENT, CPORT, VIP, 21).syn().seq(1000))).isEqualTo(Verdict.TX);
        h.in(tcpIn(CLIENT, CPORT, VIP, 21).ack().seq(1001).ackSeq(5001));
        int ctl = conn(CLIENT, CPORT, VIP, 21);
        assertThat(h.director.apps().isBound(ctl)).as("tcp_app_conn_bind: NAT only").isFalse();
        byte[] in = tcpIn(CLIENT, CPORT, VIP, 21).ack().seq(1001).ackSeq(5001).payload("PORT 198,51,100,7,195,80\r\n").build();
        assertThat(h.in(in, 0)).isEqualTo(Verdict.TX);
        assertThat(h.conns.nControl(ctl)).isZero();

        VirtualService web = h.service(ServiceKey.tcp(VIP, 80), "rr");
        add(web, RS1, 80, FwdMethod.MASQ, 1);
        h.in(tcpIn(CLIENT, CPORT, VIP, 80).syn().seq(1000));
        h.in(fromRs(RS1_MAC).ipv4(RS1, CLIENT).tcp(80, CPORT).syn().ack().seq(5000).ackSeq(1001));
        h.in(tcpIn(CLIENT, CPORT, VIP, 80).ack().seq(1001).ackSeq(5001));
        int c = conn(CLIENT, CPORT, VIP, 80);
        assertThat(h.director.apps().isBound(c)).isFalse();
        h.in(tcpIn(CLIENT, CPORT, VIP, 80).ack().seq(1001).ackSeq(5001).payload("PASV\r\n"));
        Out o = out(h.tx.frames.get(0));
        assertThat(o.payload()).isEqualTo("PASV\r\n");
        String reply = "227 Entering Passive Mode (203,0,113,11,156,64)\r\n";
        h.in(fromRs(RS1_MAC).ipv4(RS1, CLIENT).tcp(80, CPORT).ack().seq(5001).ackSeq(1007).payload(reply));
        assertThat(out(h.tx.frames.get(0)).payload()).isEqualTo(reply);
        assertThat(h.conns.size()).isEqualTo(2);
    }

    @Test
    void thePortsAreConfigurable() {
        assertThat(h.director.apps().unregister(FtpHelper.NAME)).isTrue();
        h.director.apps().register(new FtpHelper(2121));
        VirtualService a = h.service(ServiceKey.tcp(VIP, 21), "rr");
        add(a, RS1, 21, FwdMethod.MASQ, 1);
        VirtualService b = h.service(ServiceKey.tcp(VIP, 2121), "rr");
        add(b, RS1, 2121, FwdMethod.MASQ, 1);
        h.in(tcpIn(CLIENT, CPORT, VIP, 21).syn());
        h.in(tcpIn(CLIENT, CPORT + 1, VIP, 2121).syn());
        assertThat(h.director.apps().isBound(conn(CLIENT, CPORT, VIP, 21))).isFalse();
        assertThat(h.director.apps().isBound(conn(CLIENT, CPORT + 1, VIP, 2121))).isTrue();
    }

    @Test
    void everyFrameOfAWholeSessionVerifies() {
        natFtp();
        handshake(CLIENT, VIP, RS1, RS1_MAC, 21);
        client(CLIENT, VIP, "PASV\r\n", 1001, 5001);
        server(RS1, RS1_MAC, 21, CLIENT, "227 Entering Passive Mode (203,0,113,11,156,64)\r\n", 5001, 1007);
        for (byte[] f : h.tx.frames) assertThat(Checksum.verify(f)).isEmpty();
    }
}
