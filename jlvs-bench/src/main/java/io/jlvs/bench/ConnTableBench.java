package io.jlvs.bench;

import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;
import io.jlvs.conn.ExpiryHandler;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The connection table with {@code entries} IPv4 NAT connections (2^20 by default: 65536 clients x 16 ports to one
 * VIP, 8 real servers), probed in a scrambled order so every op pays the cache misses a busy director pays.
 *
 * <ul>
 *   <li>{@code lookupInHit}: a client packet of an existing connection ({@code ip_vs_conn_in_get}).</li>
 *   <li>{@code lookupOutHit}: a NAT reply from the real server ({@code ip_vs_conn_out_get}).</li>
 *   <li>{@code lookupMiss}: a client port nobody uses (a new connection's first lookup).</li>
 *   <li>{@code createRemove}: a connection made and taken out again (index insert + backward-shift delete,
 *       timer link + unlink).</li>
 *   <li>{@code refresh}: the per-packet timeout restart.</li>
 *   <li>{@code churn}: steady state of the engine: one new connection per op on a clock moving 1 us per op,
 *       timeouts of 0.5 s, the wheel polled every op with a limit of 4; 1M preloaded plus ~0.5M churning connections.</li>
 * </ul>
 *
 * <pre>java -jar jlvs-bench/target/jlvs-bench.jar ConnTableBench -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"})
public class ConnTableBench {
    static final int AF = ConnTable.AF_INET, TCP = 6;
    static final long VIP = 0xC6336400L + 10;          // 198.51.100.10
    static final long CLIENTS = 0x0A000000L;            // 10.0.0.0/8
    static final long RS = 0xC6120000L;                 // 198.18.0.0/15

    @Param({"1048576"})
    public int entries;

    private ConnTable table;
    private int mask;
    private int next;
    private long nowNs;
    private final ExpiryHandler expireAll = c -> true;

    @Setup
    public void setup() {
        if (Integer.bitCount(entries) != 1) throw new IllegalArgumentException("entries must be a power of two");
        mask = entries - 1;
        table = new ConnTable(2 * entries, 0, 0);
        for (int i = 0; i < entries; i++) {
            int c = table.create(AF, TCP, 0, client(i), cport(i), 0, VIP, 80, AF, 0, RS + (i & 7), 8080,
                    ConnFlags.MASQ, i & 7, 900_000_000, 0);
            if (c != i) throw new IllegalStateException("conn " + i + " at " + c);
        }
    }

    @TearDown
    public void tearDown() { table.close(); }

    static long client(int i) { return CLIENTS + (i >>> 4); }
    static int cport(int i) { return 1024 + (i & 15); }

    /** The next connection in a scrambled order (an odd multiplier permutes 0..entries-1). */
    private int pick() { return (next++ * 0x9E3779B1) & mask; }

    @Benchmark
    public int lookupInHit() {
        int i = pick();
        return table.lookupIn(AF, TCP, 0, client(i), cport(i), 0, VIP, 80);
    }

    @Benchmark
    public int lookupOutHit() {
        int i = pick();
        return table.lookupOut(AF, TCP, 0, RS + (i & 7), 8080, 0, client(i), cport(i));
    }

    @Benchmark
    public int lookupMiss() {
        int i = pick();
        return table.lookupIn(AF, TCP, 0, client(i), 40000 + (i & 15), 0, VIP, 80);
    }

    @Benchmark
    public int createRemove() {
        int i = pick();
        int c = table.create(AF, TCP, 0, client(i), 50000 + (i & 15), 0, VIP, 80, AF, 0, RS, 8080, ConnFlags.MASQ, 0, 3000, 0);
        table.remove(c);
        return c;
    }

    @Benchmark
    public int refresh() {
        int c = pick();
        table.refresh(c, nowNs += 100);
        return c;
    }

    @Benchmark
    public int churn() {
        int i = next++;
        nowNs += 1000;
        int c = table.create(AF, TCP, 0, CLIENTS + 0x100000 + (i >>> 10), 1024 + (i & 1023), 0, VIP, 80, AF, 0, RS + (i & 7), 8080,
                ConnFlags.MASQ, 0, 500, nowNs);
        table.expire(nowNs, 4, expireAll);
        return c;
    }
}
