package io.jlvs.sched;

import io.jlvs.service.RealServer;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.VirtualService;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The indexed schedulers (tournament trees, twos's Fenwick tree) must keep giving the kernel's linear-scan answer
 * while connections come and go, weights are edited, dests are added and removed, and OVERLOAD flips.
 */
class TournamentProperties {

    /** One step: op 0 bind, 1 unbind, 2 becomes active/inactive, 3 edit weight, 4 add dest, 5 remove dest, 6 overload. */
    record Op(int op, int target, int value) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        return net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 20))
            .as(Op::new).list().ofMaxSize(200);
    }

    @Property(tries = 300)
    void indexedSchedulersAgreeWithTheLinearScanThroughChanges(@ForAll("ops") List<Op> ops) {
        for (String name : List.of("lc", "wlc", "sed", "nq", "fo", "ovf", "twos")) {
            var replay = new PowerOfTwoChoicesScheduler(ops.size());
            VirtualService svc = name.equals("twos")
                ? Dests.service(new PowerOfTwoChoicesScheduler(ops.size()), 3, 1, 0, 2, 5)
                : Dests.service(name, 3, 1, 0, 2, 5);
            int nextAddr = 10;
            for (Op op : ops) {
                RealServer[] d = svc.dests();
                if (d.length > 0) {
                    RealServer t = d[op.target() % d.length];
                    switch (op.op()) {
                        case 0 -> t.bindConn(op.value() % 2 == 0);
                        case 1 -> { if (t.activeConns() > 0) t.unbindConn(true); else if (t.inactConns() > 0) t.unbindConn(false); }
                        case 2 -> { if (op.value() % 2 == 0 && t.inactConns() > 0) t.connBecameActive(); else if (t.activeConns() > 0) t.connBecameInactive(); }
                        case 3 -> svc.editDest(t, RealServerSpec.dr(t.addr(), t.port(), op.value() % 7));
                        case 5 -> svc.removeDest(t);
                        case 6 -> t.overloaded(op.value() % 2 == 0);
                        default -> {}
                    }
                }
                if (op.op() == 4) svc.addDest(RealServerSpec.dr(Dests.addr(nextAddr++), 80, op.value() % 6));
                RealServer got = svc.scheduler().schedule(svc, Dests.flow());
                RealServer expected = name.equals("twos") ? twosWalk(svc.dests(), replay) : linear(name, svc.dests());
                assertThat(got).as(name + " after " + op).isSameAs(expected);
            }
        }
    }

    /** ip_vs_twos_schedule's two walks, with the same random numbers. */
    static RealServer twosWalk(RealServer[] dests, PowerOfTwoChoicesScheduler rnd) {
        RealServer choice1 = null, choice2 = null;
        int total = 0;
        for (RealServer d : dests) if (!d.isOverloaded() && d.weight() > 0) { total += d.weight(); choice1 = d; }
        if (choice1 == null) return null;
        total += 1;
        int r1 = Integer.remainderUnsigned(rnd.nextU32(), total), r2 = Integer.remainderUnsigned(rnd.nextU32(), total);
        int w1 = -1, w2 = -1, oh1 = 0, oh2 = 0;
        for (RealServer d : dests) {
            if (d.isOverloaded() || d.weight() <= 0) continue;
            r1 -= d.weight();
            r2 -= d.weight();
            if (r1 <= 0 && w1 == -1) { choice1 = d; w1 = d.weight(); oh1 = d.overhead(); }
            if (r2 <= 0 && w2 == -1) { choice2 = d; w2 = d.weight(); oh2 = d.overhead(); }
            if (w1 != -1 && w2 != -1) break;
        }
        return choice2 != null && w2 * oh1 > w1 * oh2 ? choice2 : choice1;
    }

    /** The kernel's scans, written out again as plainly as possible. */
    static RealServer linear(String name, RealServer[] dests) {
        RealServer best = null;
        for (RealServer d : dests) {
            boolean usable = !d.isOverloaded() && d.weight() > 0;
            switch (name) {
                case "lc" -> { if (usable && (best == null || Integer.compareUnsigned(d.overhead(), best.overhead()) < 0)) best = d; }
                case "wlc" -> { if (usable && (best == null || (long) best.overhead() * d.weight() > (long) d.overhead() * best.weight())) best = d; }
                case "sed" -> { if (usable && (best == null || (best.activeConns() + 1L) * d.weight() > (d.activeConns() + 1L) * best.weight())) best = d; }
                case "nq" -> {
                    if (!usable) continue;
                    if (d.activeConns() == 0) return d;
                    if (best == null || (best.activeConns() + 1L) * d.weight() > (d.activeConns() + 1L) * best.weight()) best = d;
                }
                case "fo" -> { if (usable && (best == null || d.weight() > best.weight())) best = d; }
                case "ovf" -> { if (usable && d.activeConns() <= d.weight() && (best == null || d.weight() > best.weight())) best = d; }
                default -> throw new IllegalArgumentException(name);
            }
        }
        return best;
    }
}
