package io.jlvs.stats;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

/** The estimator against its definition. */
class RateEstimatorProperties {
    private static final long S = 1_000_000_000L;

    @Property
    void aConstantRateIsReportedExactlyOnceSettled(@ForAll @IntRange(min = 0, max = 10_000_000) int cps,
                                                   @ForAll @IntRange(min = 0, max = 10_000_000) int pps,
                                                   @ForAll @LongRange(min = 0, max = 100_000_000_000L) long bps) {
        Stats s = new Stats();
        RateEstimator e = new RateEstimator(0, s);
        for (int t = 1; t <= 150; t++) {
            s.add(2L * cps, 2L * pps, 0, 2 * bps, 0);
            assertThat(e.tick(t * 2 * S)).isEqualTo(1);
            long[] avg = e.scaledAverages();
            assertThat(avg[0]).isLessThanOrEqualTo((long) cps << 10);   // approaches from below, never overshoots
            assertThat(avg[3]).isLessThanOrEqualTo(bps << 5);
        }
        StatsSnapshot snap = e.snapshot();
        assertThat(snap.cps()).isEqualTo(cps);
        assertThat(snap.inPps()).isEqualTo(pps);
        assertThat(snap.inBps()).isEqualTo(bps);
        assertThat(snap.outPps()).isZero();
        assertThat(snap.conns()).isEqualTo(300L * cps);
    }

    @Property
    void eachEstimationMovesAQuarterOfTheWayFloored(@ForAll @IntRange(min = 0, max = 1_000_000) int first,
                                                    @ForAll @IntRange(min = 0, max = 1_000_000) int second) {
        Stats s = new Stats();
        RateEstimator e = new RateEstimator(0, s);
        s.add(first, 0, 0, first, 0);
        e.tick(2 * S);
        long a1 = e.scaledAverages()[0], b1 = e.scaledAverages()[3];
        assertThat(a1).isEqualTo(Math.floorDiv((long) first << 9, 4));
        assertThat(b1).isEqualTo(Math.floorDiv((long) first << 4, 4));
        s.add(second, 0, 0, second, 0);
        e.tick(4 * S);
        long rate = (long) second << 9;
        long a2 = e.scaledAverages()[0];
        assertThat(a2).isEqualTo(a1 + Math.floorDiv(rate - a1, 4));
        assertThat(a2).isBetween(Math.min(a1, rate), Math.max(a1, rate));
        assertThat(e.cps()).isEqualTo((a2 + 511) / 1024);
        assertThat(e.inBps()).isEqualTo((e.scaledAverages()[3] + 15) / 32);
    }

    @Property
    void zeroingThenNoTrafficReportsZero(@ForAll @IntRange(min = 0, max = 1_000_000) int before,
                                         @ForAll @IntRange(min = 0, max = 1_000_000) int between) {
        Stats s = new Stats();
        RateEstimator e = new RateEstimator(0, s);
        s.add(before, before, before, before, before);
        e.tick(2 * S);
        s.add(between, 0, 0, 0, 0);
        e.zero();
        assertThat(e.snapshot()).isEqualTo(new StatsSnapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        e.tick(4 * S);
        assertThat(e.snapshot().conns()).isEqualTo(between);
        assertThat(e.snapshot().inPkts()).isZero();
        assertThat(e.scaledAverages()[0]).isEqualTo(((long) between << 9) >> 2);
    }
}
