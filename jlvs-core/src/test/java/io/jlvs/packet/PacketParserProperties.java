package io.jlvs.packet;

import io.jlvs.testkit.PacketBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parser against the builder: every valid frame parses to what was built; and whatever the bytes (random,
 * truncated, corrupted, followed by garbage) it never throws, never reads past the length it is given, and its
 * offsets stay inside the frame.
 */
class PacketParserProperties {
    private static final int[] PROTOCOLS = {IpProto.IPPROTO_TCP, IpProto.IPPROTO_UDP, IpProto.IPPROTO_SCTP, -1};

    /** A frame and what it was built from. */
    record Sample(byte[] frame, boolean v6, int protocol, long srcHi, long srcLo, long dstHi, long dstLo,
                  int srcPort, int dstPort, int payloadLength) {
        @Override
        public String toString() { return (v6 ? "IPv6 " : "IPv4 ") + protocol + " " + PacketParserProperties.hex(frame); }
    }

    @Property
    void validFramesParseToWhatWasBuilt(@ForAll("frames") Sample s) {
        PacketParser parser = new PacketParser().verifyL4Checksums(true);
        Flow flow = new Flow();
        assertThat(parser.parse(MemorySegment.ofArray(s.frame()), s.frame().length, flow)).isEqualTo(PacketParser.OK);
        assertThat(flow.af).isEqualTo(s.v6() ? Flow.AF_INET6 : Flow.AF_INET);
        assertThat(flow.protocol).isEqualTo(s.protocol());
        assertThat(new long[] {flow.srcHi, flow.srcLo, flow.dstHi, flow.dstLo})
                .containsExactly(s.srcHi(), s.srcLo(), s.dstHi(), s.dstLo());
        assertThat(flow.srcPort).isEqualTo(s.srcPort());
        assertThat(flow.dstPort).isEqualTo(s.dstPort());
        assertThat(parser.payloadLength()).isEqualTo(s.payloadLength());
        assertThat(parser.payloadOffset() + parser.payloadLength()).isEqualTo(s.frame().length);
        assertThat(parser.l4HeaderPresent()).isTrue();
    }

    @Property
    void everyTruncationIsADrop(@ForAll("frames") Sample s, @ForAll @IntRange(max = 10_000) int cutSeed) {
        int cut = cutSeed % s.frame().length;
        PacketParser parser = new PacketParser();
        int r = parser.parse(MemorySegment.ofArray(Arrays.copyOf(s.frame(), cut)), cut, new Flow());
        assertThat(DropReason.of(r)).as("result %d for %d of %d octets", r, cut, s.frame().length).isNotNull();
    }

