package io.jlvs.stats;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The estimator of {@code ip_vs_est.c} with time driven by hand. */
class RateEstimatorTest {
    private static final long S = 1_000_000_000L;

    private Stats a, b, total;
    private RateEstimator est;
    private long now;

    @BeforeEach
    void setUp() {
        a = new Stats();
        b = new Stats();
        total = new Stats();
        now = 0;
        est = new RateEstimator(now, a, b);
    }

    /** Advances 2 s, the traffic given arriving before the estimation. */
    private void period(int conns, int pkts, int bytesPerPkt) {
        for (int i = 0; i < conns; i++) a.conn();
        for (int i = 0; i < pkts; i++) {
            a.in(bytesPerPkt);
            b.out(bytesPerPkt / 2);
        }
        now += 2 * S;
        assertThat(est.tick(now)).isEqualTo(1);
    }

    @Test
    void stepResponseOfTheFirstThreeEstimations() {
        // 1000 conns/s: 2000 per period, rate = 2000 << 9 = 1 024 000 (1000 * 2^10)
        period(2000, 0, 0);
        assertThat(est.scaledAverages()[0]).isEqualTo(256_000);      // 0 + 1024000 >> 2
        assertThat(est.cps()).isEqualTo(250);                          // (256000 + 511) >> 10
        period(2000, 0, 0);
        assertThat(est.scaledAverages()[0]).isEqualTo(448_000);      // + 768000 >> 2
        assertThat(est.cps()).isEqualTo(437);                          // 448511 / 1024 = 437.99
        period(2000, 0, 0);
        assertThat(est.scaledAverages()[0]).isEqualTo(592_000);      // + 576000 >> 2
        assertThat(est.cps()).isEqualTo(578);
    }

    @Test
    void bytesAreScaledByTwoToTheFive() {
        // 500 packets of 1000 bytes in, 500 of 500 out, per 2 s: in 250 000 B/s, out 125 000 B/s
        period(0, 500, 1000);
        long[] avg = est.scaledAverages();
        assertThat(avg[3]).isEqualTo((500_000L << 4) >> 2);          // 2 000 000
        assertThat(est.inBps()).isEqualTo(62_500);                     // (2000000 + 15) >> 5
        assertThat(avg[1]).isEqualTo((500L << 9) >> 2);
        assertThat(est.inPps()).isEqualTo(62);                         // (64000 + 511) >> 10 = 62.99
    }

    @Test
    void constantRatesConvergeToTheirValue() {
        for (int i = 0; i < 100; i++) period(2000, 20_000, 1500);     // 1000 cps, 10000 pps, 15 MB/s in
        StatsSnapshot s = est.snapshot();
        assertThat(s.cps()).isEqualTo(1000);
        assertThat(s.inPps()).isEqualTo(10_000);
        assertThat(s.outPps()).isEqualTo(10_000);
        assertThat(s.inBps()).isEqualTo(15_000_000);
        assertThat(s.outBps()).isEqualTo(7_500_000);
        assertThat(s.conns()).isEqualTo(200_000);
        assertThat(s.inPkts()).isEqualTo(2_000_000);
        assertThat(s.outBytes()).isEqualTo(2_000_000L * 750);
        // below the true value by the floor of the signed shift, never above
        assertThat(est.scaledAverages()[0]).isBetween(1000L * 1024 - 3, 1000L * 1024);
    }

    @Test
    void idleDecaysToExactlyZero() {
        for (int i = 0; i < 30; i++) period(2000, 0, 0);
        for (int i = 0; i < 150; i++) period(0, 0, 0);
        assertThat(est.scaledAverages()[0]).isZero();
        assertThat(est.cps()).isZero();
    }

    @Test
    void roundingEdges() {
        assertThat(RateEstimator.reportPps(0x1FF)).isZero();
        assertThat(RateEstimator.reportPps(0x200)).as("exactly 0.5 rounds down").isZero();
        assertThat(RateEstimator.reportPps(0x201)).isEqualTo(1);
        assertThat(RateEstimator.reportPps(0x5FF)).isEqualTo(1);
        assertThat(RateEstimator.reportPps(0x601)).isEqualTo(2);
        assertThat(RateEstimator.reportBps(16)).isZero();
        assertThat(RateEstimator.reportBps(17)).isEqualTo(1);
        assertThat(RateEstimator.reportPps(-1L)).as("u64 arithmetic").isEqualTo((-1L + 0x1FF) >>> 10);
    }

