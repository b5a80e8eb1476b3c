package io.jlvs.director;

import io.jlvs.packet.DropReason;
import io.jlvs.packet.IpProto;
import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.testkit.Vector;
import io.jlvs.xmit.Verdict;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.jlvs.director.DirectorHarness.*;
import static io.jlvs.testkit.Vector.vector;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packet-in / packet-out vectors of the whole director ({@link Director#ingress}): services and real servers are
 * configured, then each conversation's frames go in one after the other and every frame that comes out is compared
 * octet for octet with one built from scratch, its checksums verified independently ({@link DirectorCase}).
 * The network is {@link DirectorHarness}'s: clients behind a gateway, the VIPs on the director, rs1/rs2 (IPv4)
 * and rs6 (IPv6) on the director's inner link.
 *
 * <p>What the tables hold:
 * <ul>
 *   <li>every forwarding method (NAT, DR, IPIP tunnel) with every protocol (TCP, UDP, SCTP) in both families: the
 *       packet that opens the connection (SYN, a datagram, INIT), for NAT the real server's reply, and a packet of
 *       the established connection;</li>
 *   <li>one vector per drop reason the director itself gives ({@link #DIRECTOR_DROPS}) and per pass-through (not
 *       a VIP, ARP, ping, a packet that opens nothing, a port the VIP does not serve);</li>
 *   <li>ICMP errors from the real server's side and from the client's side, persistence (client network, SIP
 *       Call-ID), thresholds, port reuse, firewall marks, one-packet scheduling, the local node.</li>
 * </ul>
 *
 * <h2>What jlvs does with odd packets (as these vectors and {@link DirectorTest} pin it)</h2>
 * <ul>
 *   <li><b>IPv4 options</b> are forwarded as they are (NAT, DR and tunnels alike), the header checksum covering
 *       them; the kernel does the same. ICMP errors jlvs originates do not echo options.</li>
 *   <li><b>Fragments</b>: jlvs does not reassemble. A first fragment carries the ports: it is scheduled and
 *       forwarded like a whole packet (NAT updates the L4 checksum incrementally, which is right for the whole
 *       datagram). A non-first fragment to a VIP is dropped ({@link DropReason#NONFIRST_FRAGMENT}); to any other
 *       address it is the host's ({@link Director#PASS}). The kernel reassembles IPv4 before IPVS (LOCAL_IN,
 *       {@code ip_vs_gather_frags}) and relies on {@code nf_defrag_ipv6} for IPv6, so a fragmented datagram that
 *       works through IPVS does not work through jlvs: a known difference, not encoded as a vector.</li>
 *   <li><b>TTL 1 (hop limit 1)</b>: as the kernel's {@code decrement_ttl} in {@code ip_vs_xmit.c}: the connection
 *       is made and its state moved, then the transmitter refuses the packet ({@link DropReason#TTL_EXCEEDED})
 *       and sends ICMP time exceeded to the client from the VIP.</li>
 *   <li><b>Bad checksums</b>: a bad IPv4 header checksum is dropped by the parser
 *       ({@link DropReason#BAD_IPV4_CHECKSUM}), as {@code ip_rcv} drops it. TCP, UDP and SCTP checksums are not
 *       verified (IPVS checks them only with an application helper): NAT updates them incrementally, so a bad
 *       one leaves still bad and a good one leaves good (pinned in {@link DirectorTest}, not here: every frame
 *       a vector expects must verify). ICMP errors that NAT rewrites are verified first and dropped when bad
 *       ({@link DropReason#BAD_ICMP_CHECKSUM}, as {@code handle_response_icmp} and {@code ip_vs_in_icmp}); an
 *       ICMP error about a DR or tunnel connection is forwarded without that check, where the kernel's IPv4
 *       {@code ip_vs_in_icmp} verifies it for every method.</li>
 * </ul>
 */
class DirectorVectors {
    /** The drop reasons {@link Director} gives itself (the parser's and the transmitters' have their own tables). */
    static final Set<DropReason> DIRECTOR_DROPS = EnumSet.of(DropReason.NONFIRST_FRAGMENT, DropReason.NO_REAL_SERVER,
            DropReason.CONN_TABLE_FULL, DropReason.DEST_UNAVAILABLE, DropReason.NO_PE_DATA);

    static final int TCP = IpProto.IPPROTO_TCP, UDP = IpProto.IPPROTO_UDP, SCTP = IpProto.IPPROTO_SCTP;
    static final int[] PROTOCOLS = {TCP, UDP, SCTP};
    static final int CPORT = 40000, VPORT = 80, NAT_PORT = 8080;
    static final int ID1 = 0x1111, ID2 = 0x2222, ID3 = 0x3333, ID4 = 0x4444;
    static final int INIT_TAG = 0x0A0B0C0D, PEER_TAG = 0x01020304;
    static final String ROUTER = "203.0.113.254", ROUTER6 = "2001:db8:1::fe", CLIENT_ROUTER = "198.51.100.1";
    static final byte[] QUERY = ascii("query"), ANSWER = ascii("answer"), QUERY2 = ascii("second query");
    static final byte[] DATA = ascii("GET / HTTP/1.1\r\n\r\n");
    static final String TO_ALL = "ff:ff:ff:ff:ff:ff";

    @TestFactory
    Stream<DynamicTest> vectors() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name, () -> assertThat(c.run()).as(c.name).isEmpty()));
    }

    /** Kernel rules found missing by writing their vectors first, and now followed. */
    @TestFactory
    Stream<DynamicTest> kernelBehaviourOnceMissing() {
        return knownDifferences().stream().map(c -> DynamicTest.dynamicTest(c.name, () -> assertThat(c.run()).as(c.name).isEmpty()));
    }

    static List<DirectorCase> knownDifferences() {
        byte[] drReply = ip(PacketBuilder.eth(RS1_MAC, GW_MAC), VIP, CLIENT, 60, ID2).tcp(VPORT, CPORT).syn().ack().seq(5000).ackSeq(1001).buildL3();
        return List.of(DirectorCase.of("IPv4 ICMP error with a bad checksum about a DR connection",
                        h -> add(service(h, TCP, VIP, VPORT, "rr"), RS1, VPORT, FwdMethod.DROUTE, 1))
                .packet(vector("IPv4 TCP SYN: to rs1 (DR)")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, VPORT))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS1_MAC), CLIENT, VIP, 63, ID1), CPORT, VPORT)))
                .packet(vector("host unreachable about rs1's reply with a bad ICMP checksum: ip_vs_in_icmp verifies it"
                        + " for every forwarding method before ip_vs_icmp_xmit, and drops it")
                        .in(fromClient().ipv4(CLIENT_ROUTER, VIP).ttl(64).id(ID3).icmpError(3, 1, drReply).badChecksum())
                        .expect(DropReason.BAD_ICMP_CHECKSUM.code())));
    }

    @Test
    void everyDropReasonOfTheDirectorHasAVector() {
        Set<DropReason> seen = EnumSet.noneOf(DropReason.class);
        for (DirectorCase c : cases()) {
            for (Vector v : c.vectors()) {
                DropReason r = DropReason.of(v.verdict());
                if (r != null) seen.add(r);
            }
        }
        assertThat(seen).containsAll(DIRECTOR_DROPS);
    }

    @Test
    void everyVerdictKindHasVectors() {
        Set<Integer> kinds = new java.util.HashSet<>();
        for (DirectorCase c : cases()) for (Vector v : c.vectors()) kinds.add(v.verdict() < 0 ? v.verdict() : 0);
        assertThat(kinds).contains(Verdict.TX, Verdict.LOCAL, Director.PASS, 0);
    }

    static List<DirectorCase> cases() {
        List<DirectorCase> cases = new ArrayList<>();
        methods(cases);
        drops(cases);
        passThrough(cases);
        icmpErrors(cases);
        persistence(cases);
        scheduling(cases);
        oddPackets(cases);
        return cases;
    }

    // ------------------------------------------------------------------------------------------- the matrix

    /** NAT, DR and IPIP for TCP, UDP and SCTP in both families: first packet, (NAT) reply, established packet. */
    private static void methods(List<DirectorCase> cases) {
        for (String client : new String[] {CLIENT, CLIENT6}) {
            String vip = vipOf(client), rs = rsOf(client), rsMac = v6(client) ? RS6_MAC : RS1_MAC;
            String fam = v6(client) ? "IPv6" : "IPv4";
            for (int p : PROTOCOLS) {
                String name = fam + " " + protoName(p);
                cases.add(DirectorCase.of("NAT " + name, h -> add(service(h, p, vip, VPORT, "rr"), rs, NAT_PORT, FwdMethod.MASQ, 1))
                        .packet(vector(name + " " + firstName(p) + " to the VIP: scheduled to " + rs + ":" + NAT_PORT + ", DNAT, TTL - 1")
                                .in(first(ip(fromClient(), client, vip, 64, ID1), p, CPORT, VPORT))
                                .expect(Verdict.TX)
                                .out(first(ip(toRs(rsMac), client, rs, 63, ID1), p, CPORT, NAT_PORT)))
                        .packet(vector(name + " " + replyName(p) + " from the real server: SNAT to the VIP, to the gateway")
                                .in(reply(ip(fromRs(rsMac), rs, client, 64, ID2), p, NAT_PORT, CPORT))
                                .expect(Verdict.TX)
                                .out(reply(ip(toClient(), vip, client, 63, ID2), p, VPORT, CPORT)))
                        .packet(vector(name + " " + nextName(p) + " of the established connection: the same real server")
                                .in(next(ip(fromClient(), client, vip, 64, ID3), p, CPORT, VPORT))
                                .expect(Verdict.TX)
                                .out(next(ip(toRs(rsMac), client, rs, 63, ID3), p, CPORT, NAT_PORT))));
                cases.add(DirectorCase.of("DR " + name, h -> add(service(h, p, vip, VPORT, "rr"), rs, VPORT, FwdMethod.DROUTE, 1))
                        .packet(vector(name + " " + firstName(p) + " to the VIP: to the real server's MAC, TTL - 1, the IP packet otherwise untouched")
                                .in(first(ip(fromClient(), client, vip, 64, ID1), p, CPORT, VPORT))
                                .expect(Verdict.TX)
                                .out(first(ip(toRs(rsMac), client, vip, 63, ID1), p, CPORT, VPORT)))
                        .packet(vector(name + " " + nextName(p) + " of the established connection")
                                .in(next(ip(fromClient(), client, vip, 64, ID3), p, CPORT, VPORT))
                                .expect(Verdict.TX)
                                .out(next(ip(toRs(rsMac), client, vip, 63, ID3), p, CPORT, VPORT))));
                cases.add(DirectorCase.of("TUN " + name, h -> add(service(h, p, vip, VPORT, "rr"), rs, VPORT, FwdMethod.TUNNEL, 1))
                        .packet(vector(name + " " + firstName(p) + " to the VIP: IP-in-IP from the director's inner address, outer TTL = inner TTL - 1, DF and ID 0 copied")
                                .in(first(ip(fromClient(), client, vip, 64, ID1), p, CPORT, VPORT))
                                .expect(Verdict.TX)
                                .out(ipip(rs, first(ip(fromClient(), client, vip, 63, ID1), p, CPORT, VPORT))))
                        .packet(vector(name + " " + nextName(p) + " of the established connection: encapsulated again")
                                .in(next(ip(fromClient(), client, vip, 64, ID3), p, CPORT, VPORT))
                                .expect(Verdict.TX)
                                .out(ipip(rs, next(ip(fromClient(), client, vip, 63, ID3), p, CPORT, VPORT)))));
            }
        }
    }

    // -------------------------------------------------------------------------------------------- drops

    private static void drops(List<DirectorCase> cases) {
        cases.add(DirectorCase.of("NONFIRST_FRAGMENT", DirectorVectors::udpNat)
                .packet(vector("IPv4 non-first fragment to a VIP: dropped, it has no ports to find its connection by")
                        .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(0x77).fragment(1480, false).protocol(UDP).payload(bytes(100)))
                        .expect(DropReason.NONFIRST_FRAGMENT.code()))
                .packet(vector("IPv6 non-first fragment to a VIP: dropped")
                        .in(fromClient().ipv6(CLIENT6, VIP6).hopLimit(64).fragmentId(0x77).fragment(1448, false).protocol(UDP).payload(bytes(100)))
                        .expect(DropReason.NONFIRST_FRAGMENT.code()))
                .packet(vector("IPv4 non-first fragment to an address that is not a VIP: the host's")
                        .in(fromClient().ipv4(CLIENT, "192.0.2.99").ttl(64).id(0x78).fragment(1480, false).protocol(UDP).payload(bytes(100)))
                        .expect(Director.PASS)));

        byte[] syn = tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, VPORT).buildL3();
        byte[] udp6 = ip(fromClient(), CLIENT6, VIP6, 64, 0).udp(CPORT, VPORT).payload(QUERY).buildL3();
        cases.add(DirectorCase.of("NO_REAL_SERVER", h -> {
                    service(h, TCP, VIP, VPORT, "rr");
                    service(h, UDP, VIP6, VPORT, "wlc");
                })
                .packet(vector("IPv4 TCP SYN to a service without real servers: ICMP port unreachable from the VIP, quoting the SYN; dropped")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, VPORT))
                        .expect(DropReason.NO_REAL_SERVER.code())
                        .out(icmpFrom(VIP, CLIENT).icmpError(3, 3, syn)))
                .packet(vector("IPv6 UDP datagram to a service without real servers: ICMPv6 port unreachable from the VIP")
                        .in(ip(fromClient(), CLIENT6, VIP6, 64, 0).udp(CPORT, VPORT).payload(QUERY))
                        .expect(DropReason.NO_REAL_SERVER.code())
                        .out(icmpFrom(VIP6, CLIENT6).icmpv6Error(1, 4, udp6))));

        cases.add(DirectorCase.of("CONN_TABLE_FULL", 1, DirectorVectors::udpNat)
                .packet(vector("IPv4 UDP datagram: the one record of the table")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID1).udp(1000, 53).payload(QUERY))
                        .expect(Verdict.TX)
                        .out(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID1).udp(1000, 5353).payload(QUERY)))
                .packet(vector("IPv4 UDP datagram of another flow with the table full: dropped, no ICMP (ip_vs_conn_new failed: *ignored = -1)")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID2).udp(1001, 53).payload(QUERY))
                        .expect(DropReason.CONN_TABLE_FULL.code()))
                .packet(vector("IPv4 UDP datagram of the first flow: still forwarded")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID3).udp(1000, 53).payload(QUERY2))
                        .expect(Verdict.TX)
                        .out(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID3).udp(1000, 5353).payload(QUERY2))));

        cases.add(DirectorCase.of("DEST_UNAVAILABLE", h -> add(service(h, TCP, VIP, VPORT, "rr"), RS1, NAT_PORT, FwdMethod.MASQ, 1))
                .packet(vector("IPv4 TCP SYN: to rs1")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, VPORT))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID1), CPORT, NAT_PORT)))
                .then("ipvsadm -d rs1", h -> {
                    VirtualService svc = h.services.services().getFirst();
                    svc.removeDest(svc.dests()[0]);
                })
                .packet(vector("IPv4 TCP ACK of the connection of a removed real server, expire_nodest_conn 0: dropped")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID2).tcp(CPORT, VPORT).ack().seq(1001).ackSeq(5001))
                        .expect(DropReason.DEST_UNAVAILABLE.code()))
                .then("sysctl expire_nodest_conn=1", h -> h.cfg.expireNodestConn = true)
                .packet(vector("the same ACK with expire_nodest_conn 1: the connection expires; an ACK opens nothing, so the host's")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID2).tcp(CPORT, VPORT).ack().seq(1001).ackSeq(5001))
                        .expect(Director.PASS)));

        cases.add(DirectorCase.of("NO_PE_DATA", h -> sipService(h, RS1, RS2))
                .packet(vector("SIP over UDP to a --pe sip service without a Call-ID: dropped, no ICMP, no template")
                        .in(sip(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID1).df(), 5060, "Subject: no call"))
                        .expect(DropReason.NO_PE_DATA.code()))
                .packet(vector("the same with a Call-ID whose line does not end in CR or LF: dropped")
                        .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID1).df().udp(5060, 5060).payload("OPTIONS sip:x SIP/2.0\r\nCall-ID: x"))
                        .expect(DropReason.NO_PE_DATA.code())));
    }

    // ------------------------------------------------------------------------------------- pass-through

    private static void passThrough(List<DirectorCase> cases) {
        cases.add(DirectorCase.of("pass-through", h -> {
                    add(service(h, TCP, VIP, VPORT, "rr"), RS1, NAT_PORT, FwdMethod.MASQ, 1);
                    add(service(h, TCP, VIP6, VPORT, "rr"), RS6, NAT_PORT, FwdMethod.MASQ, 1);
                })
                .packet(vector("IPv4 TCP SYN to an address that is not a VIP: the host's")
                        .in(tcpSyn(ip(fromClient(), CLIENT, "192.0.2.99", 64, ID1), CPORT, VPORT))
                        .expect(Director.PASS))
                .packet(vector("IPv4 TCP SYN to a port the VIP does not serve: the host's")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, 22))
                        .expect(Director.PASS))
                .packet(vector("IPv4 UDP to the TCP service's port: the host's")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID1).udp(CPORT, VPORT).payload(QUERY))
                        .expect(Director.PASS))
                .packet(vector("IPv4 TCP ACK (no SYN) to the VIP without a connection: opens nothing, the host's")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID1).tcp(CPORT, VPORT).ack().seq(1).ackSeq(1))
                        .expect(Director.PASS))
                .packet(vector("IPv4 TCP SYN+RST to the VIP: opens nothing, the host's")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID1).tcp(CPORT, VPORT).syn().rst())
                        .expect(Director.PASS))
                .packet(vector("ARP request for the VIP: the host's (it answers)")
                        .in(PacketBuilder.eth(GW_MAC, TO_ALL).arpRequest(GW_MAC, "192.0.2.254", VIP))
                        .expect(Director.PASS))
                .packet(vector("ICMP echo request to the VIP: the host's")
                        .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID1).icmpEcho(7, 1).payload(DATA))
                        .expect(Director.PASS))
                .packet(vector("ICMPv6 echo request to the VIP: the host's")
                        .in(fromClient().ipv6(CLIENT6, VIP6).hopLimit(64).icmpv6Echo(7, 1).payload(DATA))
                        .expect(Director.PASS))
                .packet(vector("IPv6 neighbor solicitation for the VIP: the host's")
                        .in(fromClient().ipv6(CLIENT6, "ff02::1:ff00:a").hopLimit(255).neighborSolicitation(VIP6).sourceLinkLayer(GW_MAC))
                        .expect(Director.PASS))
                .packet(vector("IPv4 GRE to the VIP (no IPVS protocol): the host's")
                        .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID1).gre(0x0800).payload(bytes(20)))
                        .expect(Director.PASS)));
    }

    // --------------------------------------------------------------------------------------- ICMP errors

    private static void icmpErrors(List<DirectorCase> cases) {
        // from the real server's side: a router before rs1 cannot deliver the client's packet (client -> rs1:8080)
        for (String client : new String[] {CLIENT, CLIENT6}) {
            boolean v6 = v6(client);
            String vip = vipOf(client), rs = rsOf(client), rsMac = v6 ? RS6_MAC : RS1_MAC, router = v6 ? ROUTER6 : ROUTER;
            byte[] forwarded = tcpSyn(ip(toRs(rsMac), client, rs, 63, ID1), CPORT, NAT_PORT).buildL3();
            byte[] seenByClient = natQuote(forwarded, v6, vip, VPORT, false);
            cases.add(DirectorCase.of((v6 ? "IPv6" : "IPv4") + " ICMP from the real server's side (NAT)",
                            h -> add(service(h, TCP, vip, VPORT, "rr"), rs, NAT_PORT, FwdMethod.MASQ, 1))
                    .packet(vector("TCP SYN: to the real server")
                            .in(tcpSyn(ip(fromClient(), client, vip, 64, ID1), CPORT, VPORT))
                            .expect(Verdict.TX)
                            .out(tcpSyn(ip(toRs(rsMac), client, rs, 63, ID1), CPORT, NAT_PORT)))
                    .packet(vector("host unreachable from a router before the real server, quoting client -> rs:8080: source to the VIP,"
                            + " the quote's destination to VIP:80 (its IP header checksum redone, its TCP checksum left), TTL - 1, to the client")
                            .in(v6 ? fromRs(rsMac).ipv6(router, client).hopLimit(64).icmpv6Error(1, 3, forwarded)
                                    : fromRs(rsMac).ipv4(router, client).ttl(64).id(ID2).icmpError(3, 1, forwarded))
                            .expect(Verdict.TX)
                            .out(v6 ? toClient().ipv6(vip, client).hopLimit(63).icmpv6Error(1, 3, seenByClient)
                                    : toClient().ipv4(vip, client).ttl(63).id(ID2).icmpError(3, 1, seenByClient))));
        }

        // from the client's side about a reply (VIP:80 -> client): NAT rewrites it for the real server
        byte[] replyAsReceived = ip(toClient(), VIP, CLIENT, 63, ID2).udp(VPORT, CPORT).payload(ANSWER).buildL3();
        byte[] replyAsSent = natQuote(replyAsReceived, false, RS1, NAT_PORT, true);
        cases.add(DirectorCase.of("IPv4 ICMP from the client's side (NAT)",
                        h -> add(service(h, UDP, VIP, VPORT, "rr"), RS1, NAT_PORT, FwdMethod.MASQ, 1))
                .packet(vector("UDP query: to rs1:8080")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID1).udp(CPORT, VPORT).payload(QUERY))
                        .expect(Verdict.TX)
                        .out(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID1).udp(CPORT, NAT_PORT).payload(QUERY)))
                .packet(vector("UDP answer: to the client from VIP:80")
                        .in(ip(fromRs(RS1_MAC), RS1, CLIENT, 64, ID2).udp(NAT_PORT, CPORT).payload(ANSWER))
                        .expect(Verdict.TX)
                        .out(ip(toClient(), VIP, CLIENT, 63, ID2).udp(VPORT, CPORT).payload(ANSWER)))
                .packet(vector("port unreachable from the client about the answer: destination to rs1, the quote's source to rs1:8080, to rs1")
                        .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID3).icmpError(3, 3, replyAsReceived))
                        .expect(Verdict.TX)
                        .out(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(ID3).icmpError(3, 3, replyAsSent)))
                .packet(vector("the same error with a bad ICMP checksum: dropped (the kernel verifies before it rewrites)")
                        .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID3).icmpError(3, 3, replyAsReceived).badChecksum())
                        .expect(DropReason.BAD_ICMP_CHECKSUM.code())));

        byte[] drReply = ip(PacketBuilder.eth(RS1_MAC, GW_MAC), VIP, CLIENT, 60, ID2).tcp(VPORT, CPORT).syn().ack().seq(5000).ackSeq(1001).buildL3();
        byte[] drReply6 = ip(PacketBuilder.eth(RS6_MAC, GW_MAC), VIP6, CLIENT6, 60, 0).tcp(VPORT, CPORT).syn().ack().seq(5000).ackSeq(1001).buildL3();
        cases.add(DirectorCase.of("ICMP from the client's side (DR)", h -> {
                    add(service(h, TCP, VIP, VPORT, "rr"), RS1, VPORT, FwdMethod.DROUTE, 1);
                    add(service(h, TCP, VIP6, VPORT, "rr"), RS6, VPORT, FwdMethod.DROUTE, 1);
                })
                .packet(vector("IPv4 TCP SYN: to rs1 (DR)")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, VPORT))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS1_MAC), CLIENT, VIP, 63, ID1), CPORT, VPORT)))
                .packet(vector("IPv4 host unreachable from a router near the client about rs1's direct reply (VIP -> client): to rs1 as DR forwards, unchanged but TTL")
                        .in(fromClient().ipv4(CLIENT_ROUTER, VIP).ttl(64).id(ID3).icmpError(3, 1, drReply))
                        .expect(Verdict.TX)
                        .out(toRs(RS1_MAC).ipv4(CLIENT_ROUTER, VIP).ttl(63).id(ID3).icmpError(3, 1, drReply)))
                .packet(vector("IPv6 TCP SYN: to rs6 (DR)")
                        .in(tcpSyn(ip(fromClient(), CLIENT6, VIP6, 64, 0), CPORT, VPORT))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS6_MAC), CLIENT6, VIP6, 63, 0), CPORT, VPORT)))
                .packet(vector("IPv6 packet too big from a router near the client about rs6's reply: to rs6, unchanged but the hop limit")
                        .in(fromClient().ipv6("2001:db8:100::1", VIP6).hopLimit(64).packetTooBig(1400, drReply6))
                        .expect(Verdict.TX)
                        .out(toRs(RS6_MAC).ipv6("2001:db8:100::1", VIP6).hopLimit(63).packetTooBig(1400, drReply6)))
                .packet(vector("IPv4 ICMP error about a flow without a connection: the host's")
                        .in(fromClient().ipv4(CLIENT_ROUTER, VIP).ttl(64).id(ID4).icmpError(3, 1,
                                ip(PacketBuilder.eth(RS1_MAC, GW_MAC), VIP, CLIENT, 60, ID2).tcp(VPORT, 1234).syn().ack().buildL3()))
                        .expect(Director.PASS))
                .packet(vector("IPv4 ICMP redirect quoting a connection's packet: not an error IPVS relays, the host's")
                        .in(fromClient().ipv4(CLIENT_ROUTER, VIP).ttl(64).id(ID4).icmp(5, 1, 0).payload(drReply))
                        .expect(Director.PASS)));
    }

    // --------------------------------------------------------------------------------------- persistence

    private static void persistence(List<DirectorCase> cases) {
        cases.add(DirectorCase.of("persistence by client network", h -> {
                    VirtualService svc = h.persistent(ServiceKey.tcp(VIP, 443), "rr", 300, 0xFFFFFF00);
                    add(svc, RS2, 443, FwdMethod.MASQ, 1);
                    add(svc, RS1, 443, FwdMethod.MASQ, 1);
                })
                .packet(vector("TCP SYN from client:40000: a template for 198.51.100.0/24, rs1")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, 443))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID1), CPORT, 443)))
                .packet(vector("TCP SYN from client:40001: the template's rs1, not rr's next")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID2), CPORT + 1, 443))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID2), CPORT + 1, 443)))
                .packet(vector("TCP SYN from another client of the same /24: rs1")
                        .in(tcpSyn(ip(fromClient(), CLIENT2, VIP, 64, ID3), CPORT, 443))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS1_MAC), CLIENT2, RS1, 63, ID3), CPORT, 443)))
                .advance(361)
                .packet(vector("after the template and its connections expired: scheduled afresh, rr's next (rs2)")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID4), CPORT, 443))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS2_MAC), CLIENT, RS2, 63, ID4), CPORT, 443))));

        cases.add(DirectorCase.of("persistence by SIP Call-ID (--pe sip)", h -> sipService(h, RS1, RS2))
                .packet(vector("INVITE, Call-ID A, from port 5060: a template for (client, A), rs1")
                        .in(sip(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID1).df(), 5060, "Call-ID: a84b4c76e66710@pc33.atlanta.example.com"))
                        .expect(Verdict.TX)
                        .out(sip(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(ID1).df(), 5060, "Call-ID: a84b4c76e66710@pc33.atlanta.example.com")))
                .packet(vector("INVITE, Call-ID B, from port 5062: another template, rr's next (rs2)")
                        .in(sip(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID2).df(), 5062, "Call-ID: b"))
                        .expect(Verdict.TX)
                        .out(sip(toRs(RS2_MAC).ipv4(CLIENT, RS2).ttl(63).id(ID2).df(), 5062, "Call-ID: b")))
                .packet(vector("BYE, Call-ID A in compact form, from port 5064: A's template, rs1")
                        .in(sip(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID3).df(), 5064, "i: a84b4c76e66710@pc33.atlanta.example.com"))
                        .expect(Verdict.TX)
                        .out(sip(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(ID3).df(), 5064, "i: a84b4c76e66710@pc33.atlanta.example.com")))
                .packet(vector("Call-ID B from port 5066: rs2")
                        .in(sip(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID4).df(), 5066, "call-id: b"))
                        .expect(Verdict.TX)
                        .out(sip(toRs(RS2_MAC).ipv4(CLIENT, RS2).ttl(63).id(ID4).df(), 5066, "call-id: b"))));
    }

    // ------------------------------------------------------------------------- scheduling rules

    private static void scheduling(List<DirectorCase> cases) {
        cases.add(DirectorCase.of("upper thresholds", h -> {
                    VirtualService svc = service(h, TCP, VIP, VPORT, "rr");
                    add(svc, RS2, VPORT, FwdMethod.MASQ, 1, 2, 0);
                    add(svc, RS1, VPORT, FwdMethod.MASQ, 1, 1, 0);
                })
                .packet(vector("SYN 1: rs1, which reaches its upper threshold (1)")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), 1001, VPORT))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID1), 1001, VPORT)))
                .packet(vector("SYN 2: rs2, rs1 is overloaded")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID2), 1002, VPORT))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS2_MAC), CLIENT, RS2, 63, ID2), 1002, VPORT)))
                .packet(vector("SYN 3: rs2 again, which reaches its upper threshold (2)")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID3), 1003, VPORT))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS2_MAC), CLIENT, RS2, 63, ID3), 1003, VPORT)))
                .packet(vector("SYN 4: every real server overloaded: ICMP port unreachable, dropped")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID4), 1004, VPORT))
                        .expect(DropReason.NO_REAL_SERVER.code())
                        .out(icmpFrom(VIP, CLIENT).icmpError(3, 3, tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID4), 1004, VPORT).buildL3())))
                .packet(vector("ACK on connection 1: ESTABLISHED")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID1).tcp(1001, VPORT).ack().seq(1001).ackSeq(1))
                        .expect(Verdict.TX)
                        .out(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID1).tcp(1001, VPORT).ack().seq(1001).ackSeq(1)))
                .packet(vector("RST on connection 1: forwarded; the connection goes to CLOSE (10 s)")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID1).tcp(1001, VPORT).rst().seq(1001))
                        .expect(Verdict.TX)
                        .out(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID1).tcp(1001, VPORT).rst().seq(1001)))
                .advance(11)
                .packet(vector("after connection 1 expired rs1 is below its threshold again: SYN 5 to rs1")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID2), 1005, VPORT))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID2), 1005, VPORT))));

        cases.add(DirectorCase.of("port reuse (conn_reuse_mode 1)", DirectorVectors::tcpNatPair)
                .packet(vector("SYN from client:40000: rs1")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, VPORT))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID1), CPORT, NAT_PORT)))
                .packet(vector("SYN-ACK from rs1: to the client")
                        .in(ip(fromRs(RS1_MAC), RS1, CLIENT, 64, ID2).tcp(NAT_PORT, CPORT).syn().ack().seq(5000).ackSeq(1001))
                        .expect(Verdict.TX)
                        .out(ip(toClient(), VIP, CLIENT, 63, ID2).tcp(VPORT, CPORT).syn().ack().seq(5000).ackSeq(1001)))
                .packet(vector("ACK: ESTABLISHED")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID3).tcp(CPORT, VPORT).ack().seq(1001).ackSeq(5001))
                        .expect(Verdict.TX)
                        .out(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID3).tcp(CPORT, NAT_PORT).ack().seq(1001).ackSeq(5001)))
                .packet(vector("RST from the client: CLOSE")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID4).tcp(CPORT, VPORT).rst().seq(1001))
                        .expect(Verdict.TX)
                        .out(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID4).tcp(CPORT, NAT_PORT).rst().seq(1001)))
                .packet(vector("a new SYN from the same client port: the CLOSE connection expires, the SYN is scheduled afresh (rs2)")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, VPORT))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS2_MAC), CLIENT, RS2, 63, ID1), CPORT, NAT_PORT))));

        cases.add(DirectorCase.of("firewall mark service", h -> add(h.service(ServiceKey.fwmark(IpAddr.AF_INET, 7), "rr"), RS1, 0, FwdMethod.MASQ, 1))
                .packet(vector("TCP SYN to any port with mark 7: to rs1 on the packet's own port (real server port 0)")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, 8443))
                        .expect(Verdict.TX)
                        .out(tcpSyn(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID1), CPORT, 8443)), 7)
                .packet(vector("the same flow without the mark: no connection, no service: the host's")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID2), CPORT + 1, 8443))
                        .expect(Director.PASS)));

        cases.add(DirectorCase.of("one-packet scheduling (-o)", h -> {
                    VirtualService svc = new VirtualService(ServiceKey.udp(VIP, 514), SchedulerRegistry.create("rr"),
                            VirtualService.F_ONEPACKET, 0, -1, null);
                    h.services.add(svc);
                    add(svc, RS2, 514, FwdMethod.MASQ, 1);
                    add(svc, RS1, 514, FwdMethod.MASQ, 1);
                })
                .packet(vector("UDP datagram: rs1, and no connection is kept")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID1).udp(CPORT, 514).payload(QUERY))
                        .expect(Verdict.TX)
                        .out(ip(toRs(RS1_MAC), CLIENT, RS1, 63, ID1).udp(CPORT, 514).payload(QUERY)))
                .packet(vector("the next datagram of the same flow: scheduled on its own, rs2")
                        .in(ip(fromClient(), CLIENT, VIP, 64, ID2).udp(CPORT, 514).payload(QUERY2))
                        .expect(Verdict.TX)
                        .out(ip(toRs(RS2_MAC), CLIENT, RS2, 63, ID2).udp(CPORT, 514).payload(QUERY2))));

        cases.add(DirectorCase.of("local node", h -> add(service(h, TCP, VIP, VPORT, "rr"), DIRECTOR, VPORT, FwdMethod.LOCALNODE, 1))
                .packet(vector("TCP SYN to a service whose real server is the director itself: unchanged to the local stack")
                        .in(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, VPORT))
                        .expect(Verdict.LOCAL)
                        .local(tcpSyn(ip(fromClient(), CLIENT, VIP, 64, ID1), CPORT, VPORT))));
    }

    // ------------------------------------------------------------------------------------ odd packets

    private static void oddPackets(List<DirectorCase> cases) {
        byte[] ra = {(byte) 0x94, 4, 0, 0};                        // router alert
        byte[] ttl1 = ip(fromClient(), CLIENT, VIP, 1, ID2).tcp(CPORT + 1, VPORT).syn().seq(1000).buildL3();
        cases.add(DirectorCase.of("odd packets", h -> add(service(h, TCP, VIP, VPORT, "rr"), RS1, NAT_PORT, FwdMethod.MASQ, 1))
                .packet(vector("IPv4 TCP SYN with an IP option: forwarded with it, DNAT, the header checksum over the option")
                        .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID1).df().ipOptions(ra).tcp(CPORT, VPORT).syn().seq(1000))
                        .expect(Verdict.TX)
                        .out(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(ID1).df().ipOptions(ra).tcp(CPORT, NAT_PORT).syn().seq(1000)))
                .packet(vector("IPv4 TCP SYN with TTL 1: the connection is made, the packet refused with ICMP time exceeded from the VIP")
                        .in(ip(fromClient(), CLIENT, VIP, 1, ID2).tcp(CPORT + 1, VPORT).syn().seq(1000))
                        .expect(DropReason.TTL_EXCEEDED.code())
                        .out(icmpFrom(VIP, CLIENT).icmpError(11, 0, ttl1)))
                .packet(vector("IPv4 TCP first fragment (MF) with the ports: scheduled and forwarded, the TCP checksum updated for the port")
                        .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID3).fragment(0, true).tcp(CPORT + 2, VPORT).syn().seq(7).payload(bytes(64)))
                        .expect(Verdict.TX)
                        .out(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(ID3).fragment(0, true).tcp(CPORT + 2, NAT_PORT).syn().seq(7).payload(bytes(64))))
                .packet(vector("IPv4 with a bad header checksum: dropped by the parser")
                        .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID4).badChecksum().tcp(CPORT + 3, VPORT).syn())
                        .expect(DropReason.BAD_IPV4_CHECKSUM.code()))
                .packet(vector("802.1Q-tagged SYN: scheduled, untagged toward rs1")
                        .in(fromClient().vlan(10).ipv4(CLIENT, VIP).ttl(64).id(ID1).df().tcp(CPORT + 4, VPORT).syn())
                        .expect(Verdict.TX)
                        .out(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(ID1).df().tcp(CPORT + 4, NAT_PORT).syn()))
                .packet(vector("SYN padded to 60 octets by Ethernet: the padding is not forwarded")
                        .in(fromClient().ipv4(CLIENT, VIP).ttl(64).id(ID2).df().tcp(CPORT + 5, VPORT).syn().padTo(64))
                        .expect(Verdict.TX)
                        .out(toRs(RS1_MAC).ipv4(CLIENT, RS1).ttl(63).id(ID2).df().tcp(CPORT + 5, NAT_PORT).syn())));
    }

    // ------------------------------------------------------------------------------------------ setups

    static VirtualService service(DirectorHarness h, int protocol, String vip, int port, String sched) {
        return h.service(ServiceKey.of(protocol, IpAddr.parse(vip), port), sched);
    }

    private static void udpNat(DirectorHarness h) {
        add(service(h, UDP, VIP, 53, "rr"), RS1, 5353, FwdMethod.MASQ, 1);
        add(service(h, UDP, VIP6, 53, "rr"), RS6, 5353, FwdMethod.MASQ, 1);
    }

    /** NAT TCP VIP:80 with rs1:8080 (head of the list) and rs2:8080. */
    private static void tcpNatPair(DirectorHarness h) {
        VirtualService svc = service(h, TCP, VIP, VPORT, "rr");
        add(svc, RS2, NAT_PORT, FwdMethod.MASQ, 1);
        add(svc, RS1, NAT_PORT, FwdMethod.MASQ, 1);
    }

    /** {@code -A -u VIP:5060 -s rr -p 60 --pe sip}, NAT to the given real servers (the first at the head). */
    static void sipService(DirectorHarness h, String... rs) {
        VirtualService svc = new VirtualService(ServiceKey.udp(VIP, 5060), SchedulerRegistry.create("rr"),
                VirtualService.F_PERSISTENT, 60, -1, "sip");
        h.services.add(svc);
        for (int i = rs.length - 1; i >= 0; i--) add(svc, rs[i], 5060, FwdMethod.MASQ, 1);
    }

    // ------------------------------------------------------------------------------------------ frames

    static boolean v6(String addr) { return addr.contains(":"); }

    static String vipOf(String client) { return v6(client) ? VIP6 : VIP; }

    static String rsOf(String client) { return v6(client) ? RS6 : RS1; }

    static PacketBuilder toRs(String mac) { return PacketBuilder.eth(DIRECTOR_MAC, mac); }

    static PacketBuilder toClient() { return PacketBuilder.eth(DIRECTOR_MAC, GW_MAC); }

    /** An IP header: IPv4 with {@code id} and DF, or IPv6 with the hop limit. */
    static PacketBuilder ip(PacketBuilder l2, String src, String dst, int ttl, int id) {
        return v6(src) ? l2.ipv6(src, dst).hopLimit(ttl) : l2.ipv4(src, dst).ttl(ttl).id(id).df();
    }

    static PacketBuilder tcpSyn(PacketBuilder b, int sport, int dport) {
        return b.tcp(sport, dport).syn().seq(1000).window(64240).mss(1460);
    }

    /** What opens a connection: a SYN, a datagram, an INIT. */
    static PacketBuilder first(PacketBuilder b, int p, int sport, int dport) {
        return switch (p) {
            case TCP -> tcpSyn(b, sport, dport);
            case UDP -> b.udp(sport, dport).payload(QUERY);
            default -> b.sctp(sport, dport, 0).init(INIT_TAG, 65535, 10, 10, 1);
        };
    }

    /** The real server's answer: SYN-ACK, a datagram, INIT-ACK. */
    static PacketBuilder reply(PacketBuilder b, int p, int sport, int dport) {
        return switch (p) {
            case TCP -> b.tcp(sport, dport).syn().ack().seq(5000).ackSeq(1001).window(65160).mss(1460);
            case UDP -> b.udp(sport, dport).payload(ANSWER);
            default -> b.sctp(sport, dport, INIT_TAG).chunk(2, 0, be32(PEER_TAG), be32(65535), be16(10), be16(10), be32(1));
        };
    }

    /** A packet of the established connection: an ACK with data, another datagram, a DATA chunk. */
    static PacketBuilder next(PacketBuilder b, int p, int sport, int dport) {
        return switch (p) {
            case TCP -> b.tcp(sport, dport).ack().psh().seq(1001).ackSeq(5001).payload(DATA);
            case UDP -> b.udp(sport, dport).payload(QUERY2);
            default -> b.sctp(sport, dport, PEER_TAG).chunk(0, 3, be32(1), be16(0), be16(0), be32(0), DATA);
        };
    }

    static String firstName(int p) { return p == TCP ? "SYN" : p == UDP ? "datagram" : "INIT"; }

    static String replyName(int p) { return p == TCP ? "SYN-ACK" : p == UDP ? "answer" : "INIT-ACK"; }

    static String nextName(int p) { return p == TCP ? "ACK with data" : p == UDP ? "second datagram" : "DATA"; }

    static String protoName(int p) { return p == TCP ? "TCP" : p == UDP ? "UDP" : "SCTP"; }

    /** IP-in-IP toward {@code rs}: from the director's inner address, TTL 63, IPv4 DF with ID 0 (the inner has DF). */
    static PacketBuilder ipip(String rs, PacketBuilder inner) {
        return v6(rs) ? toRs(RS6_MAC).ipv6(DIRECTOR6_IN, rs).hopLimit(63).ip6ip(inner.buildL3())
                : toRs(RS1_MAC).ipv4(DIRECTOR_IN, rs).ttl(63).id(0).df().ipip(inner.buildL3());
    }

    /** An ICMP error the director originates: to the client through the gateway, TOS 0xC0, TTL 64, a fresh ID. */
    static PacketBuilder icmpFrom(String from, String to) {
        return v6(from) ? toClient().ipv6(from, to).hopLimit(64)
                : toClient().ipv4(from, to).tos(0xC0).ttl(64).id(DirectorCase.IDENT);
    }

    static PacketBuilder sip(PacketBuilder ip, int cport, String callIdLine) {
        return ip.udp(cport, 5060).payload(("INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
                + callIdLine + "\r\n"
                + "CSeq: 314159 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A quoted packet as NAT rewrites it inside an ICMP error: the destination (or, {@code source}, the source)
     * address and port replaced, the IPv4 header checksum computed afresh, the L4 checksum left as it was (the
     * kernel's {@code ip_vs_nat_icmp} does not touch it).
     */
    static byte[] natQuote(byte[] packet, boolean v6, String addr, int port, boolean source) {
        byte[] q = packet.clone();
        byte[] a = v6 ? io.jlvs.testkit.Addresses.ipv6(addr) : io.jlvs.testkit.Addresses.ipv4(addr);
        int hl = v6 ? 40 : (q[0] & 0x0F) * 4;
        int at = v6 ? (source ? 8 : 24) : (source ? 12 : 16);
        System.arraycopy(a, 0, q, at, a.length);
        q[hl + (source ? 0 : 2)] = (byte) (port >>> 8);
        q[hl + (source ? 1 : 3)] = (byte) port;
        if (!v6) {
            q[10] = 0;
            q[11] = 0;
            int c = Checksum.internet(q, 0, hl);
            q[10] = (byte) (c >>> 8);
            q[11] = (byte) c;
        }
        return q;
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 3);
        return b;
    }

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    static byte[] be16(int v) { return new byte[] {(byte) (v >>> 8), (byte) v}; }

    static byte[] be32(int v) { return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}; }

    /** How many packet vectors the tables hold (for the record). */
    static int vectorCount() {
        int n = 0;
        for (DirectorCase c : cases()) n += c.vectors().size();
        return n;
    }
}
