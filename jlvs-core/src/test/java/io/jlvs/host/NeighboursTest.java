package io.jlvs.host;

import io.jlvs.packet.Flow;
import org.junit.jupiter.api.Test;

import static io.jlvs.host.HostNet.*;
import static org.assertj.core.api.Assertions.assertThat;

class NeighboursTest {
    final Neighbours n = new Neighbours(8);

    int update(String ip, int ifIndex, String mac, int state) {
        return n.update(af(ip), hi(ip), lo(ip), ifIndex, mac(mac), state, 42);
    }

    long lookup(String ip, int ifIndex) { return n.lookup(af(ip), hi(ip), lo(ip), ifIndex); }

    @Test
    void learnChangeRefresh() {
        assertThat(lookup(RS1, ETH1)).isEqualTo(Neighbours.NO_MAC);
        assertThat(update(RS1, ETH1, RS1_MAC, Neighbours.STALE)).isEqualTo(Neighbours.ADDED);
        assertThat(lookup(RS1, ETH1)).isEqualTo(mac(RS1_MAC));
        assertThat(lookup(RS1, ETH0)).as("keyed by interface too").isEqualTo(Neighbours.NO_MAC);
        assertThat(update(RS1, ETH1, RS1_MAC, Neighbours.REACHABLE)).isEqualTo(Neighbours.REFRESHED);
        assertThat(n.state(Flow.AF_INET, 0, lo(RS1), ETH1)).isEqualTo(Neighbours.REACHABLE);
        assertThat(update(RS1, ETH1, RS2_MAC, Neighbours.STALE)).isEqualTo(Neighbours.CHANGED);
        assertThat(lookup(RS1, ETH1)).isEqualTo(mac(RS2_MAC));
        assertThat(n.updatedNs(Flow.AF_INET, 0, lo(RS1), ETH1)).isEqualTo(42);
        assertThat(update(RS6, ETH1, RS1_MAC, Neighbours.REACHABLE)).isEqualTo(Neighbours.ADDED);
        assertThat(lookup(RS6, ETH1)).isEqualTo(mac(RS1_MAC));
        assertThat(n.size()).isEqualTo(2);
    }

    @Test
    void incompleteHasNoMacAndDoesNotHideAKnownOne() {
        assertThat(update(RS1, ETH1, RS1_MAC, Neighbours.INCOMPLETE)).isEqualTo(Neighbours.REFRESHED);
        assertThat(n.state(Flow.AF_INET, 0, lo(RS1), ETH1)).isEqualTo(Neighbours.INCOMPLETE);
        assertThat(lookup(RS1, ETH1)).isEqualTo(Neighbours.NO_MAC);
        assertThat(update(RS1, ETH1, RS1_MAC, Neighbours.STALE)).as("incomplete to known").isEqualTo(Neighbours.ADDED);
        update(RS1, ETH1, RS1_MAC, Neighbours.INCOMPLETE);
        assertThat(lookup(RS1, ETH1)).isEqualTo(mac(RS1_MAC));
    }

    @Test
    void groupAndZeroMacsAreIgnored() {
        assertThat(update(RS1, ETH1, "01:00:5e:00:00:01", Neighbours.REACHABLE)).isEqualTo(Neighbours.IGNORED);
        assertThat(update(RS1, ETH1, "ff:ff:ff:ff:ff:ff", Neighbours.REACHABLE)).isEqualTo(Neighbours.IGNORED);
        assertThat(update(RS1, ETH1, "00:00:00:00:00:00", Neighbours.REACHABLE)).isEqualTo(Neighbours.IGNORED);
        assertThat(n.update(Flow.AF_INET, 0, lo(RS1), ETH1, mac(RS1_MAC), Neighbours.NONE, 0)).isEqualTo(Neighbours.IGNORED);
        assertThat(n.size()).isZero();
    }

    @Test
    void aFullTableLearnsNothingMore() {
        for (int i = 0; i < 8; i++) assertThat(n.update(Flow.AF_INET, 0, 0xCB007100L + i, ETH1, mac(RS1_MAC), Neighbours.STALE, 0)).isEqualTo(Neighbours.ADDED);
        assertThat(n.update(Flow.AF_INET, 0, 0xCB0071FFL, ETH1, mac(RS1_MAC), Neighbours.STALE, 0)).isEqualTo(Neighbours.FULL);
        assertThat(n.fullCount()).isEqualTo(1);
        assertThat(n.update(Flow.AF_INET, 0, 0xCB007100L, ETH1, mac(RS2_MAC), Neighbours.STALE, 0)).as("known ones still change").isEqualTo(Neighbours.CHANGED);
    }

    @Test
    void removeOneOrAnInterface() {
        update(RS1, ETH1, RS1_MAC, Neighbours.STALE);
        update(RS2, ETH1, RS2_MAC, Neighbours.STALE);
        update(RS6, ETH1, RS1_MAC, Neighbours.STALE);
        update(GW, ETH0, GW_MAC, Neighbours.STALE);
        assertThat(n.remove(Flow.AF_INET, 0, lo(RS2), ETH1)).isTrue();
        assertThat(n.remove(Flow.AF_INET, 0, lo(RS2), ETH1)).isFalse();
        assertThat(n.removeInterface(ETH1)).isEqualTo(2);
        assertThat(n.size()).isEqualTo(1);
        assertThat(lookup(GW, ETH0)).isEqualTo(mac(GW_MAC));
    }

    @Test
    void markStaleKeepsTheMac() {
        update(RS1, ETH1, RS1_MAC, Neighbours.REACHABLE);
        n.markStale(Flow.AF_INET, 0, lo(RS1), ETH1);
        assertThat(n.state(Flow.AF_INET, 0, lo(RS1), ETH1)).isEqualTo(Neighbours.STALE);
        assertThat(lookup(RS1, ETH1)).isEqualTo(mac(RS1_MAC));
    }

    @Test
    void kernelStates() {
        assertThat(Neighbours.fromNud(Neighbours.NUD_REACHABLE)).isEqualTo(Neighbours.REACHABLE);
        assertThat(Neighbours.fromNud(Neighbours.NUD_PERMANENT)).isEqualTo(Neighbours.REACHABLE);
        assertThat(Neighbours.fromNud(Neighbours.NUD_NOARP)).isEqualTo(Neighbours.REACHABLE);
        assertThat(Neighbours.fromNud(Neighbours.NUD_STALE)).isEqualTo(Neighbours.STALE);
        assertThat(Neighbours.fromNud(Neighbours.NUD_DELAY)).isEqualTo(Neighbours.STALE);
        assertThat(Neighbours.fromNud(Neighbours.NUD_PROBE)).isEqualTo(Neighbours.STALE);
        assertThat(Neighbours.fromNud(Neighbours.NUD_INCOMPLETE)).isEqualTo(Neighbours.INCOMPLETE);
        assertThat(Neighbours.fromNud(Neighbours.NUD_FAILED)).isEqualTo(Neighbours.NONE);
        assertThat(Neighbours.fromNud(0)).isEqualTo(Neighbours.NONE);
    }
}
