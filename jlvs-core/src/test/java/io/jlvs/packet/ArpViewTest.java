package io.jlvs.packet;

import io.jlvs.testkit.Addresses;
import org.junit.jupiter.api.Test;

import static io.jlvs.packet.Frames.CLIENT;
import static io.jlvs.packet.Frames.CLIENT_MAC;
import static io.jlvs.packet.Frames.DIRECTOR_MAC;
import static io.jlvs.packet.Frames.ETH;
import static io.jlvs.packet.Frames.VIP;
import static io.jlvs.packet.Frames.seg;
import static org.assertj.core.api.Assertions.assertThat;

class ArpViewTest {
    private final ArpView arp = new ArpView();

    @Test
    void requestFields() {
        byte[] f = Frames.eth().arpRequest(CLIENT_MAC, CLIENT, VIP).build();
        assertThat(f).hasSize(ETH + ArpView.LENGTH);
        arp.wrap(seg(f), ETH);
        assertThat(arp.htype()).isEqualTo(ArpView.HTYPE_ETHERNET);
        assertThat(arp.ptype()).isEqualTo(IfEther.ETH_P_IP);
        assertThat(arp.hlen()).isEqualTo(6);
        assertThat(arp.plen()).isEqualTo(4);
        assertThat(arp.isEthernetIpv4()).isTrue();
        assertThat(arp.oper()).isEqualTo(ArpView.OP_REQUEST);
        assertThat(arp.sha()).isEqualTo(Addresses.macLong(CLIENT_MAC));
        assertThat(arp.spa()).isEqualTo(Addresses.ipv4Int(CLIENT));
        assertThat(arp.tha()).isZero();
        assertThat(arp.tpa()).isEqualTo(Addresses.ipv4Int(VIP));
    }

    @Test
    void answeringARequestInPlaceGivesTheBuildersReply() {
        byte[] f = Frames.eth().arpRequest(CLIENT_MAC, CLIENT, VIP).build();
        byte[] reply = io.jlvs.testkit.PacketBuilder.eth(DIRECTOR_MAC, CLIENT_MAC)
                .arpReply(DIRECTOR_MAC, VIP, CLIENT_MAC, CLIENT).build();
        EthernetView eth = new EthernetView().wrap(seg(f), 0);
        long asker = eth.src();
        eth.dst(asker).src(Addresses.macLong(DIRECTOR_MAC));
        arp.wrap(seg(f), ETH);
        int askerIp = arp.spa();
        int vip = arp.tpa();
        arp.oper(ArpView.OP_REPLY).tha(asker).tpa(askerIp).sha(Addresses.macLong(DIRECTOR_MAC)).spa(vip);
        assertThat(f).isEqualTo(reply);
    }

    @Test
    void notEthernetIpv4() {
        byte[] f = Frames.eth().arpRequest(CLIENT_MAC, CLIENT, VIP).build();
        arp.wrap(seg(f), ETH);
        arp.htype(6);
        assertThat(arp.isEthernetIpv4()).isFalse();
        arp.htype(1).ptype(IfEther.ETH_P_IPV6);
        assertThat(arp.isEthernetIpv4()).isFalse();
        arp.ptype(IfEther.ETH_P_IP).hlen(8);
        assertThat(arp.isEthernetIpv4()).isFalse();
        arp.hlen(6).plen(16);
        assertThat(arp.isEthernetIpv4()).isFalse();
        arp.plen(4);
        assertThat(arp.isEthernetIpv4()).isTrue();
    }
}
