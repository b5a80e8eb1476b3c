package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jlvs.sched.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class LocalityBasedLeastConnectionWithReplicationSchedulerTest {

    static final long T0 = -5_000_000_000L;                    // negative on purpose: only differences count
    static final long S = TimeUnit.SECONDS.toNanos(1), MIN = 60 * S;
    static final int X = 0xCB007101;                           // 203.0.113.1, the destination address under test

    static Flow to(int dst, long nowNs) { return Fixtures.to(dst).at(nowNs); }

    LocalityBasedLeastConnectionWithReplicationScheduler lblcr =
            new LocalityBasedLeastConnectionWithReplicationScheduler(10 * MIN);
    VirtualService svc = tcpService(lblcr, 0);
    RealServer c = add(svc, "10.0.0.3", 80, 3);
    RealServer b = add(svc, "10.0.0.2", 80, 3);
    RealServer a = add(svc, "10.0.0.1", 80, 3);                // list a, b, c
    { lblcr.startTimer(T0); }

    LocalityBasedLeastConnectionWithReplicationScheduler.Entry entry(int dst) {
        return (LocalityBasedLeastConnectionWithReplicationScheduler.Entry)
                lblcr.table().find(LocalityTable.bucketOf(dst), svc.af(), 0, dst & 0xFFFF_FFFFL);
    }

    List<RealServer> members(int dst) {
        List<RealServer> l = new ArrayList<>();
        for (var m = entry(dst).head(); m != null; m = m.next()) l.add(m.dest);
        return l;
    }

    @Test
    void missCreatesASetOfTheServiceMinimum() {
        a.counters(1, 0);
        assertThat(lblcr.schedule(svc, to(X, T0 + S))).isSameAs(b);
        assertThat(members(X)).containsExactly(b);
        assertThat(entry(X).lastModNs()).isEqualTo(T0 + S);
    }

    @Test
    void overloadedMinimumAddsTheServiceMinimumAtTheHeadOfTheSet() {
        assertThat(lblcr.schedule(svc, to(X, T0 + S))).isSameAs(a);
        a.counters(4, 0);                                  // 4 > 3 and b has 0 * 2 < 3: overloaded
        assertThat(lblcr.schedule(svc, to(X, T0 + 2 * S))).isSameAs(b);
        assertThat(members(X)).containsExactly(b, a);
        assertThat(entry(X).lastModNs()).isEqualTo(T0 + 2 * S);
        // the set minimum is now b (a is heavier): served from the set, no change
        b.counters(1, 0);
        assertThat(lblcr.schedule(svc, to(X, T0 + 3 * S))).isSameAs(b);
        assertThat(entry(X).lastModNs()).isEqualTo(T0 + 2 * S);
    }

    @Test
    void setMinimumSkipsRemovedAndOverloadFlaggedMembers() {
        lblcr.schedule(svc, to(X, T0 + S));                 // {a}
        a.counters(4, 0);
        lblcr.schedule(svc, to(X, T0 + 2 * S));             // {b, a}
        a.counters(0, 0);
        b.counters(1, 0);
        assertThat(lblcr.schedule(svc, to(X, T0 + 3 * S))).isSameAs(a);   // a lighter
        a.overloaded(true);
        assertThat(lblcr.schedule(svc, to(X, T0 + 4 * S))).isSameAs(b);
        a.overloaded(false);
        svc.removeDest(a);                                                 // not AVAILABLE any more
        assertThat(lblcr.schedule(svc, to(X, T0 + 5 * S))).isSameAs(b);
        assertThat(members(X)).containsExactly(b, a);
    }

    @Test
    void findingTheServiceMinimumAlreadyInTheSetDoesNotTouchLastMod() {
        edit(svc, a, 1);
        lblcr.schedule(svc, to(X, T0 + S));                 // {a}
        // a: active 2 > weight 1, b: 1 * 2 < 3 -> a "overloaded"; yet a is still the service minimum:
        // a 512 / 1 against b (256 + 2000) / 3 = 752 and c (256 + 2000) / 3
        a.counters(2, 0);
        b.counters(1, 2000);
        c.counters(1, 2000);
        assertThat(lblcr.schedule(svc, to(X, T0 + 5 * S))).isSameAs(a);
        assertThat(members(X)).containsExactly(a);
        assertThat(entry(X).lastModNs()).isEqualTo(T0 + S);
    }

    @Test
    void setUnchangedForTheExpirationShedsItsMostLoadedMember() {
        lblcr.schedule(svc, to(X, T0 + S));                 // {a}
        a.counters(4, 0);
        lblcr.schedule(svc, to(X, T0 + 2 * S));             // {b, a}, lastmod T0 + 2 s
        a.counters(3, 0);                                    // not overloaded any more (3 > 3 is false)
        b.counters(1, 0);
        // exactly the expiration later: time_after is strict, nothing shed
        assertThat(lblcr.schedule(svc, to(X, T0 + 2 * S + 10 * MIN))).isSameAs(b);
        assertThat(members(X)).containsExactly(b, a);
        // one ns more: a (768 / 3) is the most loaded and goes; b answers
        assertThat(lblcr.schedule(svc, to(X, T0 + 2 * S + 10 * MIN + 1))).isSameAs(b);
        assertThat(members(X)).containsExactly(b);
        assertThat(entry(X).lastModNs()).isEqualTo(T0 + 2 * S + 10 * MIN + 1);
        // a single member is never shed
        assertThat(lblcr.schedule(svc, to(X, T0 + 25 * MIN))).isSameAs(b);
        assertThat(members(X)).containsExactly(b);
    }

    @Test
    void theMinimumIsAnsweredEvenWhenTheShrinkRemovesIt() {
        lblcr.schedule(svc, to(X, T0 + S));                 // {a}
        a.counters(4, 0);
        lblcr.schedule(svc, to(X, T0 + 2 * S));             // {b, a}
        svc.removeDest(b);                                   // b: still weight 3, no longer AVAILABLE
        a.counters(2, 0);
        // min skips b -> a; max starts at b (weight > 0) but a is heavier -> a is erased, and still returned
        assertThat(lblcr.schedule(svc, to(X, T0 + 20 * MIN))).isSameAs(a);
        assertThat(members(X)).containsExactly(b);
        // next time the set has no usable member: the service minimum joins it
        assertThat(lblcr.schedule(svc, to(X, T0 + 21 * MIN))).isSameAs(c);
        assertThat(members(X)).containsExactly(c, b);
    }

    @Test
    void gcDropsWholeEntriesOnTheFullCheck() {
        lblcr.schedule(svc, to(X, T0 + S));
        lblcr.schedule(svc, to(X + 1, T0 + 25 * MIN));
        lblcr.expire(svc, T0 + 30 * MIN);                   // tick 30: X idle ~30 min >= 10 min goes
        assertThat(entry(X)).isNull();
        assertThat(entry(X + 1)).isNotNull();
        assertThat(lblcr.table().linked()).isEqualTo(1);
        assertThat(lblcr.table().entriesCounter()).isEqualTo(1);
    }

    @Test
    void noAvailableDestGivesNull() {
        for (RealServer d : svc.dests()) edit(svc, d, 0);
        assertThat(lblcr.schedule(svc, to(X, T0 + S))).isNull();
        assertThat(lblcr.table().linked()).isZero();
    }
}
