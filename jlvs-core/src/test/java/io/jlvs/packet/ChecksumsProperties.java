package io.jlvs.packet;

import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-pass sum against the byte-loop oracle, and every incremental update against a full recompute: a
 * random packet, a random field edited in place the way a NAT rewrite does it, then the stored checksums must
 * equal the ones computed from scratch, and the testkit oracle must find nothing wrong.
 */
class ChecksumsProperties {
    private static final int ETH = 14;

    enum Edit { TTL, TOS, ID, SRC_ADDR, DST_ADDR, SRC_PORT, DST_PORT, TCP_SEQ }

    @Property
    void sumMatchesTheByteLoopOracle(@ForAll @Size(max = 300) byte[] data, @ForAll @IntRange(max = 300) int offSeed,
                                     @ForAll @IntRange(max = 300) int lenSeed, @ForAll @IntRange(max = 0xFFFF) int initial) {
        int off = offSeed % (data.length + 1);
        int len = lenSeed % (data.length - off + 1);
        assertThat(Checksums.sum(MemorySegment.ofArray(data), off, len, initial))
                .isEqualTo(Checksum.sum(data, off, len, initial));
    }

    @Property
    void ipv4IncrementalEqualsFullRecompute(@ForAll("protocols") int protocol, @ForAll Edit edit,
                                            @ForAll int src, @ForAll int dst, @ForAll("ports") int sport,
                                            @ForAll("ports") int dport, @ForAll @IntRange(min = 1, max = 255) int ttl,
                                            @ForAll @IntRange(max = 0xFFFF) int id, @ForAll @Size(max = 40) byte[] payload,
                                            @ForAll int newValue) {
        Assume.that(protocol == 6 || edit != Edit.TCP_SEQ);
        PacketBuilder b = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02")
                .ipv4(dotted(src), dotted(dst)).ttl(ttl).id(id);
        b = protocol == 6 ? b.tcp(sport, dport).ack().seq(7) : b.udp(sport, dport);
        byte[] f = b.payload(payload).build();
        MemorySegment s = MemorySegment.ofArray(f);
        Ipv4View ip = new Ipv4View().wrap(s, ETH);
        long l4 = ETH + 20;
        int l4Length = f.length - (int) l4;
        long csumAt = l4 + (protocol == 6 ? TcpView.CHECKSUM : UdpView.CHECKSUM);
        int ipCsum = ip.checksum();
        int l4Csum = u16(s, csumAt);

        switch (edit) {
            case TTL -> {
                int v = newValue & 0xFF;
                ipCsum = Checksums.update16(ipCsum, ip.ttl() << 8 | protocol, v << 8 | protocol);
                ip.ttl(v);
            }
            case TOS -> {
                int v = newValue & 0xFF;
                ipCsum = Checksums.update16(ipCsum, 4 << 12 | 5 << 8 | ip.tos(), 4 << 12 | 5 << 8 | v);
                ip.tos(v);
            }
            case ID -> {
                int v = newValue & 0xFFFF;
                ipCsum = Checksums.update16(ipCsum, ip.id(), v);
                ip.id(v);
            }
            case SRC_ADDR -> {
                ipCsum = Checksums.update32(ipCsum, ip.src(), newValue);
                l4Csum = l4Update32(protocol, l4Csum, ip.src(), newValue);
                ip.src(newValue);
            }
            case DST_ADDR -> {
                ipCsum = Checksums.update32(ipCsum, ip.dst(), newValue);
                l4Csum = l4Update32(protocol, l4Csum, ip.dst(), newValue);
                ip.dst(newValue);
            }
            case SRC_PORT, DST_PORT -> {
                long at = l4 + (edit == Edit.SRC_PORT ? 0 : 2);
                int v = newValue & 0xFFFF;
                l4Csum = protocol == 6 ? Checksums.update16(l4Csum, u16(s, at), v) : Checksums.updateUdp16(l4Csum, u16(s, at), v);
                NetworkOrder.u16(s, at, v);
            }
            case TCP_SEQ -> {
                TcpView tcp = new TcpView().wrap(s, l4);
                l4Csum = Checksums.update32(l4Csum, tcp.seq(), newValue);
                tcp.seq(newValue);
            }
        }
        ip.checksum(ipCsum);
        NetworkOrder.u16(s, csumAt, l4Csum);

        // full recompute with the fields zeroed
        ip.checksum(0);
        assertThat(ipCsum).isEqualTo(Checksums.internet(s, ETH, 20));
        ip.checksum(ipCsum);
        NetworkOrder.u16(s, csumAt, 0);
        int full = Checksums.transport4(s, l4, l4Length, ip.src(), ip.dst(), protocol);
        assertThat(l4Csum).isEqualTo(protocol == 6 ? full : Checksums.udpWire(full));
        NetworkOrder.u16(s, csumAt, l4Csum);
        assertThat(Checksum.verify(f)).isEmpty();
    }

