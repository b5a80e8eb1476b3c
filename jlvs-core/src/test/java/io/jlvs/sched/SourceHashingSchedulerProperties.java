package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.jlvs.sched.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class SourceHashingSchedulerProperties {

    /** Dests in list order with the given weights (weights.get(0) is the head) and OVERLOAD flags. */
    static VirtualService build(Scheduler s, int flags, List<Integer> weights, long overloadMask) {
        VirtualService svc = tcpService(s, flags);
        for (int i = weights.size() - 1; i >= 0; i--) {
            RealServer d = add(svc, "10.0." + (i / 200) + "." + (i % 200 + 1), 80, weights.get(i));
            d.overloaded((overloadMask >>> i & 1) != 0);
        }
        return svc;
    }

    static boolean available(RealServer d) { return d.weight() > 0 && !d.isOverloaded(); }

    @Property
    void tableIsTheWeightedRoundRobinPattern(@ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 20) Integer> weights) {
        SourceHashingScheduler sh = new SourceHashingScheduler();
        VirtualService svc = build(sh, 0, weights, 0);
        List<RealServer> pattern = new ArrayList<>();           // each dest max(weight, 1) times, in list order
        for (RealServer d : svc.dests()) for (int k = 0; k < Math.max(d.weight(), 1); k++) pattern.add(d);
        RealServer[] t = sh.table();
        for (int i = 0; i < 256; i++) assertThat(t[i]).isSameAs(pattern.get(i % pattern.size()));
    }

    @Property
    void withoutFallbackAnUnavailableBucketGivesNullAndNothingElse(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 5) Integer> weights,
            @ForAll long overloadMask, @ForAll int src, @ForAll @IntRange(min = 0, max = 65535) int port, @ForAll boolean shPort) {
        SourceHashingScheduler sh = new SourceHashingScheduler();
        VirtualService svc = build(sh, shPort ? SchedFlags.PORT : 0, weights, overloadMask);
        RealServer bucketDest = sh.table()[hash32((long) src + (shPort ? port : 0), 8)];
        RealServer got = sh.schedule(svc, from(TCP, src, port));
        if (available(bucketDest)) assertThat(got).isSameAs(bucketDest);
        else assertThat(got).isNull();
    }

    @Property
    void withFallbackAnAvailableDestIsFoundWheneverOneExists(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 5) Integer> weights,
            @ForAll long overloadMask, @ForAll int src) {
        SourceHashingScheduler sh = new SourceHashingScheduler();
        VirtualService svc = build(sh, SchedFlags.FALLBACK, weights, overloadMask);
        boolean any = false;
        for (RealServer d : svc.dests()) any |= available(d);
        RealServer got = sh.schedule(svc, from(TCP, src, 1));
        if (any) assertThat(got).isNotNull().matches(SourceHashingSchedulerProperties::available);
        else assertThat(got).isNull();
        RealServer home = sh.table()[hash32(src & 0xFFFF_FFFFL, 8)];
        if (available(home)) assertThat(got).isSameAs(home);    // fallback only when the home bucket fails
    }

    @Property
    void sameFlowSameDestOnAnyDirectorWithTheSameDests(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 9) Integer> weights,
            @ForAll int src, @ForAll @IntRange(min = 0, max = 65535) int port) {
        SourceHashingScheduler one = new SourceHashingScheduler(), two = new SourceHashingScheduler();
        VirtualService s1 = build(one, SchedFlags.PORT, weights, 0), s2 = build(two, SchedFlags.PORT, weights, 0);
        Flow f = from(UDP, src, port);
        RealServer first = one.schedule(s1, f);
        assertThat(one.schedule(s1, f)).isSameAs(first);
        assertThat(two.schedule(s2, f).addr()).isEqualTo(first.addr());
    }

    @Example
    void shIsNotConsistentHashingRemovingOneOfFiveRemapsMostSources() {
        // the kernel refills the 256 buckets round-robin: list a b c d e -> a b d e moves every bucket whose
        // position mod 5 and mod 4 pick different dests, far more than the removed dest's 1/5
        SourceHashingScheduler sh = new SourceHashingScheduler();
        VirtualService svc = build(sh, 0, List.of(1, 1, 1, 1, 1), 0);
        Random r = new Random(42);
        int n = 5000, moved = 0;
        int[] src = new int[n];
        IpAddr[] before = new IpAddr[n];
        for (int k = 0; k < n; k++) before[k] = sh.schedule(svc, from(TCP, src[k] = r.nextInt(), 1)).addr();
        svc.removeDest(svc.dests()[2]);
        for (int k = 0; k < n; k++) if (!sh.schedule(svc, from(TCP, src[k], 1)).addr().equals(before[k])) moved++;
        assertThat((double) moved / n).isGreaterThan(0.5);
    }
}
