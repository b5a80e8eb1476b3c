package io.jlvs.netio.ring;

import static io.jlvs.netio.ring.RxRingTest.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.jlvs.netio.ring.RxRingTest.Recorder;
import io.jlvs.netio.ring.RxRingTest.Seen;
import io.jlvs.netio.sys.IfPacket;
import io.jlvs.netio.sys.VirtioNet;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The V2 frame walker over rings laid out by hand ({@link FakeFrameRing}): no socket, no root. */
class RxFrameRingTest {

    static final int RESERVE = 128;
    static final int VNET = VirtioNet.HDR_SIZE;
    static final PacketRing.Options D = PacketRing.Options.defaults();

    /** Six slots of 2 KiB, two per page-sized block: small enough to wrap often. */
    static FakeFrameRing small() {
        return new FakeFrameRing(4096, 3, 2048, RESERVE, VNET);
    }

    /** The default geometry: 68 KiB slots, 15 per 1 MiB block; two blocks. */
    static FakeFrameRing defaultGeometry() {
        return new FakeFrameRing(D.rxFrameBlockSizeBytes(), 2, D.rxFrameSizeBytes(), D.reserveBytes(), D.vnetHdrBytes());
    }

    @Test
    void framesInRingOrderWithTheirRoomAndTheKernelsFacts() {
        try (FakeFrameRing r = small()) {
            VnetHdr partial = new VnetHdr().set(VirtioNet.VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 34, 6);
            long h0 = r.add(frame(60, 1), 60, IfPacket.TP_STATUS_CSUMNOTREADY, 0, 0, partial, 5);
            long h1 = r.add(frame(1514, 2), 1514, IfPacket.TP_STATUS_CSUM_VALID | IfPacket.TP_STATUS_LOSING, 0, 0,
                    new VnetHdr(), 5);
            long h2 = r.add(frame(99, 3), 99, 0, 0, 0, new VnetHdr(), 5);
            RingCounters c = new RingCounters();
            RxFrameRing rx = r.walker(c);
            Recorder rec = new Recorder();

            assertThat(rx.ready()).isTrue();
            assertThat(rx.walk(rec, 64)).isEqualTo(3);

            assertThat(rec.seen).extracting(Seen::bytes)
                    .containsExactly(frame(60, 1), frame(1514, 2), frame(99, 3));
            Seen s0 = rec.seen.get(0), s1 = rec.seen.get(1), s2 = rec.seen.get(2);
            assertThat(h1).as("second slot of the first block").isEqualTo(2048);
            assertThat(h2).as("first slot of the second block").isEqualTo(4096);
            assertThat(s0.frameStart()).isEqualTo(h0 + 204);
            assertThat(s0.bufferStart()).isEqualTo(h0 + 52);
            assertThat(s0.bufferEnd()).as("a frame may grow to its slot's end").isEqualTo(h0 + 2048);
            assertThat(s2.bufferEnd()).isEqualTo(h2 + 2048);
            assertThat(s0.frameStart() - s0.bufferStart()).as("the headroom the options promise")
                    .isEqualTo(D.rxHeadroomBytes()).isEqualTo(152);
            assertThat(s0.ifIndex()).isEqualTo(5);
            assertThat(s0.pktType()).isEqualTo(IfPacket.PACKET_OTHERHOST);
            assertThat(s0.status() & IfPacket.TP_STATUS_CSUMNOTREADY).isNotZero();
            assertThat(s0.vnet()).isEqualTo(partial.toString());
            assertThat(s1.status() & (IfPacket.TP_STATUS_CSUM_VALID | IfPacket.TP_STATUS_LOSING))
                    .as("V2 reports LOSING per frame").isEqualTo(IfPacket.TP_STATUS_CSUM_VALID | IfPacket.TP_STATUS_LOSING);
            assertThat(s1.vlan()).isFalse();
            assertThat(s2.wireLength()).isEqualTo(99);
            assertThat(c.rxFrames()).isEqualTo(3);
            assertThat(c.rxBytes()).isEqualTo(60 + 1514 + 99);
            assertThat(rx.ready()).isFalse();
            assertThat(rx.walk(rec, 64)).as("slot 3 is still the kernel's").isZero();
        }
    }

