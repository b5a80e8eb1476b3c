package io.jlvs.host;

import io.jlvs.conn.ConnTable;
import io.jlvs.director.Director;
import io.jlvs.director.DirectorConfig;
import io.jlvs.packet.Flow;
import io.jlvs.packet.IpProto;
import io.jlvs.proto.ProtocolTimeouts;
import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.ServiceTable;
import io.jlvs.service.VirtualService;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.testkit.Vector;
import io.jlvs.xmit.DirectRouteXmit;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.IcmpErrors;
import io.jlvs.xmit.IpIdent;
import io.jlvs.xmit.RecordingTxPort;
import io.jlvs.xmit.TxPort;
import io.jlvs.xmit.Verdict;
import io.jlvs.xmit.XmitConn;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;

import static io.jlvs.host.HostNet.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The host plane wired to a director, on a fake clock: the first connection to a real server whose MAC is not
 * known yet waits for ARP (or NDP) and goes out when the reply comes, instead of being dropped.
 */
class HostPlaneTest {
    static final long MS = 1_000_000L, T0 = 10_000 * MS;
    static final String BCAST = "ff:ff:ff:ff:ff:ff";

    final HostTables tables = HostNet.tables();
    final RecordingTxPort ring = new RecordingTxPort(), local = new RecordingTxPort();
    final HostPlane host = HostNet.plane(tables, ring);
    final ServiceTable services = new ServiceTable();
    final Director director = new Director(new DirectorConfig(), services, new ConnTable(256, 64, 0), new ProtocolTimeouts(),
            host.nextHops(), host.txPort(), local);

    HostPlaneTest() {
        VirtualService v4 = VirtualService.of(ServiceKey.tcp(VIP, 80), SchedulerRegistry.create("rr"));
        v4.addDest(RealServerSpec.nat(ip(RS2), 8080, 1));
        services.add(v4);
        VirtualService v6 = VirtualService.of(ServiceKey.tcp(VIP6, 80), SchedulerRegistry.create("rr"));
        v6.addDest(RealServerSpec.nat(ip(RS6_2), 8080, 1));
        services.add(v6);
        host.poll(T0);
    }

    /** One received frame through the plane, then the director, as the duty cycle does. */
    int in(PacketBuilder b, int ifIndex, long nowNs) {
        Frame f = frame(b.build(), ifIndex, nowNs);
        int v = host.ingress(f);
        return v == HostPlane.CONTINUE ? director.ingress(f) : v;
    }

    static void same(byte[] actual, PacketBuilder expected) {
        assertThat(Checksum.verify(actual)).isEmpty();
        assertThat(Vector.hex(actual)).isEqualTo(Vector.hex(expected.build()));
    }

    static PacketBuilder syn(String from, String to, int ttl) {
        PacketBuilder b = eth(GW_MAC, ETH0_MAC);
        b = from.contains(":") ? b.ipv6(from, to).hopLimit(ttl) : b.ipv4(from, to).ttl(ttl).id(7).df();
        return b.tcp(40000, 80).syn().seq(1);
    }