    @Property
    void corruptedFramesNeverThrowAndStayInBounds(@ForAll("frames") Sample s, @ForAll @Size(min = 1, max = 8) List<Integer> positions,
                                                  @ForAll byte value, @ForAll boolean verifyL4) {
        byte[] f = s.frame().clone();
        for (int p : positions) f[Math.floorMod(p, f.length)] ^= (byte) (value | 1);
        checkInvariants(f, f.length, verifyL4);
    }

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 160) byte[] f, @ForAll boolean verifyL4) {
        checkInvariants(f, f.length, verifyL4);
    }

    @Property
    void randomBytesBehindPlausibleHeadersNeverThrow(@ForAll("etherTypes") int etherType, @ForAll @IntRange(max = 2) int tags,
                                                     @ForAll @Size(max = 120) byte[] rest, @ForAll boolean verifyL4) {
        byte[] f = new byte[14 + 4 * tags + rest.length];
        for (int i = 0; i < tags; i++) {
            f[12 + 4 * i] = (byte) (i == 0 ? 0x88 : 0x81);
            f[13 + 4 * i] = (byte) (i == 0 ? 0xA8 : 0x00);
        }
        f[12 + 4 * tags] = (byte) (etherType >>> 8);
        f[13 + 4 * tags] = (byte) etherType;
        System.arraycopy(rest, 0, f, 14 + 4 * tags, rest.length);
        int l3 = 14 + 4 * tags;
        if (rest.length > 0 && etherType == IfEther.ETH_P_IP) f[l3] = (byte) (0x40 | (f[l3] & 0x0F));
        if (rest.length > 0 && etherType == IfEther.ETH_P_IPV6) f[l3] = (byte) (0x60 | (f[l3] & 0x0F));
        checkInvariants(f, f.length, verifyL4);
    }

    @Property
    void bytesPastTheLengthAreNeverRead(@ForAll("frames") Sample s, @ForAll @IntRange(max = 10_000) int cutSeed,
                                        @ForAll @Size(min = 1, max = 64) byte[] garbage) {
        int len = cutSeed % (s.frame().length + 1);
        byte[] exact = Arrays.copyOf(s.frame(), len);
        byte[] slot = new byte[len + garbage.length];
        System.arraycopy(exact, 0, slot, 0, len);
        System.arraycopy(garbage, 0, slot, len, garbage.length);
        PacketParser a = new PacketParser(), b = new PacketParser();
        Flow fa = new Flow(), fb = new Flow();
        int ra = a.parse(MemorySegment.ofArray(exact), len, fa);          // any read past len would throw here
        int rb = b.parse(MemorySegment.ofArray(slot), len, fb);
        assertThat(rb).isEqualTo(ra);
        assertThat(new long[] {fb.af, fb.protocol, fb.srcHi, fb.srcLo, fb.srcPort, fb.dstHi, fb.dstLo, fb.dstPort})
                .containsExactly(fa.af, fa.protocol, fa.srcHi, fa.srcLo, fa.srcPort, fa.dstHi, fa.dstLo, fa.dstPort);
    }

    @Property
    void aFrameAtAnOffsetParsesAsAtZeroWithOffsetsShifted(@ForAll("frames") Sample s, @ForAll @IntRange(max = 300) int headroom,
                                                         @ForAll @IntRange(max = 10_000) int cutSeed, @ForAll boolean verifyL4) {
        int len = cutSeed % (s.frame().length + 1);
        byte[] buffer = new byte[headroom + s.frame().length + 16];
        System.arraycopy(s.frame(), 0, buffer, headroom, s.frame().length);
        PacketParser a = new PacketParser().verifyL4Checksums(verifyL4), b = new PacketParser().verifyL4Checksums(verifyL4);
        Flow fa = new Flow(), fb = new Flow();
        int ra = a.parse(MemorySegment.ofArray(Arrays.copyOf(s.frame(), len)), len, fa);
        int rb = b.parse(MemorySegment.ofArray(buffer), headroom, len, fb);
        assertThat(rb).isEqualTo(ra);
        assertThat(new long[] {fb.af, fb.protocol, fb.srcHi, fb.srcLo, fb.srcPort, fb.dstHi, fb.dstLo, fb.dstPort})
                .containsExactly(fa.af, fa.protocol, fa.srcHi, fa.srcLo, fa.srcPort, fa.dstHi, fa.dstLo, fa.dstPort);
        if (ra == PacketParser.OK) {
            assertThat(new long[] {b.l3Offset(), b.l4Offset(), b.l3End(), b.payloadOffset()})
                    .containsExactly(a.l3Offset() + headroom, a.l4Offset() + headroom, a.l3End() + headroom, a.payloadOffset() + headroom);
            assertThat(b.payloadLength()).isEqualTo(a.payloadLength());
        }
    }

    @Property
    void anOffsetOutsideTheSegmentIsATruncatedFrame(@ForAll @IntRange(min = -5, max = 5) int past) {
        byte[] f = new byte[64];
        int offset = past < 0 ? past : f.length + past;
        assertThat(new PacketParser().parse(MemorySegment.ofArray(f), offset, 64, new Flow()))
                .isEqualTo(DropReason.TRUNCATED_ETHERNET.code());
    }

    /** Parses and checks the result is a known code and, when accepted, the offsets nest inside the frame. */
    private static void checkInvariants(byte[] f, long length, boolean verifyL4) {
        PacketParser parser = new PacketParser().verifyL4Checksums(verifyL4);
        int r = parser.parse(MemorySegment.ofArray(f), length, new Flow());
        assertThat(r == PacketParser.OK || r == PacketParser.ARP || DropReason.of(r) != null).as("result %d", r).isTrue();
        if (r == PacketParser.ARP) {
            assertThat(parser.l3End()).isLessThanOrEqualTo(length);
        } else if (r == PacketParser.OK) {
            assertThat(parser.l3Offset()).isGreaterThanOrEqualTo(14);
            assertThat(parser.l4Offset()).isGreaterThanOrEqualTo(parser.l3Offset());
            assertThat(parser.payloadOffset()).isGreaterThanOrEqualTo(parser.l4Offset());
            assertThat(parser.payloadLength()).isNotNegative();
            assertThat(parser.payloadOffset() + parser.payloadLength()).isLessThanOrEqualTo(parser.l3End());
            assertThat(parser.l3End()).isLessThanOrEqualTo(length);
            if (parser.innerL3Offset() != PacketParser.NONE) assertThat(parser.innerL3Offset()).isLessThanOrEqualTo(parser.l3End());
        }
    }

    @Provide
    Arbitrary<Integer> etherTypes() {
        return Arbitraries.of(IfEther.ETH_P_IP, IfEther.ETH_P_IPV6, IfEther.ETH_P_ARP, IfEther.ETH_P_8021Q, 0x0000, 0xFFFF);
    }

    @Provide
    Arbitrary<Sample> frames() {
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.integers().between(0, PROTOCOLS.length - 1),
                        Arbitraries.integers().between(0, 2), Arbitraries.longs(), Arbitraries.longs(),
                        Arbitraries.integers(), Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                        Arbitraries.integers().between(0, 10))
                .as(PacketParserProperties::sample);
    }

    private static Sample sample(boolean v6, int protoIndex, int tags, long src, long dst, int ports, byte[] payload, int extras) {
        int proto = PROTOCOLS[protoIndex];
        int sp = ports >>> 16, dp = ports & 0xFFFF;
        PacketBuilder b = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02");
        if (tags > 1) b.serviceVlan(tags);
        if (tags > 0) b.vlan(tags * 100);
        long srcHi, srcLo, dstHi, dstLo;
        if (v6) {
            srcHi = src * 0x9E37_79B9_7F4A_7C15L;
            srcLo = src;
            dstHi = dst * 0xC2B2_AE3D_27D4_EB4FL;
            dstLo = dst;
            b.ipv6(v6Text(srcHi, srcLo), v6Text(dstHi, dstLo));
            for (int i = 0; i < extras % 4; i++) b.destOptions();
        } else {
            srcHi = dstHi = 0;
            srcLo = src & 0xFFFF_FFFFL;
            dstLo = dst & 0xFFFF_FFFFL;
            b.ipv4(ChecksumsProperties.dotted((int) src), ChecksumsProperties.dotted((int) dst)).ipOptions(new byte[4 * extras]);
        }
        switch (proto) {
            case IpProto.IPPROTO_TCP -> b.tcp(sp, dp).ack().seq(src);
            case IpProto.IPPROTO_UDP -> b.udp(sp, dp);
            case IpProto.IPPROTO_SCTP -> b.sctp(sp, dp, (int) dst).chunk(SctpView.DATA, 3, payload);   // data in a chunk
            default -> {
                if (v6) b.icmpv6Echo(sp, dp);
                else b.icmpEcho(sp, dp);
                sp = dp = 0;
            }
        }
        int protocol = proto >= 0 ? proto : v6 ? IpProto.IPPROTO_ICMPV6 : IpProto.IPPROTO_ICMP;
        boolean sctp = protocol == IpProto.IPPROTO_SCTP;
        int payloadLength = sctp ? (4 + payload.length + 3) & ~3 : payload.length;   // SCTP: the padded chunk
        if (!sctp) b.payload(payload);
        return new Sample(b.build(), v6, protocol, srcHi, srcLo, dstHi, dstLo, sp, dp, payloadLength);
    }

    private static String v6Text(long hi, long lo) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            long w = i < 4 ? hi >>> (48 - 16 * i) : lo >>> (48 - 16 * (i - 4));
            if (i > 0) sb.append(':');
            sb.append(Long.toHexString(w & 0xFFFF));
        }
        return sb.toString();
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x));
        return sb.toString();
    }
}
