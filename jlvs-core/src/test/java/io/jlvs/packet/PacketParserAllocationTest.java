package io.jlvs.packet;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The parse path allocates nothing: the thread's allocation counter does not move over many parses of every
 * kind of frame, accepted and dropped, with every check on. (JMH {@code -prof gc} in jlvs-bench gives the
 * figure per operation; this keeps the property under test on every build.)
 */
class PacketParserAllocationTest {

    @Test
    void parsingAndCheckingAllocateNothing() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter on this JVM");
        var counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled(), "allocation counter off");

        byte[][] frames = {
                Frames.eth().vlan(7).ipv4(Frames.CLIENT, Frames.VIP).ipOptions(new byte[4]).tcp(40000, 80).syn().mss(1460).payload("hello").build(),
                Frames.v6().hopByHop().destOptions().udp(5353, 53).payload("query").build(),
                Frames.v6().sctp(1, 2, 3).init(1, 2, 3, 4, 5).build(),
                Frames.v4().icmpEcho(1, 2).payload("ping").build(),
                Frames.eth().ipv6(Frames.CLIENT6, "ff02::1:ff00:a").neighborSolicitation(Frames.VIP6).sourceLinkLayer(Frames.CLIENT_MAC).build(),
                Frames.eth().arpRequest(Frames.CLIENT_MAC, Frames.CLIENT, Frames.VIP).build(),
                Frames.v4().fragment(1480, false).protocol(17).payload(new byte[64]).build(),
                Frames.v4().tcp(1, 2).badChecksum().build(),
                Frames.v6().tcp(1, 2).truncate(60).build(),
        };
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] segs = new MemorySegment[frames.length];
            for (int i = 0; i < frames.length; i++) {
                segs[i] = arena.allocate(2048);
                MemorySegment.copy(frames[i], 0, segs[i], ValueLayout.JAVA_BYTE, 0, frames[i].length);
            }
            PacketParser parser = new PacketParser().verifyL4Checksums(true);
            Flow flow = new Flow();
            long sink = run(parser, flow, segs, frames, 20_000);     // warm up: class init, JIT
            long before = counter.getCurrentThreadAllocatedBytes();
            sink += run(parser, flow, segs, frames, 100_000);
            long allocated = counter.getCurrentThreadAllocatedBytes() - before;
            assertThat(sink).isNotZero();
            assertThat(allocated).as("bytes allocated by %d parses", 100_000 * frames.length).isLessThan(1024);
        }
    }

    private static long run(PacketParser parser, Flow flow, MemorySegment[] segs, byte[][] frames, int rounds) {
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < segs.length; i++) {
                sink += parser.parse(segs[i], frames[i].length, flow) + flow.srcPort + parser.payloadLength();
                if (parser.l4HeaderPresent() && flow.protocol == IpProto.IPPROTO_TCP) {
                    TcpView tcp = parser.tcp();
                    if (tcp.walkOptions()) sink += tcp.mss();
                }
                if (flow.protocol == IpProto.IPPROTO_ICMPV6 && parser.l4HeaderPresent() && parser.icmpv6().walkNdOptions(parser.l3End())) {
                    sink += parser.icmpv6().sourceLinkLayerAddress();
                }
                sink += Crc32c.crc32c(segs[i], 0, frames[i].length);
                sink += Checksums.update128(Checksums.internet(segs[i], 0, frames[i].length), r, i, i, r);
            }
        }
        return sink;
    }
}