    @Test
    void theFirstIpv4ConnectionWaitsForArpInsteadOfBeingDropped() {
        assertThat(in(syn(CLIENT, VIP, 64), ETH0, T0)).isEqualTo(Verdict.TX);
        assertThat(ring.frames).as("only the ARP request left").hasSize(1);
        same(ring.frames.get(0), eth(ETH1_MAC, BCAST).arpRequest(ETH1_MAC, DIRECTOR_IN, RS2));
        assertThat(host.pending().frames()).isEqualTo(1);
        assertThat(in(syn(CLIENT, VIP, 64), ETH0, T0 + 20 * MS)).as("the client retransmits").isEqualTo(Verdict.TX);
        assertThat(ring.frames).as("no second request within 100 ms").hasSize(1);

        assertThat(in(eth(RS2_MAC, ETH1_MAC).arpReply(RS2_MAC, RS2, ETH1_MAC, DIRECTOR_IN), ETH1, T0 + 30 * MS)).isEqualTo(Verdict.PASS);
        assertThat(ring.frames).hasSize(3);
        PacketBuilder dnat = eth(ETH1_MAC, RS2_MAC).ipv4(CLIENT, RS2).ttl(63).id(7).df().tcp(40000, 8080).syn().seq(1);
        same(ring.frames.get(1), dnat);
        same(ring.frames.get(2), dnat);
        assertThat(host.pending().released()).isEqualTo(2);
        assertThat(host.neighbours().state(Flow.AF_INET, 0, lo(RS2), ETH1)).isEqualTo(Neighbours.REACHABLE);

        ring.frames.clear();
        assertThat(in(syn(CLIENT, VIP, 64).ack(), ETH0, T0 + 40 * MS)).isEqualTo(Verdict.TX);
        assertThat(ring.frames).as("now straight out").hasSize(1);
        assertThat(DirectorFrames.dstMac(ring.frames.get(0))).isEqualTo(mac(RS2_MAC));
    }

    @Test
    void theFirstIpv6ConnectionWaitsForNeighbourDiscovery() {
        assertThat(in(syn(CLIENT6, VIP6, 64), ETH0, T0)).isEqualTo(Verdict.TX);
        assertThat(ring.frames).hasSize(1);
        same(ring.frames.get(0), eth(ETH1_MAC, "33:33:ff:00:00:0c").ipv6(LL1, "ff02::1:ff00:c").hopLimit(255)
                .neighborSolicitation(RS6_2).sourceLinkLayer(ETH1_MAC));
        assertThat(in(eth(RS2_MAC, ETH1_MAC).ipv6(RS6_2, LL1).hopLimit(255).neighborAdvertisement(RS6_2, 0x60).targetLinkLayer(RS2_MAC),
                ETH1, T0 + 5 * MS)).isEqualTo(Verdict.PASS);
        assertThat(ring.frames).hasSize(2);
        same(ring.frames.get(1), eth(ETH1_MAC, RS2_MAC).ipv6(CLIENT6, RS6_2).hopLimit(63).tcp(40000, 8080).syn().seq(1));
    }

    @Test
    void unansweredSolicitationsAreRetriedThenTheFramesDropped() {
        in(syn(CLIENT, VIP, 64), ETH0, T0);
        for (long t = 10; t <= 990; t += 10) host.poll(T0 + t * MS);
        assertThat(ring.frames).as("three ARP requests, 100 ms apart").hasSize(3);
        assertThat(host.pending().expired()).isZero();
        host.poll(T0 + 1000 * MS);
        assertThat(host.pending().expired()).isEqualTo(1);
        assertThat(host.pending().failed()).isEqualTo(1);
        assertThat(host.resolver().probesSent()).isEqualTo(3);
        in(eth(RS2_MAC, ETH1_MAC).arpReply(RS2_MAC, RS2, ETH1_MAC, DIRECTOR_IN), ETH1, T0 + 1100 * MS);
        assertThat(ring.frames).as("a late reply finds nothing to release").hasSize(3);
    }

