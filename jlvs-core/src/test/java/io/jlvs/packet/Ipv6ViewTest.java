package io.jlvs.packet;

import io.jlvs.testkit.Addresses;
import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.Frames.CLIENT6;
import static io.jlvs.packet.Frames.ETH;
import static io.jlvs.packet.Frames.VIP6;
import static io.jlvs.packet.Frames.seg;
import static org.assertj.core.api.Assertions.assertThat;

class Ipv6ViewTest {
    private final Ipv6View ip = new Ipv6View();

    @Test
    void fieldsReadBackWhatTheBuilderWrote() {
        byte[] f = Frames.v6().trafficClass(0xB8 | 2).flowLabel(0xABCDE).hopLimit(9).udp(1, 2).payload("hello").build();
        ip.wrap(seg(f), ETH);
        assertThat(ip.version()).isEqualTo(6);
        assertThat(ip.trafficClass()).isEqualTo(0xBA);
        assertThat(ip.dscp()).isEqualTo(0xBA >>> 2);
        assertThat(ip.ecn()).isEqualTo(2);
        assertThat(ip.flowLabel()).isEqualTo(0xABCDE);
        assertThat(ip.payloadLength()).isEqualTo(8 + 5);
        assertThat(ip.nextHeader()).isEqualTo(IpProto.IPPROTO_UDP);
        assertThat(ip.hopLimit()).isEqualTo(9);
        assertThat(ip.srcHi()).isEqualTo(Addresses.ipv6Hi(CLIENT6));
        assertThat(ip.srcLo()).isEqualTo(Addresses.ipv6Lo(CLIENT6));
        assertThat(ip.dstHi()).isEqualTo(Addresses.ipv6Hi(VIP6));
        assertThat(ip.dstLo()).isEqualTo(Addresses.ipv6Lo(VIP6));
    }

    @Test
    void settersWriteTheBuildersBytes() {
        byte[] f = Frames.v6().udp(1, 2).build();
        byte[] expected = Frames.eth().ipv6("2001:db8:ffff::1", "2001:db8:eeee::2").trafficClass(0x12).flowLabel(0xFFFFF)
                .hopLimit(1).udp(1, 2).build();
        ip.wrap(seg(f), ETH).trafficClass(0x12).flowLabel(0xFFFFF).hopLimit(1)
                .src(Addresses.ipv6Hi("2001:db8:ffff::1"), Addresses.ipv6Lo("2001:db8:ffff::1"))
                .dst(Addresses.ipv6Hi("2001:db8:eeee::2"), Addresses.ipv6Lo("2001:db8:eeee::2"));
        assertThat(java.util.Arrays.copyOfRange(f, ETH, ETH + 40)).isEqualTo(java.util.Arrays.copyOfRange(expected, ETH, ETH + 40));
        ip.version(4).payloadLength(77).nextHeader(59);
        assertThat(ip.version()).isEqualTo(4);
        assertThat(ip.trafficClass()).isEqualTo(0x12);
        assertThat(ip.flowLabel()).isEqualTo(0xFFFFF);
        assertThat(NetworkOrder.u16(seg(f), ETH + 4)).isEqualTo(77);
        assertThat(NetworkOrder.u8(seg(f), ETH + 6)).isEqualTo(59);
    }

    @Test
    void walkWithoutExtensions() {
        byte[] f = Frames.v6().tcp(1, 2).build();
        assertThat(walk(f)).isEqualTo(IpProto.IPPROTO_TCP);
        assertThat(ip.extensionCount()).isZero();
        assertThat(ip.upperLayerOffset()).isEqualTo(ETH + 40);
        assertThat(ip.fragmentHeaderOffset()).isEqualTo(-1);
        assertThat(ip.isFragment()).isFalse();
    }

    @Test
    void walkEveryKindOfExtension() {
        // hop-by-hop 8, routing 8, fragment 8 (first), AH 24, destination options 8
        byte[] f = Frames.v6().hopByHop().routing(4, 0).fragmentId(0xCAFEBABE).fragment(0, true).ah(0x100, 1).destOptions()
                .tcp(1, 2).build();
        assertThat(walk(f)).isEqualTo(IpProto.IPPROTO_TCP);
        assertThat(ip.extensionCount()).isEqualTo(5);
        assertThat(ip.upperLayerOffset()).isEqualTo(ETH + 40 + 8 + 8 + 8 + 24 + 8);
        assertThat(ip.upperLayerProtocol()).isEqualTo(6);
        assertThat(ip.fragmentHeaderOffset()).isEqualTo(ETH + 40 + 16);
        assertThat(ip.fragmentOffset()).isZero();
        assertThat(ip.moreFragments()).isTrue();
        assertThat(ip.fragmentId()).isEqualTo(0xCAFEBABE);
        assertThat(ip.isFragment()).isTrue();
    }

