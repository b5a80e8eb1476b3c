package io.jlvs.xmit;

import io.jlvs.packet.Flow;
import io.jlvs.packet.PacketParser;
import io.jlvs.testkit.Vector;
import org.junit.jupiter.api.DynamicTest;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link XmitCase}s as Katran's {@code BpfTester} runs its fixtures: the input frame is put in a buffer
 * (with headroom, again in native memory, and again without headroom), given its virtio-net header if it has one, parsed, handed to the
 * transmitter with fresh state; the verdict, every
 * frame on the transmit and local ports octet for octet with the virtio-net header it was sent with, and every
 * checksum of those frames are checked ({@link Vector#check}).
 */
final class XmitVectorRunner {
    private XmitVectorRunner() {}

    static Stream<DynamicTest> tests(List<XmitCase> cases) {
        List<DynamicTest> tests = new ArrayList<>();
        for (XmitCase c : cases) {
            tests.add(DynamicTest.dynamicTest(c.vector().description(), () -> run(c, c.headroom(), c.tailroom())));
            // a frame in native memory is addressed another way (Frame.wrap): every vector runs there too
            tests.add(DynamicTest.dynamicTest(c.vector().description() + " [native memory]",
                    () -> run(c, c.headroom(), c.tailroom(), true)));
            if (c.alsoTight()) {
                tests.add(DynamicTest.dynamicTest(c.vector().description() + " [no headroom]", () -> run(c, 0, c.tailroom())));
            }
        }
        return tests.stream();
    }

    static void run(XmitCase c, int headroom, int tailroom) { run(c, headroom, tailroom, false); }

    static void run(XmitCase c, int headroom, int tailroom, boolean nativeMemory) {
        Vector v = c.vector();
        byte[] in = v.input();
        int size = headroom + in.length + tailroom;
        MemorySegment seg = nativeMemory ? java.lang.foreign.Arena.ofAuto().allocate(Math.max(1, size))
                : MemorySegment.ofArray(new byte[size]);
        MemorySegment.copy(in, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, headroom, in.length);
        Frame f = new Frame().wrap(seg, 0, size, headroom, in.length);
        int[] vnet = v.vnet();
        if (vnet != null) f.vnetHeader(vnet[0], vnet[1], 0, vnet[2], vnet[3], vnet[4]);
        f.txOffload = v.isTxOffload();
        if (v.csumStart() >= 0) f.partialChecksum(f.start() + v.csumStart(), v.csumOffset(), v.csumCrc32c());
        assertThat(f.parse(new PacketParser(), new Flow())).as("input parses").isEqualTo(PacketParser.OK);
        XmitEnv env = new XmitEnv();
        int verdict = c.call().run(env, f, env.tx);
        List<String> problems = v.check(verdict, env.tx.frames, env.tx.offloads, env.local.frames, Verdict::name);
        assertThat(problems).as(v.description()).isEmpty();
    }
}
