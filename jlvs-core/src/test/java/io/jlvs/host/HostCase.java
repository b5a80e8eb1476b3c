package io.jlvs.host;

import io.jlvs.testkit.Vector;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.RecordingTxPort;
import io.jlvs.xmit.Verdict;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link Vector} for the host plane: the frame arrives on {@code ifIndex} of {@link HostNet}, {@code call}
 * hands it to the code under test on a fresh plane whose ring records what is sent; the verdict and every
 * frame on the ring are compared, every checksum re-verified by the testkit oracle; {@code after} checks what
 * the plane learned.
 */
record HostCase(Vector vector, int ifIndex, Call call, Consumer<HostPlane> after, int tailroom) {
    static final long NOW = 5_000_000_000L;

    @FunctionalInterface
    interface Call {
        int run(HostPlane plane, Frame f);
    }

    static HostCase of(Vector v, int ifIndex, Call call) { return new HostCase(v, ifIndex, call, p -> { }, HostNet.TAILROOM); }

    HostCase then(Consumer<HostPlane> check) { return new HostCase(vector, ifIndex, call, check, tailroom); }

    HostCase tailroom(int bytes) { return new HostCase(vector, ifIndex, call, after, bytes); }

    @Override
    public String toString() { return vector.description(); }

    static Stream<DynamicTest> tests(List<HostCase> cases) {
        List<DynamicTest> tests = new ArrayList<>();
        for (HostCase c : cases) tests.add(DynamicTest.dynamicTest(c.vector().description(), c::run));
        return tests.stream();
    }

    void run() {
        RecordingTxPort ring = new RecordingTxPort();
        if (vector.description().contains("ring full")) ring.capacity = 0;
        HostPlane plane = HostNet.plane(HostNet.tables(), ring);
        plane.poll(NOW);
        Frame f = HostNet.frame(vector.input(), ifIndex, NOW, HostNet.HEADROOM, tailroom);
        int verdict = call.run(plane, f);
        assertThat(vector.check(verdict, ring.frames, List.of(), Verdict::name)).as(vector.description()).isEmpty();
        for (int i : ring.ifIndexes) assertThat(i).as("reply leaves on the interface it came in on").isEqualTo(ifIndex);
        after.accept(plane);
    }
}
