package io.jlvs.xmit;

import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;
import io.jlvs.packet.PacketParser;
import io.jlvs.packet.VirtioNet;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.jlvs.packet.VirtioNet.*;
import static io.jlvs.xmit.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The offload facts of a frame: what {@link Frame#vnetHeader} records, what {@link Frame#parse} checks and
 * normalises against the packet, and that the receive path never refuses a partial or vouched-for checksum.
 */
class FrameOffloadTest {
    private static final int HEADROOM = 32;
    private static final byte[] BIG = bytes(3000);

    private static Frame wrap(byte[] bytes) {
        MemorySegment seg = MemorySegment.ofArray(new byte[HEADROOM + bytes.length + 64]);
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, HEADROOM, bytes.length);
        return new Frame().wrap(seg, 0, seg.byteSize(), HEADROOM, bytes.length);
    }

    private static int parse(Frame f) { return f.parse(new PacketParser(), new Flow()); }

    private static PacketBuilder tcp4(int payload) {
        return fromClient().ipv4(CLIENT, VIP).ttl(64).df().tcp(40000, 80).ack().partialChecksum().payload(bytes(payload));
    }

    @Test
    void theHeaderIsRecordedAsTheKernelWroteIt() {
        Frame f = wrap(tcp4(3000).build()).vnetHeader(VIRTIO_NET_HDR_F_NEEDS_CSUM,
                VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN, 54, 1448, 34, 16);
        assertThat(f.csumStart).as("absolute: frame start + csum_start").isEqualTo(HEADROOM + 34);
        assertThat(f.csumOffset).isEqualTo(16);
        assertThat(f.gsoType).as("ECN bit dropped: CWR says it").isEqualTo(VIRTIO_NET_HDR_GSO_TCPV4);
        assertThat(f.gsoSize).isEqualTo(1448);
        assertThat(f.checksumValid).isFalse();
        assertThat(parse(f)).isEqualTo(PacketParser.OK);
        assertThat(f.gso()).isTrue();
        assertThat(f.checksumPartial()).isTrue();
        assertThat(f.l4HeaderLength()).isEqualTo(20);
        assertThat(f.gsoSegmentLength()).isEqualTo(20 + 20 + 1448);

        Frame v = wrap(fromClient().ipv4(CLIENT, VIP).tcp(1, 80).build()).vnetHeader(VIRTIO_NET_HDR_F_DATA_VALID, 0, 0, 99, 0, 0);
        assertThat(v.checksumValid).isTrue();
        assertThat(v.checksumPartial()).isFalse();
        assertThat(v.gsoSize).as("no GSO type, no size").isZero();
    }

    @Test
    void wrapClearsEveryOffloadFact() {
        Frame f = wrap(tcp4(3000).build()).vnetHeader(VIRTIO_NET_HDR_F_NEEDS_CSUM | VIRTIO_NET_HDR_F_DATA_VALID,
                VIRTIO_NET_HDR_GSO_TCPV4, 54, 1448, 34, 16).txOffload(true);
        f.wrap(f.segment());
        assertThat(f.gso()).isFalse();
        assertThat(f.gsoSize).isZero();
        assertThat(f.checksumPartial()).isFalse();
        assertThat(f.checksumValid).isFalse();
        assertThat(f.txOffload).isFalse();
    }

    @Test
    void aHeaderThatDoesNotFitThePacketIsADrop() {
        int bad = DropReason.BAD_OFFLOAD.code();
        byte[] v4 = tcp4(3000).build();
        byte[] v6 = fromClient().ipv6(CLIENT6, VIP6).tcp(40000, 80).ack().partialChecksum().payload(BIG).build();
        byte[] udp = fromClient().ipv4(CLIENT, VIP).udp(40000, 53).partialChecksum().payload(BIG).build();
        assertThat(parse(wrap(v4).vnetHeader(1, VIRTIO_NET_HDR_GSO_TCPV6, 0, 1448, 34, 16))).as("TCPV6 on IPv4").isEqualTo(bad);
        assertThat(parse(wrap(v6).vnetHeader(1, VIRTIO_NET_HDR_GSO_TCPV4, 0, 1448, 54, 16))).as("TCPV4 on IPv6").isEqualTo(bad);
        assertThat(parse(wrap(v4).vnetHeader(1, VIRTIO_NET_HDR_GSO_UDP_L4, 0, 1448, 34, 16))).as("UDP_L4 on TCP").isEqualTo(bad);
        assertThat(parse(wrap(udp).vnetHeader(1, VIRTIO_NET_HDR_GSO_TCPV4, 0, 1448, 34, 6))).as("TCPV4 on UDP").isEqualTo(bad);
        assertThat(parse(wrap(udp).vnetHeader(1, VIRTIO_NET_HDR_GSO_UDP, 0, 1448, 34, 6))).as("UFO").isEqualTo(bad);
        assertThat(parse(wrap(v4).vnetHeader(1, VIRTIO_NET_HDR_GSO_TCPV4, 0, 0, 34, 16))).as("gso_size 0").isEqualTo(bad);
        assertThat(parse(wrap(v4).vnetHeader(1, 0, 0, 0, 10, 16))).as("checksum before the IP header").isEqualTo(bad);
        assertThat(parse(wrap(v4).vnetHeader(1, 0, 0, 0, v4.length - 10, 16))).as("field past the datagram").isEqualTo(bad);
        byte[] frag = fromClient().ipv4(CLIENT, VIP).fragment(0, true).tcp(40000, 80).payload(BIG).build();
        assertThat(parse(wrap(frag).vnetHeader(0, VIRTIO_NET_HDR_GSO_TCPV4, 0, 1448, 0, 0))).as("a fragment").isEqualTo(bad);
        assertThat(parse(wrap(udp).vnetHeader(1, VIRTIO_NET_HDR_GSO_UDP_L4, 0, 1000, 34, 6))).isEqualTo(PacketParser.OK);
    }

    @Test
    void aSuperFrameOfOneSegmentIsNotOne() {
        Frame f = wrap(tcp4(1448).build()).vnetHeader(1, VIRTIO_NET_HDR_GSO_TCPV4, 0, 1448, 34, 16);
        assertThat(parse(f)).isEqualTo(PacketParser.OK);
        assertThat(f.gso()).isFalse();
        assertThat(f.gsoSize).isZero();
        assertThat(f.checksumPartial()).isTrue();
    }

    @Test
    void aPartialChecksumNotThePacketsOwnIsCompletedOnArrival() {
        // an IPIP packet whose inner TCP checksum is partial: the outer packet has no L4 checksum of its own
        byte[] inner = PacketBuilder.eth(GW_MAC, DIRECTOR_MAC).ipv4(CLIENT, "192.0.2.99").tcp(1, 2).ack().partialChecksum()
                .payload(bytes(100)).buildL3();
        byte[] in = fromClient().ipv4(CLIENT, VIP).ttl(64).ipip(inner).build();
        Frame f = wrap(in).vnetHeader(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 14 + 20 + 20, 16);
        assertThat(parse(f)).isEqualTo(PacketParser.OK);
        assertThat(f.checksumPartial()).isFalse();
        byte[] now = f.segment().asSlice(f.start(), f.length()).toArray(ValueLayout.JAVA_BYTE);
        assertThat(Checksum.verify(now)).as("the inner TCP checksum verifies").isEmpty();
    }

    @Test
    void sctpsPartialChecksumIsItsCrc32c() {
        byte[] in = fromClient().ipv4(CLIENT, VIP).sctp(1, 80, 9).chunk(0, 0, new byte[8]).build();
        Frame f = wrap(in).vnetHeader(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 34, 8);
        assertThat(parse(f)).isEqualTo(PacketParser.OK);
        assertThat(f.checksumPartial()).isTrue();
        assertThat(f.csumCrc32c).isTrue();
    }

    @Test
    void partialAndVouchedForChecksumsAreNeverRefused() {
        PacketParser strict = new PacketParser().verifyL4Checksums(true);
        byte[] partial = tcp4(100).build();
        assertThat(wrap(partial).parse(strict, new Flow())).as("partial, without its header: not a checksum")
                .isEqualTo(DropReason.BAD_TCP_CHECKSUM.code());
        assertThat(wrap(partial).vnetHeader(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 34, 16).parse(strict, new Flow()))
                .isEqualTo(PacketParser.OK);
        byte[] broken = fromClient().ipv4(CLIENT, VIP).udp(1, 53).payload(bytes(10)).badChecksum().build();
        assertThat(wrap(broken).parse(strict, new Flow())).isEqualTo(DropReason.BAD_UDP_CHECKSUM.code());
        assertThat(wrap(broken).vnetHeader(VirtioNet.VIRTIO_NET_HDR_F_DATA_VALID, 0, 0, 0, 0, 0).parse(strict, new Flow()))
                .as("DATA_VALID: the kernel verified it").isEqualTo(PacketParser.OK);
    }

    @Test
    void aVerifiedSuperFrameLeavingWithOffloadsGetsThePseudoHeaderSum() {
        XmitEnv env = new XmitEnv();
        byte[] in = fromClient().ipv4(CLIENT, VIP).ttl(64).df().tcp(40000, 80).ack().payload(bytes(3000)).build();
        Frame f = wrap(in).vnetHeader(VIRTIO_NET_HDR_F_DATA_VALID, VIRTIO_NET_HDR_GSO_TCPV4, 0, 1000, 0, 0).txOffload(true);
        assertThat(parse(f)).isEqualTo(PacketParser.OK);
        assertThat(env.nat().transmit(f, tcp(CLIENT, VIP, RS1), env.tx)).isEqualTo(Verdict.TX);
        assertThat(env.tx.offloads.getFirst()).containsExactly(VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, 54, 1000, 34, 16);
        assertThat(io.jlvs.testkit.Gso.verify(env.tx.frames.getFirst(), env.tx.offloads.getFirst())).isEmpty();
    }

    @Test
    void aPortWithoutTheHeaderRefusesOffloads() {
        TxPort plain = (ifIndex, seg, off, len) -> true;
        assertThat(plain.sendOffload(1, MemorySegment.ofArray(new byte[60]), 0, 60, 1, 0, 54, 0, 34, 16)).isFalse();
    }
}
