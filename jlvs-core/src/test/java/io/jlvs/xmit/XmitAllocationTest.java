package io.jlvs.xmit;

import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.PacketParser;
import io.jlvs.service.TunnelType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import static io.jlvs.xmit.Net.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The transmit paths allocate nothing: NAT both ways, DR, every tunnel kind, ICMP NAT, ICMP errors generated,
 * fragmentation, partial checksums, moves for headroom, GSO super-frames (sent whole with their offloads, or cut
 * by the segmenter for a port without them, a tunnel, the local stack). The thread's allocation counter over
 * many rounds, least of several runs (JIT compilation allocates while it works).
 */
class XmitAllocationTest {
    private static final int BUFFER = 8192, HEADROOM = 64;

    interface Step { int run(Frame f); }

    @Test
    void transmittingAllocatesNothing() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter on this JVM");
        var counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled(), "allocation counter off");

        FakeNextHops hops = Net.hops();
        IpIdent ident = new IpIdent(1);
        IcmpErrors icmp = new IcmpErrors(hops).ident(ident).rateLimit(0, 0);
        TxPort sink = new TxPort() {
            @Override
            public boolean send(int ifIndex, MemorySegment seg, long off, int len) { return len > 0; }

            @Override
            public boolean sendOffload(int ifIndex, MemorySegment seg, long off, int len, int flags, int gsoType, int hdrLen,
                                       int gsoSize, int csumStart, int csumOffset) {
                return len > 0 && gsoSize >= 0;
            }
        };
        LocalNodeXmit localNode = new LocalNodeXmit(sink);
        NatXmit nat = new NatXmit(hops, icmp, ident, sink);
        DirectRouteXmit dr = new DirectRouteXmit(hops, icmp, ident, sink);
        TunnelXmit tun = new TunnelXmit(hops, icmp, ident, sink).flowHash(FlowHash.seeded(7));
        IcmpNat icmpNat = new IcmpNat(hops, icmp, ident, sink);
        XmitConn tcp4 = tcp(CLIENT, VIP, RS1), tcp6 = tcp(CLIENT6, VIP6, RS6), small = tcp(CLIENT, VIP, RS_MTU);
        XmitConn udp4 = conn(IpProto.IPPROTO_UDP, CLIENT, 40000, VIP, 53, RS_MTU, 5353);
        XmitConn gue = tcp(CLIENT, VIP, RS6).tunnel(TunnelType.GUE, 6080, TunnelType.FLAG_CSUM);
        XmitConn gre = tcp(CLIENT6, VIP6, RS1).tunnel(TunnelType.GRE, 0, TunnelType.FLAG_CSUM);
        XmitConn remcsum = tcp(CLIENT, VIP, RS1).tunnel(TunnelType.GUE, 6080, TunnelType.FLAG_REMCSUM);
        XmitConn fragTun = conn(IpProto.IPPROTO_UDP, CLIENT, 40000, VIP, 53, RS6, 53).tunnel(TunnelType.IPIP, 0, 0);

        byte[][] inputs = {
                V.ip(fromClient(), CLIENT, VIP, 64).tcp(40000, 80).ack().payload(V.PAYLOAD).build(),
                V.ip(fromRs(RS1_MAC), RS6, CLIENT6, 64).tcp(8080, 40000).ack().payload(V.PAYLOAD).build(),
                V.ip(fromClient().vlan(4), CLIENT, VIP, 64).sctp(40000, 80, 1).chunk(0, 0, new byte[100]).build(),
                V.ip(fromClient(), CLIENT, VIP, 64).tcp(40000, 80).ack().payload(new byte[1460]).build(),     // too big: ICMP
                V.ip(fromClient(), CLIENT, VIP, 1).tcp(40000, 80).build(),                                    // TTL: ICMP
                fromClient().ipv4(CLIENT, VIP).ttl(64).udp(40000, 53).payload(new byte[1472]).build(),        // fragments
                fromClient().ipv4(CLIENT, VIP).ttl(64).udp(40000, 53).payload(new byte[1472]).build(),        // IPv6 outer fragments
                V.ip(fromClient(), CLIENT6, VIP6, 64).tcp(40000, 80).ack().payload(V.PAYLOAD).build(),
                fromClient().ipv4(CLIENT, VIP).ttl(64).tcp(40000, 80).ack().partialChecksum().payload(V.PAYLOAD).build(),
                V.ip(fromRs(RS1_MAC), RS1, CLIENT, 64).icmpError(3, 3, V.first(V.ip(fromClient(), CLIENT, RS1, 63).tcp(40000, 8080).buildL3(), 28)).build(),
                GSO4, GSO4, GSO6, GSO4, GSO4,
        };
        int[][] vnets = new int[inputs.length][];
        vnets[10] = vnets[11] = vnets[13] = new int[] {1, 1, 1448, 34, 16};
        vnets[12] = new int[] {1, 4, 1400, 54, 16};
        vnets[14] = new int[] {2, 1, 1448, 0, 0};
        Step[] steps = {
                f -> nat.transmit(f, tcp4, sink),
                f -> nat.reply(f, tcp6, sink),
                f -> dr.transmit(f, tcp4, sink),
                f -> nat.transmit(f, small, sink),
                f -> dr.transmit(f, tcp4, sink),
                f -> nat.transmit(f, udp4, sink),
                f -> tun.transmit(f, fragTun, sink),
                f -> tun.transmit(f, gre, sink),
                f -> { f.partialChecksum(f.l4Offset(), 16, false); return tun.transmit(f, remcsum, sink); },
                f -> icmpNat.transmitOut(f, tcp4, sink),
                f -> { f.txOffload = true; return nat.transmit(f, tcp4, sink); },       // GSO whole, NEEDS_CSUM
                f -> nat.transmit(f, tcp4, sink),                                      // GSO cut in software
                f -> tun.transmit(f, gre, sink),                                       // GSO 6in4 GRE, per segment
                f -> localNode.transmit(f, tcp4, sink),                                // GSO cut for the local stack
                f -> { f.txOffload = true; return nat.transmit(f, tcp4, sink); },       // DATA_VALID: pseudo-header sum
        };
        assertThat(inputs.length).isEqualTo(steps.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] originals = new MemorySegment[inputs.length];
            for (int i = 0; i < inputs.length; i++) originals[i] = arena.allocate(inputs[i].length).copyFrom(MemorySegment.ofArray(inputs[i]));
            MemorySegment buffer = arena.allocate(BUFFER);
            Frame frame = new Frame();
            PacketParser parser = new PacketParser();
            Flow flow = new Flow();
            int[] verdicts = new int[steps.length];
            for (int i = 0; i < steps.length; i++) {
                MemorySegment.copy(originals[i], 0, buffer, HEADROOM, originals[i].byteSize());
                frame.wrap(buffer, 0, BUFFER, HEADROOM, (int) originals[i].byteSize());
                vnet(frame, vnets[i]);
                frame.parse(parser, flow);
                verdicts[i] = steps[i].run(frame);
            }
            int tx = Verdict.TX;
            assertThat(verdicts).as("the paths exercised").containsExactly(tx, tx, tx, DropReason.MTU_EXCEEDED.code(),
                    DropReason.TTL_EXCEEDED.code(), tx, tx, tx, tx, tx, tx, tx, tx, Verdict.LOCAL, tx);
            long sink2 = run(steps, vnets, originals, buffer, frame, parser, flow, 20_000, gue, tun);
            long least = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 5 && least > 0; attempt++) {
                long before = counter.getCurrentThreadAllocatedBytes();
                sink2 += run(steps, vnets, originals, buffer, frame, parser, flow, 20_000, gue, tun);
                least = Math.min(least, counter.getCurrentThreadAllocatedBytes() - before);
            }
            assertThat(sink2).isNotZero();
            assertThat(least).as("bytes allocated by %d transmissions", 20_000 * steps.length).isLessThan(1024);
        }
    }

    private static final byte[] GSO4 = fromClient().ipv4(CLIENT, VIP).ttl(64).id(7).df().tcp(40000, 80).ack().partialChecksum()
            .payload(new byte[3 * 1448]).build();
    private static final byte[] GSO6 = fromClient().ipv6(CLIENT6, VIP6).hopLimit(64).tcp(40000, 80).ack().partialChecksum()
            .payload(new byte[3 * 1400]).build();

    private static void vnet(Frame f, int[] v) {
        if (v != null) f.vnetHeader(v[0], v[1], 0, v[2], v[3], v[4]);
    }

    private static long run(Step[] steps, int[][] vnets, MemorySegment[] originals, MemorySegment buffer, Frame frame,
                            PacketParser parser, Flow flow, int rounds, XmitConn gue, TunnelXmit tun) {
        long sum = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < steps.length; i++) {
                int len = (int) originals[i].byteSize();
                int headroom = (r & 1) == 0 ? HEADROOM : 0;
                MemorySegment.copy(originals[i], 0, buffer, headroom, len);
                frame.wrap(buffer, 0, BUFFER, headroom, len);
                vnet(frame, vnets[i]);
                if (frame.parse(parser, flow) != PacketParser.OK) throw new AssertionError("input " + i);
                sum += steps[i].run(frame) + 3;
            }
            MemorySegment.copy(originals[0], 0, buffer, HEADROOM, originals[0].byteSize());
            frame.wrap(buffer, 0, BUFFER, HEADROOM, (int) originals[0].byteSize());
            frame.parse(parser, flow);
            sum += tun.transmit(frame, gue, (ifIndex, seg, off, len) -> true) + 5;
        }
        return sum;
    }
}