    @Test
    void walkedFramesAreHeldUntilReleasedThenGoBackToTheKernelInOrder() {
        try (FakeFrameRing r = small()) {
            for (int i = 0; i < 4; i++) {
                r.add(frame(64 + i, i));
            }
            RingCounters c = new RingCounters();
            RxFrameRing rx = r.walker(c);
            Recorder rec = new Recorder();
            assertThat(rx.walk(rec, 3)).isEqualTo(3);
            for (int i = 0; i < 4; i++) {
                assertThat(r.status(i) & IfPacket.TP_STATUS_USER).as("slot %d: held or not yet walked", i).isNotZero();
            }
            // the kernel goes round: slots 4 and 5 are free, slot 0 is held, so that frame is dropped
            r.add(frame(70, 4));
            r.add(frame(71, 5));
            assertThat(r.add(frame(72, 6))).as("slot 0 is still held").isEqualTo(-1);
            rx.releaseHeld();
            assertThat(r.status(0)).isEqualTo(IfPacket.TP_STATUS_KERNEL);
            assertThat(r.status(1)).isEqualTo(IfPacket.TP_STATUS_KERNEL);
            assertThat(r.status(2)).isEqualTo(IfPacket.TP_STATUS_KERNEL);
            assertThat(r.status(3) & IfPacket.TP_STATUS_USER).as("not walked: not released").isNotZero();
            assertThat(c.rxBlocks()).as("hand-overs: one per frame with V2").isEqualTo(3);
            assertThat(rx.walk(rec, 64)).isEqualTo(3);
            rx.releaseHeld();
            assertThat(rec.seen).extracting(Seen::length).containsExactly(64, 65, 66, 67, 70, 71);
            for (int i = 0; i < 6; i++) {
                assertThat(r.status(i)).isEqualTo(IfPacket.TP_STATUS_KERNEL);
            }
        }
    }

    @Test
    void theBudgetCutsAWalkAndTheNextWalkResumesWhereItStopped() {
        try (FakeFrameRing r = small()) {
            for (int i = 0; i < 5; i++) {
                r.add(frame(70 + i, i));
            }
            RxFrameRing rx = r.walker(new RingCounters());
            Recorder rec = new Recorder();
            assertThat(rx.walk(rec, 2)).isEqualTo(2);
            assertThat(rx.walk(rec, 2)).as("walked but not released: still resumes after them").isEqualTo(2);
            rx.releaseHeld();
            assertThat(rx.walk(rec, 2)).isEqualTo(1);
            rx.releaseHeld();
            assertThat(rec.seen).extracting(Seen::length).containsExactly(70, 71, 72, 73, 74);
        }
    }

