package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What holds for every registered scheduler, whatever its rule. */
class AllSchedulersProperties {

    static final List<String> KERNEL_NAMES =
        List.of("rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "twos", "sh", "mh", "dh", "lblc", "lblcr");

    @Test
    void everyKernelSchedulerIsRegisteredUnderItsName() {
        assertThat(SchedulerRegistry.names()).containsExactlyInAnyOrderElementsOf(KERNEL_NAMES);
        for (String name : KERNEL_NAMES) {
            Scheduler a = SchedulerRegistry.create(name), b = SchedulerRegistry.create(name);
            assertThat(a.name()).isEqualTo(name);
            assertThat(a).isNotSameAs(b);                  // one instance per service
        }
        assertThat(SchedulerRegistry.create("nope")).isNull();
    }

    @Provide
    Arbitrary<String> names() { return Arbitraries.of(SchedulerRegistry.names().toArray(new String[0])); }

    @Provide
    Arbitrary<List<Integer>> weights() { return Arbitraries.integers().between(0, 5).list().ofMaxSize(9); }

    @Property(tries = 2000)
    void neverPicksAQuiescedOrOverloadedDestNorOneOutsideTheService(
            @ForAll("names") String name, @ForAll("weights") List<Integer> ws, @ForAll("weights") List<Integer> load,
            @ForAll int src, @ForAll int port) {
        VirtualService svc = Dests.service(name, ws.stream().mapToInt(Integer::intValue).toArray());
        RealServer[] d = svc.dests();
        for (int i = 0; i < d.length; i++) {
            int l = load.isEmpty() ? 0 : load.get(i % load.size());
            d[i].counters(l, 2 * l).overloaded(l == 5);
        }
        boolean any = false;
        for (RealServer r : d) any |= r.isSchedulable();
        Flow f = new Flow().v4(6, src, port & 0xFFFF, 0xC633640A, 80);
        for (int k = 0; k < 5; k++) {
            RealServer got = svc.scheduler().schedule(svc, f.at(k * 1_000_000_000L));
            if (got != null) {
                assertThat(d).contains(got);
                assertThat(got.isSchedulable()).as(name + " picked " + got).isTrue();
            }
            if (!any) assertThat(got).isNull();
        }
    }
}