    @Property
    void ipv6IncrementalEqualsFullRecompute(@ForAll("protocols6") int protocol, @ForAll long hi, @ForAll long lo,
                                            @ForAll boolean editSource, @ForAll("ports") int port,
                                            @ForAll @Size(max = 40) byte[] payload) {
        PacketBuilder b = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv6("2001:db8::7", "2001:db8:1::a");
        b = switch (protocol) {
            case 6 -> b.tcp(40000, 80).syn();
            case 17 -> b.udp(40000, 53);
            default -> b.icmpv6Echo(1, 2);
        };
        byte[] f = b.payload(payload).build();
        MemorySegment s = MemorySegment.ofArray(f);
        Ipv6View ip = new Ipv6View().wrap(s, ETH);
        long l4 = ETH + 40;
        long csumAt = l4 + (protocol == 6 ? TcpView.CHECKSUM : protocol == 17 ? UdpView.CHECKSUM : Icmpv6View.CHECKSUM);
        int csum = u16(s, csumAt);
        if (editSource) {
            csum = protocol == 17 ? Checksums.updateUdp128(csum, ip.srcHi(), ip.srcLo(), hi, lo)
                    : Checksums.update128(csum, ip.srcHi(), ip.srcLo(), hi, lo);
            ip.src(hi, lo);
        } else {
            csum = protocol == 17 ? Checksums.updateUdp128(csum, ip.dstHi(), ip.dstLo(), hi, lo)
                    : Checksums.update128(csum, ip.dstHi(), ip.dstLo(), hi, lo);
            ip.dst(hi, lo);
        }
        if (protocol != 58) {                                 // and a port, as a NAT rewrite does both
            csum = protocol == 17 ? Checksums.updateUdp16(csum, u16(s, l4 + 2), port) : Checksums.update16(csum, u16(s, l4 + 2), port);
            NetworkOrder.u16(s, l4 + 2, port);
        }
        NetworkOrder.u16(s, csumAt, 0);
        int full = Checksums.transport6(s, l4, f.length - (int) l4, ip.srcHi(), ip.srcLo(), ip.dstHi(), ip.dstLo(), protocol);
        assertThat(csum).isEqualTo(protocol == 17 ? Checksums.udpWire(full) : full);
        NetworkOrder.u16(s, csumAt, csum);
        assertThat(Checksum.verify(f)).isEmpty();
    }

    @Property
    void udpWithoutChecksumStaysWithout(@ForAll int newDst) {
        byte[] f = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("198.51.100.7", "192.0.2.10")
                .udp(5353, 53).noChecksum().payload("q").build();
        MemorySegment s = MemorySegment.ofArray(f);
        UdpView udp = new UdpView().wrap(s, ETH + 20);
        assertThat(Checksums.updateUdp32(udp.checksum(), new Ipv4View().wrap(s, ETH).dst(), newDst)).isZero();
    }

    private static int l4Update32(int protocol, int csum, int oldValue, int newValue) {
        return protocol == 6 ? Checksums.update32(csum, oldValue, newValue) : Checksums.updateUdp32(csum, oldValue, newValue);
    }

    private static int u16(MemorySegment s, long at) { return NetworkOrder.u16(s, at); }

    static String dotted(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    @Provide
    Arbitrary<Integer> protocols() { return Arbitraries.of(6, 17); }

    @Provide
    Arbitrary<Integer> protocols6() { return Arbitraries.of(6, 17, 58); }

    @Provide
    Arbitrary<Integer> ports() { return Arbitraries.integers().between(0, 0xFFFF); }
}
