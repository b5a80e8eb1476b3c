package io.jlvs.sched;

import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** rr and wrr against their definitions over random weight lists. */
class RoundRobinProperties {

    @Provide
    Arbitrary<List<Integer>> weights() {
        return Arbitraries.integers().between(0, 12).list().ofMinSize(1).ofMaxSize(10);
    }

    @Property
    void rrVisitsEveryAvailableDestOncePerCycle(@ForAll("weights") List<Integer> ws, @ForAll("weights") List<Integer> warmup) {
        VirtualService svc = Dests.service("rr", ws.stream().mapToInt(Integer::intValue).toArray());
        long available = ws.stream().filter(w -> w > 0).count();
        List<Integer> warm = Dests.picks(svc, warmup.size());      // start anywhere in the cycle
        List<Integer> cycle = Dests.picks(svc, (int) available);
        if (available == 0) {
            assertThat(cycle).isEmpty();
            assertThat(warm).allMatch(i -> i == -1);
            return;
        }
        assertThat(cycle).doesNotHaveDuplicates().allMatch(i -> ws.get(i) > 0);
        // and in list order, wrapping: each next pick is the next available index after the previous one
        for (int k = 1; k < cycle.size(); k++) {
            int prev = cycle.get(k - 1), next = cycle.get(k), expect = prev;
            do { expect = (expect + 1) % ws.size(); } while (ws.get(expect) == 0);
            assertThat(next).isEqualTo(expect);
        }
    }

    @Property
    void wrrGivesEachDestItsWeightPerCycle(@ForAll("weights") List<Integer> ws) {
        int[] w = ws.stream().mapToInt(Integer::intValue).toArray();
        VirtualService svc = Dests.service("wrr", w);
        int g = WeightedRoundRobinScheduler.gcdWeight(svc.dests());
        int period = 0;
        for (int x : w) period += x / g;
        for (int round = 0; round < 3; round++) {
            Map<Integer, Integer> counts = new HashMap<>();
            for (int p : Dests.picks(svc, period)) counts.merge(p, 1, Integer::sum);
            for (int i = 0; i < w.length; i++) assertThat(counts.getOrDefault(i, 0)).isEqualTo(w[i] / g);
        }
        if (period == 0) assertThat(Dests.picks(svc, 2)).containsOnly(-1);
    }

    @Property
    void wrrNeverPicksOverloadedDests(@ForAll("weights") List<Integer> ws, @ForAll("weights") List<Integer> overloadMask) {
        VirtualService svc = Dests.service("wrr", ws.stream().mapToInt(Integer::intValue).toArray());
        RealServer[] d = svc.dests();
        for (int i = 0; i < d.length; i++) d[i].overloaded(overloadMask.get(i % overloadMask.size()) % 2 == 1);
        for (int p : Dests.picks(svc, 50)) {
            if (p >= 0) assertThat(d[p].isSchedulable()).isTrue();
        }
        boolean any = false;
        for (RealServer r : d) any |= r.isSchedulable();
        assertThat(Dests.picks(svc, 5).contains(-1)).isEqualTo(!any);
    }
}
