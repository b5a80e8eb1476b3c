package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.jlvs.sched.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** schedule() allocates nothing on a lookup (lblc/lblcr: on a hit), measured with the JVM's per-thread counter. */
class SchedulerAllocationTest {

    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    static long bytesPerRun(Scheduler s, VirtualService svc, Flow[] flows, int rounds) {
        for (int w = 0; w < 20; w++) for (Flow f : flows) s.schedule(svc, f);     // warm up, create lblc entries
        // the JIT may allocate while it compiles during a run: the least of a few runs is the lookups' own cost
        long least = Long.MAX_VALUE;
        for (int run = 0; run < 5 && least > 0; run++) {
            long before = allocatedBytes();
            for (int k = 0; k < rounds; k++) for (Flow f : flows) s.schedule(svc, f);
            least = Math.min(least, allocatedBytes() - before);
        }
        return least;
    }

    @Test
    void lookupsDoNotAllocate() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        Flow[] flows = new Flow[64];
        for (int i = 0; i < flows.length; i++) flows[i] = new Flow().v4(TCP, 0x0A000000 + i * 7919, 1000 + i, 0xCB007100 + i, 80).at(1_000L + i);
        for (Scheduler s : new Scheduler[] {new SourceHashingScheduler(), new MaglevHashingScheduler(),
                new DestinationHashingScheduler(), new LocalityBasedLeastConnectionScheduler(),
                new LocalityBasedLeastConnectionWithReplicationScheduler()}) {
            VirtualService svc = tcpService(s, SchedFlags.PORT | SchedFlags.FALLBACK);
            for (int i = 1; i <= 8; i++) add(svc, "10.1.0." + i, 80, i);
            svc.dests()[3].overloaded(true);                                       // exercise the fallback probes
            long bytes = bytesPerRun(s, svc, flows, 2000);
            assertThat(bytes).as("%s: bytes allocated by %d lookups", s.name(), 2000 * flows.length)
                    .isLessThan(1024);
        }
    }
}
