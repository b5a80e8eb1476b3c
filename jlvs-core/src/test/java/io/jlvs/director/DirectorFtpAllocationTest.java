package io.jlvs.director;

import io.jlvs.conn.ConnTable;
import io.jlvs.proto.ProtocolTimeouts;
import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.ServiceTable;
import io.jlvs.service.TunnelType;
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
 * The FTP control connection costs no allocation per packet, its sequence numbers being adjusted in both
 * directions, and neither does a PASV / 227 exchange once its data connection exists (it is found again, the
 * reply rewritten in place). The thread's allocation counter over many rounds, least of several runs.
 */
class DirectorFtpAllocationTest {
    private static final int BUFFER = 2048, HEADROOM = 128;

    @Test
    void controlConnectionPacketsAllocateNothing() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter on this JVM");
        var counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled(), "allocation counter off");

        ServiceTable services = new ServiceTable();
        VirtualService svc = VirtualService.of(ServiceKey.tcp(VIP, 21), SchedulerRegistry.create("rr"));
        services.add(svc);
        svc.addDest(new RealServerSpec(IpAddr.parse(RS1), 21, FwdMethod.MASQ, 1, 0, 0, TunnelType.IPIP, 0, 0));
        FakeNextHops hops = new FakeNextHops().host(RS1, RS1_MAC, 1500, DIRECTOR_IN).local(VIP).local(DIRECTOR)
                .defaultRoute(DIRECTOR, GW_MAC, 1500);
        TxPort sink = (ifIndex, seg, off, len) -> len > 0;
        try (ConnTable conns = new ConnTable(64, 16, 0); Arena arena = Arena.ofConfined()) {
            Director director = new Director(new DirectorConfig(), services, conns, new ProtocolTimeouts(), hops, sink, sink);
            String reply = "227 Entering Passive Mode (203,0,113,11,156,64)\r\n";
            byte[][] setup = {
                    tcpIn(CLIENT, 40000, VIP, 21).syn().seq(1000).build(),
                    fromRs(RS1_MAC).ipv4(RS1, CLIENT).tcp(21, 40000).syn().ack().seq(5000).ackSeq(1001).build(),
                    tcpIn(CLIENT, 40000, VIP, 21).ack().seq(1001).ackSeq(5001).build(),
            };
            byte[][] rounds = {
                    tcpIn(CLIENT, 40000, VIP, 21).ack().seq(1001).ackSeq(5001).payload("PASV\r\n").build(),
                    fromRs(RS1_MAC).ipv4(RS1, CLIENT).tcp(21, 40000).ack().seq(5001).ackSeq(1007).payload(reply).build(),
                    fromRs(RS1_MAC).ipv4(RS1, CLIENT).tcp(21, 40000).ack().seq(5001 + reply.length()).ackSeq(1007)
                            .payload("150 Opening BINARY mode data connection\r\n").build(),
                    tcpIn(CLIENT, 40000, VIP, 21).ack().seq(1007).ackSeq(5001 + reply.length() + 40).build(),
                    tcpIn(CLIENT, 40000, VIP, 21).ack().seq(1007).ackSeq(5001 + reply.length())
                            .payload("NOOP\r\n").build(),
            };
            MemorySegment buffer = arena.allocate(BUFFER);
            Frame frame = new Frame();
            for (byte[] b : setup) assertThat(feed(director, buffer, frame, b)).isEqualTo(Verdict.TX);
            long sum = run(director, buffer, frame, rounds, 2_000);
            assertThat(conns.size()).as("control and data connection").isEqualTo(2);
            long least = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 5 && least > 0; attempt++) {
                long before = counter.getCurrentThreadAllocatedBytes();
                sum += run(director, buffer, frame, rounds, 20_000);
                least = Math.min(least, counter.getCurrentThreadAllocatedBytes() - before);
            }
            assertThat(sum).isEqualTo(0);
            assertThat(least).as("bytes allocated by %d control packets", 20_000 * rounds.length).isLessThan(1024);
        }
    }

    private static long run(Director director, MemorySegment buffer, Frame frame, byte[][] rounds, int n) {
        long notSent = 0;
        for (int r = 0; r < n; r++) {
            for (byte[] b : rounds) notSent += feed(director, buffer, frame, b) == Verdict.TX ? 0 : 1;
        }
        return notSent;
    }

    private static int feed(Director director, MemorySegment buffer, Frame frame, byte[] bytes) {
        MemorySegment.copy(bytes, 0, buffer, java.lang.foreign.ValueLayout.JAVA_BYTE, HEADROOM, bytes.length);
        frame.wrap(buffer, 0, BUFFER, HEADROOM, bytes.length);
        frame.nowNs = 1_000_000_000L;
        return director.ingress(frame);
    }
}
