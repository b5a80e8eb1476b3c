package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.jlvs.sched.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class LocalityBasedLeastConnectionSchedulerTest {

    static final long T0 = 1_000_000_000_000L;                 // any origin: only differences count
    static final long S = TimeUnit.SECONDS.toNanos(1), MIN = 60 * S;

    static Flow to(int dst, long nowNs) {
        return Fixtures.to(dst).at(nowNs);
    }

    LocalityBasedLeastConnectionScheduler lblc = new LocalityBasedLeastConnectionScheduler();
    VirtualService svc = tcpService(lblc, 0);
    RealServer c = add(svc, "10.0.0.3", 80, 1);
    RealServer b = add(svc, "10.0.0.2", 80, 1);
    RealServer a = add(svc, "10.0.0.1", 80, 1);                // list a, b, c
    { lblc.startTimer(T0); }

    @Test
    void firstLookupBindsByWeightedLeastConnectionThenTheAddressSticks() {
        assertThat(lblc.schedule(svc, to(1, T0 + S))).isSameAs(a);          // all idle: first in list wins
        a.counters(1, 50);                                                    // a now the most loaded
        assertThat(lblc.schedule(svc, to(2, T0 + 2 * S))).isSameAs(b);      // a new address goes elsewhere
        assertThat(lblc.schedule(svc, to(1, T0 + 3 * S))).isSameAs(a);      // ... the bound one stays
        assertThat(lblc.table().linked()).isEqualTo(2);
    }

    @Test
    void weightedLeastConnectionComparesCrossMultipliedAndFirstWinsTies() {
        a.counters(2, 0);                     // 512 / 1
        b.counters(1, 0);                     // 256 / 1
        c.counters(2, 0);
        edit(svc, c, 2);                      // 512 / 2 = 256: ties b, b is earlier in the list
        assertThat(lblc.schedule(svc, to(7, T0 + S))).isSameAs(b);
        edit(svc, c, 3);                      // 512 / 3 < 256
        assertThat(lblc.schedule(svc, to(8, T0 + S))).isSameAs(c);
        c.overloaded(true);                   // OVERLOAD dests are skipped by the least-connection pick
        assertThat(lblc.schedule(svc, to(9, T0 + S))).isSameAs(b);
    }

    @Test
    void overloadedMeansMoreActiveThanWeightWhileAnotherHasLessThanHalf() {
        assertThat(lblc.schedule(svc, to(1, T0 + S))).isSameAs(a);
        edit(svc, b, 4);
        edit(svc, c, 4);
        a.counters(2, 0);                     // active 2 > weight 1
        b.counters(2, 0);                     // 2 * 2 < 4 is false
        c.counters(2, 0);
        assertThat(lblc.schedule(svc, to(1, T0 + 2 * S))).isSameAs(a);      // nobody has spare room: stay
        c.counters(1, 0);                                                     // 1 * 2 < 4: c has room
        assertThat(lblc.schedule(svc, to(1, T0 + 3 * S))).isSameAs(c);      // rebound: c is the WLC minimum
        a.counters(0, 0);
        assertThat(lblc.schedule(svc, to(1, T0 + 4 * S))).isSameAs(c);      // and stays there
    }

    @Test
    void theOverloadFlagDoesNotMoveABoundAddressButWeightZeroAndRemovalDo() {
        assertThat(lblc.schedule(svc, to(1, T0 + S))).isSameAs(a);
        a.overloaded(true);                    // ip_vs_lblc_schedule tests AVAILABLE, weight and its own overload only
        assertThat(lblc.schedule(svc, to(1, T0 + 2 * S))).isSameAs(a);
        a.overloaded(false);
        edit(svc, a, 0);
        assertThat(lblc.schedule(svc, to(1, T0 + 3 * S))).isSameAs(b);
        edit(svc, a, 1);
        assertThat(lblc.schedule(svc, to(1, T0 + 4 * S))).isSameAs(b);      // rebound for good
        svc.removeDest(b);                                                    // no del_dest hook: lazily rebound
        assertThat(lblc.schedule(svc, to(1, T0 + 5 * S))).isSameAs(a);
    }

    @Test
    void rebindingCountsTheNewEntryWithoutUncountingTheOldOne() {
        lblc.schedule(svc, to(1, T0 + S));
        edit(svc, a, 0);
        lblc.schedule(svc, to(1, T0 + 2 * S));                               // a -> b
        edit(svc, b, 0);
        lblc.schedule(svc, to(1, T0 + 3 * S));                               // b -> c
        assertThat(lblc.table().linked()).isEqualTo(1);
        assertThat(lblc.table().entriesCounter()).isEqualTo(3);              // ip_vs_lblc_new's missing atomic_dec
    }

    @Test
    void noAvailableDestGivesNullAndCreatesNoEntry() {
        for (RealServer d : svc.dests()) d.overloaded(true);
        assertThat(lblc.schedule(svc, to(1, T0 + S))).isNull();
        assertThat(lblc.table().linked()).isZero();
    }

    @Test
    void fullCheckOnEveryThirtiethTickDropsEntriesIdleForTheExpiration() {
        lblc.expirationNs(10 * MIN);
        lblc.schedule(svc, to(1, T0 + S));                                   // bound to a, last use T0 + 1 s
        lblc.schedule(svc, to(2, T0 + 20 * MIN + 30 * S));                   // last use T0 + 20.5 min
        lblc.expire(svc, T0 + 30 * MIN - 1);                                  // ticks 1..29: counter 2..30
        assertThat(lblc.table().linked()).isEqualTo(2);
        // tick 30 at exactly T0 + 30 min: entry 1 idle 29:59 >= 10 min goes; entry 2 idle 9.5 min stays
        // (it would go if the tick ran at the call time, T0 + 31 min)
        lblc.expire(svc, T0 + 31 * MIN);
        assertThat(lblc.table().linked()).isEqualTo(1);
        assertThat(lblc.table().nextTickNs()).isEqualTo(T0 + 32 * MIN);
        // next full check: tick 60 (T0 + 60 min); entry 2 idle 39.5 min by then
        lblc.expire(svc, T0 + 60 * MIN - 1);
        assertThat(lblc.table().linked()).isEqualTo(1);
        lblc.expire(svc, T0 + 60 * MIN);
        assertThat(lblc.table().linked()).isZero();
    }

    @Test
    void anExpiredAddressIsBoundAfreshAtItsNextLookup() {
        lblc.expirationNs(10 * MIN);
        assertThat(lblc.schedule(svc, to(1, T0 + S))).isSameAs(a);
        a.counters(0, 100);                                                   // a fresh pick would avoid a
        assertThat(lblc.schedule(svc, to(1, T0 + 29 * MIN))).isSameAs(a);   // still bound (no full check yet)
        // the lookup at 60 min first runs ticks 30..60 at their due times: tick 60 drops it (idle 31 min)
        assertThat(lblc.schedule(svc, to(1, T0 + 60 * MIN + S))).isSameAs(b);
    }

    @Test
    void defaultExpirationIsADay() {
        assertThat(lblc.expirationNs()).isEqualTo(TimeUnit.HOURS.toNanos(24));
        lblc.schedule(svc, to(1, T0 + S));
        lblc.expire(svc, T0 + 23 * 60 * MIN);                                 // full checks at 30, 60, ... min
        assertThat(lblc.table().linked()).isEqualTo(1);
        lblc.expire(svc, T0 + 24 * 60 * MIN + 30 * MIN);
        assertThat(lblc.table().linked()).isZero();
    }

    @Test
    void timerArmsAtTheFirstClockReadWhenNotStarted() {
        LocalityBasedLeastConnectionScheduler s = new LocalityBasedLeastConnectionScheduler(10 * MIN);
        VirtualService v = tcpService(s, 0);
        add(v, "10.0.0.1", 80, 1);
        assertThat(s.table().nextTickNs()).isEqualTo(Long.MIN_VALUE);
        s.schedule(v, to(1, T0));
        assertThat(s.table().nextTickNs()).isEqualTo(T0 + MIN);
    }

    @Test
    void overflowingTableEvictsEntriesIdleSixMinutesBucketByBucketFromTheRover() {
        int n = LocalityTable.MAX_SIZE + 3000;
        int[] perBucket = new int[1024];
        for (int i = 0; i < n; i++) {
            int addr = 0x0A000000 + i;
            lblc.schedule(svc, to(addr, T0 + S));
            perBucket[hash32(addr & 0xFFFF_FFFFL, 10)]++;
        }
        assertThat(lblc.table().entriesCounter()).isEqualTo(n);
        // ticks 1..6 (<= T0 + 6 min): overflowing, but nothing idle 6 min yet; the counter does not advance
        lblc.expire(svc, T0 + 6 * MIN);
        assertThat(lblc.table().linked()).isEqualTo(n);
        // tick 7 at T0 + 7 min: goal (n - 16384) * 4 / 3 = 4000; whole buckets 1, 2, ... until the goal is met
        int goal = (n - LocalityTable.MAX_SIZE) * 4 / 3, removed = 0, j = 0;
        while (removed < goal) removed += perBucket[j = (j + 1) & 1023];
        lblc.expire(svc, T0 + 7 * MIN);
        assertThat(lblc.table().linked()).isEqualTo(n - removed);
        assertThat(lblc.table().entriesCounter()).isEqualTo(n - removed);
        // the rover remembers where it stopped: tick 8 goes on from bucket j + 1
        int n2 = n - removed;
        int goal2 = (n2 - LocalityTable.MAX_SIZE) * 4 / 3, removed2 = 0;
        while (removed2 < goal2) removed2 += perBucket[j = (j + 1) & 1023];
        lblc.expire(svc, T0 + 8 * MIN);
        assertThat(lblc.table().linked()).isEqualTo(n2 - removed2);
    }
}
