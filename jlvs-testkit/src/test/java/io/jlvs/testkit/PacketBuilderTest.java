package io.jlvs.testkit;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketBuilderTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String A = "02:00:00:00:00:01", B = "02:00:00:00:00:02";

    private static PacketBuilder eth() { return PacketBuilder.eth(A, B); }

    @Test
    void ethernetHeaderIsDestinationFirstOnTheWire() {
        byte[] f = eth().vlan(10).serviceVlan(20).ipv4("192.0.2.1", "192.0.2.2").build();
        assertThat(HEX.formatHex(f, 0, 22)).isEqualTo("020000000002" + "020000000001" + "8100000a" + "88a80014" + "0800");
    }

    @Test
    void ipv4HeaderMatchesAPublishedExample() {
        // the IPv4 header example of the "Internet checksum" literature: 45 00 00 73 00 00 40 00 40 11 b8 61 ...
        byte[] f = eth().ipv4("192.168.0.1", "192.168.0.199").df().udp(1, 2).payload(new byte[0x73 - 28]).build();
        assertThat(HEX.formatHex(f, 14, 34)).isEqualTo("450000730000400040" + "11b861c0a80001c0a800c7");
    }

    @Test
    void tcpHeaderLayoutAndOptions() {
        byte[] f = eth().ipv4("198.51.100.7", "192.0.2.10").tcp(40000, 80).syn().ece().cwr().seq(0x01020304L).ackSeq(5)
                .window(1000).mss(1460).windowScale(7).build();
        int l4 = 34;
        assertThat(HEX.formatHex(f, l4, l4 + 20)).startsWith("9c400050" + "01020304" + "00000005" + "70c2" + "03e8");
        assertThat(HEX.formatHex(f, l4 + 20, l4 + 28)).isEqualTo("020405b4" + "01030307");
        assertThat(f).hasSize(l4 + 28);
        byte[] padded = eth().ipv4("198.51.100.7", "192.0.2.10").tcp(1, 2).sackPermitted().build();
        assertThat(HEX.formatHex(padded, l4 + 12, l4 + 13)).isEqualTo("60");
        assertThat(HEX.formatHex(padded, l4 + 20, l4 + 24)).isEqualTo("04020000");
        assertThat(Checksum.verify(f)).isEmpty();
        assertThat(Checksum.verify(padded)).isEmpty();
    }

    @Test
    void udpLengthAndTheZeroRule() {
        byte[] f = eth().ipv4("198.51.100.7", "192.0.2.10").udp(5353, 53).payload("abc").build();
        assertThat(Checksum.u16(f, 38)).isEqualTo(11);
        assertThat(Checksum.u16(f, 40)).isNotZero();
        byte[] none = eth().ipv4("198.51.100.7", "192.0.2.10").udp(5353, 53).noChecksum().build();
        assertThat(Checksum.u16(none, 40)).isZero();
        assertThat(Checksum.verify(f)).isEmpty();
        assertThat(Checksum.verify(none)).isEmpty();
    }

    @Test
    void sctpCrcIsLittleEndianOverTheZeroedPacket() {
        byte[] f = eth().ipv4("198.51.100.7", "192.0.2.10").sctp(5000, 80, 0).init(0x11223344, 65536, 10, 10, 1).build();
        byte[] sctp = Arrays.copyOfRange(f, 34, f.length);
        assertThat(sctp).hasSize(12 + 20);
        assertThat(HEX.formatHex(sctp, 12, 16)).isEqualTo("01000014");
        byte[] zeroed = sctp.clone();
        Arrays.fill(zeroed, 8, 12, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(zeroed);
        long v = crc.getValue();
        assertThat(new byte[] {sctp[8], sctp[9], sctp[10], sctp[11]})
                .containsExactly((byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24));
    }

    @Test
    void arpRequestBytes() {
        byte[] f = PacketBuilder.eth(A, "ff:ff:ff:ff:ff:ff").arpRequest(A, "198.51.100.7", "192.0.2.10").build();
        assertThat(HEX.formatHex(f, 12, f.length)).isEqualTo("0806" + "0001" + "0800" + "06" + "04" + "0001"
                + "020000000001" + "c6336407" + "000000000000" + "c000020a");
    }

    @Test
    void ipv6ExtensionChainIsLinked() {
        byte[] f = eth().ipv6("2001:db8::1", "2001:db8::2").hopByHop().fragmentId(0x01020304).fragment(8, true).ah(7, 9)
                .tcp(1, 2).build();
        int l3 = 14;
        assertThat(f[l3 + 6]).isEqualTo((byte) 0);                          // -> hop-by-hop
        assertThat(HEX.formatHex(f, l3 + 40, l3 + 48)).isEqualTo("2c00" + "010400000000");   // -> fragment, PadN
        assertThat(HEX.formatHex(f, l3 + 48, l3 + 56)).isEqualTo("3300" + "0009" + "01020304"); // -> AH, offset 8, M
        assertThat(HEX.formatHex(f, l3 + 56, l3 + 68)).isEqualTo("0604" + "0000" + "00000007" + "00000009"); // -> TCP, len 4
        assertThat(Checksum.u16(f, l3 + 4)).isEqualTo(8 + 8 + 24 + 20);
    }

    @Test
    void icmpMessages() {
        byte[] inner = eth().ipv4("192.0.2.10", "198.51.100.7").tcp(80, 40000).buildL3();
        assertThat(inner).hasSize(40);
        byte[] f = eth().ipv4("203.0.113.1", "192.0.2.10").icmpFragNeeded(1400, Arrays.copyOf(inner, 28)).build();
        assertThat(HEX.formatHex(f, 34, 42)).startsWith("0304").endsWith("00000578");
        assertThat(Arrays.copyOfRange(f, 42, f.length)).isEqualTo(Arrays.copyOf(inner, 28));
        byte[] ns = eth().ipv6("2001:db8::1", "ff02::1:ff00:2").neighborSolicitation("2001:db8::2").sourceLinkLayer(A).build();
        assertThat(HEX.formatHex(ns, 54, ns.length)).startsWith("8700").contains("20010db8000000000000000000000002" + "0101" + "020000000001");
        assertThat(Checksum.verify(f)).isEmpty();
        assertThat(Checksum.verify(ns)).isEmpty();
    }

    @Test
    void knobsThatBreakThings() {
        PacketBuilder good = eth().ipv4("198.51.100.7", "192.0.2.10").tcp(1, 2);
        assertThat(Checksum.verify(good.build())).isEmpty();
        byte[] badIp = eth().ipv4("198.51.100.7", "192.0.2.10").badChecksum().tcp(1, 2).build();
        assertThat(Checksum.verify(badIp)).singleElement().asString().startsWith("IPv4 header checksum");
        byte[] badTcp = eth().ipv4("198.51.100.7", "192.0.2.10").tcp(1, 2).badChecksum().build();
        assertThat(Checksum.verify(badTcp)).singleElement().asString().startsWith("TCP checksum");
        assertThat(eth().ipv4("198.51.100.7", "192.0.2.10").ihl(4).build()[14]).isEqualTo((byte) 0x44);
        assertThat(eth().ipv4("198.51.100.7", "192.0.2.10").tcp(1, 2).truncate(20).build()).hasSize(20);
        assertThat(eth().ipv4("198.51.100.7", "192.0.2.10").udp(1, 2).padTo(60).build()).hasSize(60);
        assertThat(eth().ipv4("198.51.100.7", "192.0.2.10").version(6).build()[14]).isEqualTo((byte) 0x65);
    }

    @Test
    void stepsInTheWrongPlaceSaySo() {
        assertThatThrownBy(() -> eth().tcp(1, 2)).isInstanceOf(IllegalStateException.class).hasMessageContaining("ipv4()");
        assertThatThrownBy(() -> eth().ipv6("::1", "::2").ttl(3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> eth().ipv4("192.0.2.1", "192.0.2.2").syn()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> eth().ipv4("192.0.2.1", "192.0.2.2").icmpv6Echo(1, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> eth().ipv4("192.0.2.1", "192.0.2.2").fragment(7, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> eth().ipv4("2001:db8::1", "192.0.2.2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PacketBuilder.eth("02:00:00:00:01", B)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addresses() {
        assertThat(Addresses.ipv4Int("192.0.2.1")).isEqualTo(0xC0000201);
        assertThat(Addresses.macLong("0a:0b:0c:0d:0e:0f")).isEqualTo(0x0A0B0C0D0E0FL);
        assertThat(Addresses.ipv6Hi("2001:db8::1")).isEqualTo(0x20010DB800000000L);
        assertThat(Addresses.ipv6Lo("2001:db8::1")).isEqualTo(1L);
        assertThat(Addresses.ipv6("::ffff:192.0.2.1")).hasSize(16).endsWith((byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2, 1);
    }
}
