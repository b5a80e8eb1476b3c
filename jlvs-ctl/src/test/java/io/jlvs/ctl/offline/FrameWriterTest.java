package io.jlvs.ctl.offline;

import io.jlvs.ctl.offline.FrameWriter.Ends;
import io.jlvs.service.IpAddr;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.testkit.Vector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's frames are the test kit's frames, octet for octet, and every checksum verifies. */
class FrameWriterTest {
    static final String A = "02:00:00:00:00:fe", B = "02:00:00:00:00:01";
    static final long MAC_A = StaticNextHops.parseMac(A), MAC_B = StaticNextHops.parseMac(B);

    static Ends v4() { return new Ends(MAC_A, MAC_B, IpAddr.parse("203.0.113.7"), 40000, IpAddr.parse("198.51.100.10"), 80); }

    static Ends v6() { return new Ends(MAC_A, MAC_B, IpAddr.parse("2001:db8::7"), 40000, IpAddr.parse("2001:db8::a"), 443); }

    static void same(byte[] actual, PacketBuilder expected) {
        assertThat(Checksum.verify(actual)).isEmpty();
        assertThat(Vector.hex(actual)).isEqualTo(Vector.hex(expected.build()));
    }

    @Test
    void tcpOverIpv4AndIpv6() {
        same(FrameWriter.tcp(v4(), FrameWriter.SYN, 1000, 0, new byte[0]),
                PacketBuilder.eth(A, B).ipv4("203.0.113.7", "198.51.100.10").df().tcp(40000, 80).syn().seq(1000));
        same(FrameWriter.tcp(v6(), FrameWriter.RST | FrameWriter.ACK, 1001, 5001, "x".getBytes()),
                PacketBuilder.eth(A, B).ipv6("2001:db8::7", "2001:db8::a").tcp(40000, 443).rst().ack().seq(1001)
                        .ackSeq(5001).payload("x"));
    }

    @Test
    void udpOverIpv4AndIpv6() {
        same(FrameWriter.udp(v4(), "query".getBytes()),
                PacketBuilder.eth(A, B).ipv4("203.0.113.7", "198.51.100.10").df().udp(40000, 80).payload("query"));
        same(FrameWriter.udp(v6(), "q".getBytes()),
                PacketBuilder.eth(A, B).ipv6("2001:db8::7", "2001:db8::a").udp(40000, 443).payload("q"));
    }

    @Test
    void sctpInitAndChunks() {
        same(FrameWriter.sctp(v4(), 0, FrameWriter.sctpInitChunk(FrameWriter.CHUNK_INIT, 0x1234, 1)),
                PacketBuilder.eth(A, B).ipv4("203.0.113.7", "198.51.100.10").df().sctp(40000, 80, 0)
                        .init(0x1234, 65536, 10, 10, 1));
        same(FrameWriter.sctp(v6(), 77, FrameWriter.sctpChunk(FrameWriter.CHUNK_ABORT, 0, new byte[0])),
                PacketBuilder.eth(A, B).ipv6("2001:db8::7", "2001:db8::a").sctp(40000, 443, 77).chunk(6, 0));
    }

    @Test
    void macsParseAndPrint() {
        assertThat(StaticNextHops.formatMac(StaticNextHops.parseMac("02:00:00:00:01:1F"))).isEqualTo("02:00:00:00:01:1f");
        assertThat(StaticNextHops.parseMac("02-00-00-00-00-01")).isEqualTo(StaticNextHops.DEFAULT_DIRECTOR_MAC);
        for (String bad : new String[] {"02:00:00:00:00", "02:00:00:00:00:001", "02:00:00:00:00:zz", "", "1:2:3:4:5:6:7"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> StaticNextHops.parseMac(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad MAC address '" + bad + "'");
        }
    }

    @Test
    void staticNextHopsResolveEverything() {
        StaticNextHops h = new StaticNextHops().local(IpAddr.parse("192.0.2.10")).local(IpAddr.parse("2001:db8::a"))
                .neighbour(IpAddr.parse("203.0.113.11"), 0x0200_0000_0111L).mtu(9000);
        io.jlvs.xmit.Egress e = new io.jlvs.xmit.Egress();
        assertThat(h.resolve(2, 0, IpAddr.parse("192.0.2.10").lo(), 0, e)).isEqualTo(io.jlvs.xmit.NextHops.LOCAL);
        assertThat(h.resolve(2, 0, IpAddr.parse("203.0.113.11").lo(), 0, e)).isEqualTo(io.jlvs.xmit.NextHops.RESOLVED);
        assertThat(e.dstMac).isEqualTo(0x0200_0000_0111L);
        assertThat(e.srcMac).isEqualTo(StaticNextHops.DEFAULT_DIRECTOR_MAC);
        assertThat(e.mtu).isEqualTo(9000);
        assertThat(IpAddr.v4((int) e.srcLo)).isEqualTo(IpAddr.parse("192.0.2.10"));    // the first local of the family
        assertThat(h.resolve(2, 0, IpAddr.parse("198.51.100.7").lo(), 0, e)).isEqualTo(io.jlvs.xmit.NextHops.RESOLVED);
        assertThat(e.dstMac).isEqualTo(StaticNextHops.DEFAULT_GATEWAY_MAC);
        IpAddr v6 = IpAddr.parse("2001:db8::99");
        assertThat(h.resolve(10, v6.hi(), v6.lo(), 0, e)).isEqualTo(io.jlvs.xmit.NextHops.RESOLVED);
        assertThat(IpAddr.v6(e.srcHi, e.srcLo)).isEqualTo(IpAddr.parse("2001:db8::a"));
    }
}
