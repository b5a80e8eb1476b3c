package io.jlvs.decap;

import io.jlvs.testkit.PacketBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static io.jlvs.decap.DecapsulatorVectors.be32;
import static io.jlvs.decap.DecapsulatorVectors.eth;
import static io.jlvs.decap.DecapsulatorVectors.gre;
import static io.jlvs.decap.DecapsulatorVectors.gue;
import static io.jlvs.decap.DecapsulatorVectors.outer4;
import static io.jlvs.testkit.PacketBuilder.concat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any octets, from any socket, give a verdict and never an exception or a read outside the packet; any inner
 * packet, in any encapsulation the decapsulator knows, comes out unchanged; any one octet changed in a good
 * packet still gives a verdict.
 */
class DecapsulatorProperties {
    static final int[] SOURCES = {Decapsulator.IPV4_RAW, Decapsulator.IPV6_RAW_IPIP, Decapsulator.IPV6_RAW_IPV6,
            Decapsulator.IPV6_RAW_GRE, Decapsulator.GUE};

    @Property(tries = 2000)
    void randomOctetsNeverThrow(@ForAll @Size(max = 200) byte[] bytes, @ForAll @IntRange(max = 4) int source) {
        verdictWithinBounds(SOURCES[source], bytes);
    }

    @Property(tries = 2000)
    void randomOctetsAfterAPlausibleStartNeverThrow(@ForAll("starts") byte[] start, @ForAll @Size(max = 120) byte[] rest,
                                                    @ForAll @IntRange(max = 4) int source) {
        verdictWithinBounds(SOURCES[source], concat(start, rest));
    }

