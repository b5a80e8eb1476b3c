package io.jlvs.decap;

import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import static io.jlvs.decap.DecapsulatorVectors.gre;
import static io.jlvs.decap.DecapsulatorVectors.outer4;
import static io.jlvs.decap.DecapsulatorVectors.tcp4;
import static io.jlvs.decap.DecapsulatorVectors.udp6;
import static io.jlvs.testkit.PacketBuilder.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Decapsulating allocates nothing: every encapsulation, remote checksum offload, drops. Least of several runs. */
class DecapsulatorAllocationTest {
    @Test
    void decapsulatingAllocatesNothing() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter on this JVM");
        var counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled(), "allocation counter off");

        byte[] partial = DecapsulatorVectors.eth().ipv4("198.51.100.7", "203.0.113.10").tcp(1, 80).partialChecksum().payload("x").buildL3();
        byte[][] packets = {outer4(4, tcp4()), outer4(47, gre(Gre.FLAG_CSUM, 0x86DD, udp6())), tcp4(), udp6(),
                gre(Gre.FLAG_KEY, 0x0800, tcp4()), concat(PacketBuilder.gueRemcsumHeader(4, 20, 36), partial),
                concat(PacketBuilder.gueHeader(17), tcp4()), outer4(4, partial)};
        int[] sources = {Decapsulator.IPV4_RAW, Decapsulator.IPV4_RAW, Decapsulator.IPV6_RAW_IPIP, Decapsulator.IPV6_RAW_IPV6,
                Decapsulator.IPV6_RAW_GRE, Decapsulator.GUE, Decapsulator.GUE, Decapsulator.IPV4_RAW};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] originals = new MemorySegment[packets.length];
            for (int i = 0; i < packets.length; i++) originals[i] = arena.allocate(packets[i].length).copyFrom(MemorySegment.ofArray(packets[i]));
            MemorySegment buf = arena.allocate(2048);
            Decapsulator d = new Decapsulator();
            long sum = run(d, originals, sources, buf, 20_000);
            long least = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 5 && least > 0; attempt++) {
                long before = counter.getCurrentThreadAllocatedBytes();
                sum += run(d, originals, sources, buf, 20_000);
                least = Math.min(least, counter.getCurrentThreadAllocatedBytes() - before);
            }
            assertThat(sum).isNotZero();
            assertThat(least).as("bytes allocated by %d decapsulations", 20_000 * packets.length).isLessThan(1024);
        }
    }

    private static long run(Decapsulator d, MemorySegment[] originals, int[] sources, MemorySegment buf, int rounds) {
        long sum = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < originals.length; i++) {
                int len = (int) originals[i].byteSize();
                MemorySegment.copy(originals[i], 0, buf, 0, len);
                int v = d.decap(sources[i], buf, 0, len);
                sum += v == Decapsulator.DELIVER ? d.innerLength() : v;
            }
        }
        return sum;
    }
}