    @Test
    void longerOptionsHeadersUseTheirLengthField() {
        byte[] f = Frames.v6().extension(PacketBuilder.DEST_OPTIONS, new int[20]).udp(1, 2).build();  // 2 + 20 -> 24 octets
        assertThat(walk(f)).isEqualTo(IpProto.IPPROTO_UDP);
        assertThat(ip.upperLayerOffset()).isEqualTo(ETH + 40 + 24);
        assertThat(NetworkOrder.u8(seg(f), ETH + 40 + 1)).isEqualTo(2);    // Hdr Ext Len 2: (2 + 1) * 8
    }

    @Test
    void nonFirstFragmentStopsTheWalk() {
        byte[] f = Frames.v6().fragmentId(5).fragment(1232, false).protocol(IpProto.IPPROTO_UDP).payload(new byte[32]).build();
        assertThat(walk(f)).isEqualTo(IpProto.IPPROTO_UDP);
        assertThat(ip.fragmentOffset()).isEqualTo(1232 / 8);
        assertThat(ip.fragmentOffsetBytes()).isEqualTo(1232);
        assertThat(ip.moreFragments()).isFalse();
        assertThat(ip.isFragment()).isTrue();
        assertThat(ip.upperLayerOffset()).isEqualTo(ETH + 48);
    }

    @Test
    void atomicFragmentIsNoFragment() {
        byte[] f = Frames.v6().fragment(0, false).udp(1, 2).build();
        assertThat(walk(f)).isEqualTo(IpProto.IPPROTO_UDP);
        assertThat(ip.fragmentHeaderOffset()).isEqualTo(ETH + 40);
        assertThat(ip.isFragment()).isFalse();
    }

    @Test
    void eightExtensionHeadersAreWalkedANinthIsRefused() {
        PacketBuilder eight = Frames.v6();
        PacketBuilder nine = Frames.v6();
        for (int i = 0; i < Ipv6View.MAX_EXTENSION_HEADERS; i++) {
            eight.destOptions();
            nine.destOptions();
        }
        byte[] ok = eight.tcp(1, 2).build();
        assertThat(walk(ok)).isEqualTo(IpProto.IPPROTO_TCP);
        assertThat(ip.extensionCount()).isEqualTo(8);
        assertThat(ip.upperLayerOffset()).isEqualTo(ETH + 40 + 64);
        assertThat(walk(nine.destOptions().tcp(1, 2).build())).isEqualTo(Ipv6View.EXT_LIMIT);
    }

    @Test
    void hopByHopOnlyFirst() {
        assertThat(walk(Frames.v6().destOptions().hopByHop().tcp(1, 2).build())).isEqualTo(Ipv6View.EXT_HOP_BY_HOP_NOT_FIRST);
    }

    @Test
    void truncatedExtensionHeader() {
        byte[] f = Frames.v6().hopByHop().routing(0, 0).tcp(1, 2).build();
        MemorySegment s = seg(f);
        ip.wrap(s, ETH);
        assertThat(ip.walkExtensions(ETH + 40 + 7)).isEqualTo(Ipv6View.EXT_TRUNCATED);      // fixed 8 octets missing
        assertThat(ip.walkExtensions(ETH + 40 + 8 + 7)).isEqualTo(Ipv6View.EXT_TRUNCATED);  // second header cut
        byte[] longer = Frames.v6().extension(PacketBuilder.DEST_OPTIONS, new int[20]).tcp(1, 2).build();
        ip.wrap(seg(longer), ETH);
        assertThat(ip.walkExtensions(ETH + 40 + 16)).isEqualTo(Ipv6View.EXT_TRUNCATED);     // length field says 24
    }

    @Test
    void espAndNoNextHeaderEndTheWalk() {
        assertThat(walk(Frames.v6().protocol(IpProto.IPPROTO_ESP).payload(new byte[16]).build())).isEqualTo(IpProto.IPPROTO_ESP);
        assertThat(walk(Frames.v6().hopByHop().build())).isEqualTo(IpProto.IPPROTO_NONE);
        assertThat(ip.extensionCount()).isEqualTo(1);
    }

    @Test
    void extensionHeaderNumbers() {
        for (int nh : new int[] {0, 43, 44, 51, 60, 135, 139, 140}) assertThat(Ipv6View.isExtension(nh)).as("%d", nh).isTrue();
        for (int nh : new int[] {6, 17, 58, 132, 50, 59, 1, 4, 41}) assertThat(Ipv6View.isExtension(nh)).as("%d", nh).isFalse();
    }

    private int walk(byte[] f) {
        ip.wrap(seg(f), ETH);
        return ip.walkExtensions(ETH + 40 + ip.payloadLength());
    }
}
