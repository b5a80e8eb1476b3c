package io.jlvs.decap;

import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.jlvs.decap.Decapsulator.DELIVER;
import static io.jlvs.decap.Decapsulator.GUE;
import static io.jlvs.decap.Decapsulator.IPV4_RAW;
import static io.jlvs.decap.Decapsulator.IPV6_RAW_GRE;
import static io.jlvs.decap.Decapsulator.IPV6_RAW_IPIP;
import static io.jlvs.decap.Decapsulator.IPV6_RAW_IPV6;
import static io.jlvs.testkit.PacketBuilder.concat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packets built by {@link PacketBuilder} and by hand, as each socket of {@code jlvs decap} receives them: what is
 * delivered (octet for octet), and one vector or more per {@link DecapDrop}. The round trip with the director's
 * own transmitter is {@code io.jlvs.xmit.TunnelDecapVectors}.
 */
class DecapsulatorVectors {
    static final String CLIENT = "198.51.100.7", VIP = "203.0.113.10", DIRECTOR = "192.0.2.1", RS = "192.0.2.11";
    static final String CLIENT6 = "2001:db8:100::7", VIP6 = "2001:db8::a", DIRECTOR6 = "2001:db8:1::1", RS6 = "2001:db8:1::b";

    record Case(String description, int source, byte[] bytes, int expect, byte[] inner) {
        @Override
        public String toString() { return description; }
    }

