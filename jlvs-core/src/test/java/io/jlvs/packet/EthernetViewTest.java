package io.jlvs.packet;

import io.jlvs.testkit.Addresses;
import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.Frames.CLIENT_MAC;
import static io.jlvs.packet.Frames.DIRECTOR_MAC;
import static io.jlvs.packet.Frames.seg;
import static org.assertj.core.api.Assertions.assertThat;

class EthernetViewTest {
    private final EthernetView eth = new EthernetView();

    @Test
    void untaggedFrame() {
        byte[] f = Frames.v4().tcp(1, 2).build();
        eth.wrap(seg(f), 0);
        assertThat(eth.walkTags(f.length)).isZero();
        assertThat(eth.src()).isEqualTo(Addresses.macLong(CLIENT_MAC));
        assertThat(eth.dst()).isEqualTo(Addresses.macLong(DIRECTOR_MAC));
        assertThat(eth.etherType()).isEqualTo(IfEther.ETH_P_IP);
        assertThat(eth.payloadOffset()).isEqualTo(14);
        assertThat(eth.vlanId()).isEqualTo(EthernetView.NO_VLAN);
        assertThat(eth.innerVlanId()).isEqualTo(EthernetView.NO_VLAN);
    }

    @Test
    void dot1qTag() {
        byte[] f = Frames.eth().tag(IfEther.ETH_P_8021Q, 5, 10).ipv6(Frames.CLIENT6, Frames.VIP6).udp(1, 2).build();
        eth.wrap(seg(f), 0);
        assertThat(eth.walkTags(f.length)).isEqualTo(1);
        assertThat(eth.tpid(0)).isEqualTo(IfEther.ETH_P_8021Q);
        assertThat(eth.vlanId()).isEqualTo(10);
        assertThat(eth.pcp(0)).isEqualTo(5);
        assertThat(eth.etherType()).isEqualTo(IfEther.ETH_P_IPV6);
        assertThat(eth.payloadOffset()).isEqualTo(18);
        assertThat(eth.headerLength()).isEqualTo(18);
    }

    @Test
    void qinqTags() {
        byte[] f = Frames.eth().serviceVlan(100).vlan(10).arpRequest(CLIENT_MAC, Frames.CLIENT, Frames.VIP).build();
        eth.wrap(seg(f), 0);
        assertThat(eth.walkTags(f.length)).isEqualTo(2);
        assertThat(eth.tpid(0)).isEqualTo(IfEther.ETH_P_8021AD);
        assertThat(eth.tpid(1)).isEqualTo(IfEther.ETH_P_8021Q);
        assertThat(eth.vlanId()).isEqualTo(100);
        assertThat(eth.innerVlanId()).isEqualTo(10);
        assertThat(eth.etherType()).isEqualTo(IfEther.ETH_P_ARP);
        assertThat(eth.payloadOffset()).isEqualTo(22);
    }

    @Test
    void aThirdTagIsRefused() {
        byte[] f = Frames.eth().serviceVlan(1).vlan(2).vlan(3).ipv4(Frames.CLIENT, Frames.VIP).build();
        assertThat(eth.wrap(seg(f), 0).walkTags(f.length)).isEqualTo(EthernetView.TAGS_LIMIT);
        assertThat(eth.tagCount()).isZero();
    }

    @Test
    void truncatedTagOrHeader() {
        byte[] f = Frames.eth().vlan(7).ipv4(Frames.CLIENT, Frames.VIP).build();
        assertThat(eth.wrap(seg(f), 0).walkTags(13)).isEqualTo(EthernetView.TAGS_TRUNCATED);
        assertThat(eth.wrap(seg(f), 0).walkTags(14)).isEqualTo(EthernetView.TAGS_TRUNCATED);   // tag cut off
        assertThat(eth.wrap(seg(f), 0).walkTags(17)).isEqualTo(EthernetView.TAGS_TRUNCATED);   // EtherType after it cut off
        assertThat(eth.wrap(seg(f), 0).walkTags(18)).isEqualTo(1);
    }

    @Test
    void settersWriteTheBuildersBytes() {
        byte[] f = Frames.eth().vlan(10).ipv4(Frames.CLIENT, Frames.VIP).udp(1, 2).build();
        byte[] expected = PacketBuilder.eth("02:00:00:00:00:aa", "0a:bb:cc:dd:ee:ff").tag(IfEther.ETH_P_8021Q, 0, 4094)
                .ipv4(Frames.CLIENT, Frames.VIP).udp(1, 2).build();
        MemorySegment s = seg(f);
        eth.wrap(s, 0).walkTags(f.length);
        eth.src(Addresses.macLong("02:00:00:00:00:aa")).dst(Addresses.macLong("0a:bb:cc:dd:ee:ff")).vlanId(0, 4094);
        assertThat(f).isEqualTo(expected);
        eth.etherType(IfEther.ETH_P_IPV6);
        assertThat(NetworkOrder.u16(s, 16)).isEqualTo(IfEther.ETH_P_IPV6);
        eth.tci(0, 0xE000 | 5);
        assertThat(eth.pcp(0)).isEqualTo(7);
        eth.vlanId(0, 6);
        assertThat(eth.tci(0)).isEqualTo(0xE006);                // PCP kept
    }

    @Test
    void viewAtAnOffsetInsideALargerSegment() {
        byte[] f = Frames.v4().build();
        byte[] shifted = new byte[f.length + 5];
        System.arraycopy(f, 0, shifted, 5, f.length);
        eth.wrap(seg(shifted), 5);
        assertThat(eth.walkTags(shifted.length)).isZero();
        assertThat(eth.src()).isEqualTo(Addresses.macLong(CLIENT_MAC));
        assertThat(eth.payloadOffset()).isEqualTo(19);
    }
}
