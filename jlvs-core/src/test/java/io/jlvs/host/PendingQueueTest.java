package io.jlvs.host;

import io.jlvs.packet.Flow;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.RecordingTxPort;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.jlvs.host.HostNet.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The pending queue on a fake clock: parking, release in order, per-next-hop and slab limits, expiry, probe pacing. */
class PendingQueueTest {
    static final long MS = 1_000_000L, T0 = 7_000 * MS;

    final RecordingTxPort tx = new RecordingTxPort();
    final List<Integer> probed = new ArrayList<>();
    final PendingQueue.Prober prober = probed::add;

    static PendingQueue queue(int nextHops, int frames, int perNextHop) {
        PendingQueue q = new PendingQueue(nextHops, frames, perNextHop, 256, 1000 * MS, 100 * MS, 3);
        q.now(T0);
        return q;
    }

    static long mark(PendingQueue q, String nh) { return q.mark(Flow.AF_INET, 0, lo(nh), ETH1, 0, lo(DIRECTOR_IN)); }

    /** A frame as a transmitter leaves it: the marker as destination MAC, the payload telling frames apart. */
    static byte[] frame(long marker, int n) {
        byte[] b = PacketBuilder.eth(ETH1_MAC, ETH1_MAC).ipv4(CLIENT, RS2).udp(1000 + n, 53).payload("frame " + n).build();
        io.jlvs.packet.NetworkOrder.mac(MemorySegment.ofArray(b), 0, marker);
        return b;
    }

    static int park(PendingQueue q, byte[] b) { return q.park(MemorySegment.ofArray(b), 0, b.length); }

    static byte[] withMac(byte[] b, String mac) {
        byte[] c = b.clone();
        io.jlvs.packet.NetworkOrder.mac(MemorySegment.ofArray(c), 0, mac(mac));
        return c;
    }

    @Test
    void parkedFramesLeaveInOrderWithTheLearnedMac() {
        PendingQueue q = queue(4, 8, 4);
        long m = mark(q, RS2);
        byte[] a = frame(m, 1), b = frame(m, 2);
        assertThat(park(q, a)).isNotNegative();
        assertThat(park(q, b)).isNotNegative();
        a[20] = 0;                                          // the queue kept its own copy
        assertThat(q.frames()).isEqualTo(2);
        assertThat(q.release(Flow.AF_INET, 0, lo(RS2), ETH1, mac(RS2_MAC), tx)).isEqualTo(2);
        assertThat(tx.frames).containsExactly(withMac(frame(m, 1), RS2_MAC), withMac(b, RS2_MAC));
        assertThat(tx.ifIndexes).containsExactly(ETH1, ETH1);
        assertThat(q.parked()).isEqualTo(2);
        assertThat(q.released()).isEqualTo(2);
        assertThat(q.activeCount()).isZero();
        assertThat(q.frames()).isZero();
        assertThat(park(q, frame(m, 3))).as("the next hop resolved: its marker is stale").isEqualTo(PendingQueue.STALE_MARKER);
        assertThat(q.staleMarkers()).isEqualTo(1);
        assertThat(q.release(Flow.AF_INET, 0, lo(RS2), ETH1, mac(RS2_MAC), tx)).as("nothing pending any more").isZero();
    }

    @Test
    void aNewEntryInTheSameSlotHasAnotherMarker() {
        PendingQueue q = queue(1, 8, 4);
        long m1 = mark(q, RS2);
        assertThat(mark(q, RS1)).as("every entry taken").isEqualTo(PendingQueue.NO_MARKER);
        assertThat(q.noEntry()).isEqualTo(1);
        q.release(Flow.AF_INET, 0, lo(RS2), ETH1, mac(RS2_MAC), tx);
        long m2 = mark(q, RS1);
        assertThat(m2).isNotEqualTo(PendingQueue.NO_MARKER).isNotEqualTo(m1);
        assertThat(park(q, frame(m1, 1))).isEqualTo(PendingQueue.STALE_MARKER);
        assertThat(park(q, frame(m2, 1))).isZero();
    }

    @Test
    void aFullNextHopDropsItsOldestFrame() {
        PendingQueue q = queue(4, 8, 2);
        long m = mark(q, RS2);
        for (int i = 1; i <= 3; i++) park(q, frame(m, i));
        assertThat(q.overflow()).isEqualTo(1);
        q.release(Flow.AF_INET, 0, lo(RS2), ETH1, mac(RS2_MAC), tx);
        assertThat(tx.frames).containsExactly(withMac(frame(m, 2), RS2_MAC), withMac(frame(m, 3), RS2_MAC));
    }