    @TestFactory
    Stream<DynamicTest> vectors() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.description, () -> run(c)));
    }

    @Test
    void everyDropReasonHasAVector() {
        Set<DecapDrop> seen = EnumSet.noneOf(DecapDrop.class);
        for (Case c : cases()) if (c.expect >= 0) seen.add(DecapDrop.of(c.expect));
        assertThat(EnumSet.complementOf(EnumSet.copyOf(seen))).as("drop reasons without a vector").isEmpty();
    }

    static void run(Case c) {
        // in the middle of a larger buffer: nothing before the offset or after the length may be read or delivered
        byte[] buf = new byte[c.bytes.length + 64];
        Arrays.fill(buf, (byte) 0x5A);
        System.arraycopy(c.bytes, 0, buf, 32, c.bytes.length);
        MemorySegment seg = MemorySegment.ofArray(buf);
        Decapsulator d = new Decapsulator();
        int r = d.decap(c.source, seg, 32, c.bytes.length);
        assertThat(name(r)).isEqualTo(name(c.expect));
        if (r != DELIVER) return;
        assertThat(d.innerOffset()).isBetween(32L, 32L + c.bytes.length);
        assertThat(d.innerOffset() + d.innerLength()).isLessThanOrEqualTo(32L + c.bytes.length);
        byte[] inner = seg.asSlice(d.innerOffset(), d.innerLength()).toArray(ValueLayout.JAVA_BYTE);
        assertThat(HexFormat.of().formatHex(inner)).isEqualTo(HexFormat.of().formatHex(c.inner));
    }

    static String name(int r) { return r == DELIVER ? "DELIVER" : String.valueOf(DecapDrop.of(r)); }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        byte[] tcp4 = tcp4(), udp6 = udp6();
        // ------------------------------------------------------------ delivered
        ok(cases, "IPIP 4in4 on the IPv4 raw socket", IPV4_RAW, outer4(4, tcp4), tcp4);
        ok(cases, "IPIP 6in4 on the IPv4 raw socket", IPV4_RAW, outer4(41, udp6), udp6);
        ok(cases, "IPIP 4in4 with outer IP options", IPV4_RAW,
                eth().ipv4(DIRECTOR, RS).ipOptions((byte) 1, (byte) 1, (byte) 1, (byte) 0).protocol(4).payload(tcp4).buildL3(), tcp4);
        ok(cases, "IPIP 4in4: octets after the inner total length (inside the outer one) are left out", IPV4_RAW,
                outer4(4, concat(tcp4, new byte[] {1, 2, 3, 4, 5, 6, 7})), tcp4);
        ok(cases, "IPIP 4in4: octets after the outer total length are ignored", IPV4_RAW,
                concat(outer4(4, tcp4), new byte[] {9, 9, 9}), tcp4);
        ok(cases, "GRE over IPv4, IPv4 inside", IPV4_RAW, outer4(47, gre(0, 0x0800, tcp4)), tcp4);
        ok(cases, "GRE over IPv4 with checksum (PacketBuilder), IPv6 inside", IPV4_RAW,
                eth().ipv4(DIRECTOR, RS).gre(0x86DD).greChecksum().payload(udp6).buildL3(), udp6);
        ok(cases, "GRE over IPv4 with checksum, key and sequence number (RFC 2890)", IPV4_RAW,
                outer4(47, gre(Gre.FLAG_CSUM | Gre.FLAG_KEY | Gre.FLAG_SEQ, 0x0800, tcp4)), tcp4);
        ok(cases, "GRE over IPv4 with a key only", IPV4_RAW, outer4(47, gre(Gre.FLAG_KEY, 0x0800, tcp4)), tcp4);
        ok(cases, "IPIP 4in6: the IPv6 raw socket's payload is the inner packet", IPV6_RAW_IPIP, tcp4, tcp4);
        ok(cases, "IPIP 6in6", IPV6_RAW_IPV6, udp6, udp6);
        ok(cases, "GRE over IPv6 with a sequence number, IPv6 inside", IPV6_RAW_GRE, gre(Gre.FLAG_SEQ, 0x86DD, udp6), udp6);
        ok(cases, "GUE variant 0, proto 4", GUE, concat(PacketBuilder.gueHeader(4), tcp4), tcp4);
        ok(cases, "GUE variant 0, proto 41", GUE, concat(PacketBuilder.gueHeader(41), udp6), udp6);
        ok(cases, "GUE variant 0, private flags without remote checksum, Hlen 3: the options are skipped", GUE,
                concat(gue(3, 4, Gue.FLAG_PRIV), be32(0), be32(0xDEADBEEF), be32(0xCAFEF00D), tcp4), tcp4);
        ok(cases, "GUE variant 0, no flags but Hlen 2: two option words skipped", GUE,
                concat(gue(2, 41, 0), be32(1), be32(2), udp6), udp6);
        ok(cases, "GUE variant 1: the UDP payload is the IPv4 packet", GUE, tcp4, tcp4);
        ok(cases, "GUE variant 1: the UDP payload is the IPv6 packet", GUE, udp6, udp6);
        byte[] partial4 = eth().ipv4(CLIENT, VIP).ttl(63).tcp(40000, 80).ack().partialChecksum().payload("remote csum").buildL3();
        byte[] complete4 = eth().ipv4(CLIENT, VIP).ttl(63).tcp(40000, 80).ack().payload("remote csum").buildL3();
        ok(cases, "GUE remote checksum offload: the partial inner TCP checksum is completed", GUE,
                concat(PacketBuilder.gueRemcsumHeader(4, 20, 36), partial4), complete4);
        byte[] partial6 = eth().ipv6(CLIENT6, VIP6).hopLimit(63).udp(40000, 53).partialChecksum().payload("q").buildL3();
        byte[] complete6 = eth().ipv6(CLIENT6, VIP6).hopLimit(63).udp(40000, 53).payload("q").buildL3();
        ok(cases, "GUE remote checksum offload over an inner IPv6 UDP datagram", GUE,
                concat(PacketBuilder.gueRemcsumHeader(41, 40, 46), partial6), complete6);
        byte[] merged = eth().ipv4(CLIENT, VIP).ttl(63).tcp(40000, 80).ack().partialChecksum().payload(new byte[2896]).buildL3();
        byte[] mergedDone = eth().ipv4(CLIENT, VIP).ttl(63).tcp(40000, 80).ack().payload(new byte[2896]).buildL3();
        ok(cases, "IPIP 4in4 of a GRO-merged TCP segment (checksum field = pseudo-header sum): completed", IPV4_RAW,
                outer4(4, merged), mergedDone);
        byte[] merged6 = eth().ipv6(CLIENT6, VIP6).hopLimit(63).tcp(40000, 80).ack().partialChecksum().payload(new byte[2856]).buildL3();
        byte[] merged6Done = eth().ipv6(CLIENT6, VIP6).hopLimit(63).tcp(40000, 80).ack().payload(new byte[2856]).buildL3();
        ok(cases, "IPIP 6in6 of a GRO-merged TCP segment: completed", IPV6_RAW_IPV6, merged6, merged6Done);
        byte[] badTcp = eth().ipv4(CLIENT, VIP).ttl(63).tcp(40000, 80).ack().badChecksum().payload("x").buildL3();
        ok(cases, "IPIP 4in4 of a TCP segment with a wrong checksum: delivered as it is (the stack drops it)", IPV4_RAW,
                outer4(4, badTcp), badTcp);
        byte[] fragment = eth().ipv4(CLIENT, VIP).ttl(63).id(9).fragment(8, true).tcp(1, 2).payload(new byte[16]).buildL3();
        ok(cases, "IPIP 4in4 of an inner fragment: delivered, the stack reassembles", IPV4_RAW, outer4(4, fragment), fragment);
        byte[] empty6 = eth().ipv6(CLIENT6, VIP6).protocol(59).buildL3();
        ok(cases, "IPIP 6in6 of an IPv6 packet without payload (no next header)", IPV6_RAW_IPV6, empty6, empty6);

        // ECN (RFC 6040), where the socket shows the outer header
        byte[] ect0 = eth().ipv4(CLIENT, VIP).tos(0xB8 | 2).ttl(63).tcp(40000, 80).ack().payload("ecn").buildL3();
        byte[] ce = eth().ipv4(CLIENT, VIP).tos(0xB8 | 3).ttl(63).tcp(40000, 80).ack().payload("ecn").buildL3();
        byte[] notEct = eth().ipv4(CLIENT, VIP).tos(0xB8).ttl(63).tcp(40000, 80).ack().payload("ecn").buildL3();
        ok(cases, "IPIP 4in4, outer CE, inner ECT(0): the inner packet is marked CE, its header checksum updated", IPV4_RAW,
                outer4(0xB8 | 3, 4, ect0), ce);
        ok(cases, "IPIP 4in4, outer ECT(0), inner not-ECT: unchanged", IPV4_RAW, outer4(0xB8 | 2, 4, notEct), notEct);
        ok(cases, "IPIP 4in4, outer CE, inner CE: unchanged", IPV4_RAW, outer4(3, 4, ce), ce);
        byte[] ect1v6 = eth().ipv6(CLIENT6, VIP6).trafficClass(0x29).flowLabel(0xABCDE).udp(1, 2).payload("q").buildL3();
        byte[] ce6 = eth().ipv6(CLIENT6, VIP6).trafficClass(0x2B).flowLabel(0xABCDE).udp(1, 2).payload("q").buildL3();
        ok(cases, "IPIP 6in4, outer CE, inner ECT(1): the inner traffic class marked CE", IPV4_RAW, outer4(3, 41, ect1v6), ce6);
        ok(cases, "GRE over IPv4, outer CE, inner ECT(0): marked CE", IPV4_RAW, outer4(3, 47, gre(0, 0x0800, ect0)), ce);
        drop(cases, "IPIP 4in4, outer CE, inner not-ECT", IPV4_RAW, outer4(3, 4, notEct), DecapDrop.ECN_CE_NOT_ECT);
        drop(cases, "IPIP 6in4, outer CE, inner not-ECT", IPV4_RAW, outer4(3, 41, udp6()), DecapDrop.ECN_CE_NOT_ECT);

        // ------------------------------------------------------------ dropped: outer IPv4
        drop(cases, "19 octets on the IPv4 raw socket", IPV4_RAW, Arrays.copyOf(outer4(4, tcp4), 19), DecapDrop.TRUNCATED_OUTER);
        drop(cases, "outer IHL 6 with 20 octets", IPV4_RAW, patch(Arrays.copyOf(outer4(4, tcp4), 20), 0, 0x46), DecapDrop.TRUNCATED_OUTER);
        drop(cases, "outer version 6 on the IPv4 raw socket", IPV4_RAW, patch(outer4(4, tcp4), 0, 0x65), DecapDrop.BAD_OUTER_HEADER);
        drop(cases, "outer IHL 4", IPV4_RAW, patch(outer4(4, tcp4), 0, 0x44), DecapDrop.BAD_OUTER_HEADER);
        drop(cases, "outer total length past the octets received", IPV4_RAW,
                Arrays.copyOf(outer4(4, tcp4), 20 + tcp4.length - 1), DecapDrop.BAD_OUTER_HEADER);
        drop(cases, "outer total length below the header", IPV4_RAW,
                eth().ipv4(DIRECTOR, RS).totalLength(19).protocol(4).payload(tcp4).buildL3(), DecapDrop.BAD_OUTER_HEADER);
        drop(cases, "a UDP packet on the IPv4 raw socket", IPV4_RAW,
                eth().ipv4(DIRECTOR, RS).udp(1, 2).payload("x").buildL3(), DecapDrop.UNSUPPORTED_OUTER_PROTOCOL);
        // ------------------------------------------------------------ dropped: GUE
        drop(cases, "empty GUE datagram", GUE, new byte[0], DecapDrop.TRUNCATED_GUE);
        drop(cases, "GUE header cut to 3 octets", GUE, new byte[] {0, 4, 0}, DecapDrop.TRUNCATED_GUE);
        drop(cases, "GUE Hlen 2 with one option word", GUE, concat(gue(2, 4, 0), be32(0)), DecapDrop.TRUNCATED_GUE);
        drop(cases, "GUE control message", GUE, concat(new byte[] {0x20, 0, 0, 0}, tcp4), DecapDrop.GUE_CONTROL);
        drop(cases, "GUE version 2", GUE, concat(new byte[] {(byte) 0x80, 4, 0, 0}, tcp4), DecapDrop.BAD_GUE_VERSION);
        drop(cases, "GUE version 3", GUE, concat(new byte[] {(byte) 0xC0, 4, 0, 0}, tcp4), DecapDrop.BAD_GUE_VERSION);
        drop(cases, "GUE version 1 with first nibble 5", GUE, patch(tcp4.clone(), 0, 0x55), DecapDrop.BAD_GUE_VERSION);
        drop(cases, "GUE flag other than P", GUE, concat(gue(1, 4, 0x8000), be32(0), tcp4), DecapDrop.GUE_UNKNOWN_FLAGS);
        drop(cases, "GUE flag P with Hlen 0", GUE, concat(gue(0, 4, Gue.FLAG_PRIV), tcp4), DecapDrop.GUE_UNKNOWN_FLAGS);
        drop(cases, "GUE private flag other than remote checksum", GUE,
                concat(gue(1, 4, Gue.FLAG_PRIV), be32(0x4000_0000), tcp4), DecapDrop.GUE_UNKNOWN_FLAGS);
        drop(cases, "GUE remote checksum flag with Hlen 1 (no room for its option)", GUE,
                concat(gue(1, 4, Gue.FLAG_PRIV), be32(0x8000_0000), tcp4), DecapDrop.GUE_UNKNOWN_FLAGS);
        drop(cases, "GUE proto 17", GUE, concat(PacketBuilder.gueHeader(17), tcp4), DecapDrop.GUE_UNSUPPORTED_PROTOCOL);
        drop(cases, "GUE remote checksum field past the inner packet", GUE,
                concat(PacketBuilder.gueRemcsumHeader(4, 20, partial4.length - 1), partial4), DecapDrop.BAD_REMCSUM);
        drop(cases, "GUE remote checksum start past the inner packet", GUE,
                concat(PacketBuilder.gueRemcsumHeader(4, partial4.length, 36), partial4), DecapDrop.BAD_REMCSUM);
        // found by DecapsulatorProperties: a checksum written into the inner IP header would change what was checked
        drop(cases, "GUE remote checksum field inside the inner IPv4 header", GUE,
                concat(PacketBuilder.gueRemcsumHeader(4, 20, 10), partial4), DecapDrop.BAD_REMCSUM);
        drop(cases, "GUE remote checksum start inside the inner IPv4 header", GUE,
                concat(PacketBuilder.gueRemcsumHeader(4, 0, 36), partial4), DecapDrop.BAD_REMCSUM);
        drop(cases, "GUE remote checksum field inside the inner IPv6 header", GUE,
                concat(PacketBuilder.gueRemcsumHeader(41, 40, 0), partial6), DecapDrop.BAD_REMCSUM);
        // ------------------------------------------------------------ dropped: GRE
        drop(cases, "GRE cut to 3 octets", IPV6_RAW_GRE, new byte[] {0, 0, 8}, DecapDrop.TRUNCATED_GRE);
        drop(cases, "GRE with C, K and S cut inside the options", IPV6_RAW_GRE,
                Arrays.copyOf(gre(Gre.FLAG_CSUM | Gre.FLAG_KEY | Gre.FLAG_SEQ, 0x0800, tcp4), 15), DecapDrop.TRUNCATED_GRE);
        drop(cases, "GRE version 1 (PPTP)", IPV4_RAW, outer4(47, patch(gre(0, 0x0800, tcp4), 1, 1)), DecapDrop.BAD_GRE_HEADER);
        drop(cases, "GRE routing bit (RFC 1701)", IPV4_RAW, outer4(47, patch(gre(0, 0x0800, tcp4), 0, 0x40)), DecapDrop.BAD_GRE_HEADER);
        byte[] badGre = gre(Gre.FLAG_CSUM, 0x0800, tcp4);
        badGre[badGre.length - 1] ^= 1;
        drop(cases, "GRE checksum does not verify", IPV4_RAW, outer4(47, badGre), DecapDrop.BAD_GRE_CHECKSUM);
        drop(cases, "GRE of Ethernet (0x6558)", IPV6_RAW_GRE, gre(0, 0x6558, tcp4), DecapDrop.GRE_UNSUPPORTED_PROTOCOL);
        // ------------------------------------------------------------ dropped: the inner packet
        drop(cases, "IPIP 4in4 with 19 octets inside", IPV4_RAW, outer4(4, Arrays.copyOf(tcp4, 19)), DecapDrop.TRUNCATED_INNER);
        drop(cases, "IPIP 6in6 with 39 octets", IPV6_RAW_IPV6, Arrays.copyOf(udp6, 39), DecapDrop.TRUNCATED_INNER);
        drop(cases, "inner IHL 15 with 40 octets", IPV6_RAW_IPIP, patch(Arrays.copyOf(tcp4, 40), 0, 0x4F), DecapDrop.TRUNCATED_INNER);
        drop(cases, "IPIP 4in4 carrying an IPv6 packet", IPV4_RAW, outer4(4, udp6), DecapDrop.BAD_INNER_VERSION);
        drop(cases, "IPv6 raw socket of protocol 41 receiving an IPv4 packet", IPV6_RAW_IPV6,
                concat(tcp4, new byte[40]), DecapDrop.BAD_INNER_VERSION);
        drop(cases, "GRE protocol 0x86DD carrying IPv4", IPV6_RAW_GRE, gre(0, 0x86DD, concat(tcp4, new byte[40])), DecapDrop.BAD_INNER_VERSION);
        drop(cases, "inner IHL 4", IPV6_RAW_IPIP, eth().ipv4(CLIENT, VIP).ihl(4).udp(1, 2).buildL3(), DecapDrop.BAD_INNER_HEADER);
        drop(cases, "inner total length 19", IPV6_RAW_IPIP, eth().ipv4(CLIENT, VIP).totalLength(19).udp(1, 2).buildL3(),
                DecapDrop.BAD_INNER_HEADER);
        drop(cases, "inner total length past the outer packet", IPV4_RAW, outer4(4, Arrays.copyOf(tcp4, tcp4.length - 1)),
                DecapDrop.BAD_INNER_LENGTH);
        drop(cases, "inner IPv6 payload length past the octets received", IPV6_RAW_IPV6,
                Arrays.copyOf(udp6, udp6.length - 1), DecapDrop.BAD_INNER_LENGTH);
        drop(cases, "inner IPv6 jumbogram (payload length 0, hop-by-hop first)", IPV6_RAW_IPV6,
                eth().ipv6(CLIENT6, VIP6).ipPayloadLength(0).hopByHop().udp(1, 2).payload("jumbo").buildL3(), DecapDrop.BAD_INNER_LENGTH);
        drop(cases, "inner IPv4 header checksum wrong", IPV4_RAW,
                outer4(4, eth().ipv4(CLIENT, VIP).badChecksum().tcp(1, 2).buildL3()), DecapDrop.BAD_INNER_CHECKSUM);
        return cases;
    }

    // ---------------------------------------------------------------- builders

    static PacketBuilder eth() { return PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02"); }

    static byte[] tcp4() {
        return eth().ipv4(CLIENT, VIP).ttl(63).id(0x1234).df().tcp(40000, 80).ack().psh().seq(7).payload("GET / HTTP/1.1\r\n\r\n").buildL3();
    }

    static byte[] udp6() {
        return eth().ipv6(CLIENT6, VIP6).hopLimit(63).trafficClass(0x28).udp(40000, 53).payload("a DNS query").buildL3();
    }

    /** An outer IPv4 packet of {@code protocol} from the director to the real server, as a raw socket reads it. */
    static byte[] outer4(int protocol, byte[] payload) {
        return outer4(0, protocol, payload);
    }

    /** {@link #outer4(int, byte[])} with a TOS (DSCP and ECN). */
    static byte[] outer4(int tos, int protocol, byte[] payload) {
        return eth().ipv4(DIRECTOR, RS).tos(tos).ttl(63).protocol(protocol).payload(payload).buildL3();
    }

    /** A GRE header with {@code flags} (C, K, S) and the checksum when C, before {@code inner}. */
    static byte[] gre(int flags, int protocolType, byte[] inner) {
        byte[] options = new byte[0];
        if ((flags & Gre.FLAG_CSUM) != 0) options = concat(options, be32(0));
        if ((flags & Gre.FLAG_KEY) != 0) options = concat(options, be32(0x0A0B0C0D));
        if ((flags & Gre.FLAG_SEQ) != 0) options = concat(options, be32(42));
        byte[] g = concat(be16(flags), be16(protocolType), options, inner);
        if ((flags & Gre.FLAG_CSUM) != 0) {
            int c = Checksum.internet(g, 0, g.length);
            g[4] = (byte) (c >>> 8);
            g[5] = (byte) c;
        }
        return g;
    }

    /** A GUE variant 0 data header with {@code hlen} option words (to be appended) and {@code flags}. */
    static byte[] gue(int hlen, int proto, int flags) {
        return new byte[] {(byte) hlen, (byte) proto, (byte) (flags >>> 8), (byte) flags};
    }

    static byte[] patch(byte[] b, int off, int value) {
        b[off] = (byte) value;
        return b;
    }

    static byte[] be16(int v) { return new byte[] {(byte) (v >>> 8), (byte) v}; }

    static byte[] be32(int v) { return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}; }

    static void ok(List<Case> cases, String description, int source, byte[] bytes, byte[] inner) {
        cases.add(new Case(description + ": delivered", source, bytes, DELIVER, inner));
    }

    static void drop(List<Case> cases, String description, int source, byte[] bytes, DecapDrop reason) {
        cases.add(new Case(description + ": " + reason, source, bytes, reason.code(), null));
    }
}
