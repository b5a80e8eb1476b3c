package io.jlvs.director;

import io.jlvs.conn.ConnTable;
import io.jlvs.packet.DropReason;
import io.jlvs.proto.ProtocolTimeouts;
import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.ServiceTable;
import io.jlvs.service.VirtualService;
import io.jlvs.xmit.FakeNextHops;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.TxPort;
import io.jlvs.xmit.Verdict;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import static io.jlvs.director.DirectorHarness.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --pe sip} on a known call allocates nothing: the Call-ID search, its hash, the template lookup with
 * {@code ct_match}, a one-packet connection made and released; and a datagram without a Call-ID neither.
 * Only a new template copies its Call-ID ({@code kmemdup}). The thread's allocation counter, least of 5 runs.
 */
class SipAllocationTest {
    @Test
    void requestsOfAKnownCallAllocateNothing() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter on this JVM");
        var counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled(), "allocation counter off");

        ServiceTable services = new ServiceTable();
        VirtualService svc = new VirtualService(ServiceKey.udp(VIP, 5060), SchedulerRegistry.create("rr"),
                VirtualService.F_PERSISTENT | VirtualService.F_ONEPACKET, 60, -1, "sip");
        services.add(svc);
        add(svc, RS2, 5060, FwdMethod.MASQ, 1);
        add(svc, RS1, 5060, FwdMethod.MASQ, 1);
        FakeNextHops hops = new FakeNextHops().host(RS1, RS1_MAC, 1500, DIRECTOR_IN).host(RS2, RS2_MAC, 1500, DIRECTOR_IN)
                .local(VIP).defaultRoute(DIRECTOR, GW_MAC, 1500);
        TxPort sink = (ifIndex, seg, off, len) -> len > 0;
        try (ConnTable conns = new ConnTable(1024, 256, 0); Arena arena = Arena.ofConfined()) {
            Director director = new Director(new DirectorConfig(), services, conns, new ProtocolTimeouts(), hops, sink, sink);
            byte[][] inputs = new byte[8][];
            for (int i = 0; i < 7; i++) {
                inputs[i] = SipPersistenceTest.sipFrom(CLIENT, 5060 + i, VIP, (i % 2 == 0 ? "Call-ID: " : "i: ") + "call-" + (i % 3)).build();
            }
            inputs[7] = SipPersistenceTest.sipFrom(CLIENT, 5070, VIP, "Subject: no call id").build();
            MemorySegment[] originals = new MemorySegment[inputs.length];
            for (int i = 0; i < inputs.length; i++) originals[i] = arena.allocate(inputs[i].length).copyFrom(MemorySegment.ofArray(inputs[i]));
            MemorySegment buffer = arena.allocate(4096);
            Frame frame = new Frame();
            long[] now = {1_000_000_000L};

            assertThat(round(director, originals, buffer, frame, now)).isEqualTo(7 * Verdict.TX + DropReason.NO_PE_DATA.code());
            assertThat(conns.size()).isEqualTo(3);                             // three calls, three templates
            long sum = 0;
            for (int r = 0; r < 20_000; r++) sum += round(director, originals, buffer, frame, now);
            long least = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 5 && least > 0; attempt++) {
                long before = counter.getCurrentThreadAllocatedBytes();
                for (int r = 0; r < 20_000; r++) sum += round(director, originals, buffer, frame, now);
                least = Math.min(least, counter.getCurrentThreadAllocatedBytes() - before);
            }
            assertThat(sum).isNotZero();
            assertThat(conns.size()).isEqualTo(3);
            assertThat(director.persistenceData().size()).isEqualTo(3);
            assertThat(least).as("bytes allocated by %d SIP datagrams", 20_000 * inputs.length).isLessThan(1024);
        }
    }

    private static int round(Director director, MemorySegment[] originals, MemorySegment buffer, Frame frame, long[] now) {
        int sum = 0;
        for (MemorySegment in : originals) {
            int len = (int) in.byteSize();
            MemorySegment.copy(in, 0, buffer, 128, len);
            frame.wrap(buffer, 0, buffer.byteSize(), 128, len);
            frame.nowNs = now[0] += 1_000;
            sum += director.ingress(frame);
        }
        director.expire(now[0]);
        return sum;
    }
}
