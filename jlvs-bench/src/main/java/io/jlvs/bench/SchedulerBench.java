package io.jlvs.bench;

import io.jlvs.packet.Flow;
import io.jlvs.sched.Scheduler;
import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One scheduling decision per op, for every scheduler, with 1000 real servers (random weights 1..100 and
 * counters) and 4096 distinct flows in rotation (sources and destinations vary, as sh, mh, dh, lblc see them).
 *
 * <p>{@code schedule}: the decision alone. {@code scheduleAndChurn}: the decision plus what the connection engine
 * does around it: bind the new connection to the chosen dest and unbind one made 4096 decisions earlier (so the
 * counters move and the load indexes are maintained).
 *
 * <pre>./jlvs bench-jmh SchedulerBench -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"})
public class SchedulerBench {

    @Param({"rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "twos", "sh", "mh", "dh", "lblc", "lblcr"})
    public String scheduler;

    @Param({"1000"})
    public int dests;

    private static final int FLOWS = 4096;
    private VirtualService svc;
    private Scheduler sched;
    private final Flow[] flows = new Flow[FLOWS];
    private final RealServer[] bound = new RealServer[FLOWS];
    private int next;

    @Setup
    public void setup() {
        Scheduler s = SchedulerRegistry.create(scheduler);
        if (s == null) throw new IllegalStateException("no scheduler " + scheduler);
        svc = VirtualService.of(ServiceKey.tcp("198.51.100.10", 80), s);
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < dests; i++) {
            IpAddr addr = IpAddr.v4(0xC6120000 + i);                       // 198.18.0.0/15, RFC 2544
            RealServer d = svc.addDest(RealServerSpec.nat(addr, 8080, 1 + rnd.nextInt(100)));
            d.counters(rnd.nextInt(50), rnd.nextInt(200));
        }
        for (int i = 0; i < FLOWS; i++) {
            flows[i] = new Flow().v4(6, 0xCB007100 + rnd.nextInt(1 << 20), 1024 + rnd.nextInt(60000),
                    0xC6336400 + rnd.nextInt(64), 80).at(i * 1_000_000L);
        }
        sched = svc.scheduler();
    }

    @Benchmark
    public RealServer schedule() {
        return sched.schedule(svc, flows[next++ & (FLOWS - 1)]);
    }

    @Benchmark
    public RealServer scheduleAndChurn() {
        int slot = next++ & (FLOWS - 1);
        RealServer old = bound[slot];
        if (old != null) old.unbindConn(true);
        RealServer d = sched.schedule(svc, flows[slot]);
        if (d != null) d.bindConn(true);
        bound[slot] = d;
        return d;
    }
}
