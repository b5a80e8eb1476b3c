package io.jlvs.packet;

import io.jlvs.testkit.Addresses;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.jlvs.packet.Frames.ETH;
import static io.jlvs.packet.Frames.seg;
import static org.assertj.core.api.Assertions.assertThat;

class IcmpViewTest {
    private static final int L4 = ETH + 20;
    private final IcmpView icmp = new IcmpView();

    @Test
    void echoReadsBack() {
        byte[] f = Frames.v4().icmpEcho(0x1234, 7).payload("ping").build();
        icmp.wrap(seg(f), L4);
        assertThat(icmp.type()).isEqualTo(IcmpView.ECHO);
        assertThat(icmp.code()).isZero();
        assertThat(icmp.id()).isEqualTo(0x1234);
        assertThat(icmp.sequence()).isEqualTo(7);
        assertThat(icmp.isError()).isFalse();
        assertThat(icmp.checksumOk(f.length - L4)).isTrue();
    }

    @Test
    void fragNeededCarriesTheMtuAndQuotesTheDatagram() {
        byte[] inner = Frames.eth().ipv4(Frames.VIP, Frames.CLIENT).df().tcp(80, 40000).ack().payload(new byte[100]).buildL3();
        byte[] f = Frames.eth().ipv4("203.0.113.1", Frames.CLIENT).icmpFragNeeded(1400, Arrays.copyOf(inner, 28)).build();
        icmp.wrap(seg(f), L4);
        assertThat(icmp.type()).isEqualTo(IcmpView.DEST_UNREACH);
        assertThat(icmp.code()).isEqualTo(IcmpView.FRAG_NEEDED);
        assertThat(icmp.nextHopMtu()).isEqualTo(1400);
        assertThat(icmp.isError()).isTrue();
        assertThat(icmp.embeddedOffset()).isEqualTo(L4 + 8);
        Ipv4View quoted = new Ipv4View().wrap(seg(f), icmp.embeddedOffset());
        assertThat(quoted.src()).isEqualTo(Addresses.ipv4Int(Frames.VIP));
        assertThat(NetworkOrder.u16(seg(f), icmp.embeddedOffset() + 20)).isEqualTo(80);
        assertThat(icmp.checksumOk(f.length - L4)).isTrue();
    }

    @Test
    void errorTypes() {
        for (int t : new int[] {3, 4, 5, 11, 12}) assertThat(IcmpView.isError(t)).as("%d", t).isTrue();
        for (int t : new int[] {0, 8, 13, 14, 9, 10}) assertThat(IcmpView.isError(t)).as("%d", t).isFalse();
    }

    @Test
    void otherRestOfHeaderFields() {
        byte[] f = Frames.v4().icmp(IcmpView.PARAMETER_PROBLEM, 0, 20 << 24).build();
        assertThat(icmp.wrap(seg(f), L4).pointer()).isEqualTo(20);
        byte[] r = Frames.v4().icmp(IcmpView.REDIRECT, 1, Addresses.ipv4Int("192.0.2.1")).build();
        assertThat(icmp.wrap(seg(r), L4).gateway()).isEqualTo(Addresses.ipv4Int("192.0.2.1"));
        assertThat(icmp.rest()).isEqualTo(Addresses.ipv4Int("192.0.2.1"));
    }

    @Test
    void settersWriteTheBuildersBytes() {
        byte[] f = Frames.v4().icmpEcho(1, 1).payload("ping").build();
        byte[] expected = Frames.v4().icmpEchoReply(0x4242, 0x0909).payload("ping").build();
        icmp.wrap(seg(f), L4).type(IcmpView.ECHO_REPLY).code(0).id(0x4242).sequence(0x0909).fillChecksum(f.length - L4);
        assertThat(f).isEqualTo(expected);
        icmp.rest(0).nextHopMtu(576);
        assertThat(icmp.rest()).isEqualTo(576);
        icmp.checksum(0xBEEF);
        assertThat(NetworkOrder.u16(seg(f), L4 + 2)).isEqualTo(0xBEEF);
    }
}