    @Test
    void aReplyHeardByAnotherThreadReleasesTheFrames() {
        RecordingTxPort ringB = new RecordingTxPort();
        HostPlane b = HostNet.plane(tables, ringB);
        host.peers(host, b);
        b.peers(host, b);
        b.poll(T0);
        DirectRouteXmit dr = new DirectRouteXmit(b.nextHops(), new IcmpErrors(b.nextHops()), new IpIdent(1), local);
        Frame f = frame(syn(CLIENT, VIP, 64).build(), ETH0, T0);
        f.parse(new io.jlvs.packet.PacketParser(), new Flow());
        XmitConn c = new XmitConn().v4(IpProto.IPPROTO_TCP, (int) lo(CLIENT), 40000, (int) lo(VIP), 80, (int) lo(RS2), 80);
        assertThat(dr.transmit(f, c, b.txPort())).isEqualTo(Verdict.TX);
        assertThat(ringB.frames).as("B's ARP request").hasSize(1);

        assertThat(in(eth(RS2_MAC, ETH1_MAC).arpReply(RS2_MAC, RS2, ETH1_MAC, DIRECTOR_IN), ETH1, T0 + 1 * MS)).isEqualTo(Verdict.PASS);
        assertThat(host.neighbours().lookup(Flow.AF_INET, 0, lo(RS2), ETH1)).as("A learned").isEqualTo(mac(RS2_MAC));
        assertThat(b.poll(T0 + 2 * MS)).isPositive();
        assertThat(ringB.frames).hasSize(2);
        same(ringB.frames.get(1), eth(ETH1_MAC, RS2_MAC).ipv4(CLIENT, VIP).ttl(63).id(7).df().tcp(40000, 80).syn().seq(1));
        assertThat(b.neighbours().lookup(Flow.AF_INET, 0, lo(RS2), ETH1)).isEqualTo(mac(RS2_MAC));
    }

    @Test
    void kernelNeighbourEventsFeedTheTable() {
        in(syn(CLIENT, VIP, 64), ETH0, T0);
        NeighbourEvents ev = host.events();
        assertThat(ev.offerUpdate(Flow.AF_INET, 0, lo(RS2), ETH1, mac(RS2_MAC), Neighbours.fromNud(Neighbours.NUD_REACHABLE))).isTrue();
        assertThat(ev.offerUpdate(Flow.AF_INET6, hi(RS6), lo(RS6), ETH1, mac(RS1_MAC), Neighbours.fromNud(Neighbours.NUD_STALE))).isTrue();
        assertThat(ev.offerUpdate(Flow.AF_INET, 0, lo(GW), ETH0, mac(GW_MAC), Neighbours.fromNud(Neighbours.NUD_PERMANENT))).isTrue();
        host.poll(T0 + MS);
        assertThat(ring.frames).as("ARP request, then the parked SYN").hasSize(2);
        assertThat(DirectorFrames.dstMac(ring.frames.get(1))).isEqualTo(mac(RS2_MAC));
        assertThat(host.neighbours().size()).isEqualTo(3);
        ev.offerUpdate(Flow.AF_INET, 0, lo(RS2), ETH1, 0, Neighbours.fromNud(Neighbours.NUD_FAILED));
        ev.offerDelete(Flow.AF_INET, 0, lo(GW), ETH0);
        host.poll(T0 + 2 * MS);
        assertThat(host.neighbours().size()).isEqualTo(1);
        ev.offerFlush(ETH1);
        host.poll(T0 + 3 * MS);
        assertThat(host.neighbours().size()).isZero();
    }

    @Test
    void aFullEventQueueRefusesAndCounts() {
        NeighbourEvents ev = new NeighbourEvents(2);
        assertThat(ev.offerFlush(1)).isTrue();
        assertThat(ev.offerFlush(2)).isTrue();
        assertThat(ev.offerFlush(3)).isFalse();
        assertThat(ev.refused()).isEqualTo(1);
    }

