package io.jlvs.xmit;

import io.jlvs.packet.Flow;
import io.jlvs.packet.PacketParser;
import io.jlvs.packet.VirtioNet;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.Gso;
import io.jlvs.testkit.PacketBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.jlvs.xmit.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Segmenter} over random super-frames (TCP or UDP, IPv4 or IPv6, tags, IPv4 options, TCP options, any
 * flags, sequence numbers and IDs that wrap, payload and segment sizes, the super-frame's checksum partial,
 * complete or garbage): the segments' payloads, end to end, are the super-frame's; every segment's checksums
 * verify; and every segment is, octet for octet, the one the independent oracle ({@link Gso#segment}, the
 * kernel's rules) cuts.
 */
class SegmenterProperties {

    record SuperFrame(boolean v6, boolean tcp, int tags, boolean ipOptions, boolean tcpOptions, int flags, long seq,
                      int id, int gsoSize, byte[] payload, int checksumState, int headroom) {
        byte[] build() {
            PacketBuilder b = fromClient();
            if (tags > 1) b.serviceVlan(100);
            if (tags > 0) b.vlan(10);
            if (v6) b.ipv6(CLIENT6, VIP6).hopLimit(64);
            else {
                b.ipv4(CLIENT, VIP).ttl(64).id(id);
                if (ipOptions) b.ipOptions((byte) 0x94, (byte) 4, (byte) 0, (byte) 0);
            }
            if (tcp) {
                b.tcp(40000, 80).flags(flags).seq(seq).ackSeq(7);
                if (tcpOptions) b.timestamps(1, 2);
            } else {
                b.udp(40000, 53);
            }
            if (checksumState == 0) b.partialChecksum();
            if (checksumState == 2) b.badChecksum();
            return b.payload(payload).build();
        }
    }

    @Provide
    Arbitrary<SuperFrame> superFrames() {
        Arbitrary<Integer> gso = Arbitraries.integers().between(1, 2000);
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(false, true), Arbitraries.integers().between(0, 2),
                        Arbitraries.of(false, true), Arbitraries.of(false, true), Arbitraries.integers().between(0, 255),
                        Arbitraries.longs().between(0, 0xFFFF_FFFFL), Arbitraries.integers().between(0, 0xFFFF))
                .flatAs((v6, tcp, tags, ipo, tcpo, flags, seq, id) -> Combinators.combine(gso, Arbitraries.integers().between(1, 40),
                                Arbitraries.integers().between(0, 1999), Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 96),
                                Arbitraries.longs())
                        .as((g, n, extra, state, room, fill) -> {
                            int len = Math.min(g * n + extra % g + 1, 16_000);
                            if (len <= g) len = g + 1;
                            byte[] p = new byte[len];
                            new java.util.Random(fill).nextBytes(p);
                            return new SuperFrame(v6, tcp, tags, ipo, tcpo, flags, seq, id, g, p, state, room);
                        }));
    }

    @Property(tries = 300)
    void segmentsAreTheSuperFrameCutAsTheKernelCutsIt(@ForAll("superFrames") SuperFrame s) {
        byte[] in = s.build();
        MemorySegment buf = MemorySegment.ofArray(new byte[s.headroom() + in.length + 16]);
        MemorySegment.copy(in, 0, buf, ValueLayout.JAVA_BYTE, s.headroom(), in.length);
        Frame f = new Frame().wrap(buf, 0, buf.byteSize(), s.headroom(), in.length);
        int type = !s.tcp() ? VirtioNet.VIRTIO_NET_HDR_GSO_UDP_L4
                : s.v6() ? VirtioNet.VIRTIO_NET_HDR_GSO_TCPV6 : VirtioNet.VIRTIO_NET_HDR_GSO_TCPV4;
        f.vnetHeader(s.checksumState() == 0 ? VirtioNet.VIRTIO_NET_HDR_F_NEEDS_CSUM : 0, type, 0, s.gsoSize(),
                (int) (Gso.layout(in).l4()), s.tcp() ? 16 : 6);
        assertThat(f.parse(new PacketParser(), new Flow())).isEqualTo(PacketParser.OK);
        assertThat(f.gso()).isTrue();
        int segLimit = f.gsoSegmentLength();

        List<byte[]> out = new ArrayList<>();
        List<String> facts = new ArrayList<>();
        int v = new Segmenter().send(f, (piece, port) -> {
            byte[] b = piece.segment().asSlice(piece.start(), piece.length()).toArray(ValueLayout.JAVA_BYTE);
            out.add(b);
            if (piece.gso() || piece.checksumPartial() || piece.l3Length() > segLimit || piece.l3End() != piece.end()) {
                facts.add("segment " + out.size() + ": gso " + piece.gso() + ", partial " + piece.checksumPartial()
                        + ", l3 length " + piece.l3Length());
            }
            return Verdict.TX;
        }, null);
        assertThat(v).isEqualTo(Verdict.TX);
        assertThat(facts).isEmpty();

        int head = Gso.layout(in).headers();
        assertThat(out).hasSize((s.payload().length + s.gsoSize() - 1) / s.gsoSize());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] seg : out) {
            assertThat(Checksum.verify(seg)).isEmpty();
            joined.write(seg, head, seg.length - head);
        }
        assertThat(joined.toByteArray()).isEqualTo(s.payload());
        List<byte[]> oracle = Gso.segment(in, s.gsoSize());
        assertThat(out).hasSameSizeAs(oracle);
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i)).as("segment %d of %d: %s", i, out.size(), firstDifference(oracle.get(i), out.get(i)))
                    .isEqualTo(oracle.get(i));
        }
    }

    private static String firstDifference(byte[] e, byte[] a) {
        int at = Arrays.mismatch(e, a);
        return at < 0 ? "same" : "differs at octet " + at;
    }
}
