package io.jlvs.sched;

import io.jlvs.service.RealServerSpec;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import static io.jlvs.sched.Dests.addr;
import static io.jlvs.sched.Dests.letters;
import static io.jlvs.sched.Dests.picks;
import static io.jlvs.sched.Dests.service;
import static org.assertj.core.api.Assertions.assertThat;

class WeightedRoundRobinSchedulerTest {

    /** The scheduler bound to a service that already has its dests ({@code -E -s wrr}): cw starts at mw. */
    static VirtualService rebound(int... weights) {
        VirtualService svc = service("rr", weights);
        svc.edit(new WeightedRoundRobinScheduler(), 0, 0, -1, null);
        return svc;
    }

    @Test
    void kernelSequenceForWeights432() {
        assertThat(letters(picks(rebound(4, 3, 2), 18))).isEqualTo("AABABCABC" + "AABABCABC");
    }

    @Test
    void destsAddedOneByOneKeepTheFirstDestsWeightAsCurrentWeight() {
        // -A then -a C(2), -a B(3), -a A(4): init gives cw = 0, the first add sets cw = mw = 2 and later adds keep it,
        // so the first pass runs at cw 2 (A B C) before the cycle starts at cw 4.
        assertThat(letters(picks(service("wrr", 4, 3, 2), 21))).isEqualTo("ABC" + "AABABCABC" + "AABABCABC");
    }

    @Test
    void weights100And50GiveAAB() {
        assertThat(letters(picks(rebound(100, 50), 6))).isEqualTo("AABAAB");
    }

    @Test
    void gcdStepping() {
        // di = 2, mw = 6 - 1 = 5: cw 5 -> A; cw 3 -> A B; cw 1 -> A B C
        assertThat(letters(picks(rebound(6, 4, 2), 12))).isEqualTo("AABABC" + "AABABC");
    }

    @Test
    void zeroWeightAndOverloadAreSkipped() {
        VirtualService svc = rebound(2, 0, 1);
        assertThat(letters(picks(svc, 6))).isEqualTo("AACAAC");
        svc.dests()[0].overloaded(true);
        assertThat(letters(picks(svc, 3))).isEqualTo("CCC");
    }

    @Test
    void allOverloadedGivesNoneAndRecovers() {
        VirtualService svc = rebound(2, 1);
        assertThat(letters(picks(svc, 1))).isEqualTo("A");
        svc.dests()[0].overloaded(true);
        svc.dests()[1].overloaded(true);
        assertThat(letters(picks(svc, 2))).isEqualTo("--");
        svc.dests()[1].overloaded(false);
        assertThat(letters(picks(svc, 2))).isEqualTo("BB");
    }

    @Test
    void allZeroWeightsGiveNone() {
        assertThat(letters(picks(service("wrr", 0, 0), 3))).isEqualTo("---");
    }

    @Test
    void aChangeRestartsFromTheHeadAndKeepsTheCurrentWeight() {
        VirtualService svc = rebound(4, 3, 2);
        assertThat(letters(picks(svc, 3))).isEqualTo("AAB");    // cw = 3, cursor on B
        svc.addDest(RealServerSpec.dr(addr(3), 80, 3));          // list D(3) A B C; cw stays 3, from the head
        assertThat(letters(picks(svc, 4))).isEqualTo("DAB" + "D");
    }
}
