package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * lc, wlc, sed, nq, fo and ovf checked against brute-force oracles written from their definitions (exact
 * rational comparison, first minimum in list order), over random weights, counters and OVERLOAD flags.
 */
class LeastLoadSchedulerProperties {

    record D(int weight, int active, int inactive, boolean overloaded) {}

    @Provide
    Arbitrary<List<D>> dests() {
        Arbitrary<D> d = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 65535)),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 100_000)),
                Arbitraries.integers().between(0, 1_000_000),
                Arbitraries.integers().between(0, 9).map(x -> x == 0))
            .as(D::new);
        return d.list().ofMinSize(0).ofMaxSize(12);
    }

    static VirtualService build(String sched, List<D> ds) {
        return build(SchedulerRegistry.create(sched), ds);
    }

    static VirtualService build(Scheduler sched, List<D> ds) {
        int[] w = ds.stream().mapToInt(D::weight).toArray();
        VirtualService svc = Dests.service(sched, w);
        for (int i = 0; i < ds.size(); i++) {
            svc.dests()[i].counters(ds.get(i).active(), ds.get(i).inactive()).overloaded(ds.get(i).overloaded());
        }
        return svc;
    }

    static int pick(String sched, List<D> ds) {
        VirtualService svc = build(sched, ds);
        return index(svc, svc.scheduler().schedule(svc, Dests.flow()));
    }

    static int index(VirtualService svc, RealServer r) {
        if (r == null) return -1;
        RealServer[] d = svc.dests();
        for (int i = 0; i < d.length; i++) if (d[i] == r) return i;
        throw new AssertionError("picked a dest not in the list");
    }

    static boolean eligible(D d) { return !d.overloaded() && d.weight() > 0; }

    /** Index of the first minimum of num/den over eligible dests (exact), -1 if none. */
    static int firstMinRatio(List<D> ds, java.util.function.ToLongFunction<D> num) {
        int best = -1;
        for (int i = 0; i < ds.size(); i++) {
            D d = ds.get(i);
            if (!eligible(d)) continue;
            if (best < 0) { best = i; continue; }
            D b = ds.get(best);
            // d/wd < b/wb  <=>  d*wb < b*wd
            BigInteger lhs = BigInteger.valueOf(num.applyAsLong(d)).multiply(BigInteger.valueOf(b.weight()));
            BigInteger rhs = BigInteger.valueOf(num.applyAsLong(b)).multiply(BigInteger.valueOf(d.weight()));
            if (lhs.compareTo(rhs) < 0) best = i;
        }
        return best;
    }

    @Property
    void lcPicksTheFirstLeastOverhead(@ForAll("dests") List<D> ds) {
        int best = -1;
        for (int i = 0; i < ds.size(); i++) {
            D d = ds.get(i);
            if (!eligible(d)) continue;
            long oh = d.active() * 256L + d.inactive();
            if (best < 0 || oh < ds.get(best).active() * 256L + ds.get(best).inactive()) best = i;
        }
        assertThat(pick("lc", ds)).isEqualTo(best);
    }

    @Property
    void wlcPicksTheFirstLeastOverheadPerWeight(@ForAll("dests") List<D> ds) {
        assertThat(pick("wlc", ds)).isEqualTo(firstMinRatio(ds, d -> d.active() * 256L + d.inactive()));
    }

    @Property
    void sedPicksTheFirstLeastExpectedDelay(@ForAll("dests") List<D> ds) {
        assertThat(pick("sed", ds)).isEqualTo(firstMinRatio(ds, d -> d.active() + 1L));
    }

    @Property
    void nqPicksTheFirstIdleServerElseSed(@ForAll("dests") List<D> ds) {
        int idle = -1;
        for (int i = 0; i < ds.size() && idle < 0; i++) if (eligible(ds.get(i)) && ds.get(i).active() == 0) idle = i;
        int expected = idle >= 0 ? idle : firstMinRatio(ds, d -> d.active() + 1L);
        assertThat(pick("nq", ds)).isEqualTo(expected);
    }

    @Property
    void foPicksTheFirstHighestWeight(@ForAll("dests") List<D> ds) {
        int best = -1;
        for (int i = 0; i < ds.size(); i++) {
            if (eligible(ds.get(i)) && (best < 0 || ds.get(i).weight() > ds.get(best).weight())) best = i;
        }
        assertThat(pick("fo", ds)).isEqualTo(best);
    }

    @Property
    void ovfPicksTheFirstHighestWeightNotFilledBeyondItsWeight(@ForAll("dests") List<D> ds) {
        int best = -1;
        for (int i = 0; i < ds.size(); i++) {
            D d = ds.get(i);
            if (eligible(d) && d.active() <= d.weight() && (best < 0 || d.weight() > ds.get(best).weight())) best = i;
        }
        assertThat(pick("ovf", ds)).isEqualTo(best);
    }

    @Property
    void twosPicksOneOfTwoWeightedDrawsPreferringTheLessLoaded(@ForAll("dests") List<D> ds, @ForAll long seed) {
        var twos = new PowerOfTwoChoicesScheduler(seed);
        VirtualService svc = build(twos, ds);
        int total = 1;
        for (D d : ds) if (eligible(d)) total += d.weight();
        // replay the generator to learn the two draws, then check the choice against the definition
        var replay = new PowerOfTwoChoicesScheduler(seed);
        RealServer got = twos.schedule(svc, new Flow());
        if (total == 1) {
            assertThat(got).isNull();
            return;
        }
        int r1 = Integer.remainderUnsigned(replay.nextU32(), total);
        int r2 = Integer.remainderUnsigned(replay.nextU32(), total);
        int c1 = draw(ds, r1), c2 = draw(ds, r2);
        long w1 = ds.get(c1).weight(), w2 = ds.get(c2).weight();
        int oh1 = ds.get(c1).active() * 256 + ds.get(c1).inactive();
        int oh2 = ds.get(c2).active() * 256 + ds.get(c2).inactive();
        int expected = (int) w2 * oh1 > (int) w1 * oh2 ? c2 : c1;    // the kernel's int arithmetic
        assertThat(index(svc, got)).isEqualTo(expected);
        assertThat(eligible(ds.get(index(svc, got)))).isTrue();
    }

    /** The first eligible dest at which the running sum of weights reaches r (r in [0, total]). */
    static int draw(List<D> ds, int r) {
        int last = -1;
        for (int i = 0; i < ds.size(); i++) {
            if (!eligible(ds.get(i))) continue;
            last = i;
            r -= ds.get(i).weight();
            if (r <= 0) return i;
        }
        return last;
    }
}
