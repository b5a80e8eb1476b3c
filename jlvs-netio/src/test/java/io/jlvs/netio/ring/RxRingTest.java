package io.jlvs.netio.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlvs.netio.sys.IfPacket;
import io.jlvs.netio.sys.VirtioNet;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The V3 block walker over rings laid out by hand ({@link FakeRing}): no socket, no root. */
class RxRingTest {

    static final int BLOCK = 128 * 1024;
    static final int RESERVE = 128;
    static final int VNET = VirtioNet.HDR_SIZE;

    record Seen(byte[] bytes, long frameStart, int length, long bufferStart, long bufferEnd, int ifIndex, int pktType,
                int status, boolean vlan, int tci, int tpid, String vnet, int wireLength) {}

    static final class Recorder implements RxHandler {
        final List<Seen> seen = new ArrayList<>();

        @Override
        public void onFrame(MemorySegment seg, long frameStart, int length, long bufferStart, long bufferEnd, RxMeta m) {
            byte[] b = seg.asSlice(frameStart, length).toArray(ValueLayout.JAVA_BYTE);
            seen.add(new Seen(b, frameStart, length, bufferStart, bufferEnd, m.ifIndex(), m.pktType(), m.status(),
                    m.vlanReinserted(), m.vlanTci(), m.vlanTpid(), m.vnet().toString(), m.wireLength()));
        }
    }

    static byte[] frame(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        b[12] = 0x08;   // IPv4 ethertype
        b[13] = 0x00;
        return b;
    }

    static RxRing walker(FakeRing r, RingCounters c) {
        return new RxRing(r.map, 0, r.blockSize, r.blockCount, r.vnetLen, new RxMeta(), c);
    }

    @Test
    void framesOfAClosedBlockInOrderWithTheirRoom() {
        try (FakeRing r = new FakeRing(BLOCK, 4, RESERVE, VNET)) {
            VnetHdr partial = new VnetHdr().set(VirtioNet.VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 34, 6);
            long h0 = r.add(0, frame(60, 1), 60, IfPacket.TP_STATUS_CSUMNOTREADY, 0, 0, partial, 5);
            long h1 = r.add(0, frame(1514, 2), 1514, IfPacket.TP_STATUS_CSUM_VALID, 0, 0, new VnetHdr(), 5);
            long h2 = r.add(0, frame(99, 3), 99, 0, 0, 0, new VnetHdr(), 5);
            r.close(0);
            RingCounters c = new RingCounters();
            RxRing rx = walker(r, c);
            Recorder rec = new Recorder();

            assertThat(rx.walk(rec, 64)).isEqualTo(3);

            assertThat(rec.seen).hasSize(3);
            Seen s0 = rec.seen.get(0), s1 = rec.seen.get(1), s2 = rec.seen.get(2);
            assertThat(s0.bytes).isEqualTo(frame(60, 1));
            assertThat(s1.bytes).isEqualTo(frame(1514, 2));
            assertThat(s2.bytes).isEqualTo(frame(99, 3));
            assertThat(s0.frameStart).isEqualTo(h0 + 220);
            assertThat(s0.bufferStart).isEqualTo(h0 + 68);
            assertThat(s0.bufferEnd).isEqualTo(h1);
            assertThat(s1.bufferEnd).isEqualTo(h2);
            assertThat(s2.bufferEnd).as("the last frame may grow to the block's end").isEqualTo(r.block(0) + BLOCK);
            assertThat(s0.frameStart - s0.bufferStart).isEqualTo(PacketRing.Options.defaults().rxHeadroomBytes());
            assertThat(s0.ifIndex).isEqualTo(5);
            assertThat(s0.pktType).isEqualTo(IfPacket.PACKET_OTHERHOST);
            assertThat(s0.status & IfPacket.TP_STATUS_CSUMNOTREADY).isNotZero();
            assertThat(s0.vnet).isEqualTo(partial.toString());
            assertThat(s1.status & IfPacket.TP_STATUS_CSUM_VALID).isNotZero();
            assertThat(s1.vlan).isFalse();
            assertThat(c.rxFrames()).isEqualTo(3);
            assertThat(c.rxBytes()).isEqualTo(60 + 1514 + 99);
            assertThat(rx.walk(rec, 64)).as("block 1 is still the kernel's").isZero();
        }
    }

