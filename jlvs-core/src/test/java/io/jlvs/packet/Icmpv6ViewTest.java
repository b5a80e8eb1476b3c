package io.jlvs.packet;

import io.jlvs.testkit.Addresses;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.Frames.CLIENT6;
import static io.jlvs.packet.Frames.CLIENT_MAC;
import static io.jlvs.packet.Frames.DIRECTOR_MAC;
import static io.jlvs.packet.Frames.ETH;
import static io.jlvs.packet.Frames.VIP6;
import static io.jlvs.packet.Frames.seg;
import static org.assertj.core.api.Assertions.assertThat;

class Icmpv6ViewTest {
    private static final int L4 = ETH + 40;
    private final Icmpv6View icmp = new Icmpv6View();

    @Test
    void echoReadsBackAndVerifies() {
        byte[] f = Frames.v6().icmpv6Echo(0x1234, 9).payload("ping").build();
        icmp.wrap(seg(f), L4);
        assertThat(icmp.type()).isEqualTo(Icmpv6View.ECHO_REQUEST);
        assertThat(icmp.code()).isZero();
        assertThat(icmp.id()).isEqualTo(0x1234);
        assertThat(icmp.sequence()).isEqualTo(9);
        assertThat(icmp.isError()).isFalse();
        assertThat(checksumOk(f)).isTrue();
    }

    @Test
    void packetTooBig() {
        byte[] inner = Frames.eth().ipv6(VIP6, CLIENT6).tcp(80, 40000).ack().payload(new byte[1400]).buildL3();
        byte[] f = Frames.eth().ipv6("2001:db8:ffff::1", CLIENT6).packetTooBig(1280, java.util.Arrays.copyOf(inner, 48)).build();
        icmp.wrap(seg(f), L4);
        assertThat(icmp.type()).isEqualTo(Icmpv6View.PACKET_TOO_BIG);
        assertThat(icmp.mtu()).isEqualTo(1280);
        assertThat(icmp.isError()).isTrue();
        assertThat(icmp.embeddedOffset()).isEqualTo(L4 + 8);
        assertThat(new Ipv6View().wrap(seg(f), icmp.embeddedOffset()).srcLo()).isEqualTo(Addresses.ipv6Lo(VIP6));
        assertThat(checksumOk(f)).isTrue();
    }

    @Test
    void neighborSolicitationTargetAndSourceLinkLayerAddress() {
        byte[] f = Frames.eth().ipv6(CLIENT6, "ff02::1:ff00:a").hopLimit(255).neighborSolicitation(VIP6)
                .sourceLinkLayer(CLIENT_MAC).build();
        icmp.wrap(seg(f), L4);
        assertThat(icmp.type()).isEqualTo(Icmpv6View.NEIGHBOR_SOLICITATION);
        assertThat(icmp.targetHi()).isEqualTo(Addresses.ipv6Hi(VIP6));
        assertThat(icmp.targetLo()).isEqualTo(Addresses.ipv6Lo(VIP6));
        assertThat(icmp.walkNdOptions(f.length)).isTrue();
        assertThat(icmp.sourceLinkLayerAddress()).isEqualTo(Addresses.macLong(CLIENT_MAC));
        assertThat(icmp.targetLinkLayerAddress()).isEqualTo(Icmpv6View.NO_LL_ADDR);
        assertThat(checksumOk(f)).isTrue();
    }

    @Test
    void neighborAdvertisementFlagsAndTargetLinkLayerAddress() {
        byte[] f = Frames.eth().ipv6(VIP6, CLIENT6).hopLimit(255)
                .neighborAdvertisement(VIP6, Icmpv6View.NA_SOLICITED | Icmpv6View.NA_OVERRIDE).targetLinkLayer(DIRECTOR_MAC).build();
        icmp.wrap(seg(f), L4);
        assertThat(icmp.type()).isEqualTo(Icmpv6View.NEIGHBOR_ADVERTISEMENT);
        assertThat(icmp.ndFlags()).isEqualTo(0x60);
        assertThat(icmp.targetLo()).isEqualTo(Addresses.ipv6Lo(VIP6));
        assertThat(icmp.walkNdOptions(f.length)).isTrue();
        assertThat(icmp.targetLinkLayerAddress()).isEqualTo(Addresses.macLong(DIRECTOR_MAC));
        assertThat(icmp.sourceLinkLayerAddress()).isEqualTo(Icmpv6View.NO_LL_ADDR);
    }

