package io.jlvs.host;

import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.Verdict;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.jlvs.host.HostNet.*;
import static io.jlvs.testkit.Vector.vector;
import static org.assertj.core.api.Assertions.assertThat;

/** ARP in, reply (or nothing) out: what jlvs answers for its own addresses, what it learns, what it drops. */
class ArpResponderVectors {
    static final String BCAST = "ff:ff:ff:ff:ff:ff";

    @TestFactory
    Stream<DynamicTest> vectors() { return HostCase.tests(cases()); }

    static HostCase arp(io.jlvs.testkit.Vector v, int ifIndex) { return HostCase.of(v, ifIndex, (p, f) -> p.arp().handle(f, p.txPort())); }

    static Consumer<HostPlane> learned(String ip, int ifIndex, String mac, int state) {
        return p -> {
            assertThat(p.neighbours().state(Flow.AF_INET, 0, lo(ip), ifIndex)).as("state of " + ip).isEqualTo(state);
            if (mac != null) assertThat(p.neighbours().lookup(Flow.AF_INET, 0, lo(ip), ifIndex)).isEqualTo(mac(mac));
        };
    }

    static Consumer<HostPlane> nothingLearned() { return p -> assertThat(p.neighbours().size()).isZero(); }

    static List<HostCase> cases() {
        List<HostCase> c = new ArrayList<>();
        c.add(arp(vector("request for a VIP answered on any interface: reply from eth0's MAC to the requester's")
                .in(eth(GW_MAC, BCAST).arpRequest(GW_MAC, GW, VIP))
                .expect(Verdict.TX)
                .out(eth(ETH0_MAC, GW_MAC).arpReply(ETH0_MAC, VIP, GW_MAC, GW)), ETH0)
                .then(learned(GW, ETH0, GW_MAC, Neighbours.STALE)));
        c.add(arp(vector("request for the same VIP on eth1: reply from eth1's MAC")
                .in(eth(RS1_MAC, BCAST).arpRequest(RS1_MAC, RS1, VIP))
                .expect(Verdict.TX)
                .out(eth(ETH1_MAC, RS1_MAC).arpReply(ETH1_MAC, VIP, RS1_MAC, RS1)), ETH1)
                .then(learned(RS1, ETH1, RS1_MAC, Neighbours.STALE)));
        c.add(arp(vector("request for the NAT gateway address on its interface: reply")
                .in(eth(RS1_MAC, BCAST).arpRequest(RS1_MAC, RS1, NATGW))
                .expect(Verdict.TX)
                .out(eth(ETH1_MAC, RS1_MAC).arpReply(ETH1_MAC, NATGW, RS1_MAC, RS1)), ETH1));
        c.add(arp(vector("request for the NAT gateway address on another interface: passed, not answered")
                .in(eth(GW_MAC, BCAST).arpRequest(GW_MAC, GW, NATGW))
                .expect(Verdict.PASS), ETH0)
                .then(nothingLearned()));
        c.add(arp(vector("request in an 802.1Q frame: the reply keeps the tag")
                .in(eth(GW_MAC, BCAST).vlan(10).arpRequest(GW_MAC, GW, VIP))
                .expect(Verdict.TX)
                .out(eth(ETH0_MAC, GW_MAC).vlan(10).arpReply(ETH0_MAC, VIP, GW_MAC, GW)), ETH0));
        c.add(arp(vector("request padded to 60 octets: the reply is 42 octets, the padding dropped")
                .in(eth(GW_MAC, BCAST).arpRequest(GW_MAC, GW, VIP).padTo(60))
                .expect(Verdict.TX)
                .out(eth(ETH0_MAC, GW_MAC).arpReply(ETH0_MAC, VIP, GW_MAC, GW)), ETH0));
        c.add(arp(vector("probe from 0.0.0.0 for a VIP (RFC 5227): defended with a reply to 0.0.0.0, nothing learned")
                .in(eth(CLIENT_MAC, BCAST).arpRequest(CLIENT_MAC, "0.0.0.0", VIP))
                .expect(Verdict.TX)
                .out(eth(ETH0_MAC, CLIENT_MAC).arpReply(ETH0_MAC, VIP, CLIENT_MAC, "0.0.0.0")), ETH0)
                .then(nothingLearned()));
        c.add(arp(vector("gratuitous ARP from another host claiming a VIP: defended, counted as a conflict, not learned")
                .in(eth(CLIENT_MAC, BCAST).arpRequest(CLIENT_MAC, VIP, VIP))
                .expect(Verdict.TX)
                .out(eth(ETH0_MAC, CLIENT_MAC).arpReply(ETH0_MAC, VIP, CLIENT_MAC, VIP)), ETH0)
                .then(p -> {
                    assertThat(p.arp().conflicts()).isEqualTo(1);
                    assertThat(p.neighbours().size()).isZero();
                }));
        c.add(arp(vector("request for the host's own address: the kernel's to answer, the requester learned")
                .in(eth(GW_MAC, BCAST).arpRequest(GW_MAC, GW, DIRECTOR))
                .expect(Verdict.PASS), ETH0)
                .then(learned(GW, ETH0, GW_MAC, Neighbours.STALE)));
        c.add(arp(vector("request for another host's address: passed, the requester not learned")
                .in(eth(GW_MAC, BCAST).arpRequest(GW_MAC, GW, "192.0.2.99"))
                .expect(Verdict.PASS), ETH0)
                .then(nothingLearned()));
        c.add(arp(vector("reply to the interface's MAC: passed to the kernel, the sender learned reachable")
                .in(eth(RS1_MAC, ETH1_MAC).arpReply(RS1_MAC, RS1, ETH1_MAC, DIRECTOR_IN))
                .expect(Verdict.PASS), ETH1)
                .then(learned(RS1, ETH1, RS1_MAC, Neighbours.REACHABLE)));
        c.add(arp(vector("broadcast reply from an unknown host: passed, not learned (only known neighbours are updated)")
                .in(eth(RS1_MAC, BCAST).arpReply(RS1_MAC, RS1, BCAST, RS1))
                .expect(Verdict.PASS), ETH1)
                .then(nothingLearned()));
        c.add(arp(vector("request for a VIP from a sender off the link (no connected route): answered, not learned")
                .in(eth(CLIENT_MAC, BCAST).arpRequest(CLIENT_MAC, CLIENT, VIP))
                .expect(Verdict.TX)
                .out(eth(ETH0_MAC, CLIENT_MAC).arpReply(ETH0_MAC, VIP, CLIENT_MAC, CLIENT)), ETH0)
                .then(nothingLearned()));
        c.add(arp(vector("request for a VIP on a sender's connected route of another interface: answered, not learned")
                .in(eth(RS1_MAC, BCAST).arpRequest(RS1_MAC, RS1, VIP))
                .expect(Verdict.TX)
                .out(eth(ETH0_MAC, RS1_MAC).arpReply(ETH0_MAC, VIP, RS1_MAC, RS1)), ETH0)
                .then(nothingLearned()));
        c.add(arp(vector("request on an interface the link table does not know: passed")
                .in(eth(GW_MAC, BCAST).arpRequest(GW_MAC, GW, VIP))
                .expect(Verdict.PASS), 9)
                .then(p -> assertThat(p.arp().unknownInterface()).isEqualTo(1)));
        c.add(arp(vector("an IPv4 frame is not ARP: passed untouched")
                .in(eth(GW_MAC, ETH0_MAC).ipv4(CLIENT, VIP).udp(1, 2))
                .expect(Verdict.PASS), ETH0));
        c.add(arp(vector("reply refused by the ring full: TX_QUEUE_FULL")
                .in(eth(GW_MAC, BCAST).arpRequest(GW_MAC, GW, VIP))
                .expect(DropReason.TX_QUEUE_FULL.code()), ETH0));

        // drops
        byte[] req = eth(GW_MAC, BCAST).arpRequest(GW_MAC, GW, VIP).build();
        c.add(drop("hardware type 6 (IEEE 802)", patch(req, 14, 0, 6), DropReason.BAD_ARP));
        c.add(drop("protocol type IPv6", patch(req, 16, 0x86, 0xDD), DropReason.BAD_ARP));
        c.add(drop("hardware length 8", patch(req, 18, 8), DropReason.BAD_ARP));
        c.add(drop("protocol length 16", patch(req, 19, 16), DropReason.BAD_ARP));
        c.add(drop("operation 3 (RARP request)", eth(GW_MAC, BCAST).arpRequest(GW_MAC, GW, VIP).arpOper(3).build(), DropReason.BAD_ARP));
        c.add(drop("27 octets of ARP", eth(GW_MAC, BCAST).arpRequest(GW_MAC, GW, VIP).truncate(14 + 27).build(), DropReason.TRUNCATED_ARP));
        c.add(drop("a multicast sender MAC", eth(GW_MAC, BCAST).arpRequest("01:00:5e:00:00:01", GW, VIP).build(), DropReason.BAD_ARP_ADDRESS));
        c.add(drop("the broadcast sender MAC", eth(GW_MAC, BCAST).arpRequest(BCAST, GW, VIP).build(), DropReason.BAD_ARP_ADDRESS));
        c.add(drop("a zero sender MAC", eth(GW_MAC, BCAST).arpRequest("00:00:00:00:00:00", GW, VIP).build(), DropReason.BAD_ARP_ADDRESS));
        c.add(drop("a multicast target address", eth(GW_MAC, BCAST).arpRequest(GW_MAC, GW, "224.0.0.1").build(), DropReason.BAD_ARP_ADDRESS));
        c.add(drop("a loopback sender address", eth(GW_MAC, BCAST).arpRequest(GW_MAC, "127.0.0.1", VIP).build(), DropReason.BAD_ARP_ADDRESS));
        c.add(drop("the limited broadcast as sender", eth(GW_MAC, BCAST).arpRequest(GW_MAC, "255.255.255.255", VIP).build(), DropReason.BAD_ARP_ADDRESS));
        c.add(drop("a VLAN tag cut off", eth(GW_MAC, BCAST).vlan(10).arpRequest(GW_MAC, GW, VIP).truncate(16).build(), DropReason.TRUNCATED_VLAN));
        c.add(drop("three stacked VLAN tags", eth(GW_MAC, BCAST).serviceVlan(1).vlan(2).vlan(3).arpRequest(GW_MAC, GW, VIP).build(), DropReason.VLAN_TAG_LIMIT));
        return c;
    }

