package io.jlvs.ctl.api;

import io.jlvs.service.ServiceTable;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 10,000 services x 10 real servers (110,000 lines: 10,000 {@code -A}, 100,000 {@code -a}) in one batch request.
 * Prints the wall time of {@code handle} (parse, dry run on the copy, live apply, one publish) and the heap the
 * applied table retains after a GC; asserts only that it succeeds (speed is measured, never asserted in unit tests).
 */
class ControlServiceScaleTest {
    static final int SERVICES = 10_000, DESTS = 10;

    @Test
    void tenThousandServicesWithTenRealServersInOneBatch() {
        List<List<String>> lines = new ArrayList<>(SERVICES * (DESTS + 1) + 10);
        for (int s = 0; s < SERVICES; s++) {
            String vip = "10." + (100 + s / 65536) + "." + ((s >> 8) & 0xFF) + "." + (s & 0xFF) + ":80";
            lines.add(List.of("-A", "-t", vip, "-s", "wlc"));
            for (int d = 0; d < DESTS; d++) {
                lines.add(List.of("-a", "-t", vip, "-r", "192.168." + (s % 200) + "." + (d + 1) + ":8080", "-m", "-w", "1"));
            }
        }
        ServiceTable table = new ServiceTable();
        ControlService service = new ControlService(ControlServiceTest.executor(table), ControlService.NO_GROUP);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = mem.getHeapMemoryUsage().getUsed();

        long t0 = System.nanoTime();
        Response r = service.handle(Request.batch("big", lines), Caller.ROOT);
        long ns = System.nanoTime() - t0;

        assertThat(r.err()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(table.size()).isEqualTo(SERVICES);
        assertThat(table.snapshot()).hasSize(SERVICES);
        System.gc();
        long heapAfter = mem.getHeapMemoryUsage().getUsed();
        System.out.printf("control batch: %d lines (%d services x %d real servers) applied in %d ms;"
                        + " heap held by the table after GC: %.1f MiB%n",
                lines.size(), SERVICES, DESTS, ns / 1_000_000, (heapAfter - heapBefore) / 1048576.0);
        assertThat(lines).hasSize(110_000);
        java.lang.ref.Reference.reachabilityFence(lines);
        java.lang.ref.Reference.reachabilityFence(service);
    }
}
