package io.jlvs.host;

import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.ToIntFunction;

import static io.jlvs.host.HostNet.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The frames jlvs originates, octet for octet against the testkit's builder, checksums by its oracle. */
class NeighbourFramesTest {
    static final String BCAST = "ff:ff:ff:ff:ff:ff";

    static byte[] build(ToIntFunction<MemorySegment> writer) {
        MemorySegment seg = MemorySegment.ofArray(new byte[NeighbourFrames.MAX_LENGTH + 10]);
        int len = writer.applyAsInt(seg.asSlice(5));
        return seg.asSlice(5, len).toArray(ValueLayout.JAVA_BYTE);
    }

    static void same(byte[] actual, PacketBuilder expected) {
        assertThat(Checksum.verify(actual)).isEmpty();
        assertThat(io.jlvs.testkit.Vector.hex(actual)).isEqualTo(io.jlvs.testkit.Vector.hex(expected.build()));
    }

    @Test
    void arpRequest() {
        same(build(s -> NeighbourFrames.arpRequest(s, 0, mac(ETH1_MAC), (int) lo(DIRECTOR_IN), (int) lo(RS2))),
                PacketBuilder.eth(ETH1_MAC, BCAST).arpRequest(ETH1_MAC, DIRECTOR_IN, RS2));
    }

    @Test
    void gratuitousArpInKeepalivedsForm() {
        same(build(s -> NeighbourFrames.gratuitousArp(s, 0, mac(ETH0_MAC), (int) lo(VIP))),
                PacketBuilder.eth(ETH0_MAC, BCAST).arpReply(ETH0_MAC, VIP, BCAST, VIP).arpOper(1));
    }

    @Test
    void neighbourSolicitationToTheSolicitedNodeGroup() {
        same(build(s -> NeighbourFrames.neighbourSolicitation(s, 0, mac(ETH1_MAC), hi(LL1), lo(LL1), hi(RS6_2), lo(RS6_2))),
                PacketBuilder.eth(ETH1_MAC, "33:33:ff:00:00:0c").ipv6(LL1, "ff02::1:ff00:c").hopLimit(255)
                        .neighborSolicitation(RS6_2).sourceLinkLayer(ETH1_MAC));
    }

    @Test
    void unsolicitedAdvertisements() {
        same(build(s -> NeighbourFrames.unsolicitedAdvertisement(s, 0, mac(ETH0_MAC), hi(VIP6), lo(VIP6), false)),
                PacketBuilder.eth(ETH0_MAC, "33:33:00:00:00:01").ipv6(VIP6, "ff02::1").hopLimit(255)
                        .neighborAdvertisement(VIP6, 0x20).targetLinkLayer(ETH0_MAC));
        same(build(s -> NeighbourFrames.unsolicitedAdvertisement(s, 0, mac(ETH1_MAC), hi(NATGW6), lo(NATGW6), true)),
                PacketBuilder.eth(ETH1_MAC, "33:33:00:00:00:01").ipv6(NATGW6, "ff02::1").hopLimit(255)
                        .neighborAdvertisement(NATGW6, 0xA0).targetLinkLayer(ETH1_MAC));
    }

    @Test
    void solicitedNodeGroups() {
        long lo = lo("2001:db8:1::abcd:1234");
        assertThat(NeighbourFrames.solicitedNodeLo(lo)).isEqualTo(lo("ff02::1:ffcd:1234"));
        assertThat(NeighbourFrames.isSolicitedNode(hi("ff02::1:ffcd:1234"), lo("ff02::1:ffcd:1234"), lo)).isTrue();
        assertThat(NeighbourFrames.isSolicitedNode(hi("ff02::1"), lo("ff02::1"), lo)).isFalse();
        assertThat(NeighbourFrames.multicastMac(lo("ff02::1:ffcd:1234"))).isEqualTo(mac("33:33:ff:cd:12:34"));
    }
}
