package io.jlvs.netio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlvs.netio.sys.VirtioNet;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class PacketRingOptionsTest {

    @Test
    void defaults() {
        PacketRing.Options o = PacketRing.Options.defaults();
        assertThat(o.vnetHdr()).isTrue();
        assertThat(o.reserveBytes()).isEqualTo(128);
        assertThat(o.ignoreOutgoing()).isTrue();
        assertThat((long) o.blockSizeBytes() * o.blockCount()).isEqualTo(16L << 20);
        assertThat(o.fanoutGroup()).isEqualTo(-1);
        assertThat(o.txMode()).isEqualTo(PacketRing.TxMode.SENDMMSG);
        assertThat(o.rxHeadroomBytes()).isEqualTo(152);
        assertThat(o.txRingFrameSizeBytes() - 48 - VirtioNet.HDR_SIZE).as("a TX slot holds a 64 KiB super-frame")
                .isGreaterThanOrEqualTo(65535 + 18);
        assertThat(o.withReserveBytes(0).withVnetHdr(false).rxHeadroomBytes()).isEqualTo(14);
    }

    @Test
    void v2IsTheDefaultWithSlotsThatHoldASuperFrameInPowerOfTwoBlocks() {
        PacketRing.Options o = PacketRing.Options.defaults();
        assertThat(o.rxVersion()).isEqualTo(PacketRing.RxVersion.V2);
        assertThat(o.rxFrameSizeBytes()).isEqualTo(68 * 1024);
        assertThat(o.rxFrameCount()).isEqualTo(256);
        assertThat(o.rxFrameBlockSizeBytes()).as("15 slots per 1 MiB block").isEqualTo(1 << 20);
        assertThat(o.rxFrameBlocks()).isEqualTo(18);
        assertThat(o.rxRingFrames()).as("rounded up to whole blocks").isEqualTo(270);
        assertThat(o.rxRingBytes()).isEqualTo(18L << 20);
        assertThat(o.withRxVersion(PacketRing.RxVersion.V3).rxRingBytes()).isEqualTo(16L << 20);
        assertThat(PacketRing.Options.minRxFrameSizeBytes(128, true)).as("204 + 65553, 16-aligned").isEqualTo(65760);
        assertThat(PacketRing.Options.minRxFrameSizeBytes(0, false)).isEqualTo(65632);
        assertThat(o.withRxVersion(PacketRing.RxVersion.V3).rxHeadroomBytes()).isEqualTo(o.rxHeadroomBytes());
        // blocks: a power of two, whole slots, at most 1/16 unused
        assertThat(PacketRing.Options.frameBlockSize(2048)).isEqualTo(4096);
        assertThat(PacketRing.Options.frameBlocks(2048, 9)).isEqualTo(5);
        assertThat(PacketRing.Options.frameBlockSize(69632 - 16)).isEqualTo(1 << 20);
        assertThat(o.withRxFrames(65760, 16).rxFrameBlockSizeBytes()).isEqualTo(1 << 20);
        assertThat(o.withRxFrames(1 << 20, 4).rxFrameBlockSizeBytes()).isEqualTo(1 << 20);
        assertThat(o.withRxFrames(96 * 1024, 8).rxFrameBlockSizeBytes()).as("96 KiB: 512 KiB holds 5 (1/16 unused)")
                .isEqualTo(512 * 1024);
    }

    @Test
    void v2SettingsAreCheckedWithMessagesNamingThem() {
        PacketRing.Options d = PacketRing.Options.defaults();
        assertThatThrownBy(() -> d.withRxFrames(2048, 256)).hasMessageContaining("rxFrameSizeBytes must be at least 65760")
                .hasMessageContaining("64 KiB GSO super-frame").hasMessageContaining("got 2048");
        assertThatThrownBy(() -> d.withRxFrames(69633, 256)).hasMessageContaining("multiple of 16");
        assertThatThrownBy(() -> d.withRxFrames(2 << 20, 4)).hasMessageContaining("up to 1048576");
        assertThatThrownBy(() -> d.withRxFrames(69632, 0)).hasMessage("rxFrameCount must be from 1 to 262144; got 0");
        assertThatThrownBy(() -> d.withRxFrames(69632, 20_000)).hasMessageContaining("at most 1 GiB");
        assertThatThrownBy(() -> d.withReserveBytes(4096)).as("the reserve eats into the slot")
                .hasMessageContaining("rxFrameSizeBytes must be at least 69728 with reserveBytes 4096");
        assertThatThrownBy(() -> d.withRxVersion(null)).hasMessageContaining("rxVersion");
        assertThat(d.withRxFrames(72 * 1024, 256).withReserveBytes(4096).reserveBytes()).isEqualTo(4096);
        assertThat(d.withRxVersion(PacketRing.RxVersion.V3).withReserveBytes(4096).reserveBytes())
                .as("V3 has no slots").isEqualTo(4096);
        assertThat(d.withRxVersion(PacketRing.RxVersion.V3).withRxFrames(2048, 4).rxFrameSizeBytes())
                .as("V2 slot size is checked only with V2").isEqualTo(2048);
        assertThatThrownBy(() -> d.withRxVersion(PacketRing.RxVersion.V3).withRxFrames(2048, 4)
                .withRxVersion(PacketRing.RxVersion.V2)).hasMessageContaining("rxFrameSizeBytes");
        assertThat(d.withRxFrames(65760, 16).rxRingFrames()).isEqualTo(30);
    }

    @Test
    void eachSettingIsCheckedWithAMessageNamingIt() {
        PacketRing.Options d = PacketRing.Options.defaults();
        assertThatThrownBy(() -> d.withBlocks(64 * 1024, 16)).hasMessageContaining("blockSizeBytes")
                .hasMessageContaining("64 KiB GSO super-frame").hasMessageContaining("got 65536");
        assertThatThrownBy(() -> d.withBlocks(3 << 18, 4)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> d.withBlocks(1 << 20, 1)).hasMessage("blockCount must be from 2 to 4096; got 1");
        assertThatThrownBy(() -> d.withBlocks(64 << 20, 32)).hasMessageContaining("at most 1 GiB");
        assertThatThrownBy(() -> d.withReserveBytes(-1)).hasMessage("reserveBytes must be from 0 to 4096; got -1");
        assertThatThrownBy(() -> d.withRetireTimeoutMs(5000)).hasMessageContaining("retireTimeoutMs");
        assertThatThrownBy(() -> d.withFanout(70000, PacketRing.FanoutMode.HASH)).hasMessageContaining("fanoutGroup");
        assertThatThrownBy(() -> d.withFanout(1, null)).hasMessageContaining("fanoutMode");
        assertThatThrownBy(() -> d.withTxBatch(0)).hasMessage("txBatch must be from 1 to 1024; got 0");
        assertThatThrownBy(() -> d.withTxRing(5000, 8)).hasMessageContaining("txRingFrameSizeBytes");
        assertThat(d.withFanout(7, PacketRing.FanoutMode.LB).fanoutGroup()).isEqualTo(7);
        assertThat(d.withBlocks(128 * 1024, 2).blockSizeBytes()).isEqualTo(128 * 1024);
    }

    @Test
    void vnetHdrRoundTripsThroughItsTenBytes() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(32);
            VnetHdr h = new VnetHdr().set(VirtioNet.VIRTIO_NET_HDR_F_NEEDS_CSUM,
                    VirtioNet.VIRTIO_NET_HDR_GSO_TCPV6 | VirtioNet.VIRTIO_NET_HDR_GSO_ECN, 86, 1428, 54, 16);
            h.write(s, 3);
            VnetHdr back = new VnetHdr().read(s, 3);
            assertThat(back.toString()).isEqualTo(h.toString());
            assertThat(back.isGso()).isTrue();
            assertThat(back.needsCsum()).isTrue();
            VnetHdr.writeNone(s, 3);
            assertThat(new VnetHdr().read(s, 3).isGso()).isFalse();
            assertThat(new VnetHdr().read(s, 3).flags()).isZero();
        }
    }
}
