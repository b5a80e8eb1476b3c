package io.jlvs.sched;

import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.jlvs.sched.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class LocalityBasedLeastConnectionSchedulerProperties {

    static final long S = 1_000_000_000L, MIN = 60 * S;

    /**
     * An address stays on its dest until it expires: a second lookup less than lblc_expiration after the first
     * finds the binding; one more than expiration + 31 min later (a full check every 30 ticks, ticks every 60 s)
     * finds it gone and binds afresh. Nothing is overloaded, so nothing else can move it.
     */
    @Property(tries = 300)
    void addressKeepsItsDestUntilExpired(@ForAll @IntRange(min = 1, max = 180) int expirationMin,
                                         @ForAll @LongRange(min = 0, max = 300 * 60) long firstS,
                                         @ForAll @LongRange(min = 0, max = 400 * 60) long gapS,
                                         @ForAll long t0, @ForAll int dst) {
        LocalityBasedLeastConnectionScheduler lblc = new LocalityBasedLeastConnectionScheduler(expirationMin * MIN);
        VirtualService svc = tcpService(lblc, 0);
        RealServer b = add(svc, "10.0.0.2", 80, 1);
        RealServer a = add(svc, "10.0.0.1", 80, 1);
        lblc.startTimer(t0);
        long first = t0 + firstS * S, second = first + gapS * S;
        assertThat(lblc.schedule(svc, to(dst).at(first))).isSameAs(a);
        a.counters(0, 1000);                                   // a fresh binding would now go to b; a is not overloaded
        RealServer got = lblc.schedule(svc, to(dst).at(second));
        if (gapS * S < expirationMin * MIN) assertThat(got).isSameAs(a);
        if (gapS * S >= expirationMin * MIN + 31 * MIN) assertThat(got).isSameAs(b);
    }

    /**
     * Random operations (add, remove, re-weight, overload, load, lookups, time passing): lblc never answers a dest
     * with weight 0 or one no longer in the service; it answers an OVERLOAD-flagged dest only for an address already
     * bound to it (its hit test ignores the flag, as the kernel's). lblcr never answers weight 0, removed or
     * OVERLOAD-flagged dests. Both answer null only when no dest is usable for a fresh pick.
     */
    @Property(tries = 300)
    void neverPicksUnusableDests(@ForAll long seed, @ForAll boolean replicated) {
        Random r = new Random(seed);
        Scheduler s = replicated ? new LocalityBasedLeastConnectionWithReplicationScheduler(20 * MIN)
                                 : new LocalityBasedLeastConnectionScheduler(20 * MIN);
        VirtualService svc = tcpService(s, 0);
        List<RealServer> all = new ArrayList<>();
        Map<Integer, RealServer> lastAnswer = new HashMap<>();
        long now = r.nextLong();
        for (int step = 0; step < 300; step++) {
            int op = r.nextInt(10);
            RealServer[] ds = svc.dests();
            if (op == 0 || ds.length == 0) {
                all.add(add(svc, "10.0.0." + (all.size() + 1), 80, r.nextInt(4)));
            } else if (op == 1 && ds.length > 1) {
                svc.removeDest(ds[r.nextInt(ds.length)]);
            } else if (op == 2) {
                edit(svc, ds[r.nextInt(ds.length)], r.nextInt(4));
            } else if (op == 3) {
                ds[r.nextInt(ds.length)].overloaded(r.nextBoolean());
            } else if (op == 4) {
                ds[r.nextInt(ds.length)].counters(r.nextInt(6), r.nextInt(100));
            } else if (op == 5) {
                now += r.nextInt(40) * MIN;
                s.expire(svc, now);
            } else {
                int dst = r.nextInt(8);
                RealServer got = s.schedule(svc, to(dst).at(now += r.nextInt(1000) * S));
                boolean freshPickPossible = false;
                for (RealServer d : svc.dests()) freshPickPossible |= d.weight() > 0 && !d.isOverloaded();
                if (got == null) {
                    assertThat(freshPickPossible).isFalse();
                    continue;
                }
                assertThat(got.weight()).isPositive();
                assertThat(got.isAvailable()).isTrue();
                assertThat(svc.dests()).contains(got);
                if (replicated || got.isOverloaded()) {
                    if (replicated) assertThat(got.isOverloaded()).isFalse();
                    else assertThat(lastAnswer.get(dst)).isSameAs(got);
                }
                lastAnswer.put(dst, got);
            }
        }
    }
}