    @Test
    void ingressTakesArpAndNeighbourDiscoveryOnly() {
        assertThat(host.ingress(frame(eth(GW_MAC, BCAST).arpRequest(GW_MAC, GW, VIP).build(), ETH0, T0))).isEqualTo(Verdict.TX);
        assertThat(host.ingress(frame(eth(GW_MAC, ETH0_MAC).ipv6(GW6, VIP6).hopLimit(255).neighborSolicitation(VIP6).sourceLinkLayer(GW_MAC)
                .build(), ETH0, T0))).isEqualTo(Verdict.TX);
        assertThat(host.ingress(frame(syn(CLIENT, VIP, 64).build(), ETH0, T0))).isEqualTo(HostPlane.CONTINUE);
        assertThat(host.ingress(frame(syn(CLIENT6, VIP6, 64).build(), ETH0, T0))).isEqualTo(HostPlane.CONTINUE);
        assertThat(host.ingress(frame(eth(GW_MAC, ETH0_MAC).ipv6(GW6, VIP6).icmpv6Echo(1, 1).build(), ETH0, T0))).isEqualTo(HostPlane.CONTINUE);
        assertThat(host.ingress(frame(eth(GW_MAC, ETH0_MAC).vlan(3).ipv6(GW6, VIP6).hopLimit(255).neighborSolicitation(VIP6)
                .build(), ETH0, T0))).isEqualTo(Verdict.TX);
        assertThat(host.ingress(frame(new byte[10], ETH0, T0))).isEqualTo(HostPlane.CONTINUE);
        assertThat(host.ingress(frame(eth(GW_MAC, ETH0_MAC).ipv6(GW6, VIP6).hopLimit(255).neighborSolicitation(VIP6).build(), ETH0, T0)))
                .as("NS without a source option: still NDP").isEqualTo(Verdict.TX);
        assertThat(Verdict.PASS).as("the same value as the director's").isEqualTo(Director.PASS);
        assertThat(Verdict.name(Verdict.PASS)).isEqualTo("PASS");
    }

