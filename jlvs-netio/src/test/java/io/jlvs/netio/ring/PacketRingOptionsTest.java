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
