package io.jlvs.sched;

import io.jlvs.service.RealServer;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import static io.jlvs.sched.Dests.addr;
import static io.jlvs.sched.Dests.letters;
import static io.jlvs.sched.Dests.picks;
import static io.jlvs.sched.Dests.service;
import static org.assertj.core.api.Assertions.assertThat;

class RoundRobinSchedulerTest {

    @Test
    void walksTheListInOrderFromTheHead() {
        assertThat(letters(picks(service("rr", 1, 1, 1), 7))).isEqualTo("ABCABCA");
    }

    @Test
    void newestDestIsFirstBecauseItGoesToTheHead() {
        VirtualService svc = VirtualService.of(Dests.VS, new RoundRobinScheduler());
        svc.addDest(RealServerSpec.dr(addr(0), 80, 1));
        svc.addDest(RealServerSpec.dr(addr(1), 80, 1));   // list: B, A
        assertThat(letters(picks(svc, 4))).isEqualTo("BABA");
    }

    @Test
    void skipsQuiescedAndOverloadedDests() {
        VirtualService svc = service("rr", 1, 0, 1, 1);
        svc.dests()[3].overloaded(true);
        assertThat(letters(picks(svc, 4))).isEqualTo("ACAC");
    }

    @Test
    void noneWhenNothingIsAvailable() {
        assertThat(letters(picks(service("rr", 0, 0), 2))).isEqualTo("--");
        assertThat(letters(picks(service("rr"), 1))).isEqualTo("-");
    }

    @Test
    void theCursorDestItselfIsTriedLast() {
        VirtualService svc = service("rr", 1, 1, 1);
        assertThat(letters(picks(svc, 2))).isEqualTo("AB");
        svc.dests()[0].weight(0);
        svc.dests()[2].weight(0);
        assertThat(letters(picks(svc, 2))).isEqualTo("BB");
    }

    @Test
    void deletingTheCursorDestMovesTheCursorToItsPredecessor() {
        VirtualService svc = service("rr", 1, 1, 1);
        assertThat(letters(picks(svc, 2))).isEqualTo("AB");
        RealServer b = svc.dests()[1];
        svc.removeDest(b);                               // cursor on A now: C comes next
        assertThat(letters(picks(svc, 3))).isEqualTo("CAC");
    }

    @Test
    void deletingTheFirstDestUnderTheCursorMovesItToTheHead() {
        VirtualService svc = service("rr", 1, 1, 1);
        assertThat(letters(picks(svc, 1))).isEqualTo("A");
        svc.removeDest(svc.dests()[0]);                  // cursor back to the head: B comes next
        assertThat(letters(picks(svc, 2))).isEqualTo("BC");
    }

    @Test
    void addingADestKeepsTheCursorOnItsNode() {
        VirtualService svc = service("rr", 1, 1, 1);
        assertThat(letters(picks(svc, 2))).isEqualTo("AB");
        svc.addDest(RealServerSpec.dr(addr(3), 80, 1)); // list: D, A, B, C; cursor still on B
        assertThat(letters(picks(svc, 4))).isEqualTo("CDAB");
    }

    @Test
    void editingADestKeepsTheCursor() {
        VirtualService svc = service("rr", 1, 1, 1);
        assertThat(letters(picks(svc, 2))).isEqualTo("AB");
        svc.editDest(svc.dests()[0], RealServerSpec.dr(addr(0), 80, 5));
        assertThat(letters(picks(svc, 2))).isEqualTo("CA");
    }
}