    @Test
    void roundingThroughTheEstimator() {
        period(4, 0, 0);                        // rate 2048, avg 512: 0.5 cps -> 0
        assertThat(est.cps()).isZero();
        RateEstimator e2 = new RateEstimator(0, total);
        for (int i = 0; i < 5; i++) total.conn();
        for (int i = 0; i < 5; i++) total.in(1);   // 5 bytes: rate 80, avg 20 -> (20 + 15) >> 5 = 1
        e2.tick(2 * S);
        assertThat(e2.cps()).isEqualTo(1);        // rate 2560, avg 640 -> 1151 >> 10 = 1
        assertThat(e2.inBps()).isEqualTo(1);
        RateEstimator e3 = new RateEstimator(0, new Stats());
        e3.tick(2 * S);
        assertThat(e3.snapshot()).isEqualTo(new StatsSnapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void countersMoveOnlyAtAnEstimation() {
        a.conn();
        b.conn();
        assertThat(est.snapshot().conns()).isZero();
        now = 2 * S;
        est.tick(now);
        assertThat(est.snapshot().conns()).isEqualTo(2);
    }

    @Test
    void zeroingAsIpVsZeroStats() {
        for (int i = 0; i < 100; i++) a.conn();
        est.tick(2 * S);
        assertThat(est.snapshot().conns()).isEqualTo(100);
        assertThat(est.cps()).isEqualTo(12);                           // 12800 -> 13311 >> 10

        for (int i = 0; i < 40; i++) a.conn();                           // between the estimation and -Z
        est.zero();
        assertThat(est.snapshot()).isEqualTo(new StatsSnapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));

        for (int i = 0; i < 10; i++) b.conn();
        est.tick(4 * S);
        // zero point and last values are the counters of the last estimation (100): the 40 count now
        assertThat(est.snapshot().conns()).isEqualTo(50);
        assertThat(est.scaledAverages()[0]).isEqualTo((50L << 9) >> 2);
        assertThat(est.cps()).isEqualTo(6);                            // 6400 -> 6911 >> 10
    }

    @Test
    void schedule() {
        assertThat(est.nextDueNs()).isEqualTo(2 * S);
        assertThat(est.tick(2 * S - 1)).isZero();
        assertThat(est.tick(2 * S)).isEqualTo(1);
        assertThat(est.tick(2 * S)).isZero();
        assertThat(est.nextDueNs()).isEqualTo(4 * S);
        // 300 ms late: the schedule holds
        assertThat(est.tick(4 * S + 300_000_000L)).isEqualTo(1);
        assertThat(est.nextDueNs()).isEqualTo(6 * S);
        // 500 ms late: it restarts from now
        assertThat(est.tick(6 * S + 500_000_000L)).isEqualTo(1);
        assertThat(est.nextDueNs()).isEqualTo(8 * S + 500_000_000L);
        // a long stall: one estimation over the whole interval, not a replay of the missed ones
        a.conn();
        assertThat(est.tick(20 * S)).isEqualTo(1);
        assertThat(est.tick(20 * S)).isZero();
        assertThat(est.nextDueNs()).isEqualTo(22 * S);
    }

    @Test
    void countHelpersFeedDestServiceAndTotal() {
        Stats dest = new Stats(), svc = new Stats(), tot = new Stats();
        Stats.countConn(dest, svc, tot);
        Stats.countIn(dest, svc, tot, 60);
        Stats.countIn(dest, svc, tot, 1500);
        Stats.countOut(dest, svc, tot, 40);
        for (Stats s : new Stats[] {dest, svc, tot}) {
            assertThat(s.conns()).isEqualTo(1);
            assertThat(s.inPkts()).isEqualTo(2);
            assertThat(s.inBytes()).isEqualTo(1560);
            assertThat(s.outPkts()).isEqualTo(1);
            assertThat(s.outBytes()).isEqualTo(40);
        }
    }
}