    @Test
    void walkedBlocksAreHeldUntilReleasedThenGoBackToTheKernel() {
        try (FakeRing r = new FakeRing(BLOCK, 4, RESERVE, VNET)) {
            r.add(0, frame(64, 1));
            r.close(0);
            r.add(1, frame(64, 2));
            r.close(1);
            RingCounters c = new RingCounters();
            RxRing rx = walker(r, c);
            assertThat(rx.walk(new Recorder(), 64)).isEqualTo(2);
            assertThat(r.status(0)).as("held: frames may still be queued for transmit from it").isEqualTo(IfPacket.TP_STATUS_USER);
            assertThat(r.status(1)).isEqualTo(IfPacket.TP_STATUS_USER);
            rx.releaseHeld();
            assertThat(r.status(0)).isEqualTo(IfPacket.TP_STATUS_KERNEL);
            assertThat(r.status(1)).isEqualTo(IfPacket.TP_STATUS_KERNEL);
            assertThat(c.rxBlocks()).isEqualTo(2);
        }
    }

    @Test
    void theBudgetCutsABlockAndTheNextWalkResumesIt() {
        try (FakeRing r = new FakeRing(BLOCK, 4, RESERVE, VNET)) {
            for (int i = 0; i < 5; i++) {
                r.add(0, frame(70 + i, i));
            }
            r.close(0);
            RxRing rx = walker(r, new RingCounters());
            Recorder rec = new Recorder();
            assertThat(rx.walk(rec, 2)).isEqualTo(2);
            rx.releaseHeld();
            assertThat(r.status(0)).as("a block cut short stays with the user").isEqualTo(IfPacket.TP_STATUS_USER);
            assertThat(rx.walk(rec, 2)).isEqualTo(2);
            assertThat(rx.walk(rec, 2)).isEqualTo(1);
            rx.releaseHeld();
            assertThat(r.status(0)).isEqualTo(IfPacket.TP_STATUS_KERNEL);
            assertThat(rec.seen).extracting(Seen::length).containsExactly(70, 71, 72, 73, 74);
        }
    }

    @Test
    void aStrippedVlanTagIsPutBackInPlaceAndTheOffloadOffsetsFollow() {
        try (FakeRing r = new FakeRing(BLOCK, 2, RESERVE, VNET)) {
            byte[] untagged = HexFormat.of().parseHex(
                    "020000000002" + "020000000001" + "0800" + "4500001c0000000040110000c0000201c0000202" + "0000000000080000");
            VnetHdr partial = new VnetHdr().set(VirtioNet.VIRTIO_NET_HDR_F_NEEDS_CSUM, VirtioNet.VIRTIO_NET_HDR_GSO_NONE,
                    42, 0, 34, 6);
            int st = IfPacket.TP_STATUS_VLAN_VALID | IfPacket.TP_STATUS_VLAN_TPID_VALID | IfPacket.TP_STATUS_CSUMNOTREADY;
            long h = r.add(0, untagged, untagged.length, st, 0x2064, 0x88a8, partial, 3);
            r.add(0, untagged, untagged.length, IfPacket.TP_STATUS_VLAN_VALID, 100, 0, null, 3);
            r.close(0);
            RingCounters c = new RingCounters();
            Recorder rec = new Recorder();
            walker(r, c).walk(rec, 8);

            Seen s = rec.seen.get(0);
            assertThat(HexFormat.of().formatHex(s.bytes)).isEqualTo(
                    "020000000002" + "020000000001" + "88a82064" + "0800" + "4500001c0000000040110000c0000201c0000202" + "0000000000080000");
            assertThat(s.frameStart).isEqualTo(h + 220 - 4);
            assertThat(s.length).isEqualTo(untagged.length + 4);
            assertThat(s.wireLength).isEqualTo(untagged.length + 4);
            assertThat(s.vlan).isTrue();
            assertThat(s.tci).isEqualTo(0x2064);
            assertThat(s.tpid).isEqualTo(0x88a8);
            assertThat(s.vnet).as("csum_start and hdr_len count from the Ethernet header, now 4 bytes longer")
                    .isEqualTo(new VnetHdr().set(1, 0, 46, 0, 38, 6).toString());
            Seen t = rec.seen.get(1);
            assertThat(HexFormat.of().formatHex(t.bytes, 12, 16)).as("TPID 0x8100 unless the kernel said otherwise")
                    .isEqualTo("81000064");
            assertThat(c.rxVlanReinserted()).isEqualTo(2);
        }
    }

    @Test
    void truncatedFramesAreCountedNotHandedOver() {
        try (FakeRing r = new FakeRing(BLOCK, 2, RESERVE, VNET)) {
            r.add(0, frame(100, 1), 70_000, 0, 0, 0, null, 3);
            r.add(0, frame(80, 2));
            r.close(0);
            RingCounters c = new RingCounters();
            Recorder rec = new Recorder();
            RxRing rx = walker(r, c);
            assertThat(rx.walk(rec, 8)).isEqualTo(1);
            assertThat(rec.seen).extracting(Seen::length).containsExactly(80);
            assertThat(c.rxTruncated()).isEqualTo(1);
            rx.releaseHeld();
            assertThat(r.status(0)).isEqualTo(IfPacket.TP_STATUS_KERNEL);
        }
    }