    @Test
    void theRingWrapsAroundAndNeverWalksASlotItStillHolds() {
        try (FakeFrameRing r = small()) {
            RxFrameRing rx = r.walker(new RingCounters());
            Recorder rec = new Recorder();
            int expected = 0;
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 4; i++) {
                    assertThat(r.add(frame(60 + expected++ % 40, round))).isNotNegative();
                }
                assertThat(rx.walk(rec, 64)).isEqualTo(4);
                rx.releaseHeld();
            }
            assertThat(rec.seen).extracting(Seen::length)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).map(i -> 60 + i % 40).boxed().toList());
            // fill every slot, walk them all: every slot reads USER, none of them is new
            for (int i = 0; i < 6; i++) {
                r.add(frame(100 + i, i));
            }
            assertThat(rx.walk(rec, 64)).isEqualTo(6);
            assertThat(rx.ready()).isFalse();
            assertThat(rx.walk(rec, 64)).isZero();
            rx.releaseHeld();
            assertThat(rx.walk(rec, 64)).isZero();
            r.add(frame(99, 9));
            assertThat(rx.walk(rec, 64)).isEqualTo(1);
            assertThat(rec.seen.getLast().length()).isEqualTo(99);
        }
    }

    @Test
    void aStrippedVlanTagIsPutBackInPlaceAndTheOffloadOffsetsFollow() {
        try (FakeFrameRing r = small()) {
            byte[] untagged = HexFormat.of().parseHex(
                    "020000000002" + "020000000001" + "0800" + "4500001c0000000040110000c0000201c0000202" + "0000000000080000");
            VnetHdr partial = new VnetHdr().set(VirtioNet.VIRTIO_NET_HDR_F_NEEDS_CSUM, VirtioNet.VIRTIO_NET_HDR_GSO_NONE,
                    42, 0, 34, 6);
            int st = IfPacket.TP_STATUS_VLAN_VALID | IfPacket.TP_STATUS_VLAN_TPID_VALID | IfPacket.TP_STATUS_CSUMNOTREADY;
            long h = r.add(untagged, untagged.length, st, 0x2064, 0x88a8, partial, 3);
            r.add(untagged, untagged.length, IfPacket.TP_STATUS_VLAN_VALID, 100, 0, null, 3);
            RingCounters c = new RingCounters();
            Recorder rec = new Recorder();
            r.walker(c).walk(rec, 8);

            Seen s = rec.seen.get(0);
            assertThat(HexFormat.of().formatHex(s.bytes())).isEqualTo(
                    "020000000002" + "020000000001" + "88a82064" + "0800" + "4500001c0000000040110000c0000201c0000202" + "0000000000080000");
            assertThat(s.frameStart()).isEqualTo(h + 204 - 4);
            assertThat(s.length()).isEqualTo(untagged.length + 4);
            assertThat(s.wireLength()).isEqualTo(untagged.length + 4);
            assertThat(s.vlan()).isTrue();
            assertThat(s.tci()).isEqualTo(0x2064);
            assertThat(s.tpid()).isEqualTo(0x88a8);
            assertThat(s.vnet()).as("csum_start and hdr_len count from the Ethernet header, now 4 bytes longer")
                    .isEqualTo(new VnetHdr().set(1, 0, 46, 0, 38, 6).toString());
            Seen t = rec.seen.get(1);
            assertThat(HexFormat.of().formatHex(t.bytes(), 12, 16)).as("TPID 0x8100 unless the kernel said otherwise")
                    .isEqualTo("81000064");
            assertThat(c.rxVlanReinserted()).isEqualTo(2);
        }
    }

    @Test
    void aSuperFrameFitsTheDefaultSlotAndALargerOneIsCountedAsTruncated() {
        try (FakeFrameRing r = defaultGeometry()) {
            int superFrame = PacketRing.Options.MAX_RX_FRAME_BYTES;
            r.add(frame(superFrame, 1), superFrame, IfPacket.TP_STATUS_GSO_TCP, 0, 0, null, 3);
            r.add(frame(70_000, 2), 70_000, 0, 0, 0, null, 3);   // the fake cuts it as tpacket_rcv does
            r.add(frame(80, 3));
            RingCounters c = new RingCounters();
            Recorder rec = new Recorder();
            RxFrameRing rx = r.walker(c);
            assertThat(rx.slots()).isEqualTo(30);
            assertThat(rx.walk(rec, 8)).isEqualTo(2);
            assertThat(rec.seen).extracting(Seen::length).containsExactly(superFrame, 80);
            assertThat(rec.seen.get(0).bytes()).isEqualTo(frame(superFrame, 1));
            assertThat(rec.seen.get(0).bufferEnd() - rec.seen.get(0).frameStart() - superFrame)
                    .as("tailroom left in a 68 KiB slot").isEqualTo(69632 - 204 - superFrame);
            assertThat(c.rxTruncated()).isEqualTo(1);
            rx.releaseHeld();
            assertThat(r.status(1)).as("a truncated frame's slot goes back too").isEqualTo(IfPacket.TP_STATUS_KERNEL);
            assertThat(r.slot(15)).as("slot 15 opens the second 1 MiB block").isEqualTo(1 << 20);
        }
    }

    @Test
    void nonsenseHeadersAreCountedAndSkippedOneSlotAtATimeWithoutThrowing() {
        try (FakeFrameRing r = small()) {
            long beyond = r.add(frame(64, 1));
            long tooEarly = r.add(frame(64, 2));
            long negative = r.add(frame(64, 3));
            long overrun = r.add(frame(64, 4));
            r.add(frame(66, 5));
            r.map.set(ValueLayout.JAVA_SHORT, beyond + IfPacket.TP2_MAC, (short) 0xFFF0);   // past the slot
            r.map.set(ValueLayout.JAVA_SHORT, tooEarly + IfPacket.TP2_MAC, (short) 40);     // inside the header
            r.map.set(ValueLayout.JAVA_INT, negative + IfPacket.TP2_SNAPLEN, -5);
            r.map.set(ValueLayout.JAVA_INT, overrun + IfPacket.TP2_SNAPLEN, 2048 - 204 + 1);   // one byte past
            RingCounters c = new RingCounters();
            Recorder rec = new Recorder();
            RxFrameRing rx = r.walker(c);
            assertThat(rx.walk(rec, 8)).isEqualTo(1);
            assertThat(rec.seen).extracting(Seen::length).containsExactly(66);
            assertThat(c.rxCorrupt()).isEqualTo(4);
            rx.releaseHeld();
            for (int i = 0; i < 5; i++) {
                assertThat(r.status(i)).isEqualTo(IfPacket.TP_STATUS_KERNEL);
            }
        }
    }

    @Test
    void walkingAllocatesNothingPerFrame() {
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (FakeFrameRing r = new FakeFrameRing(4096, 32, 2048, RESERVE, VNET)) {
            VnetHdr gso = new VnetHdr().set(1, VirtioNet.VIRTIO_NET_HDR_GSO_TCPV4, 66, 1448, 34, 16);
            for (int i = 0; i < 64; i++) {
                int st = i % 4 == 0 ? IfPacket.TP_STATUS_VLAN_VALID : IfPacket.TP_STATUS_CSUMNOTREADY;
                r.add(frame(60 + i * 25, i), 60 + i * 25, st, 7, 0, gso, 2);
            }
            RxFrameRing rx = r.walker(new RingCounters());
            long[] sink = new long[1];
            RxHandler h = (seg, start, len, bs, be, m) -> sink[0] += len + m.vnet().gsoSize() + (start - bs);
            long least = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 6 && least > 0; attempt++) {
                long before = counter.getCurrentThreadAllocatedBytes();
                for (int round = 0; round < 2_000; round++) {
                    rx.walk(h, 16);
                    rx.walk(h, 64);
                    rx.releaseHeld();
                    for (int i = 0; i < 64; i++) {
                        r.map.set(ValueLayout.JAVA_INT, r.slot(i) + IfPacket.TP2_STATUS, IfPacket.TP_STATUS_USER
                                | (i % 4 == 0 ? IfPacket.TP_STATUS_VLAN_VALID : IfPacket.TP_STATUS_CSUMNOTREADY));
                    }
                }
                least = Math.min(least, counter.getCurrentThreadAllocatedBytes() - before);
            }
            assertThat(sink[0]).isNotZero();
            assertThat(least).as("bytes allocated walking %d frames", 2_000 * 64).isLessThan(1024);
        }
    }
}
