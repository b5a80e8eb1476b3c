package io.jlvs.testkit;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ChecksumTest {
    private static PacketBuilder v4() { return PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("198.51.100.7", "192.0.2.10"); }

    private static PacketBuilder v6() { return PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv6("2001:db8::7", "2001:db8::a"); }

    @Test
    void rfc1071Example() {
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(Checksum.sum(b, 0, 8, 0)).isEqualTo(0xddf2);
        assertThat(Checksum.internet(b, 0, 8)).isEqualTo(0x220d);
    }

    @Test
    void goodFramesOfEveryKindVerify() {
        for (PacketBuilder b : new PacketBuilder[] {v4().tcp(1, 2).payload("odd"), v4().udp(1, 2).payload("x"),
                v4().sctp(1, 2, 3).init(1, 2, 3, 4, 5), v4().icmpEcho(1, 2), v4().ipOptions(new byte[4]).udp(1, 2),
                v6().tcp(1, 2), v6().udp(1, 2), v6().hopByHop().routing(0, 0).icmpv6Echo(1, 2), v6().sctp(1, 2, 3).chunk(6, 0),
                v4().fragment(8, true).protocol(6).payload(new byte[16])}) {
            assertThat(Checksum.verify(b.build())).as(b.toString()).isEmpty();
        }
    }

    @Test
    void everyBrokenChecksumIsReported() {
        assertThat(Checksum.verify(v4().udp(1, 2).payload("x").badChecksum().build())).singleElement().asString().startsWith("UDP");
        assertThat(Checksum.verify(v4().sctp(1, 2, 3).init(1, 2, 3, 4, 5).badChecksum().build())).singleElement().asString().startsWith("SCTP");
        assertThat(Checksum.verify(v4().icmpEcho(1, 2).badChecksum().build())).singleElement().asString().startsWith("ICMP");
        assertThat(Checksum.verify(v6().icmpv6Echo(1, 2).badChecksum().build())).singleElement().asString().startsWith("ICMPv6");
        assertThat(Checksum.verify(v6().destOptions().tcp(1, 2).badChecksum().build())).singleElement().asString().startsWith("TCP");
        assertThat(Checksum.verify(v6().udp(1, 2).noChecksum().build())).singleElement().asString().contains("0 over IPv6");
    }

    @Test
    void aRewrittenAddressWithoutAChecksumFixIsCaught() {
        byte[] f = v4().tcp(40000, 80).syn().build();
        f[14 + 19] = 11;                                     // DNAT to another address, checksums not touched
        assertThat(Checksum.verify(f)).hasSize(2);
    }

    @Test
    void framesItCannotFollowAreProblemsToo() {
        assertThat(Checksum.verify(new byte[10])).hasSize(1);
        assertThat(Checksum.verify(Arrays.copyOf(v4().tcp(1, 2).build(), 30))).hasSize(1);
        assertThat(Checksum.verify(PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").etherType(0x88CC).build())).hasSize(1);
    }

    @Test
    void tunnelsAreFollowedInside() {
        byte[] inner = v4().tcp(1, 2).payload("in").buildL3();
        byte[] badInner = v4().tcp(1, 2).payload("in").badChecksum().buildL3();
        assertThat(Checksum.verify(outer4().ipip(inner).build())).isEmpty();
        assertThat(Checksum.verify(outer4().ipip(badInner).build())).singleElement().asString().startsWith("inner(1) TCP");
        assertThat(Checksum.verify(outer6().ipip(inner).build())).isEmpty();
        assertThat(Checksum.verify(outer6().ip6ip(v6().udp(1, 2).buildL3()).build())).isEmpty();
        assertThat(Checksum.verify(outer4().ip6ip(v6().udp(1, 2).badChecksum().buildL3()).build())).hasSize(1);
        assertThat(Checksum.verify(outer4().gre(PacketBuilder.ETH_P_IP).greChecksum().payload(inner).build())).isEmpty();
        assertThat(Checksum.verify(outer4().gre(PacketBuilder.ETH_P_IP).payload(badInner).build())).hasSize(1);
        assertThat(Checksum.verify(outer4().gre(PacketBuilder.ETH_P_IP).greChecksum().badChecksum().payload(inner).build()))
                .singleElement().asString().startsWith("GRE");
        byte[] gue = PacketBuilder.concat(PacketBuilder.gueHeader(4), badInner);
        assertThat(Checksum.verify(outer4().udp(40000, 6080).payload(gue).build())).isEmpty();   // not told it is GUE
        assertThat(Checksum.verify(outer4().udp(40000, 6080).payload(gue).build(), 6080)).singleElement().asString().startsWith("inner(1) TCP");
        assertThat(Checksum.verify(outer6().udp(40000, 6080).noChecksum().payload(PacketBuilder.concat(PacketBuilder.gueHeader(4), inner)).build(), 6080))
                .as("zero UDP checksum over IPv6 is allowed for GUE").isEmpty();
    }

    @Test
    void remoteChecksumOffloadIsCompletedBeforeVerifying() {
        byte[] partial = v4().tcp(1, 2).payload("in").partialChecksum().buildL3();
        byte[] gue = PacketBuilder.concat(PacketBuilder.gueRemcsumHeader(4, 20, 36), partial);
        assertThat(Checksum.verify(outer4().udp(40000, 6080).payload(gue).build(), 6080)).isEmpty();
        byte[] plain = PacketBuilder.concat(PacketBuilder.gueHeader(4), partial);
        assertThat(Checksum.verify(outer4().udp(40000, 6080).payload(plain).build(), 6080)).hasSize(1);
    }

    @Test
    void anIcmpErrorsQuotedHeaderIsChecked() {
        byte[] quoted = v4().tcp(1, 2).buildL3();
        assertThat(Checksum.verify(outer4().icmpFragNeeded(1400, quoted).build())).isEmpty();
        quoted[14 + 10 - 14 + 1] ^= 1;                      // the quoted header's checksum
        assertThat(Checksum.verify(outer4().icmpFragNeeded(1400, quoted).build())).singleElement().asString().startsWith("quoted IPv4");
    }

    private static PacketBuilder outer4() { return PacketBuilder.eth("02:00:00:00:00:02", "02:00:00:00:00:03").ipv4("192.0.2.1", "203.0.113.11"); }

    private static PacketBuilder outer6() { return PacketBuilder.eth("02:00:00:00:00:02", "02:00:00:00:00:03").ipv6("2001:db8::1", "2001:db8:1::b"); }
}
