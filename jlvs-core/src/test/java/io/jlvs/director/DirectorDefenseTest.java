package io.jlvs.director;

import io.jlvs.packet.Flow;
import io.jlvs.proto.TcpProtocol;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import static io.jlvs.director.DirectorHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The SYN-flood defences, drop_entry and secure_tcp, in their fixed and automatic modes. */
class DirectorDefenseTest {

    static int conn(DirectorHarness h, int cport) {
        return h.conns.lookupIn(Flow.AF_INET, 6, 0, IpAddr.parse(CLIENT).lo(), cport, 0, IpAddr.parse(VIP).lo(), 80);
    }

    @Test
    void dropEntryRemovesHalfOpenConnectionsAndKeepsLiveOnes() {
        DirectorHarness h = new DirectorHarness(64);         // 64 + 16 slots: 2 looked at per second
        h.director.seedRandom(42);
        h.cfg.dropEntry = 3;
        VirtualService svc = h.service(ServiceKey.tcp(VIP, 80), "rr");
        add(svc, RS1, 80, FwdMethod.MASQ, 1);
        for (int p = 1; p <= 20; p++) h.in(tcpIn(CLIENT, 1000 + p, VIP, 80).syn());   // (never port 20: FTPDATA)
        for (int p = 1; p <= 10; p++) h.in(tcpIn(CLIENT, 1000 + p, VIP, 80).ack());        // 1..10 established
        for (int s = 0; s < 50; s++) {                                               // under SYN_RECV's 60 s
            h.advanceSeconds(1);
            for (int p = 1; p <= 10; p++) h.in(tcpIn(CLIENT, 1000 + p, VIP, 80).ack());    // live: refreshed
        }
        for (int p = 1; p <= 10; p++) {
            assertThat(conn(h, 1000 + p)).as("established %d", p).isNotEqualTo(-1);
            assertThat(h.conns.state(conn(h, 1000 + p))).isEqualTo(TcpProtocol.S_ESTABLISHED);
        }
        int halfOpen = 0;
        for (int p = 11; p <= 20; p++) if (conn(h, 1000 + p) != -1) halfOpen++;
        assertThat(halfOpen).isLessThan(10);
        assertThat(h.director.defenseDrops()).isEqualTo(10 - halfOpen);
        assertThat(svc.dests()[0].activeConns() + svc.dests()[0].inactConns()).isEqualTo(h.conns.size());
    }

    @Test
    void dropEntryOffDropsNothing() {
        DirectorHarness h = new DirectorHarness(64);
        VirtualService svc = h.service(ServiceKey.tcp(VIP, 80), "rr");
        add(svc, RS1, 80, FwdMethod.MASQ, 1);
        for (int p = 1; p <= 20; p++) h.in(tcpIn(CLIENT, 1000 + p, VIP, 80).syn());   // (never port 20: FTPDATA)
        h.advanceSeconds(50);
        assertThat(h.conns.size()).isEqualTo(20);
        assertThat(h.director.defenseDrops()).isZero();
    }

    @Test
    void automaticModesFollowTheTablesFreeRoom() {
        DirectorHarness h = new DirectorHarness(64);
        h.cfg.dropEntry = 1;
        h.cfg.secureTcp = 1;
        h.cfg.amemthreshConns = 20;                           // short of room below 20 free slots (of 80)
        VirtualService svc = h.service(ServiceKey.udp(VIP, 53), "rr");
        add(svc, RS1, 53, FwdMethod.MASQ, 1);
        h.advanceSeconds(1);
        assertThat(h.director.dropEntryActive()).isFalse();
        assertThat(h.cfg.dropEntry).isEqualTo(1);
        for (int p = 1; p <= 70; p++) h.in(fromClient().ipv4(CLIENT, VIP).udp(p, 53));
        h.advanceSeconds(1);
        assertThat(h.director.dropEntryActive()).isTrue();
        assertThat(h.director.secureTcpActive()).isTrue();
        assertThat(h.cfg.dropEntry).isEqualTo(2);             // the sysctl reads 2 while it defends
        assertThat(h.cfg.secureTcp).isEqualTo(2);
        h.advanceSeconds(301);                                // the UDP entries time out
        assertThat(h.director.dropEntryActive()).isFalse();
        assertThat(h.cfg.dropEntry).isEqualTo(1);
        assertThat(h.cfg.secureTcp).isEqualTo(1);
    }

    @Test
    void secureTcpKeepsABareAckFromEstablishingAConnection() {
        // tcp_states_dos, INPUT direction (NAT): SYN_RECV + ACK stays SYN_RECV (INPUT_ONLY, DR, would promote it)
        DirectorHarness h = new DirectorHarness();
        h.cfg.secureTcp = 3;
        h.advanceSeconds(1);                                  // the defence level is set by the 1 s timer
        VirtualService svc = h.service(ServiceKey.tcp(VIP, 80), "rr");
        add(svc, RS1, 80, FwdMethod.MASQ, 1);
        h.in(tcpIn(CLIENT, 1, VIP, 80).syn());
        h.in(tcpIn(CLIENT, 1, VIP, 80).ack());
        assertThat(h.conns.state(conn(h, 1))).isNotEqualTo(TcpProtocol.S_ESTABLISHED);
        h.cfg.secureTcp = 0;
        h.advanceSeconds(1);
        h.in(tcpIn(CLIENT, 2, VIP, 80).syn());
        h.in(tcpIn(CLIENT, 2, VIP, 80).ack());
        assertThat(h.conns.state(conn(h, 2))).isEqualTo(TcpProtocol.S_ESTABLISHED);
    }
}
