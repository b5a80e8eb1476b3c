package io.jlvs.packet;

import io.jlvs.testkit.Addresses;
import io.jlvs.testkit.Checksum;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.Frames.CLIENT;
import static io.jlvs.packet.Frames.ETH;
import static io.jlvs.packet.Frames.VIP;
import static io.jlvs.packet.Frames.seg;
import static org.assertj.core.api.Assertions.assertThat;

class Ipv4ViewTest {
    private final Ipv4View ip = new Ipv4View();

    @Test
    void fieldsReadBackWhatTheBuilderWrote() {
        byte[] f = Frames.v4().tos(0xB9).ttl(17).id(0xBEEF).df().tcp(1, 2).payload("abc").build();
        ip.wrap(seg(f), ETH);
        assertThat(ip.version()).isEqualTo(4);
        assertThat(ip.ihl()).isEqualTo(5);
        assertThat(ip.headerLength()).isEqualTo(20);
        assertThat(ip.hasOptions()).isFalse();
        assertThat(ip.optionsLength()).isZero();
        assertThat(ip.tos()).isEqualTo(0xB9);
        assertThat(ip.dscp()).isEqualTo(0xB9 >>> 2);
        assertThat(ip.ecn()).isEqualTo(1);
        assertThat(ip.totalLength()).isEqualTo(20 + 20 + 3);
        assertThat(ip.id()).isEqualTo(0xBEEF);
        assertThat(ip.dontFragment()).isTrue();
        assertThat(ip.moreFragments()).isFalse();
        assertThat(ip.fragmentOffset()).isZero();
        assertThat(ip.isFragment()).isFalse();
        assertThat(ip.ttl()).isEqualTo(17);
        assertThat(ip.protocol()).isEqualTo(IpProto.IPPROTO_TCP);
        assertThat(ip.checksum()).isEqualTo(Checksum.u16(f, ETH + 10));
        assertThat(ip.checksumOk()).isTrue();
        assertThat(ip.src()).isEqualTo(Addresses.ipv4Int(CLIENT));
        assertThat(ip.dst()).isEqualTo(Addresses.ipv4Int(VIP));
    }

    @Test
    void fragmentFields() {
        byte[] f = Frames.v4().id(7).fragment(1480, true).protocol(17).payload(new byte[16]).build();
        ip.wrap(seg(f), ETH);
        assertThat(ip.moreFragments()).isTrue();
        assertThat(ip.dontFragment()).isFalse();
        assertThat(ip.fragmentOffset()).isEqualTo(1480 / 8);
        assertThat(ip.fragmentOffsetBytes()).isEqualTo(1480);
        assertThat(ip.isFragment()).isTrue();
        assertThat(ip.fragWord()).isEqualTo(Ipv4View.FLAG_MF | 185);
        byte[] last = Frames.v4().fragment(2960, false).protocol(17).build();
        assertThat(ip.wrap(seg(last), ETH).isFragment()).isTrue();
        assertThat(ip.moreFragments()).isFalse();
        byte[] first = Frames.v4().fragment(0, true).udp(1, 2).build();
        assertThat(ip.wrap(seg(first), ETH).isFragment()).isTrue();
        assertThat(ip.fragmentOffset()).isZero();
    }

    @Test
    void options() {
        byte[] f = Frames.v4().ipOptions((byte) 0x94, (byte) 0x04, (byte) 0, (byte) 0).tcp(1, 2).build();  // router alert
        ip.wrap(seg(f), ETH);
        assertThat(ip.ihl()).isEqualTo(6);
        assertThat(ip.hasOptions()).isTrue();
        assertThat(ip.optionsLength()).isEqualTo(4);
        assertThat(NetworkOrder.u8(seg(f), ETH + Ipv4View.OPTIONS)).isEqualTo(0x94);
        assertThat(ip.checksumOk()).isTrue();
        byte[] odd = Frames.v4().ipOptions((byte) 1).udp(1, 2).build();                            // padded to 4
        assertThat(ip.wrap(seg(odd), ETH).optionsLength()).isEqualTo(4);
    }

    @Test
    void settersWriteTheBuildersBytes() {
        byte[] f = Frames.v4().ttl(64).id(1).udp(1000, 53).payload("q").build();
        byte[] expected = Frames.eth().ipv4("203.0.113.5", "203.0.113.11").tos(0x2E << 2).ttl(63).id(0x1234).df()
                .fragment(8, true).udp(1000, 53).payload("q").build();
        MemorySegment s = seg(f);
        ip.wrap(s, ETH).ttl(63).id(0x1234).dscp(0x2E).dontFragment(true).moreFragments(true).fragmentOffset(1)
                .src(Addresses.ipv4Int("203.0.113.5")).dst(Addresses.ipv4Int("203.0.113.11"));
        ip.fillChecksum();
        // the UDP checksum differs (the pseudo-header changed): compare the IP header only
        assertThat(java.util.Arrays.copyOfRange(f, ETH, ETH + 20)).isEqualTo(java.util.Arrays.copyOfRange(expected, ETH, ETH + 20));
        ip.dontFragment(false).moreFragments(false).fragmentOffset(0);
        assertThat(ip.fragWord()).isZero();
        ip.version(6).ihl(15);
        assertThat(NetworkOrder.u8(s, ETH)).isEqualTo(0x6F);
        ip.ecn(3);
        assertThat(ip.tos()).isEqualTo(0x2E << 2 | 3);
        ip.totalLength(999).protocol(132).checksum(0xABCD);
        assertThat(NetworkOrder.u16(s, ETH + 2)).isEqualTo(999);
        assertThat(NetworkOrder.u8(s, ETH + 9)).isEqualTo(132);
        assertThat(NetworkOrder.u16(s, ETH + 10)).isEqualTo(0xABCD);
    }

    @Test
    void badChecksumIsSeen() {
        byte[] f = Frames.v4().badChecksum().tcp(1, 2).build();
        assertThat(ip.wrap(seg(f), ETH).checksumOk()).isFalse();
        ip.fillChecksum();
        assertThat(ip.checksumOk()).isTrue();
        assertThat(Checksum.verify(f)).isEmpty();
    }
}