    @Property(tries = 500)
    void anyInnerPacketInAnyEncapsulationComesOutUnchanged(@ForAll("inners") byte[] inner, @ForAll @IntRange(max = 9) int encap,
                                                           @ForAll @IntRange(max = 3) int extraWords) {
        boolean v6 = inner[0] >>> 4 == 6;
        int type = v6 ? 0x86DD : 0x0800;
        byte[] words = new byte[4 * extraWords];
        Arrays.fill(words, (byte) 0xA5);
        record In(int source, byte[] bytes) {}
        In in = switch (encap) {
            case 0 -> new In(Decapsulator.IPV4_RAW, outer4(v6 ? 41 : 4, inner));
            case 1 -> new In(v6 ? Decapsulator.IPV6_RAW_IPV6 : Decapsulator.IPV6_RAW_IPIP, inner);
            case 2 -> new In(Decapsulator.IPV4_RAW, outer4(47, gre(0, type, inner)));
            case 3 -> new In(Decapsulator.IPV4_RAW, outer4(47, gre(Gre.FLAG_CSUM | Gre.FLAG_KEY | Gre.FLAG_SEQ, type, inner)));
            case 4 -> new In(Decapsulator.IPV6_RAW_GRE, gre(Gre.FLAG_CSUM, type, inner));
            case 5 -> new In(Decapsulator.IPV6_RAW_GRE, gre(Gre.FLAG_KEY, type, inner));
            case 6 -> new In(Decapsulator.GUE, concat(gue(extraWords, v6 ? 41 : 4, 0), words, inner));
            case 7 -> new In(Decapsulator.GUE, concat(gue(1 + extraWords, v6 ? 41 : 4, Gue.FLAG_PRIV), be32(0), words, inner));
            case 8 -> new In(Decapsulator.GUE, inner);
            default -> new In(Decapsulator.IPV4_RAW, concat(outer4(v6 ? 41 : 4, inner), words));
        };
        Decapsulator d = new Decapsulator();
        MemorySegment seg = MemorySegment.ofArray(in.bytes.clone());
        assertThat(d.decap(in.source, seg, 0, in.bytes.length)).isEqualTo(Decapsulator.DELIVER);
        assertThat(seg.asSlice(d.innerOffset(), d.innerLength()).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(inner);
    }

    @Property(tries = 1000)
    void anyOctetChangedInAGoodPacketGivesAVerdict(@ForAll("inners") byte[] inner, @ForAll @IntRange(max = 4) int source,
                                                   @ForAll @IntRange(max = 10_000) int where, @ForAll byte value) {
        boolean v6 = inner[0] >>> 4 == 6;
        byte[] bytes = switch (SOURCES[source]) {
            case Decapsulator.IPV4_RAW -> outer4(47, gre(Gre.FLAG_CSUM, v6 ? 0x86DD : 0x0800, inner));
            case Decapsulator.IPV6_RAW_GRE -> gre(Gre.FLAG_KEY, v6 ? 0x86DD : 0x0800, inner);
            case Decapsulator.GUE -> concat(PacketBuilder.gueRemcsumHeader(v6 ? 41 : 4, v6 ? 40 : 20, v6 ? 56 : 36), inner);
            default -> inner;
        };
        bytes[where % bytes.length] = value;
        verdictWithinBounds(SOURCES[source], bytes);
    }

    static void verdictWithinBounds(int source, byte[] bytes) {
        byte[] buf = new byte[bytes.length + 16];
        System.arraycopy(bytes, 0, buf, 8, bytes.length);
        // a segment of exactly the packet: a read past it would throw
        MemorySegment seg = MemorySegment.ofArray(buf).asSlice(8, bytes.length);
        Decapsulator d = new Decapsulator();
        int r = d.decap(source, seg, 0, bytes.length);
        assertThat(r == Decapsulator.DELIVER || DecapDrop.of(r) != null).as("verdict %d", r).isTrue();
        if (r == Decapsulator.DELIVER) {
            assertThat(d.innerOffset()).isBetween(0L, (long) bytes.length);
            assertThat(d.innerOffset() + d.innerLength()).isLessThanOrEqualTo(bytes.length);
            int version = seg.get(ValueLayout.JAVA_BYTE, d.innerOffset()) >>> 4 & 0x0F;
            assertThat(version).isIn(4, 6);
            assertThat(d.innerLength()).isGreaterThanOrEqualTo(version == 4 ? 20 : 40);
        }
    }

    @Provide
    Arbitrary<byte[]> starts() {
        return Arbitraries.of(new byte[] {0x45}, new byte[] {0x60}, new byte[] {0, 4, 0, 0}, new byte[] {0, 41, 0, 1},
                new byte[] {2, 4, 0, 1, (byte) 0x80, 0, 0, 0}, new byte[] {(byte) 0x80, 0, 0x08, 0},
                new byte[] {0x30, 0, (byte) 0x86, (byte) 0xDD}, new byte[] {0x45, 0, 0, 40, 0, 0, 0, 0, 64, 4});
    }

    @Provide
    Arbitrary<byte[]> inners() {
        Arbitrary<Integer> octet = Arbitraries.integers().between(1, 254);
        Arbitrary<Integer> port = Arbitraries.integers().between(1, 65535);
        Arbitrary<Integer> size = Arbitraries.integers().between(0, 300);
        return net.jqwik.api.Combinators.combine(octet, octet, port, size, Arbitraries.integers().between(0, 3))
                .as((a, b, p, n, kind) -> {
                    byte[] payload = new byte[n];
                    for (int i = 0; i < n; i++) payload[i] = (byte) (i * 31 + a);
                    return switch (kind) {
                        case 0 -> eth().ipv4("198.51.100." + a, "203.0.113." + b).ttl(a).tcp(p, 80).ack().payload(payload).buildL3();
                        case 1 -> eth().ipv4("198.51.100." + a, "203.0.113." + b).id(p).udp(p, 53).payload(payload).buildL3();
                        case 2 -> eth().ipv6("2001:db8::" + Integer.toHexString(a), "2001:db8:1::" + Integer.toHexString(b))
                                .tcp(p, 443).syn().payload(payload).buildL3();
                        default -> eth().ipv6("2001:db8::" + Integer.toHexString(a), "2001:db8:1::" + Integer.toHexString(b))
                                .udp(p, 53).payload(payload).buildL3();
                    };
                });
    }
}