    @Test
    void aFullSlabDropsTheNewFrame() {
        PendingQueue q = queue(4, 2, 4);
        long m1 = mark(q, RS2), m2 = mark(q, RS1);
        park(q, frame(m1, 1));
        park(q, frame(m1, 2));
        assertThat(park(q, frame(m2, 1))).isEqualTo(PendingQueue.NO_ROOM);
        assertThat(q.overflow()).isEqualTo(1);
        assertThat(q.count(q.find(Flow.AF_INET, 0, lo(RS2), ETH1))).isEqualTo(2);
        q.release(Flow.AF_INET, 0, lo(RS2), ETH1, mac(RS2_MAC), tx);
        assertThat(park(q, frame(m2, 1))).as("room again").isNotNegative();
    }

    @Test
    void aFrameLargerThanASlotIsDropped() {
        PendingQueue q = queue(4, 2, 4);
        long m = mark(q, RS2);
        byte[] big = Arrays.copyOf(frame(m, 1), 257);
        assertThat(park(q, big)).isEqualTo(PendingQueue.TOO_BIG);
        assertThat(q.tooBig()).isEqualTo(1);
    }

    @Test
    void solicitationsArePacedAndLimited() {
        PendingQueue q = queue(4, 8, 4);
        mark(q, RS2);
        assertThat(q.nextDeadlineNs()).isEqualTo(T0);
        assertThat(q.poll(T0, prober)).isEqualTo(1);
        assertThat(q.poll(T0 + 50 * MS, prober)).as("nothing due before 100 ms").isZero();
        assertThat(q.nextDeadlineNs()).isEqualTo(T0 + 100 * MS);
        assertThat(q.poll(T0 + 100 * MS, prober)).isEqualTo(1);
        assertThat(q.poll(T0 + 199 * MS, prober)).isZero();
        assertThat(q.poll(T0 + 200 * MS, prober)).isEqualTo(1);
        assertThat(q.nextDeadlineNs()).as("three sent: the expiry is next").isEqualTo(T0 + 1000 * MS);
        for (long t = 300; t < 1000; t += 100) assertThat(q.poll(T0 + t * MS, prober)).isZero();
        assertThat(probed).hasSize(3);
        int e = q.find(Flow.AF_INET, 0, lo(RS2), ETH1);
        assertThat(q.probes(e)).isEqualTo(3);
        assertThat(q.takeProbe(e, T0 + 900 * MS)).isFalse();
    }

    @Test
    void aNextHopThatDoesNotResolveInTimeDropsItsFrames() {
        PendingQueue q = queue(4, 8, 4);
        long m = mark(q, RS2);
        park(q, frame(m, 1));
        park(q, frame(m, 2));
        q.now(T0 + 500 * MS);
        long m2 = mark(q, RS1);                                     // half a second younger
        park(q, frame(m2, 1));
        q.poll(T0 + 999 * MS, prober);
        assertThat(q.expired()).isZero();
        assertThat(q.poll(T0 + 1000 * MS, prober)).isEqualTo(2);
        assertThat(q.expired()).isEqualTo(2);
        assertThat(q.failed()).isEqualTo(1);
        assertThat(q.find(Flow.AF_INET, 0, lo(RS2), ETH1)).isEqualTo(-1);
        assertThat(q.find(Flow.AF_INET, 0, lo(RS1), ETH1)).isNotNegative();
        assertThat(q.frames()).isEqualTo(1);
        q.poll(T0 + 1500 * MS, prober);
        assertThat(q.expired()).isEqualTo(3);
        assertThat(q.activeCount()).isZero();
        assertThat(q.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);

        q.now(T0 + 2000 * MS);                                      // a later packet starts over
        mark(q, RS2);
        probed.clear();
        q.poll(T0 + 2000 * MS, prober);
        assertThat(probed).hasSize(1);
    }

    @Test
    void aRefusingPortIsCounted() {
        PendingQueue q = queue(4, 8, 4);
        long m = mark(q, RS2);
        park(q, frame(m, 1));
        tx.capacity = 0;
        assertThat(q.release(Flow.AF_INET, 0, lo(RS2), ETH1, mac(RS2_MAC), tx)).isZero();
        assertThat(q.txFull()).isEqualTo(1);
        assertThat(q.frames()).isZero();
    }

    @Test
    void markersAreGroupMacsWithTheirOwnPrefix() {
        PendingQueue q = queue(4, 8, 4);
        long m = mark(q, RS2);
        assertThat(m >>> 32).isEqualTo(0x0F4AL);
        assertThat(PendingQueue.isMarker(m)).isTrue();
        assertThat(PendingQueue.isMarker(mac(RS2_MAC))).isFalse();
        assertThat(PendingQueue.isMarker(NeighbourFrames.BROADCAST_MAC)).isFalse();
        assertThat(Neighbours.isUnicastMac(m)).isFalse();
    }
}