    static HostCase drop(String what, byte[] in, DropReason r) {
        return arp(vector("dropped: " + what).in(in).expect(r.code()), ETH0).then(nothingLearned());
    }

    /** A copy of {@code b} with octets from {@code off} replaced. */
    static byte[] patch(byte[] b, int off, int... octets) {
        byte[] c = b.clone();
        for (int i = 0; i < octets.length; i++) c[off + i] = (byte) octets[i];
        return c;
    }

    @TestFactory
    Stream<DynamicTest> vectorsInATightBuffer() {
        List<DynamicTest> t = new ArrayList<>();
        for (HostCase c : cases()) t.add(DynamicTest.dynamicTest(c + " [no tailroom]", () -> c.tailroom(0).run()));
        return t.stream();
    }

    @Test
    void everyArpDropReasonHasAVector() {
        Set<DropReason> seen = EnumSet.noneOf(DropReason.class);
        for (HostCase c : cases()) if (DropReason.of(c.vector().verdict()) != null) seen.add(DropReason.of(c.vector().verdict()));
        assertThat(seen).contains(DropReason.BAD_ARP, DropReason.TRUNCATED_ARP, DropReason.BAD_ARP_ADDRESS,
                DropReason.TRUNCATED_VLAN, DropReason.VLAN_TAG_LIMIT, DropReason.TX_QUEUE_FULL);
    }

    @Test
    void theReplyIsWhatTheKernelSends() {
        // the octets of arp_send(ARPOP_REPLY, ...): htype 1, ptype 0x0800, 6, 4, oper 2
        byte[] out = PacketBuilder.eth(ETH0_MAC, GW_MAC).arpReply(ETH0_MAC, VIP, GW_MAC, GW).build();
        assertThat(out).hasSize(42);
        assertThat(java.util.Arrays.copyOfRange(out, 14, 22)).containsExactly(0, 1, 8, 0, 6, 4, 0, 2);
    }
}
