package io.jlvs.ctl.ipvsadm;

import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.ServiceTable;
import io.jlvs.service.VirtualService;
import io.jlvs.stats.Stats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LiveStats}'s clock: what a tick does when nothing is due, and when estimators start. */
class LiveStatsTest {
    static final long MS = 1_000_000L, SECOND = 1_000_000_000L;

    @Test
    void ticksBetweenEstimationsDoNothingAndNewServicesStartAtTheirSync() {
        ServiceTable table = new ServiceTable();
        LiveStats stats = new LiveStats(table, new Stats(), 0);
        assertThat(stats.nextDueNs()).isEqualTo(2 * SECOND);
        for (long t = MS; t < 2 * SECOND; t += 100 * MS) assertThat(stats.tick(t)).as("tick at %d ns", t).isZero();

        VirtualService svc = VirtualService.of(ServiceKey.tcp("192.0.2.10", 80), SchedulerRegistry.create("rr"));
        table.add(svc);
        stats.sync(SECOND + 500 * MS);                           // the control command's sync: its estimator starts
        assertThat(stats.nextDueNs()).as("the total is still due first").isEqualTo(2 * SECOND);
        assertThat(stats.tick(2 * SECOND)).as("the total's estimation").isEqualTo(1);
        assertThat(stats.nextDueNs()).as("then the service's, 2 s after it started").isEqualTo(3 * SECOND + 500 * MS);
        assertThat(stats.tick(3 * SECOND)).isZero();
        assertThat(stats.tick(3 * SECOND + 500 * MS)).as("the service's estimation").isEqualTo(1);
        assertThat(stats.nextDueNs()).isEqualTo(4 * SECOND);
    }
}
