package io.jlvs.bench;

import io.jlvs.conn.ConnTable;
import io.jlvs.director.Director;
import io.jlvs.director.DirectorConfig;
import io.jlvs.proto.ProtocolTimeouts;
import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.ServiceTable;
import io.jlvs.service.TunnelType;
import io.jlvs.service.VirtualService;
import io.jlvs.testkit.Addresses;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.Egress;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.NextHops;
import io.jlvs.xmit.TxPort;
import io.jlvs.xmit.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Whole packets through the director's spine (parse, lookups, state machine, statistics, transmitter), on an
 * in-memory network whose TX port accepts everything. The transmitter rewrites a frame in place, so each op also
 * restores one: as an RX ring hands over frames the kernel wrote a while before, the frame an op processes was
 * restored {@value #AHEAD} ops earlier, in a ring of {@value #DEPTH} buffers (processing the bytes just copied
 * would measure the CPU's failed store-to-load forwarding of the copy's wide stores, which a real ring never
 * shows). {@code restoreOnly} measures the copy alone, to subtract.
 *
 * <ul>
 *   <li>{@code establishedNat}: an ACK of an established NAT connection, among {@code conns} live ones
 *       (target <= 150 ns);</li>
 *   <li>{@code newTcpConnection}: a SYN from a new client port: schedule (wlc over 10 real servers), create,
 *       bind, DNAT (target <= 400 ns); the table is emptied between iterations;</li>
 *   <li>{@code establishedDr}: the same as the first, by direct routing.</li>
 * </ul>
 * <pre>./jlvs bench-jmh DirectorBench -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class DirectorBench {
    private static final String DIRECTOR_MAC = "02:00:00:00:00:02", GW_MAC = "02:00:00:00:00:01", RS_MAC = "02:00:00:00:01:11";
    private static final String VIP = "192.0.2.10", VIP_DR = "192.0.2.11";
    private static final int CLIENTS = 64;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    /** Live connections, in a table of twice that capacity (as an operator sizes it). */
    @Param({"100000", "1000000"})
    public int conns;

    private Director director;
    private ConnTable table;
    private final Frame frame = new Frame();
    private MemorySegment buffer;
    static final int DEPTH = 16, AHEAD = 8, SLOT = 2240;
    private final MemorySegment[] ring = new MemorySegment[DEPTH];
    private final int[] ringLength = new int[DEPTH];
    private long op;
    private MemorySegment establishedNat, establishedDr;
    private final MemorySegment[] syns = new MemorySegment[CLIENTS];
    private int synLength, ackLength;
    private int nextPort, nextClient;
    private long now = 1_000_000_000L;

    /** Every address is one hop away on a link with a known MAC; the VIPs and the director's own are local. */
    static final class OneLink implements NextHops {
        final long vip = Addresses.ipv4Int(VIP) & 0xFFFF_FFFFL, vipDr = Addresses.ipv4Int(VIP_DR) & 0xFFFF_FFFFL;
        final long directorMac = Addresses.macLong(DIRECTOR_MAC), rsMac = Addresses.macLong(RS_MAC);
        final long src = Addresses.ipv4Int("203.0.113.1") & 0xFFFF_FFFFL;
        @Override
        public int resolve(int af, long hi, long lo, int flags, Egress out) {
            if (lo == vip || lo == vipDr) return LOCAL;
            out.set(1, directorMac, rsMac, Egress.NO_VLAN, 1500, 0, src);
            return RESOLVED;
        }
    }

    @Setup
    public void setup() {
        ServiceTable services = new ServiceTable();
        VirtualService nat = VirtualService.of(ServiceKey.tcp(VIP, 80), SchedulerRegistry.create("wlc"));
        VirtualService dr = VirtualService.of(ServiceKey.tcp(VIP_DR, 80), SchedulerRegistry.create("wlc"));
        for (int i = 0; i < 10; i++) {
            IpAddr rs = IpAddr.v4(Addresses.ipv4Int("203.0.113.20") + i);
            nat.addDest(new RealServerSpec(rs, 8080, FwdMethod.MASQ, 1, 0, 0, TunnelType.IPIP, 0, 0));
            dr.addDest(new RealServerSpec(rs, 80, FwdMethod.DROUTE, 1, 0, 0, TunnelType.IPIP, 0, 0));
        }
        services.add(nat);
        services.add(dr);
        table = new ConnTable(2 * conns, 1024, now);
        TxPort sink = (ifIndex, seg, off, len) -> true;
        director = new Director(new DirectorConfig(), services, table, new ProtocolTimeouts(), new OneLink(), sink, sink);
        buffer = Arena.ofAuto().allocate(2048);
        // slots 2240 octets apart, not 2048: the restore's stores into one slot and the reads of the slot due then
        // (AHEAD slots away) must not sit at the same offset modulo 4 KiB (the CPU would take the loads to depend
        // on the stores: "4K aliasing")
        MemorySegment slots = Arena.ofAuto().allocate((long) DEPTH * SLOT, 64);
        for (int i = 0; i < DEPTH; i++) ring[i] = slots.asSlice((long) i * SLOT, 2048);

        // the connections the "established" benchmarks use, among conns - 2 others
        for (int i = 0; i < conns - 2; i++) {
            send(seg(client(i % 200).tcp(1024 + (i / 200) % 60000, 80).syn().build()), 0);
        }
        send(seg(client(250).tcp(40000, 80).syn().build()), 0);
        establishedNat = seg(client(250).tcp(40000, 80).ack().payload(new byte[64]).build());
        send(establishedNat, 0);
        byte[] drSyn = PacketBuilder.eth(GW_MAC, DIRECTOR_MAC).ipv4("198.51.100.250", VIP_DR).tcp(40000, 80).syn().build();
        send(seg(drSyn), 0);
        establishedDr = seg(PacketBuilder.eth(GW_MAC, DIRECTOR_MAC).ipv4("198.51.100.250", VIP_DR).tcp(40000, 80).ack()
                .payload(new byte[64]).build());
        send(establishedDr, 0);
        for (int c = 0; c < CLIENTS; c++) syns[c] = seg(client(c + 10).tcp(1, 80).syn().build());
        synLength = (int) syns[0].byteSize();
        ackLength = (int) establishedNat.byteSize();
    }

    private static PacketBuilder client(int i) {
        return PacketBuilder.eth(GW_MAC, DIRECTOR_MAC).ipv4("198.51.100." + (i % 250 + 1), VIP).id(i);
    }

    private static MemorySegment seg(byte[] b) { return MemorySegment.ofArray(b); }

    private int send(MemorySegment in, int srcPortOrZero) {
        int len = (int) in.byteSize();
        MemorySegment.copy(in, 0, buffer, 128, len);
        if (srcPortOrZero != 0) buffer.set(U16, 128 + 34, (short) srcPortOrZero);
        frame.wrap(buffer, 0, buffer.byteSize(), 128, len);
        frame.nowNs = now;
        return director.ingress(frame);
    }

    /** One op: restores {@code in} into the buffer used {@link #AHEAD} ops from now, and sends the one due now. */
    private int sendPipelined(MemorySegment in, int srcPortOrZero) {
        int w = (int) ((op + AHEAD) & (DEPTH - 1)), r = (int) (op & (DEPTH - 1));
        op++;
        int len = (int) in.byteSize();
        MemorySegment b = ring[w];
        MemorySegment.copy(in, 0, b, 128, len);
        if (srcPortOrZero != 0) b.set(U16, 128 + 34, (short) srcPortOrZero);
        ringLength[w] = len;
        if (ringLength[r] == 0) return Verdict.TX;             // the first AHEAD ops of a trial: nothing due yet
        frame.wrap(ring[r], 0, 2048, 128, ringLength[r]);
        frame.nowNs = now;
        return director.ingress(frame);
    }

    @Setup(Level.Iteration)
    public void emptyNewConnections() {
        nextPort = 1024;
        nextClient = 0;
    }

    @TearDown(Level.Iteration)
    public void check() {
        if (send(establishedNat, 0) != Verdict.TX) throw new IllegalStateException("established NAT packet not sent");
    }

    @Benchmark
    public int restoreOnly() {
        MemorySegment.copy(establishedNat, 0, buffer, 128, ackLength);
        frame.wrap(buffer, 0, buffer.byteSize(), 128, ackLength);
        return frame.length();
    }

    @Benchmark
    public int establishedNat() { return sendPipelined(establishedNat, 0); }

    @Benchmark
    public int establishedDr() { return sendPipelined(establishedDr, 0); }

    @Benchmark
    public int newTcpConnection() {
        if (++nextPort > 65535) {
            nextPort = 1024;
            if (++nextClient == CLIENTS) nextClient = 0;
        }
        if (table.size() >= 2 * conns - 1024) {         // full: start again (rare, amortized over conns SYNs)
            director.flushConnections();
            refill();
        }
        return sendPipelined(syns[nextClient], nextPort);
    }

    private void refill() {
        send(seg(client(250).tcp(40000, 80).syn().build()), 0);
        send(establishedNat, 0);
    }
}
