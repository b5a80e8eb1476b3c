package io.jlvs.xmit;

import io.jlvs.packet.DropReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every drop reason the transmitters can give has at least one vector that expects it (STYLE section 7). */
class XmitDropReasonCoverageTest {

    static List<XmitCase> allCases() {
        List<XmitCase> all = new ArrayList<>();
        all.addAll(NatXmitVectors.cases());
        all.addAll(DirectRouteXmitVectors.cases());
        all.addAll(TunnelXmitVectors.cases());
        all.addAll(IcmpNatVectors.cases());
        all.addAll(BypassAndLocalNodeXmitVectors.cases());
        all.addAll(GsoXmitVectors.cases());
        return all;
    }

    @Test
    void everyTransmitterDropReasonHasAVector() {
        Set<DropReason> expected = EnumSet.noneOf(DropReason.class);
        for (XmitCase c : allCases()) {
            DropReason r = DropReason.of(c.vector().verdict());
            if (r != null) expected.add(r);
        }
        assertThat(expected).containsAll(EnumSet.range(DropReason.NEIGH_UNRESOLVED, DropReason.FRAGMENT_UNSUPPORTED));
    }

    @Test
    void everyVerdictKindHasVectors() {
        Set<Integer> verdicts = new java.util.HashSet<>();
        for (XmitCase c : allCases()) verdicts.add(c.vector().verdict());
        assertThat(verdicts).contains(Verdict.TX, Verdict.LOCAL);
    }
}