    @Test
    void answeringASolicitationInPlaceGivesTheBuildersAdvertisement() {
        byte[] f = Frames.eth().ipv6(CLIENT6, "ff02::1:ff00:a").hopLimit(255).neighborSolicitation(VIP6)
                .sourceLinkLayer(CLIENT_MAC).build();
        byte[] expected = io.jlvs.testkit.PacketBuilder.eth(DIRECTOR_MAC, CLIENT_MAC).ipv6(VIP6, CLIENT6).hopLimit(255)
                .neighborAdvertisement(VIP6, Icmpv6View.NA_SOLICITED | Icmpv6View.NA_OVERRIDE).targetLinkLayer(DIRECTOR_MAC).build();
        MemorySegment s = seg(f);
        new EthernetView().wrap(s, 0).dst(Addresses.macLong(CLIENT_MAC)).src(Addresses.macLong(DIRECTOR_MAC));
        Ipv6View ip = new Ipv6View().wrap(s, ETH);
        ip.dst(ip.srcHi(), ip.srcLo()).src(Addresses.ipv6Hi(VIP6), Addresses.ipv6Lo(VIP6));
        icmp.wrap(s, L4).type(Icmpv6View.NEIGHBOR_ADVERTISEMENT).ndFlags(Icmpv6View.NA_SOLICITED | Icmpv6View.NA_OVERRIDE);
        NetworkOrder.u8(s, L4 + 24, Icmpv6View.OPT_TARGET_LL_ADDR);
        NetworkOrder.mac(s, L4 + 26, Addresses.macLong(DIRECTOR_MAC));
        icmp.fillChecksum(ip.srcHi(), ip.srcLo(), ip.dstHi(), ip.dstLo(), f.length - L4);
        assertThat(f).isEqualTo(expected);
    }

    @Test
    void malformedNdOptions() {
        byte[] zeroLength = Frames.v6().neighborSolicitation(VIP6).ndOption(1, 0, new byte[6]).build();
        assertThat(icmp.wrap(seg(zeroLength), L4).walkNdOptions(zeroLength.length)).isFalse();
        byte[] pastEnd = Frames.v6().neighborSolicitation(VIP6).ndOption(1, 2, new byte[6]).build();
        assertThat(icmp.wrap(seg(pastEnd), L4).walkNdOptions(pastEnd.length)).isFalse();
        byte[] shortNs = Frames.v6().icmpv6(Icmpv6View.NEIGHBOR_SOLICITATION, 0, 0).build();   // no target
        assertThat(icmp.wrap(seg(shortNs), L4).walkNdOptions(shortNs.length)).isFalse();
        byte[] echo = Frames.v6().icmpv6Echo(1, 1).build();
        assertThat(icmp.wrap(seg(echo), L4).walkNdOptions(echo.length)).isFalse();
    }

    @Test
    void errorTypesAreBelow128() {
        assertThat(Icmpv6View.isError(1)).isTrue();
        assertThat(Icmpv6View.isError(127)).isTrue();
        assertThat(Icmpv6View.isError(128)).isFalse();
        assertThat(Icmpv6View.isError(136)).isFalse();
        assertThat(Icmpv6View.ndOptionsStart(Icmpv6View.ROUTER_ADVERTISEMENT)).isEqualTo(16);
        assertThat(Icmpv6View.ndOptionsStart(Icmpv6View.REDIRECT)).isEqualTo(40);
    }

    @Test
    void settersWriteTheRightBytes() {
        byte[] f = Frames.v6().icmpv6Echo(1, 1).build();
        MemorySegment s = seg(f);
        icmp.wrap(s, L4).type(Icmpv6View.ECHO_REPLY).code(3).id(0xAAAA).sequence(0xBBBB).checksum(0xCCCC);
        assertThat(NetworkOrder.i32(s, L4)).isEqualTo(129 << 24 | 3 << 16 | 0xCCCC);
        assertThat(NetworkOrder.i32(s, L4 + 4)).isEqualTo(0xAAAABBBB);
        icmp.mtu(1500);
        assertThat(NetworkOrder.i32(s, L4 + 4)).isEqualTo(1500);
        assertThat(icmp.pointer()).isEqualTo(1500);
    }

    private boolean checksumOk(byte[] f) {
        Ipv6View ip = new Ipv6View().wrap(seg(f), ETH);
        return icmp.checksumOk(ip.srcHi(), ip.srcLo(), ip.dstHi(), ip.dstLo(), f.length - L4);
    }
}
