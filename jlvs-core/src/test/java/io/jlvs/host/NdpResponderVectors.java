package io.jlvs.host;

import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.testkit.Vector;
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

/** Neighbour solicitations in, advertisements (or nothing) out: RFC 4861 for the addresses jlvs owns. */
class NdpResponderVectors {
    static final int S = 0x40, O = 0x20, R = 0x80;
    /** Solicited-node groups and their MACs. */
    static final String SN_VIP6 = "ff02::1:ff00:a", SN_VIP6_MAC = "33:33:ff:00:00:0a";
    static final String SN_NATGW6 = "ff02::1:ff00:fe", SN_NATGW6_MAC = "33:33:ff:00:00:fe";
    static final String ALL_NODES = "ff02::1", ALL_NODES_MAC = "33:33:00:00:00:01";

    @TestFactory
    Stream<DynamicTest> vectors() { return HostCase.tests(cases()); }

    static HostCase ndp(Vector v, int ifIndex) { return HostCase.of(v, ifIndex, (p, f) -> p.ndp().handle(f, p.txPort())); }

    /** An NS from {@code src} at {@code mac} for {@code target}, to {@code dst}, hop limit 255. */
    static PacketBuilder ns(String mac, String ethDst, String src, String dst, String target) {
        return eth(mac, ethDst).ipv6(src, dst).hopLimit(255).neighborSolicitation(target);
    }

    /** The NA jlvs answers with: from {@code target}, hop limit 255, the interface's MAC in the option. */
    static PacketBuilder na(String ifMac, String ethDst, String target, String dst, int flags) {
        return eth(ifMac, ethDst).ipv6(target, dst).hopLimit(255).neighborAdvertisement(target, flags).targetLinkLayer(ifMac);
    }

    static Consumer<HostPlane> learned(String ip, int ifIndex, String mac, int state) {
        return p -> {
            assertThat(p.neighbours().state(Flow.AF_INET6, hi(ip), lo(ip), ifIndex)).as("state of " + ip).isEqualTo(state);
            assertThat(p.neighbours().lookup(Flow.AF_INET6, hi(ip), lo(ip), ifIndex)).isEqualTo(mac(mac));
        };
    }

    static Consumer<HostPlane> nothingLearned() { return p -> assertThat(p.neighbours().size()).isZero(); }

