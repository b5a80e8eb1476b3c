package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import static io.jlvs.sched.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class SourceHashingSchedulerTest {

    @Test
    void weightsTwoAndOneGiveRunsOfTwoAndOneBuckets() {
        SourceHashingScheduler sh = new SourceHashingScheduler();
        VirtualService svc = tcpService(sh, 0);
        RealServer b = add(svc, "10.0.0.2", 80, 1);
        RealServer a = add(svc, "10.0.0.1", 80, 2);           // list: a(2), b(1)
        RealServer[] t = sh.table();
        assertThat(t).hasSize(256);
        for (int i = 0; i < 256; i++) assertThat(t[i]).as("bucket %d", i).isSameAs(i % 3 < 2 ? a : b);
    }

    @Test
    void weightZeroStillTakesOneBucketPerTurn() {
        SourceHashingScheduler sh = new SourceHashingScheduler();
        VirtualService svc = tcpService(sh, 0);
        RealServer b = add(svc, "10.0.0.2", 80, 2);
        RealServer a = add(svc, "10.0.0.1", 80, 0);           // list: a(0), b(2) -> a b b a b b ...
        RealServer[] t = sh.table();
        for (int i = 0; i < 256; i++) assertThat(t[i]).as("bucket %d", i).isSameAs(i % 3 == 0 ? a : b);
        // ... and is never returned
        for (int src = 0; src < 2000; src++) assertThat(sh.schedule(svc, from(TCP, src, 1))).isNotSameAs(a);
    }

    @Test
    void tableIsRebuiltWhenAWeightIsEdited() {
        SourceHashingScheduler sh = new SourceHashingScheduler();
        VirtualService svc = tcpService(sh, 0);
        RealServer b = add(svc, "10.0.0.2", 80, 1);
        RealServer a = add(svc, "10.0.0.1", 80, 1);
        assertThat(sh.table()[1]).isSameAs(b);
        edit(svc, a, 3);                                       // a a a b a a a b ...
        RealServer[] t = sh.table();
        for (int i = 0; i < 256; i++) assertThat(t[i]).isSameAs(i % 4 < 3 ? a : b);
        svc.removeDest(a);
        assertThat(sh.table()).containsOnly(b);
        svc.removeDest(b);
        assertThat(sh.table()).containsOnlyNulls();
        assertThat(sh.schedule(svc, from(TCP, 1, 1))).isNull();
    }

    @Test
    void bucketIsHash32OfPortPlusAddressTopEightBits() {
        // hash_32(v, 8) = (v * 0x61C88647) >> 24: v=1 -> 0x61 = 97, v=2 -> 0xC3 = 195, v=6 -> 0x4A = 74
        SourceHashingScheduler sh = new SourceHashingScheduler();
        VirtualService svc = tcpService(sh, 0);
        RealServer c = add(svc, "10.0.0.3", 80, 1);
        RealServer b = add(svc, "10.0.0.2", 80, 1);
        RealServer a = add(svc, "10.0.0.1", 80, 1);           // bucket % 3: 0 a, 1 b, 2 c
        assertThat(sh.schedule(svc, from(TCP, 1, 5555))).isSameAs(b);   // 97 % 3 == 1, port ignored
        assertThat(sh.schedule(svc, from(TCP, 2, 5555))).isSameAs(a);   // 195 % 3 == 0
        assertThat(sh.schedule(svc, from(TCP, 6, 5555))).isSameAs(c);   // 74 % 3 == 2
        assertThat(SourceHashingScheduler.hashKey(0, 1, 0)).isEqualTo(97);
        assertThat(SourceHashingScheduler.hashKey(0, 0xC6336401, 0)).isEqualTo(hash32(0xC6336401L, 8));
    }

    @Test
    void shPortAddsTheSourcePortOfTcpUdpSctpOnly() {
        SourceHashingScheduler sh = new SourceHashingScheduler();
        VirtualService svc = tcpService(sh, SchedFlags.PORT);
        RealServer c = add(svc, "10.0.0.3", 80, 1);
        add(svc, "10.0.0.2", 80, 1);
        RealServer a = add(svc, "10.0.0.1", 80, 1);
        // 0.0.0.1 port 5: v = 6 -> bucket 74 -> c; ICMP has no port: v = 1 -> bucket 97 -> b
        assertThat(sh.schedule(svc, from(TCP, 1, 5))).isSameAs(c);
        assertThat(sh.schedule(svc, from(UDP, 1, 5))).isSameAs(c);
        assertThat(sh.schedule(svc, from(SCTP, 1, 5))).isSameAs(c);
        assertThat(sh.schedule(svc, from(ICMP, 1, 5))).isNotSameAs(c).isNotSameAs(a);
        // 0.0.0.1 port 1: v = 2 -> bucket 195 -> a
        assertThat(sh.schedule(svc, from(TCP, 1, 1))).isSameAs(a);
    }

    @Test
    void ipv6SourcesAreFoldedByXorOfTheirFourWords() {
        SourceHashingScheduler sh = new SourceHashingScheduler();
        VirtualService svc = v6Service(sh, 0);
        RealServer[] ds = new RealServer[5];
        for (int i = 4; i >= 0; i--) ds[i] = add(svc, "2001:db8::" + (100 + i), 80, 1);
        // 2001:db8::1 folds to 0x20010db8 ^ 0x00000001 = 0x20010db9; hash_32(.., 8) = 63; 63 % 5 = 3
        assertThat(hash32(0x20010db9L, 8)).isEqualTo(63);
        Flow f = new Flow().v6(TCP, 0x20010db800000000L, 1L, 40000, 0x20010db800000000L, 0x10L, 80);
        assertThat(sh.schedule(svc, f)).isSameAs(ds[3]);
    }

    @Test
    void unavailableDestGivesNullWithoutFallback() {
        SourceHashingScheduler sh = new SourceHashingScheduler();
        VirtualService svc = tcpService(sh, 0);
        add(svc, "10.0.0.3", 80, 1);
        RealServer b = add(svc, "10.0.0.2", 80, 1);
        add(svc, "10.0.0.1", 80, 1);
        b.overloaded(true);
        assertThat(sh.schedule(svc, from(TCP, 1, 0))).isNull();           // bucket 97 -> b
        b.overloaded(false);
        assertThat(sh.schedule(svc, from(TCP, 1, 0))).isSameAs(b);
        b.weight(0);                                                        // quiesced, table unchanged
        assertThat(sh.schedule(svc, from(TCP, 1, 0))).isNull();
    }

    @Test
    void fallbackProbesOffsetPlusHashFromTheOriginalBucket() {
        SourceHashingScheduler sh = new SourceHashingScheduler();
        VirtualService svc = tcpService(sh, SchedFlags.FALLBACK);
        RealServer c = add(svc, "10.0.0.3", 80, 1);
        RealServer b = add(svc, "10.0.0.2", 80, 1);
        RealServer a = add(svc, "10.0.0.1", 80, 1);           // bucket % 3: 0 a, 1 b, 2 c
        // 0.0.0.1: ihash 97 -> b. Probe k: bucket (k + 97) + 97 = 194 + k: 194 -> c, 195 -> a, 196 -> b ...
        b.overloaded(true);
        assertThat(sh.schedule(svc, from(TCP, 1, 0))).isSameAs(c);
        c.weight(0);
        assertThat(sh.schedule(svc, from(TCP, 1, 0))).isSameAs(a);
        a.overloaded(true);
        assertThat(sh.schedule(svc, from(TCP, 1, 0))).isNull();
    }
}
