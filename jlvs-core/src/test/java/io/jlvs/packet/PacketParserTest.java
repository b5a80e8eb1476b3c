package io.jlvs.packet;

import io.jlvs.testkit.Addresses;
import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.jlvs.packet.Frames.CLIENT;
import static io.jlvs.packet.Frames.CLIENT6;
import static io.jlvs.packet.Frames.CLIENT_MAC;
import static io.jlvs.packet.Frames.ETH;
import static io.jlvs.packet.Frames.VIP;
import static io.jlvs.packet.Frames.VIP6;
import static io.jlvs.packet.Frames.seg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PacketParserTest {
    private final PacketParser parser = new PacketParser();
    private final Flow flow = new Flow();

    @Test
    void tcpOverIpv4() {
        byte[] f = Frames.v4().tcp(40000, 80).syn().mss(1460).payload("hello").build();
        assertThat(parse(f)).isEqualTo(PacketParser.OK);
        assertThat(flow.af).isEqualTo(Flow.AF_INET);
        assertThat(flow.protocol).isEqualTo(IpProto.IPPROTO_TCP);
        assertThat(flow.srcHi).isZero();
        assertThat(flow.srcLo).isEqualTo(Addresses.ipv4Int(CLIENT) & 0xFFFF_FFFFL);
        assertThat(flow.dstHi).isZero();
        assertThat(flow.dstLo).isEqualTo(Addresses.ipv4Int(VIP) & 0xFFFF_FFFFL);
        assertThat(flow.srcPort).isEqualTo(40000);
        assertThat(flow.dstPort).isEqualTo(80);
        assertThat(parser.etherType()).isEqualTo(IfEther.ETH_P_IP);
        assertThat(parser.vlanId()).isEqualTo(EthernetView.NO_VLAN);
        assertThat(parser.l3Offset()).isEqualTo(14);
        assertThat(parser.l4Offset()).isEqualTo(34);
        assertThat(parser.payloadOffset()).isEqualTo(34 + 24);
        assertThat(parser.payloadLength()).isEqualTo(5);
        assertThat(parser.l3End()).isEqualTo(f.length);
        assertThat(parser.l4HeaderPresent()).isTrue();
        assertThat(parser.fragment()).isFalse();
        assertThat(parser.nonFirstFragment()).isFalse();
        assertThat(parser.innerL3Offset()).isEqualTo(PacketParser.NONE);
        assertThat(parser.tcp().flags()).isEqualTo(TcpView.SYN);
    }

    @Test
    void vlanAndIpv4OptionsShiftTheOffsets() {
        byte[] f = Frames.eth().serviceVlan(300).vlan(42).ipv4(CLIENT, VIP).ipOptions(new byte[8]).udp(5000, 53).payload("abc").build();
        assertThat(parse(f)).isEqualTo(PacketParser.OK);
        assertThat(parser.vlanId()).isEqualTo(300);
        assertThat(parser.ethernet().innerVlanId()).isEqualTo(42);
        assertThat(parser.l3Offset()).isEqualTo(22);
        assertThat(parser.l4Offset()).isEqualTo(22 + 28);
        assertThat(parser.payloadOffset()).isEqualTo(22 + 28 + 8);
        assertThat(parser.payloadLength()).isEqualTo(3);
        assertThat(flow.srcPort).isEqualTo(5000);
        assertThat(flow.dstPort).isEqualTo(53);
    }

    @Test
    void udpOverIpv6WithExtensionHeaders() {
        byte[] f = Frames.v6().hopByHop().routing(4, 0).destOptions().udp(5353, 53).payload("query").build();
        assertThat(parse(f)).isEqualTo(PacketParser.OK);
        assertThat(flow.af).isEqualTo(Flow.AF_INET6);
        assertThat(flow.protocol).isEqualTo(IpProto.IPPROTO_UDP);
        assertThat(flow.srcHi).isEqualTo(Addresses.ipv6Hi(CLIENT6));
        assertThat(flow.srcLo).isEqualTo(Addresses.ipv6Lo(CLIENT6));
        assertThat(flow.dstHi).isEqualTo(Addresses.ipv6Hi(VIP6));
        assertThat(flow.dstLo).isEqualTo(Addresses.ipv6Lo(VIP6));
        assertThat(flow.srcPort).isEqualTo(5353);
        assertThat(flow.dstPort).isEqualTo(53);
        assertThat(parser.etherType()).isEqualTo(IfEther.ETH_P_IPV6);
        assertThat(parser.l3Offset()).isEqualTo(14);
        assertThat(parser.l4Offset()).isEqualTo(14 + 40 + 24);
        assertThat(parser.payloadOffset()).isEqualTo(14 + 40 + 24 + 8);
        assertThat(parser.payloadLength()).isEqualTo(5);
    }

    @Test
    void sctpIcmpAndIcmpv6() {
        byte[] sctp = Frames.v6().sctp(5000, 38412, 0).init(1, 2, 3, 4, 5).build();
        assertThat(parse(sctp)).isEqualTo(PacketParser.OK);
        assertThat(flow.protocol).isEqualTo(IpProto.IPPROTO_SCTP);
        assertThat(flow.srcPort).isEqualTo(5000);
        assertThat(flow.dstPort).isEqualTo(38412);
        assertThat(parser.payloadOffset()).isEqualTo(14 + 40 + 12);
        assertThat(parser.payloadLength()).isEqualTo(20);

        byte[] echo = Frames.v4().icmpEcho(7, 1).payload("ping").build();
        flow.srcPort = 99;
        assertThat(parse(echo)).isEqualTo(PacketParser.OK);
        assertThat(flow.protocol).isEqualTo(IpProto.IPPROTO_ICMP);
        assertThat(flow.srcPort).isZero();
        assertThat(flow.dstPort).isZero();
        assertThat(parser.l4HeaderPresent()).isTrue();
        assertThat(parser.payloadLength()).isEqualTo(4);
        assertThat(parser.innerL3Offset()).isEqualTo(PacketParser.NONE);
        assertThat(parser.icmp().id()).isEqualTo(7);

        byte[] ns = Frames.eth().ipv6(CLIENT6, "ff02::1:ff00:a").hopLimit(255).neighborSolicitation(VIP6).sourceLinkLayer(CLIENT_MAC).build();
        assertThat(parse(ns)).isEqualTo(PacketParser.OK);
        assertThat(flow.protocol).isEqualTo(IpProto.IPPROTO_ICMPV6);
        assertThat(flow.srcPort).isZero();
        assertThat(parser.icmpv6().type()).isEqualTo(Icmpv6View.NEIGHBOR_SOLICITATION);
    }

    @Test
    void icmpErrorsPointAtTheQuotedHeader() {
        byte[] inner = Frames.eth().ipv4(VIP, CLIENT).tcp(80, 40000).ack().buildL3();
        byte[] f = Frames.eth().ipv4("203.0.113.1", VIP).icmpFragNeeded(1400, Arrays.copyOf(inner, 28)).build();
        assertThat(parse(f)).isEqualTo(PacketParser.OK);
        assertThat(parser.innerL3Offset()).isEqualTo(14 + 20 + 8);
        byte[] inner6 = Frames.eth().ipv6(VIP6, CLIENT6).tcp(80, 40000).buildL3();
        byte[] f6 = Frames.eth().ipv6("2001:db8:ffff::1", VIP6).packetTooBig(1280, Arrays.copyOf(inner6, 48)).build();
        assertThat(parse(f6)).isEqualTo(PacketParser.OK);
        assertThat(parser.innerL3Offset()).isEqualTo(14 + 40 + 8);
    }

    @Test
    void ethernetPaddingAndShortUdpLengthAreIgnored() {
        byte[] f = Frames.v4().udp(1, 2).payload("a").padTo(60).build();
        assertThat(f).hasSize(60);
        assertThat(parse(f)).isEqualTo(PacketParser.OK);
        assertThat(parser.l3End()).isEqualTo(14 + 29);
        assertThat(parser.payloadLength()).isEqualTo(1);
        byte[] g = Frames.v4().udp(1, 2).udpLength(10).payload("abcd").build();   // UDP says 2 octets of data
        assertThat(parse(g)).isEqualTo(PacketParser.OK);
        assertThat(parser.payloadLength()).isEqualTo(2);
    }

    @Test
    void ipv4Fragments() {
        byte[] first = Frames.v4().id(77).fragment(0, true).udp(1000, 53).udpLength(3000).payload(new byte[1472]).build();
        assertThat(parse(first)).isEqualTo(PacketParser.OK);
        assertThat(parser.fragment()).isTrue();
        assertThat(parser.nonFirstFragment()).isFalse();
        assertThat(parser.moreFragments()).isTrue();
        assertThat(parser.fragmentId()).isEqualTo(77);
        assertThat(flow.srcPort).isEqualTo(1000);
        assertThat(parser.payloadLength()).as("what this fragment holds").isEqualTo(1472);

        byte[] rest = Frames.v4().id(77).fragment(1480, false).protocol(IpProto.IPPROTO_UDP).payload(filled(1520, 0xFF)).build();
        flow.srcPort = flow.dstPort = 12345;
        assertThat(parse(rest)).isEqualTo(PacketParser.OK);
        assertThat(parser.fragment()).isTrue();
        assertThat(parser.nonFirstFragment()).isTrue();
        assertThat(parser.moreFragments()).isFalse();
        assertThat(parser.fragmentOffsetBytes()).isEqualTo(1480);
        assertThat(parser.l4HeaderPresent()).isFalse();
        assertThat(flow.protocol).isEqualTo(IpProto.IPPROTO_UDP);
        assertThat(flow.srcPort).isZero();
        assertThat(flow.dstPort).isZero();
        assertThat(parser.payloadOffset()).isEqualTo(34);
        assertThat(parser.payloadLength()).isEqualTo(1520);
    }

    @Test
    void ipv6Fragments() {
        byte[] first = Frames.v6().fragmentId(0xABCDEF01).fragment(0, true).tcp(40000, 80).payload(new byte[4]).build();
        assertThat(parse(first)).isEqualTo(PacketParser.OK);
        assertThat(parser.fragment()).isTrue();
        assertThat(parser.fragmentId()).isEqualTo(0xABCDEF01);
        assertThat(flow.dstPort).isEqualTo(80);
        assertThat(parser.l4Offset()).isEqualTo(14 + 48);

        byte[] rest = Frames.v6().fragmentId(0xABCDEF01).fragment(1448, false).protocol(IpProto.IPPROTO_TCP).payload(filled(33, 0xFF)).build();
        assertThat(parse(rest)).isEqualTo(PacketParser.OK);
        assertThat(parser.nonFirstFragment()).isTrue();
        assertThat(parser.fragmentOffsetBytes()).isEqualTo(1448);
        assertThat(flow.protocol).isEqualTo(IpProto.IPPROTO_TCP);
        assertThat(flow.srcPort).isZero();
        assertThat(parser.payloadLength()).isEqualTo(33);

        byte[] atomic = Frames.v6().fragment(0, false).udp(1, 2).build();
        assertThat(parse(atomic)).isEqualTo(PacketParser.OK);
        assertThat(parser.fragment()).isFalse();
        assertThat(flow.dstPort).isEqualTo(2);
    }

    @Test
    void protocolsWithoutAHeaderForUs() {
        byte[] gre = Frames.v4().protocol(IpProto.IPPROTO_GRE).payload(new byte[8]).build();
        assertThat(parse(gre)).isEqualTo(PacketParser.OK);
        assertThat(flow.protocol).isEqualTo(IpProto.IPPROTO_GRE);
        assertThat(parser.l4HeaderPresent()).isFalse();
        assertThat(parser.payloadOffset()).isEqualTo(34);
        assertThat(parser.payloadLength()).isEqualTo(8);
        assertThat(parse(Frames.v4().protocol(IpProto.IPPROTO_ICMPV6).build())).isEqualTo(PacketParser.OK);
        assertThat(parser.l4HeaderPresent()).isFalse();
        assertThat(parse(Frames.v6().protocol(IpProto.IPPROTO_ICMP).build())).isEqualTo(PacketParser.OK);
        assertThat(parser.l4HeaderPresent()).isFalse();
        assertThat(parse(Frames.v6().build())).isEqualTo(PacketParser.OK);
        assertThat(flow.protocol).isEqualTo(IpProto.IPPROTO_NONE);
    }

    @Test
    void arp() {
        byte[] f = Frames.eth().vlan(5).arpRequest(CLIENT_MAC, CLIENT, VIP).padTo(64).build();
        assertThat(parse(f)).isEqualTo(PacketParser.ARP);
        assertThat(parser.etherType()).isEqualTo(IfEther.ETH_P_ARP);
        assertThat(parser.l3Offset()).isEqualTo(18);
        assertThat(parser.arp().oper()).isEqualTo(ArpView.OP_REQUEST);
        assertThat(parser.arp().tpa()).isEqualTo(Addresses.ipv4Int(VIP));
        assertThat(parse(Frames.eth().arpReply(CLIENT_MAC, CLIENT, "02:00:00:00:00:02", VIP).build())).isEqualTo(PacketParser.ARP);
    }

    @Test
    void onlyTheGivenLengthIsRead() {
        byte[] f = Frames.v4().tcp(1, 2).build();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(2048);                 // a ring slot bigger than the frame
            slot.fill((byte) 0x5A);
            MemorySegment.copy(f, 0, slot, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, f.length);
            assertThat(parser.parse(slot, f.length, flow)).isEqualTo(PacketParser.OK);
            assertThat(parser.parse(slot, f.length - 1, flow)).isEqualTo(DropReason.IPV4_TOTAL_LENGTH.code());
        }
        assertThat(parser.parse(seg(f), f.length + 100, flow)).as("length past the segment is clamped").isEqualTo(PacketParser.OK);
        assertThat(parser.parse(seg(f), -1, flow)).isEqualTo(DropReason.TRUNCATED_ETHERNET.code());
        assertThat(parser.parse(MemorySegment.NULL, 0, flow)).isEqualTo(DropReason.TRUNCATED_ETHERNET.code());
    }

    @Test
    void ipv4ChecksumCheckCanBeSwitchedOff() {
        byte[] f = Frames.v4().badChecksum().tcp(1, 2).build();
        assertThat(parse(f)).isEqualTo(DropReason.BAD_IPV4_CHECKSUM.code());
        parser.verifyIpv4Checksum(false);
        assertThat(parse(f)).isEqualTo(PacketParser.OK);
    }

    @Test
    void l4ChecksumsAreCheckedOnlyWhenAskedAndNotOnFragments() {
        byte[] bad = Frames.v4().tcp(1, 2).badChecksum().build();
        assertThat(parse(bad)).isEqualTo(PacketParser.OK);
        parser.verifyL4Checksums(true);
        assertThat(parse(bad)).isEqualTo(DropReason.BAD_TCP_CHECKSUM.code());
        assertThat(parse(Frames.v4().fragment(0, true).tcp(1, 2).badChecksum().build())).isEqualTo(PacketParser.OK);
        for (PacketBuilder good : new PacketBuilder[] {Frames.v4().tcp(1, 2).payload("x"), Frames.v4().udp(1, 2).payload("x"),
                Frames.v4().sctp(1, 2, 3).init(1, 2, 3, 4, 5), Frames.v4().icmpEcho(1, 2).payload("x"),
                Frames.v6().tcp(1, 2).payload("x"), Frames.v6().udp(1, 2).payload("x"), Frames.v6().sctp(1, 2, 3).init(1, 2, 3, 4, 5),
                Frames.v6().icmpv6Echo(1, 2).payload("x"), Frames.v6().hopByHop().tcp(1, 2).payload("odd")}) {
            assertThat(parse(good.build())).isEqualTo(PacketParser.OK);
        }
    }

    @Test
    void fwmarkAndTimeAreLeftAlone() {
        flow.fwmark(7).at(123);
        parse(Frames.v4().tcp(1, 2).build());
        assertThat(flow.fwmark).isEqualTo(7);
        assertThat(flow.nowNs).isEqualTo(123);
    }

    // ---------------------------------------------------------------- one or more frames per DropReason

    static Stream<Arguments> drops() {
        PacketBuilder nineExt = Frames.v6();
        for (int i = 0; i < 9; i++) nineExt.destOptions();
        return Stream.of(
                drop(DropReason.TRUNCATED_ETHERNET, Frames.v4().tcp(1, 2).truncate(13)),
                drop(DropReason.TRUNCATED_ETHERNET, Frames.v4().truncate(0)),
                drop(DropReason.TRUNCATED_VLAN, Frames.eth().vlan(1).ipv4(CLIENT, VIP).truncate(17)),
                drop(DropReason.TRUNCATED_VLAN, Frames.eth().serviceVlan(1).vlan(2).ipv4(CLIENT, VIP).truncate(20)),
                drop(DropReason.VLAN_TAG_LIMIT, Frames.eth().serviceVlan(1).vlan(2).vlan(3).ipv4(CLIENT, VIP).tcp(1, 2)),
                drop(DropReason.UNSUPPORTED_ETHERTYPE, Frames.eth().etherType(0x88CC).ipv4(CLIENT, VIP)),
                drop(DropReason.UNSUPPORTED_ETHERTYPE, Frames.eth().vlan(4).etherType(0x8847).ipv4(CLIENT, VIP)),
                drop(DropReason.TRUNCATED_ARP, Frames.eth().arpRequest(CLIENT_MAC, CLIENT, VIP).truncate(14 + 27)),
                drop(DropReason.BAD_ARP, Frames.eth().arpRequest(CLIENT_MAC, CLIENT, VIP).arpOper(3)),
                drop(DropReason.BAD_ARP, patched(Frames.eth().arpRequest(CLIENT_MAC, CLIENT, VIP).build(), 14 + 1, 6)),
                drop(DropReason.TRUNCATED_IPV4, Frames.v4().tcp(1, 2).truncate(14 + 19)),
                drop(DropReason.TRUNCATED_IPV4, Frames.v4().ihl(15).protocol(59)),
                drop(DropReason.BAD_IPV4_VERSION, Frames.v4().version(6).tcp(1, 2)),
                drop(DropReason.BAD_IHL, Frames.v4().ihl(4).tcp(1, 2)),
                drop(DropReason.BAD_IHL, Frames.v4().ihl(0).tcp(1, 2)),
                drop(DropReason.IPV4_TOTAL_LENGTH, Frames.v4().tcp(1, 2).totalLength(1000)),
                drop(DropReason.IPV4_TOTAL_LENGTH, Frames.v4().tcp(1, 2).totalLength(19)),
                drop(DropReason.IPV4_TOTAL_LENGTH, Frames.v4().tcp(1, 2).payload("abc").truncate(14 + 40 + 2)),
                drop(DropReason.BAD_IPV4_CHECKSUM, Frames.v4().badChecksum().tcp(1, 2)),
                drop(DropReason.BAD_IPV4_FRAGMENT, Frames.v4().fragment(65528, false).protocol(17).payload(new byte[16])),
                drop(DropReason.TRUNCATED_IPV6, Frames.v6().tcp(1, 2).truncate(14 + 39)),
                drop(DropReason.BAD_IPV6_VERSION, Frames.v6().version(4).tcp(1, 2)),
                drop(DropReason.IPV6_PAYLOAD_LENGTH, Frames.v6().tcp(1, 2).ipPayloadLength(1000)),
                drop(DropReason.IPV6_PAYLOAD_LENGTH, Frames.v6().tcp(1, 2).payload("abc").truncate(14 + 40 + 22)),
                drop(DropReason.TRUNCATED_IPV6_EXT_HEADER, Frames.v6().hopByHop().udp(1, 2).ipPayloadLength(4)),
                drop(DropReason.TRUNCATED_IPV6_EXT_HEADER, Frames.v6().extension(PacketBuilder.DEST_OPTIONS, new int[20]).ipPayloadLength(16)),
                drop(DropReason.IPV6_EXT_HEADER_LIMIT, nineExt.tcp(1, 2)),
                drop(DropReason.IPV6_HOP_BY_HOP_NOT_FIRST, Frames.v6().destOptions().hopByHop().tcp(1, 2)),
                drop(DropReason.BAD_IPV6_FRAGMENT, Frames.v6().fragment(0, true).udp(1, 2).payload("abc")),
                drop(DropReason.BAD_IPV6_FRAGMENT, Frames.v6().fragment(65528, false).protocol(17).payload(new byte[16])),
                drop(DropReason.TRUNCATED_TCP, Frames.v4().tcp(1, 2).totalLength(20 + 19)),
                drop(DropReason.TRUNCATED_TCP, Frames.v6().tcp(1, 2).ipPayloadLength(10)),
                drop(DropReason.TRUNCATED_TCP, Frames.v4().fragment(0, true).tcp(1, 2).totalLength(20 + 8)),
                drop(DropReason.BAD_TCP_DATA_OFFSET, Frames.v4().tcp(1, 2).dataOffset(4)),
                drop(DropReason.BAD_TCP_DATA_OFFSET, Frames.v4().tcp(1, 2).dataOffset(15).payload("short")),
                drop(DropReason.BAD_TCP_CHECKSUM, Frames.v4().tcp(1, 2).badChecksum()),
                drop(DropReason.BAD_TCP_CHECKSUM, Frames.v6().tcp(1, 2).payload("x").badChecksum()),
                drop(DropReason.TRUNCATED_UDP, Frames.v4().udp(1, 2).totalLength(20 + 7)),
                drop(DropReason.BAD_UDP_LENGTH, Frames.v4().udp(1, 2).udpLength(7)),
                drop(DropReason.BAD_UDP_LENGTH, Frames.v4().udp(1, 2).udpLength(1000)),
                drop(DropReason.BAD_UDP_LENGTH, Frames.v6().udp(1, 2).udpLength(0)),
                drop(DropReason.BAD_UDP_CHECKSUM, Frames.v4().udp(1, 2).payload("x").badChecksum()),
                drop(DropReason.BAD_UDP_CHECKSUM, Frames.v6().udp(1, 2).noChecksum()),
                drop(DropReason.TRUNCATED_SCTP, Frames.v4().sctp(1, 2, 3)),
                drop(DropReason.TRUNCATED_SCTP, Frames.v6().sctp(1, 2, 3).init(1, 2, 3, 4, 5).ipPayloadLength(15)),
                drop(DropReason.BAD_SCTP_CHUNK, Frames.v4().sctp(1, 2, 3).rawChunk((byte) 1, (byte) 0, (byte) 0, (byte) 3)),
                drop(DropReason.BAD_SCTP_CHUNK, Frames.v4().sctp(1, 2, 3).init(1, 2, 3, 4, 5).rawChunk((byte) 0, (byte) 0, (byte) 1, (byte) 0)),
                drop(DropReason.BAD_SCTP_CHECKSUM, Frames.v4().sctp(1, 2, 3).init(1, 2, 3, 4, 5).badChecksum()),
                drop(DropReason.TRUNCATED_ICMP, Frames.v4().icmpEcho(1, 2).totalLength(20 + 7)),
                drop(DropReason.BAD_ICMP_CHECKSUM, Frames.v4().icmpEcho(1, 2).payload("x").badChecksum()),
                drop(DropReason.TRUNCATED_ICMPV6, Frames.v6().icmpv6Echo(1, 2).ipPayloadLength(7)),
                drop(DropReason.BAD_ICMPV6_CHECKSUM, Frames.v6().icmpv6Echo(1, 2).badChecksum()));
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("drops")
    void dropsWithItsReason(DropReason reason, byte[] frame) {
        parser.verifyL4Checksums(true);
        assertThat(DropReason.of(parse(frame))).isEqualTo(reason);
    }

    @Test
    void everyDropReasonIsReachable() {
        Set<DropReason> covered = drops().map(a -> (DropReason) a.get()[0]).collect(Collectors.toCollection(() -> EnumSet.noneOf(DropReason.class)));
        // the parser's reasons; later stages (transmitters, connection table) append theirs and test them there
        Set<DropReason> parserReasons = EnumSet.range(DropReason.TRUNCATED_ETHERNET, DropReason.BAD_ICMPV6_CHECKSUM);
        assertThat(parserReasons).as("reasons without a test frame").isSubsetOf(covered);
    }

    private static Arguments drop(DropReason reason, PacketBuilder b) { return arguments(reason, b.build()); }

    private static Arguments drop(DropReason reason, byte[] frame) { return arguments(reason, frame); }

    private static byte[] patched(byte[] f, int at, int value) {
        f[at] = (byte) value;
        return f;
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private int parse(byte[] f) {
        return parser.parse(seg(f), f.length, flow);
    }
}