    static List<HostCase> cases() {
        List<HostCase> c = new ArrayList<>();
        c.add(ndp(vector("NS for a VIP to its solicited-node group: NA with S and O and our MAC, to the source link-layer address")
                .in(ns(GW_MAC, SN_VIP6_MAC, GW6, SN_VIP6, VIP6).sourceLinkLayer(GW_MAC))
                .expect(Verdict.TX)
                .out(na(ETH0_MAC, GW_MAC, VIP6, GW6, S | O)), ETH0)
                .then(learned(GW6, ETH0, GW_MAC, Neighbours.STALE)));
        c.add(ndp(vector("unicast NS for a VIP (reachability probe) without a source option: NA to the frame's source MAC")
                .in(ns(GW_MAC, ETH0_MAC, GW6, VIP6, VIP6))
                .expect(Verdict.TX)
                .out(na(ETH0_MAC, GW_MAC, VIP6, GW6, S | O)), ETH0)
                .then(nothingLearned()));
        c.add(ndp(vector("NS for the NAT gateway address from a real server: NA with the router flag")
                .in(ns(RS1_MAC, SN_NATGW6_MAC, RS6, SN_NATGW6, NATGW6).sourceLinkLayer(RS1_MAC))
                .expect(Verdict.TX)
                .out(na(ETH1_MAC, RS1_MAC, NATGW6, RS6, R | S | O)), ETH1)
                .then(learned(RS6, ETH1, RS1_MAC, Neighbours.STALE)));
        c.add(ndp(vector("NS from a link-local source: NA to it")
                .in(ns(RS1_MAC, SN_NATGW6_MAC, "fe80::11", SN_NATGW6, NATGW6).sourceLinkLayer(RS1_MAC))
                .expect(Verdict.TX)
                .out(na(ETH1_MAC, RS1_MAC, NATGW6, "fe80::11", R | S | O)), ETH1));
        c.add(ndp(vector("duplicate address detection for a VIP (from ::): NA to all nodes without S, a conflict counted")
                .in(ns(CLIENT_MAC, SN_VIP6_MAC, "::", SN_VIP6, VIP6))
                .expect(Verdict.TX)
                .out(na(ETH0_MAC, ALL_NODES_MAC, VIP6, ALL_NODES, O)), ETH0)
                .then(p -> {
                    assertThat(p.ndp().conflicts()).isEqualTo(1);
                    assertThat(p.neighbours().size()).isZero();
                }));
        c.add(ndp(vector("DAD NS with a nonce option (Linux enhanced DAD): answered the same")
                .in(ns(CLIENT_MAC, SN_VIP6_MAC, "::", SN_VIP6, VIP6).ndOption(14, 1, new byte[] {1, 2, 3, 4, 5, 6}))
                .expect(Verdict.TX)
                .out(na(ETH0_MAC, ALL_NODES_MAC, VIP6, ALL_NODES, O)), ETH0));
        c.add(ndp(vector("NS in an 802.1Q frame: the NA keeps the tag")
                .in(eth(GW_MAC, SN_VIP6_MAC).vlan(7).ipv6(GW6, SN_VIP6).hopLimit(255).neighborSolicitation(VIP6).sourceLinkLayer(GW_MAC))
                .expect(Verdict.TX)
                .out(eth(ETH0_MAC, GW_MAC).vlan(7).ipv6(VIP6, GW6).hopLimit(255).neighborAdvertisement(VIP6, S | O).targetLinkLayer(ETH0_MAC)), ETH0));
        c.add(ndp(vector("NS for a VIP owned on eth0 only, received on eth1: passed")
                .in(ns(RS1_MAC, SN_VIP6_MAC, RS6, SN_VIP6, VIP6).sourceLinkLayer(RS1_MAC))
                .expect(Verdict.PASS), ETH1)
                .then(nothingLearned()));
        c.add(ndp(vector("NS for the host's own address: the kernel's to answer, the source learned")
                .in(ns(RS1_MAC, "33:33:ff:00:00:01", RS6, "ff02::1:ff00:1", DIRECTOR6_IN).sourceLinkLayer(RS1_MAC))
                .expect(Verdict.PASS), ETH1)
                .then(learned(RS6, ETH1, RS1_MAC, Neighbours.STALE)));
        c.add(ndp(vector("NS for another host: passed, the source not learned")
                .in(ns(RS1_MAC, "33:33:ff:00:00:0c", RS6, "ff02::1:ff00:c", RS6_2).sourceLinkLayer(RS1_MAC))
                .expect(Verdict.PASS), ETH1)
                .then(nothingLearned()));
        c.add(ndp(vector("solicited NA to the interface's MAC: passed to the kernel, the target learned reachable")
                .in(eth(RS1_MAC, ETH1_MAC).ipv6(RS6, DIRECTOR6_IN).hopLimit(255).neighborAdvertisement(RS6, S | O).targetLinkLayer(RS1_MAC))
                .expect(Verdict.PASS), ETH1)
                .then(learned(RS6, ETH1, RS1_MAC, Neighbours.REACHABLE)));
        c.add(ndp(vector("unsolicited NA to all nodes about an unknown host: passed, not learned")
                .in(eth(RS1_MAC, ALL_NODES_MAC).ipv6(RS6, ALL_NODES).hopLimit(255).neighborAdvertisement(RS6, O).targetLinkLayer(RS1_MAC))
                .expect(Verdict.PASS), ETH1)
                .then(nothingLearned()));
        c.add(ndp(vector("NA from another host claiming a VIP: passed, a conflict counted, not learned")
                .in(eth(CLIENT_MAC, ALL_NODES_MAC).ipv6(VIP6, ALL_NODES).hopLimit(255).neighborAdvertisement(VIP6, O).targetLinkLayer(CLIENT_MAC))
                .expect(Verdict.PASS), ETH0)
                .then(p -> {
                    assertThat(p.ndp().conflicts()).isEqualTo(1);
                    assertThat(p.neighbours().size()).isZero();
                }));
        c.add(ndp(vector("an echo request is not NDP: passed untouched")
                .in(eth(GW_MAC, ETH0_MAC).ipv6(GW6, VIP6).hopLimit(255).icmpv6Echo(1, 1))
                .expect(Verdict.PASS), ETH0));
        c.add(ndp(vector("NS answered but the ring full: TX_QUEUE_FULL")
                .in(ns(GW_MAC, SN_VIP6_MAC, GW6, SN_VIP6, VIP6).sourceLinkLayer(GW_MAC))
                .expect(DropReason.TX_QUEUE_FULL.code()), ETH0));

        // RFC 4861 section 7.1: drops
        PacketBuilder good = ns(GW_MAC, SN_VIP6_MAC, GW6, SN_VIP6, VIP6).sourceLinkLayer(GW_MAC);
        c.add(drop("NS with hop limit 254 (routed from off the link)",
                eth(GW_MAC, SN_VIP6_MAC).ipv6(GW6, SN_VIP6).hopLimit(254).neighborSolicitation(VIP6).sourceLinkLayer(GW_MAC), DropReason.BAD_NDP));
        c.add(drop("NS with a bad ICMPv6 checksum", ns(GW_MAC, SN_VIP6_MAC, GW6, SN_VIP6, VIP6).sourceLinkLayer(GW_MAC).badChecksum(),
                DropReason.BAD_ICMPV6_CHECKSUM));
        c.add(drop("NS with code 1", eth(GW_MAC, SN_VIP6_MAC).ipv6(GW6, SN_VIP6).hopLimit(255).icmpv6(135, 1, 0)
                .payload(io.jlvs.testkit.Addresses.ipv6(VIP6)), DropReason.BAD_NDP));
        c.add(drop("NS of 20 octets", eth(GW_MAC, SN_VIP6_MAC).ipv6(GW6, SN_VIP6).hopLimit(255).icmpv6(135, 0, 0)
                .payload(new byte[12]), DropReason.BAD_NDP));
        c.add(drop("NS for a multicast target", ns(GW_MAC, SN_VIP6_MAC, GW6, SN_VIP6, "ff02::1").sourceLinkLayer(GW_MAC), DropReason.BAD_NDP));
        c.add(drop("NS with an option of length 0", ns(GW_MAC, SN_VIP6_MAC, GW6, SN_VIP6, VIP6).ndOption(1, 0, new byte[] {2, 0, 0, 0, 0, 0x77}),
                DropReason.BAD_NDP));
        c.add(drop("NS with an option running past the end", ns(GW_MAC, SN_VIP6_MAC, GW6, SN_VIP6, VIP6).ndOption(1, 2, new byte[] {2, 0, 0, 0, 0, 0x77}),
                DropReason.BAD_NDP));
        c.add(drop("NS with a multicast source link-layer address", ns(GW_MAC, SN_VIP6_MAC, GW6, SN_VIP6, VIP6).sourceLinkLayer("33:33:00:00:00:01"),
                DropReason.BAD_NDP));
        c.add(drop("DAD NS with a source link-layer option", ns(CLIENT_MAC, SN_VIP6_MAC, "::", SN_VIP6, VIP6).sourceLinkLayer(CLIENT_MAC),
                DropReason.BAD_NDP));
        c.add(drop("DAD NS not to the target's solicited-node group", ns(CLIENT_MAC, ALL_NODES_MAC, "::", ALL_NODES, VIP6),
                DropReason.BAD_NDP));
        c.add(drop("NS from a multicast source", ns(GW_MAC, SN_VIP6_MAC, "ff02::5", SN_VIP6, VIP6), DropReason.BAD_NDP));
        c.add(drop("solicited NA to a group",
                eth(RS1_MAC, ALL_NODES_MAC).ipv6(RS6, ALL_NODES).hopLimit(255).neighborAdvertisement(RS6, S | O).targetLinkLayer(RS1_MAC),
                DropReason.BAD_NDP));
        c.add(drop("NA with hop limit 64",
                eth(RS1_MAC, ETH1_MAC).ipv6(RS6, DIRECTOR6_IN).hopLimit(64).neighborAdvertisement(RS6, S | O).targetLinkLayer(RS1_MAC),
                DropReason.BAD_NDP));
        c.add(drop("NA with a broadcast target link-layer address",
                eth(RS1_MAC, ETH1_MAC).ipv6(RS6, DIRECTOR6_IN).hopLimit(255).neighborAdvertisement(RS6, S | O).targetLinkLayer("ff:ff:ff:ff:ff:ff"),
                DropReason.BAD_NDP));
        c.add(drop("IPv6 payload length past the frame", good.ipPayloadLength(200), DropReason.IPV6_PAYLOAD_LENGTH));
        c.add(drop("ICMPv6 header cut short", eth(GW_MAC, SN_VIP6_MAC).ipv6(GW6, SN_VIP6).hopLimit(255).icmpv6(135, 0, 0).ipPayloadLength(4),
                DropReason.TRUNCATED_ICMPV6));
        c.add(drop("frame shorter than an IPv6 header", ns(GW_MAC, SN_VIP6_MAC, GW6, SN_VIP6, VIP6).truncate(14 + 39), DropReason.TRUNCATED_IPV6));
        c.add(drop("version 4 in an IPv6 frame", ns(GW_MAC, SN_VIP6_MAC, GW6, SN_VIP6, VIP6).version(4), DropReason.BAD_IPV6_VERSION));
        c.add(ndp(vector("NS answered but no room after the frame for the NA: dropped")
                .in(ns(CLIENT_MAC, SN_VIP6_MAC, "::", SN_VIP6, VIP6)).expect(DropReason.NO_HEADROOM.code()), ETH0).tailroom(0));
        return c;
    }

    static HostCase drop(String what, PacketBuilder in, DropReason r) {
        return ndp(vector("dropped: " + what).in(in).expect(r.code()), ETH0).then(nothingLearned());
    }

    @Test
    void everyNdpDropReasonHasAVector() {
        Set<DropReason> seen = EnumSet.noneOf(DropReason.class);
        for (HostCase c : cases()) if (DropReason.of(c.vector().verdict()) != null) seen.add(DropReason.of(c.vector().verdict()));
        assertThat(seen).contains(DropReason.BAD_NDP, DropReason.BAD_ICMPV6_CHECKSUM, DropReason.TRUNCATED_ICMPV6,
                DropReason.IPV6_PAYLOAD_LENGTH, DropReason.TRUNCATED_IPV6, DropReason.BAD_IPV6_VERSION,
                DropReason.NO_HEADROOM, DropReason.TX_QUEUE_FULL);
    }
}
