package io.jlvs.xmit;

import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;
import io.jlvs.packet.PacketParser;
import io.jlvs.service.TunnelType;
import io.jlvs.testkit.Checksum;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static io.jlvs.xmit.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/** What the vectors do not show: lookups asked, limits, helpers. */
class XmitTest {

    static Frame frame(byte[] bytes, int headroom, int tailroom) {
        MemorySegment seg = MemorySegment.ofArray(new byte[headroom + bytes.length + tailroom]);
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, headroom, bytes.length);
        Frame f = new Frame().wrap(seg, 0, seg.byteSize(), headroom, bytes.length);
        assertThat(f.parse(new PacketParser(), new Flow())).isEqualTo(PacketParser.OK);
        return f;
    }

    @Test
    void directRoutingAsksForTheRealServerItselfAsNextHop() {
        XmitEnv env = new XmitEnv();
        Frame f = frame(V.ip(fromClient(), CLIENT, VIP, 64).tcp(1, 80).build(), 64, 64);
        assertThat(env.dr().transmit(f, tcp(CLIENT, VIP, RS1), env.tx)).isEqualTo(Verdict.TX);
        assertThat(env.hops.lastFlags).isEqualTo(NextHops.KNOWN_NH);
        Frame g = frame(V.ip(fromClient(), CLIENT, VIP, 64).tcp(1, 80).build(), 64, 64);
        assertThat(env.nat().transmit(g, tcp(CLIENT, VIP, RS1), env.tx)).isEqualTo(Verdict.TX);
        assertThat(env.hops.lastFlags).isZero();
    }

    @Test
    void framesGoOutOnTheEgressInterface() {
        XmitEnv env = new XmitEnv();
        env.nat().transmit(frame(V.ip(fromClient(), CLIENT, VIP, 64).tcp(1, 80).build(), 64, 64), tcp(CLIENT, VIP, RS_VLAN), env.tx);
        assertThat(env.tx.ifIndexes).containsExactly(2);
    }

    @Test
    void timeExceededIsRateLimitedButFragmentationNeededIsNot() {
        XmitEnv env = new XmitEnv();
        env.icmp.rateLimit(1000, 3);
        DirectRouteXmit dr = env.dr();
        for (int i = 0; i < 5; i++) {
            Frame f = frame(V.ip(fromClient(), CLIENT, VIP, 1).tcp(1, 80).build(), 64, 64);
            f.nowNs = 0;
            assertThat(dr.transmit(f, tcp(CLIENT, VIP, RS1), env.tx)).isEqualTo(DropReason.TTL_EXCEEDED.code());
        }
        assertThat(env.icmp.sent()).isEqualTo(3);
        assertThat(env.icmp.rateLimited()).isEqualTo(2);
        Frame later = frame(V.ip(fromClient(), CLIENT, VIP, 1).tcp(1, 80).build(), 64, 64);
        later.nowNs = 1_000_000;                                 // 1 ms at 1000/s: one more token
        dr.transmit(later, tcp(CLIENT, VIP, RS1), env.tx);
        assertThat(env.icmp.sent()).isEqualTo(4);
        for (int i = 0; i < 5; i++) {
            Frame big = frame(V.ip(fromClient(), CLIENT, VIP, 64).tcp(1, 80).payload(new byte[1460]).build(), 64, 64);
            assertThat(dr.transmit(big, tcp(CLIENT, VIP, RS_MTU), env.tx)).isEqualTo(DropReason.MTU_EXCEEDED.code());
        }
        assertThat(env.icmp.sent()).isEqualTo(9);
    }

    @Test
    void noIcmpErrorAboutAnIcmpErrorOrFromAnUnroutableSource() {
        XmitEnv env = new XmitEnv();
        byte[] quote = V.ip(fromClient(), VIP, CLIENT, 64).tcp(80, 1).buildL3();
        Frame f = frame(fromClient().ipv4(CLIENT, VIP).ttl(1).icmpError(3, 3, quote).build(), 64, 64);
        assertThat(env.nat().transmit(f, tcp(CLIENT, VIP, RS1), env.tx)).isEqualTo(DropReason.TTL_EXCEEDED.code());
        assertThat(env.tx.frames).isEmpty();
        Frame g = frame(fromClient().ipv4("0.0.0.0", VIP).ttl(1).tcp(1, 80).build(), 64, 64);
        assertThat(env.nat().transmit(g, tcp(CLIENT, VIP, RS1), env.tx)).isEqualTo(DropReason.TTL_EXCEEDED.code());
        assertThat(env.tx.frames).isEmpty();
    }

    @Test
    void sourcePortFollowsUdpFlowSrcPort() {
        assertThat(TunnelXmit.sourcePort(0, 32768, 60999)).isEqualTo(32768);
        for (int h : new int[] {1, 0x1234_5678, 0x8000_0000, -7, 0x0000_FFFF, 0xFFFF_FFFF, 0x7FFF_8000}) {
            long m = (h ^ (h << 16)) & 0xFFFF_FFFFL;
            assertThat(TunnelXmit.sourcePort(h, 32768, 60999)).isEqualTo((int) ((m * 28231) >>> 32) + 32768).isBetween(32768, 60998);
        }
    }

    @Test
    void ecnEncapsulateCopiesAllButCongestionExperienced() {
        assertThat(TunnelXmit.ecnEncapsulate(0xB8)).isEqualTo(0xB8);
        assertThat(TunnelXmit.ecnEncapsulate(0xB9)).isEqualTo(0xB9);
        assertThat(TunnelXmit.ecnEncapsulate(0xBA)).isEqualTo(0xBA);
        assertThat(TunnelXmit.ecnEncapsulate(0xBB)).isEqualTo(0xBA);
    }

    @Test
    void theSeededFlowHashIsPerFlow() {
        FlowHash h = FlowHash.seeded(42);
        int a = h.hash(frame(V.ip(fromClient(), CLIENT, VIP, 64).tcp(1000, 80).payload("a").build(), 0, 0));
        int b = h.hash(frame(V.ip(fromClient(), CLIENT, VIP, 9).tcp(1000, 80).ack().payload("bbbb").build(), 0, 0));
        int c = h.hash(frame(V.ip(fromClient(), CLIENT, VIP, 64).tcp(1001, 80).build(), 0, 0));
        int d = FlowHash.seeded(43).hash(frame(V.ip(fromClient(), CLIENT, VIP, 64).tcp(1000, 80).build(), 0, 0));
        assertThat(a).isEqualTo(b).isNotEqualTo(c).isNotEqualTo(d).isNotZero();
        int v6 = h.hash(frame(V.ip(fromClient(), CLIENT6, VIP6, 64).udp(1000, 80).build(), 0, 0));
        assertThat(v6).isNotEqualTo(a).isNotZero();
    }

    @Test
    void fragmentsOfAPacketWithOptionsCarryOnlyTheCopiedOnes() {
        XmitEnv env = new XmitEnv();
        // record route (7, not copied) then router alert (148 = 0x94, copied): 12 octets of options
        byte[] opts = {7, 7, 4, 0, 0, 0, 0, (byte) 0x94, 4, 0, 0, 0};
        byte[] in = fromClient().ipv4(CLIENT, VIP).ttl(64).id(5).ipOptions(opts).udp(1, 53).payload(new byte[1460]).build();
        Frame f = frame(in, 32, 64);
        assertThat(env.dr().transmit(f, V.conn17(CLIENT, VIP, RS_MTU), env.tx)).isEqualTo(Verdict.TX);
        assertThat(env.tx.frames).hasSize(2);
        byte[] first = env.tx.frames.get(0), second = env.tx.frames.get(1);
        assertThat(Arrays.copyOfRange(first, 34, 46)).containsExactly(opts);
        assertThat(Arrays.copyOfRange(second, 34, 46)).containsExactly(new byte[] {1, 1, 1, 1, 1, 1, 1, (byte) 0x94, 4, 0, 0, 0});
        assertThat(first.length - 14).isLessThanOrEqualTo(1400);
        assertThat(Checksum.verify(first)).isEmpty();
        assertThat(Checksum.verify(second)).isEmpty();
        int fragWord = ((second[20] & 0xFF) << 8) | (second[21] & 0xFF);
        assertThat((fragWord & 0x1FFF) << 3).isEqualTo(1400 - 32 & ~7);
    }

    @Test
    void aFullRingMidwayThroughFragmentsIsADrop() {
        XmitEnv env = new XmitEnv();
        env.tx.capacity = 1;
        Frame f = frame(fromClient().ipv4(CLIENT, VIP).ttl(64).udp(1, 53).payload(new byte[1472]).build(), 32, 64);
        assertThat(env.dr().transmit(f, V.conn17(CLIENT, VIP, RS_MTU), env.tx)).isEqualTo(DropReason.TX_QUEUE_FULL.code());
        assertThat(env.tx.frames).hasSize(1);
    }

    @Test
    void aFrameMovesTowardsTheTailWhenTheHeadroomIsShort() {
        byte[] in = V.ip(fromClient(), CLIENT, VIP, 64).tcp(1, 80).build();
        Frame f = frame(Arrays.copyOf(in, in.length + 6), 0, 10);     // 6 octets of padding after the packet
        long l3 = f.l3Offset();
        assertThat(f.reserveFront(30)).isTrue();
        assertThat(f.l3Offset()).isEqualTo(30);
        assertThat(f.l3Offset() - l3).isEqualTo(16);
        assertThat(f.l3End() - f.l3Offset()).isEqualTo(in.length - 14);
        assertThat(f.reserveFront(30 + 16 + 10)).as("no room left").isFalse();
    }

    @Test
    void verdictNames() {
        assertThat(Verdict.name(Verdict.TX)).isEqualTo("TX");
        assertThat(Verdict.name(Verdict.LOCAL)).isEqualTo("LOCAL");
        assertThat(Verdict.name(DropReason.MTU_EXCEEDED.code())).isEqualTo("MTU_EXCEEDED");
        assertThat(Verdict.isDrop(Verdict.TX)).isFalse();
        assertThat(Verdict.isDrop(0)).isTrue();
    }

    @Test
    void remoteChecksumOffloadNeedsAnInternetChecksum() {
        XmitEnv env = new XmitEnv();
        byte[] in = fromClient().ipv4(CLIENT, VIP).ttl(64).sctp(1, 80, 9).chunk(0, 0, new byte[8]).build();
        Frame f = frame(in, 64, 64).partialChecksum(64 + 34, 8, true);
        XmitConn c = V.conn132(CLIENT, VIP, RS1).tunnel(TunnelType.GUE, 6080, TunnelType.FLAG_REMCSUM);
        assertThat(env.tunnel().transmit(f, c, env.tx)).isEqualTo(Verdict.TX);
        byte[] out = env.tx.frames.getFirst();
        assertThat(out[14 + 20 + 8]).as("GUE hlen: no option for a CRC32c").isZero();
        assertThat(Checksum.verify(out, 6080)).isEmpty();
    }
}