    @Test
    void nonsenseOffsetsSkipTheRestOfTheBlockWithoutThrowing() {
        try (FakeRing r = new FakeRing(BLOCK, 2, RESERVE, VNET)) {
            long h = r.add(0, frame(64, 1));
            r.add(0, frame(64, 2));
            r.map.set(ValueLayout.JAVA_SHORT, h + IfPacket.TP_MAC, (short) 0xFFF0);   // frame beyond the block
            r.close(0);
            r.add(1, frame(66, 3));
            r.close(1);
            RingCounters c = new RingCounters();
            Recorder rec = new Recorder();
            RxRing rx = walker(r, c);
            assertThat(rx.walk(rec, 8)).isEqualTo(1);
            assertThat(rec.seen).extracting(Seen::length).containsExactly(66);
            assertThat(c.rxCorrupt()).isEqualTo(1);
            rx.releaseHeld();
            assertThat(r.status(0)).isEqualTo(IfPacket.TP_STATUS_KERNEL);
        }
    }

    @Test
    void theRingWrapsAroundAndNeverWalksABlockItStillHolds() {
        try (FakeRing r = new FakeRing(BLOCK, 2, 0, 0)) {
            RxRing rx = walker(r, new RingCounters());
            Recorder rec = new Recorder();
            for (int round = 0; round < 3; round++) {
                r.open(0);
                r.add(0, frame(61, round));
                r.close(0);
                r.open(1);
                r.add(1, frame(62, round));
                r.close(1);
                assertThat(rx.walk(rec, 64)).isEqualTo(2);
                assertThat(rx.walk(rec, 64)).as("both blocks held: block 0 still reads USER but is not new").isZero();
                assertThat(rx.ready()).isFalse();
                rx.releaseHeld();
            }
            assertThat(rec.seen).extracting(Seen::length).containsExactly(61, 62, 61, 62, 61, 62);
            assertThat(rec.seen.get(0).bufferStart).isEqualTo(r.block(0) + IfPacket.BLK_HDR_LEN + 68);
        }
    }

    @Test
    void anEmptyClosedBlockIsPassedOverAndReturned() {
        try (FakeRing r = new FakeRing(BLOCK, 3, RESERVE, VNET)) {
            r.close(0);
            r.add(1, frame(64, 1));
            r.close(1);
            RxRing rx = walker(r, new RingCounters());
            Recorder rec = new Recorder();
            assertThat(rx.walk(rec, 8)).isEqualTo(1);
            rx.releaseHeld();
            assertThat(r.status(0)).isEqualTo(IfPacket.TP_STATUS_KERNEL);
            assertThat(r.status(1)).isEqualTo(IfPacket.TP_STATUS_KERNEL);
        }
    }

    @Test
    void walkingAllocatesNothingPerFrame() {
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (FakeRing r = new FakeRing(BLOCK, 2, RESERVE, VNET)) {
            VnetHdr gso = new VnetHdr().set(1, VirtioNet.VIRTIO_NET_HDR_GSO_TCPV4, 66, 1448, 34, 16);
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < 32; i++) {
                    int st = i % 4 == 0 ? IfPacket.TP_STATUS_VLAN_VALID : IfPacket.TP_STATUS_CSUMNOTREADY;
                    r.add(b, frame(60 + i * 40, i), 60 + i * 40, st, 7, 0, gso, 2);
                }
                r.close(b);
            }
            RxRing rx = walker(r, new RingCounters());
            long[] sink = new long[1];
            RxHandler h = (seg, start, len, bs, be, m) -> sink[0] += len + m.vnet().gsoSize() + (start - bs);
            long least = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 6 && least > 0; attempt++) {
                long before = counter.getCurrentThreadAllocatedBytes();
                for (int round = 0; round < 2_000; round++) {
                    rx.walk(h, 16);
                    rx.walk(h, 64);
                    rx.releaseHeld();
                    r.status(0, IfPacket.TP_STATUS_USER);
                    r.status(1, IfPacket.TP_STATUS_USER);
                }
                least = Math.min(least, counter.getCurrentThreadAllocatedBytes() - before);
            }
            assertThat(sink[0]).isNotZero();
            assertThat(least).as("bytes allocated walking %d frames", 2_000 * 64).isLessThan(1024);
        }
    }
}