    @Test
    void resolvingParkingAndReleasingAllocateNothing() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter on this JVM");
        var counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled(), "allocation counter off");
        TxPort sink = (ifIndex, seg, off, len) -> len > 0;
        HostPlane p = new HostPlane(tables, HostPlane.Config.DEFAULTS, sink);
        DirectRouteXmit dr = new DirectRouteXmit(p.nextHops(), new IcmpErrors(p.nextHops()), new IpIdent(1), sink);
        XmitConn c = new XmitConn().v4(IpProto.IPPROTO_TCP, (int) lo(CLIENT), 40000, (int) lo(VIP), 80, (int) lo(RS2), 80);
        byte[] synBytes = syn(CLIENT, VIP, 64).build();
        byte[] reply = eth(RS2_MAC, ETH1_MAC).arpReply(RS2_MAC, RS2, ETH1_MAC, DIRECTOR_IN).build();
        byte[] ns = eth(GW_MAC, ETH0_MAC).ipv6(GW6, VIP6).hopLimit(255).neighborSolicitation(VIP6).sourceLinkLayer(GW_MAC).build();
        MemorySegment buf = MemorySegment.ofArray(new byte[2048]);
        MemorySegment synSeg = MemorySegment.ofArray(synBytes), replySeg = MemorySegment.ofArray(reply), nsSeg = MemorySegment.ofArray(ns);
        Frame f = new Frame();
        io.jlvs.packet.PacketParser parser = new io.jlvs.packet.PacketParser();
        Flow flow = new Flow();
        long rs2 = lo(RS2), gw6Hi = hi(GW6), gw6Lo = lo(GW6);
        Round round = (n) -> {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                long now = T0 + i * MS;
                p.poll(now);
                MemorySegment.copy(synSeg, 0, buf, 64, synBytes.length);
                f.wrap(buf, 0, 2048, 64, synBytes.length);
                f.parse(parser, flow);
                sum += dr.transmit(f, c, p.txPort());                          // parked, ARP request sent
                MemorySegment.copy(replySeg, 0, buf, 64, reply.length);
                f.wrap(buf, 0, 2048, 64, reply.length);
                f.ifIndex = ETH1;
                f.nowNs = now;
                sum += p.ingress(f);                                           // learned, released
                MemorySegment.copy(nsSeg, 0, buf, 64, ns.length);
                f.wrap(buf, 0, 2048, 64, ns.length);
                f.ifIndex = ETH0;
                sum += p.ingress(f);                                           // NA built and sent
                p.events().offerDelete(Flow.AF_INET, 0, rs2, ETH1);       // forgotten: next round starts over
                p.events().offerDelete(Flow.AF_INET6, gw6Hi, gw6Lo, ETH0);
            }
            return sum;
        };
        long sum = round.run(20_000);
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && least > 0; attempt++) {
            long before = counter.getCurrentThreadAllocatedBytes();
            sum += round.run(20_000);
            least = Math.min(least, counter.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(sum).isNotZero();
        assertThat(p.pending().released()).as("every round parks and releases").isGreaterThanOrEqualTo(40_000);
        assertThat(p.ndp().advertisements()).isGreaterThanOrEqualTo(40_000);
        assertThat(least).as("bytes allocated by 20000 rounds").isLessThan(1024);
    }

    interface Round { long run(int n); }

    /** Reading frames back. */
    static final class DirectorFrames {
        static long dstMac(byte[] frame) {
            long m = 0;
            for (int i = 0; i < 6; i++) m = (m << 8) | (frame[i] & 0xFF);
            return m;
        }
    }

    @Test
    void announcingATakenAddress() {
        assertThat(host.announce(Flow.AF_INET, 0, lo(VIP), ETH0, false)).isTrue();
        assertThat(host.announce(Flow.AF_INET6, hi(NATGW6), lo(NATGW6), ETH1, true)).isTrue();
        assertThat(host.announce(Flow.AF_INET, 0, lo(VIP), 99, false)).as("unknown interface").isFalse();
        assertThat(ring.ifIndexes).containsExactly(ETH0, ETH1);
        same(ring.frames.get(0), eth(ETH0_MAC, BCAST).arpReply(ETH0_MAC, VIP, BCAST, VIP).arpOper(1));
        same(ring.frames.get(1), eth(ETH1_MAC, "33:33:00:00:00:01").ipv6(NATGW6, "ff02::1").hopLimit(255)
                .neighborAdvertisement(NATGW6, 0xA0).targetLinkLayer(ETH1_MAC));
    }

    @Test
    void nativeMemoryFromTheCallersArena() {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            RecordingTxPort r = new RecordingTxPort();
            HostPlane p = new HostPlane(tables, HostPlane.Config.DEFAULTS, r, arena);
            p.poll(T0);
            List<MemorySegment> segments = new java.util.ArrayList<>();
            TxPort spy = (ifIndex, seg, off, len) -> segments.add(seg) && r.send(ifIndex, seg, off, len);
            HostPlane q = new HostPlane(tables, HostPlane.Config.DEFAULTS, spy, arena);
            q.poll(T0);
            DirectRouteXmit dr = new DirectRouteXmit(q.nextHops(), new IcmpErrors(q.nextHops()), new IpIdent(1), local);
            Frame f = frame(syn(CLIENT, VIP, 64).build(), ETH0, T0);
            f.parse(new io.jlvs.packet.PacketParser(), new Flow());
            XmitConn c = new XmitConn().v4(IpProto.IPPROTO_TCP, (int) lo(CLIENT), 40000, (int) lo(VIP), 80, (int) lo(RS2), 80);
            assertThat(dr.transmit(f, c, q.txPort())).isEqualTo(Verdict.TX);
            q.ingress(frame(eth(RS2_MAC, ETH1_MAC).arpReply(RS2_MAC, RS2, ETH1_MAC, DIRECTOR_IN).build(), ETH1, T0));
            assertThat(segments).hasSize(2).allMatch(MemorySegment::isNative);
            same(r.frames.get(1), eth(ETH1_MAC, RS2_MAC).ipv4(CLIENT, VIP).ttl(63).id(7).df().tcp(40000, 80).syn().seq(1));
        }
    }

    @Test
    void theConfigDefaultsAreSane() {
        HostPlane.Config d = HostPlane.Config.DEFAULTS;
        assertThat(d.pendingTimeoutNs()).isEqualTo(1000 * MS);
        assertThat(d.retransmitNs()).isEqualTo(100 * MS);
        assertThat(d.maxProbes()).isEqualTo(3);
        assertThat(List.of(d.maxNeighbours(), d.maxPendingNextHops(), d.maxPendingFrames(), d.eventQueueRecords())).allMatch(n -> n > 0);
    }
}
