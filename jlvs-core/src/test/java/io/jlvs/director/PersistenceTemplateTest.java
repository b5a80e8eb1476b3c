package io.jlvs.director;

import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import static io.jlvs.director.DirectorHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Template lifetime rules of {@code ip_vs_sched_persist} and {@code ip_vs_conn_expire}, without an engine. */
class PersistenceTemplateTest {
    final DirectorHarness h = new DirectorHarness();

    @Test
    void onePacketConnectionsLeaveTheirTemplateInPlace() {
        // ip_vs_conn_put expires a one-packet connection with its timeout unchanged: has_ref is false, the template stays
        VirtualService svc = new VirtualService(ServiceKey.udp(VIP, 53), SchedulerRegistry.create("rr"),
                VirtualService.F_PERSISTENT | VirtualService.F_ONEPACKET, 60, -1, null);
        h.services.add(svc);
        add(svc, RS2, 53, FwdMethod.MASQ, 1);
        add(svc, RS1, 53, FwdMethod.MASQ, 1);
        for (int p = 1000; p < 1010; p++) {
            h.in(fromClient().ipv4(CLIENT, VIP).udp(p, 53).payload("q"));
            assertThat(dst(h.sent())).isEqualTo(RS1 + ":53");
            h.advanceSeconds(1);
        }
        assertThat(h.conns.size()).isEqualTo(1);                               // the template
        h.in(fromClient().ipv4(CLIENT2, VIP).udp(1000, 53).payload("q"));
        assertThat(dst(h.sent())).isEqualTo(RS2 + ":53");
    }

    @Test
    void aTemplateHitRestartsTheTemplatesTimer() {
        // ip_vs_sched_persist ends with ip_vs_conn_put(ct): mod_timer(ct, jiffies + ct->timeout)
        VirtualService svc = h.persistent(ServiceKey.tcp(VIP, 443), "rr", 100, -1);
        add(svc, RS2, 443, FwdMethod.MASQ, 1);
        add(svc, RS1, 443, FwdMethod.MASQ, 1);
        h.in(tcpIn(CLIENT, 40000, VIP, 443).syn());                           // t=0: template (100 s), rs1
        assertThat(dst(h.sent())).isEqualTo(RS1 + ":443");
        h.in(tcpIn(CLIENT, 40000, VIP, 443).rst());
        h.advanceSeconds(90);                                                 // the SYN_RECV conn is gone (60 s)
        assertThat(h.conns.size()).isEqualTo(1);
        h.in(tcpIn(CLIENT, 40001, VIP, 443).syn());                           // t=90: hit, timer to t=190
        assertThat(dst(h.sent())).isEqualTo(RS1 + ":443");
        h.advanceSeconds(80);                                                 // t=170: conn gone at 150; without the
        assertThat(h.conns.size()).isEqualTo(1);                              // restart the template would be too (160)
        h.in(tcpIn(CLIENT, 40002, VIP, 443).syn());                           // t=170: still rs1
        assertThat(dst(h.sent())).isEqualTo(RS1 + ":443");
    }
}
