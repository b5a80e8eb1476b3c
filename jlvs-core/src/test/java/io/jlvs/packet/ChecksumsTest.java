package io.jlvs.packet;

import io.jlvs.testkit.Addresses;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

class ChecksumsTest {
    private static final int ETH = 14;

    @Test
    void rfc1071NumericalExample() {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2
        MemorySegment s = MemorySegment.ofArray(new byte[] {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7});
        assertThat(Checksums.sum(s, 0, 8, 0)).isEqualTo(0xddf2);
        assertThat(Checksums.internet(s, 0, 8)).isEqualTo(~0xddf2 & 0xFFFF);
    }

    @Test
    void oddLengthPadsTheLastOctetWithZero() {
        MemorySegment s = MemorySegment.ofArray(new byte[] {0x12, 0x34, 0x56});
        assertThat(Checksums.sum(s, 0, 3, 0)).isEqualTo(0x1234 + 0x5600);
        assertThat(Checksums.sum(s, 1, 1, 0)).isEqualTo(0x3400);
        assertThat(Checksums.sum(s, 0, 0, 0x1234)).isEqualTo(0x1234);
    }

    @Test
    void wikipediaIpv4HeaderVerifiesAndRecomputes() {
        byte[] h = hex("450000730000400040110000c0a80001c0a800c7");
        MemorySegment s = MemorySegment.ofArray(h);
        assertThat(Checksums.internet(s, 0, 20)).isEqualTo(0xb861);
        h[10] = (byte) 0xb8;
        h[11] = 0x61;
        assertThat(Checksums.internet(s, 0, 20)).isZero();
        assertThat(new Ipv4View().wrap(s, 0).checksumOk()).isTrue();
    }

    @Test
    void rfc1624WorkedExampleUsesEquation3() {
        // RFC 1624 section 4: HC = 0xDD2F, m = 0x5555 -> m' = 0x3285 gives 0x0000 (eqn. 2 would give 0xFFFF)
        assertThat(Checksums.update16(0xDD2F, 0x5555, 0x3285)).isEqualTo(0x0000);
        // and the same edit recomputed in full: other words sum to 0xCD7A
        MemorySegment s = MemorySegment.ofArray(new byte[] {(byte) 0xCD, 0x7A, 0x32, (byte) 0x85});
        assertThat(Checksums.internet(s, 0, 4)).isEqualTo(0x0000);
    }

    @Test
    void update32And128AreTheirWordsOneAtATime() {
        int c = 0x1A2B;
        int by16 = Checksums.update16(Checksums.update16(c, 0xC000, 0xCB00), 0x0201, 0x710B);
        assertThat(Checksums.update32(c, 0xC0000201, 0xCB00710B)).isEqualTo(by16);
        long oldHi = Addresses.ipv6Hi("2001:db8::1"), oldLo = Addresses.ipv6Lo("2001:db8::1");
        long newHi = Addresses.ipv6Hi("2001:db8:ffff::abcd"), newLo = Addresses.ipv6Lo("2001:db8:ffff::abcd");
        int words = c;
        for (int i = 0; i < 4; i++) {
            words = Checksums.update16(words, (int) (oldHi >>> (48 - 16 * i)) & 0xFFFF, (int) (newHi >>> (48 - 16 * i)) & 0xFFFF);
            words = Checksums.update16(words, (int) (oldLo >>> (48 - 16 * i)) & 0xFFFF, (int) (newLo >>> (48 - 16 * i)) & 0xFFFF);
        }
        assertThat(Checksums.update128(c, oldHi, oldLo, newHi, newLo)).isEqualTo(words);
    }

    @Test
    void pseudoHeadersMatchTheOracle() {
        byte[] src = Addresses.ipv4("198.51.100.7"), dst = Addresses.ipv4("192.0.2.10");
        assertThat(Checksums.pseudoHeader4(Addresses.ipv4Int("198.51.100.7"), Addresses.ipv4Int("192.0.2.10"), 6, 1480))
                .isEqualTo(Checksum.pseudo4(src, dst, 6, 1480));
        byte[] s6 = Addresses.ipv6("2001:db8::7"), d6 = Addresses.ipv6("2001:db8:1::a");
        assertThat(Checksums.pseudoHeader6(Addresses.ipv6Hi("2001:db8::7"), Addresses.ipv6Lo("2001:db8::7"),
                Addresses.ipv6Hi("2001:db8:1::a"), Addresses.ipv6Lo("2001:db8:1::a"), 17, 70000))
                .isEqualTo(Checksum.pseudo6(s6, d6, 17, 70000));
    }

    @Test
    void tcpChecksumOfBuiltFramesVerifiesAndRecomputes() {
        byte[] f = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("198.51.100.7", "192.0.2.10")
                .tcp(40000, 80).syn().seq(1000).mss(1460).payload("hello").build();
        MemorySegment s = MemorySegment.ofArray(f);
        Ipv4View ip = new Ipv4View().wrap(s, ETH);
        int len = ip.totalLength() - ip.headerLength();
        long l4 = ETH + ip.headerLength();
        assertThat(Checksums.transport4(s, l4, len, ip.src(), ip.dst(), 6)).isZero();
        TcpView tcp = new TcpView().wrap(s, l4);
        int stored = tcp.checksum();
        tcp.checksum(0);
        assertThat(Checksums.transport4(s, l4, len, ip.src(), ip.dst(), 6)).isEqualTo(stored);
    }

    @Test
    void udpComputedZeroIsSentAsFfffAndVerifies() {
        // a payload word equal to the checksum without it brings the sum to 0xFFFF, so the computed checksum is 0
        byte[] probe = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("198.51.100.7", "192.0.2.10")
                .udp(5353, 53).payload(new byte[2]).build();
        int w = Checksum.u16(probe, ETH + 20 + 6);
        byte[] f = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("198.51.100.7", "192.0.2.10")
                .udp(5353, 53).payload(new byte[] {(byte) (w >>> 8), (byte) w}).build();
        assertThat(Checksum.u16(f, ETH + 20 + 6)).as("builder sends a computed 0 as 0xFFFF").isEqualTo(0xFFFF);
        MemorySegment s = MemorySegment.ofArray(f);
        UdpView udp = new UdpView().wrap(s, ETH + 20);
        int src = Addresses.ipv4Int("198.51.100.7"), dst = Addresses.ipv4Int("192.0.2.10");
        assertThat(Checksums.transport4(s, ETH + 20, udp.length(), src, dst, 17)).isZero();     // 0xFFFF verifies
        udp.checksum(0);
        int computed = Checksums.transport4(s, ETH + 20, udp.length(), src, dst, 17);
        assertThat(computed).isZero();
        assertThat(Checksums.udpWire(computed)).isEqualTo(0xFFFF);
        assertThat(Checksums.udpWire(0x1234)).isEqualTo(0x1234);
    }

    @Test
    void udpZeroChecksumOverIpv4MeansNoneAndParserAcceptsIt() {
        byte[] f = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("198.51.100.7", "192.0.2.10")
                .udp(5353, 53).noChecksum().payload("x").build();
        PacketParser p = new PacketParser().verifyL4Checksums(true);
        assertThat(p.parse(MemorySegment.ofArray(f), f.length, new Flow())).isEqualTo(PacketParser.OK);
        byte[] f6 = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv6("2001:db8::7", "2001:db8::a")
                .udp(5353, 53).noChecksum().payload("x").build();
        assertThat(p.parse(MemorySegment.ofArray(f6), f6.length, new Flow())).isEqualTo(DropReason.BAD_UDP_CHECKSUM.code());
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
