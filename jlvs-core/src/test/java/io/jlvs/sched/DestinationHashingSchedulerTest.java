package io.jlvs.sched;

import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import static io.jlvs.sched.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class DestinationHashingSchedulerTest {

    @Test
    void bucketsAreFilledRoundRobinIgnoringWeights() {
        DestinationHashingScheduler dh = new DestinationHashingScheduler();
        VirtualService svc = tcpService(dh, 0);
        RealServer c = add(svc, "10.0.0.3", 80, 1);
        RealServer b = add(svc, "10.0.0.2", 80, 7);
        RealServer a = add(svc, "10.0.0.1", 80, 3);           // list a, b, c
        RealServer[] t = dh.table();
        for (int i = 0; i < 256; i++) assertThat(t[i]).isSameAs(new RealServer[] {a, b, c}[i % 3]);
        edit(svc, a, 50);                                      // no upd_dest: nothing to rebuild
        assertThat(dh.table()).containsExactly(t);
        svc.removeDest(b);
        t = dh.table();
        for (int i = 0; i < 256; i++) assertThat(t[i]).isSameAs(i % 2 == 0 ? a : c);
    }

    @Test
    void bucketIsHash32OfTheDestinationAddress() {
        DestinationHashingScheduler dh = new DestinationHashingScheduler();
        VirtualService svc = tcpService(dh, 0);
        RealServer c = add(svc, "10.0.0.3", 80, 1);
        RealServer b = add(svc, "10.0.0.2", 80, 1);
        RealServer a = add(svc, "10.0.0.1", 80, 1);
        assertThat(dh.schedule(svc, to(1))).isSameAs(b);       // hash_32(1, 8) = 97, 97 % 3 = 1
        assertThat(dh.schedule(svc, to(2))).isSameAs(a);       // 195 % 3 = 0
        assertThat(dh.schedule(svc, to(6))).isSameAs(c);       // 74 % 3 = 2
        int d = 0xC0000201;                                    // 192.0.2.1: hash_32 = 50, 50 % 3 = 2
        assertThat(hash32(d & 0xFFFF_FFFFL, 8)).isEqualTo(50);
        assertThat(dh.schedule(svc, to(d))).isSameAs(c);
        // the source does not matter
        assertThat(dh.schedule(svc, new io.jlvs.packet.Flow().v4(TCP, 12345, 999, 1, 80))).isSameAs(b);
    }

    @Test
    void unavailableWeightZeroOrOverloadedGivesNull() {
        DestinationHashingScheduler dh = new DestinationHashingScheduler();
        VirtualService svc = tcpService(dh, 0);
        add(svc, "10.0.0.2", 80, 1);
        RealServer a = add(svc, "10.0.0.1", 80, 1);           // list a, b: even buckets a; hash_32(6, 8) = 74 -> a
        assertThat(dh.schedule(svc, to(6))).isSameAs(a);
        a.overloaded(true);
        assertThat(dh.schedule(svc, to(6))).isNull();
        a.overloaded(false);
        a.weight(0);
        assertThat(dh.schedule(svc, to(6))).isNull();
        a.weight(1);
        assertThat(dh.schedule(svc, to(6))).isSameAs(a);
        svc.removeDest(a);
        assertThat(dh.schedule(svc, to(6))).isNotNull().isNotSameAs(a);
    }
}
