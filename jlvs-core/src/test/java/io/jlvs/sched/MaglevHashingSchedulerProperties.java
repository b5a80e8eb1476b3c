package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.jlvs.sched.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class MaglevHashingSchedulerProperties {

    static VirtualService randomService(MaglevHashingScheduler mh, int flags, int n, Random r, int weight) {
        VirtualService svc = tcpService(mh, flags);
        for (int i = 0; i < n; i++) {
            int a = r.nextInt();
            add(svc, (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255), r.nextInt(65536),
                    weight > 0 ? weight : 1 + r.nextInt(-weight));
        }
        return svc;
    }

    static boolean available(RealServer d) { return d.weight() > 0 && !d.isOverloaded(); }

    @Property(tries = 200)
    void equalWeightsGiveSlotCountsWithinOne(@ForAll @IntRange(min = 1, max = 60) int n,
                                             @ForAll @IntRange(min = 1, max = 1000) int weight, @ForAll long seed) {
        MaglevHashingScheduler mh = new MaglevHashingScheduler();
        VirtualService svc = randomService(mh, 0, n, new Random(seed), weight);
        Map<RealServer, Integer> c = new IdentityHashMap<>();
        for (RealServer d : mh.table()) c.merge(d, 1, Integer::sum);
        assertThat(c.keySet()).hasSize(svc.numDests());
        int max = c.values().stream().max(Integer::compare).orElseThrow();
        int min = c.values().stream().min(Integer::compare).orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
        // the paper's balance goal, M > 100 N -> within 1% of the hash space: far inside it
        if (4093 > 100 * n) assertThat((double) (max - min) / 4093).isLessThanOrEqualTo(0.01);
    }

    @Property(tries = 300)
    void weightZeroAndOverloadedAreNeverPicked(@ForAll @IntRange(min = 1, max = 16) int n, @ForAll long seed,
                                               @ForAll @Size(min = 16, max = 16) List<@IntRange(min = 0, max = 3) Integer> states,
                                               @ForAll boolean fallback, @ForAll int src) {
        MaglevHashingScheduler mh = new MaglevHashingScheduler();
        VirtualService svc = randomService(mh, fallback ? SchedFlags.FALLBACK : 0, n, new Random(seed), -10);
        RealServer[] list = svc.dests();
        boolean any = false;
        for (int i = 0; i < list.length; i++) {
            int s = states.get(i);                              // 0 ok, 1 weight 0, 2 OVERLOAD, 3 both
            if ((s & 1) != 0) edit(svc, list[i], 0);
            list[i].overloaded((s & 2) != 0);
            any |= s == 0;
        }
        RealServer home = mh.table()[MaglevHashingSchedulerTest.slotOf(src, 0)];
        RealServer got = mh.schedule(svc, from(TCP, src, 1));
        if (available(home)) assertThat(got).isSameAs(home);
        else if (!fallback || !any) assertThat(got).isNull();
        else assertThat(got).isNotNull().matches(MaglevHashingSchedulerProperties::available);
    }

    @Property(tries = 100)
    void sameFlowSameDestOnAnyDirectorWithTheSameDests(@ForAll @IntRange(min = 1, max = 30) int n, @ForAll long seed,
                                                       @ForAll int src, @ForAll @IntRange(min = 0, max = 65535) int port) {
        MaglevHashingScheduler one = new MaglevHashingScheduler(), two = new MaglevHashingScheduler();
        VirtualService s1 = randomService(one, SchedFlags.PORT, n, new Random(seed), -50);
        VirtualService s2 = randomService(two, SchedFlags.PORT, n, new Random(seed), -50);
        Flow f = from(SCTP, src, port);
        RealServer first = one.schedule(s1, f);
        assertThat(one.schedule(s1, f)).isSameAs(first);
        assertThat(two.schedule(s2, f).addr()).isEqualTo(first.addr());
        assertThat(two.schedule(s2, f).port()).isEqualTo(first.port());
    }

    /** Slots whose owner changed although their old owner is still there, per slot of the table. */
    static double removeOneAndMeasure(int n, Random r) {
        MaglevHashingScheduler mh = new MaglevHashingScheduler();
        VirtualService svc = randomService(mh, 0, n, r, 1);
        RealServer victim = svc.dests()[r.nextInt(n)];
        RealServer[] before = mh.table();
        svc.removeDest(victim);
        RealServer[] after = mh.table();
        int extra = 0;
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i]).isNotNull().isNotSameAs(victim);
            if (before[i] != victim && before[i] != after[i]) extra++;
        }
        // lookups agree with the table: a source on a surviving, unmoved slot keeps its dest
        for (int k = 0; k < 50; k++) {
            int src = r.nextInt();
            int slot = MaglevHashingSchedulerTest.slotOf(src, 0);
            assertThat(mh.schedule(svc, from(TCP, src, 1))).isSameAs(after[slot]);
        }
        return (double) extra / before.length;
    }

    @Test
    void removingOneOfNDestsMovesItsSlotsAndFewOthers() {
        // Maglev trades some disruption for balance: besides the removed dest's 1/N, the survivors' claims can
        // shift, with a heavy tail (a random single removal once moved 17% at N = 5). So this is a fixed sample
        // of 2000 removals (deterministic, never flaky) checked for its distribution, not a per-sample bound.
        Random r = new Random(4093);
        double[] moved = new double[2000];
        for (int i = 0; i < moved.length; i++) moved[i] = removeOneAndMeasure(5 + r.nextInt(36), r);
        java.util.Arrays.sort(moved);
        assertThat(moved[(int) (moved.length * 0.99)]).as("p99 extra disruption").isLessThanOrEqualTo(0.05);
        assertThat(moved[moved.length - 1]).as("worst extra disruption").isLessThanOrEqualTo(0.30);
    }

    @Test
    void removingOneOfNDestsMovesAboutOneNthOnAverage() {
        // averaged over many services, the extra disruption stays a few percent of the table (measured ~1.5%)
        Random r = new Random(20160316);
        double sum = 0;
        int runs = 300;
        for (int i = 0; i < runs; i++) sum += removeOneAndMeasure(5 + r.nextInt(36), r);
        assertThat(sum / runs).isLessThanOrEqualTo(0.03);
    }
}
