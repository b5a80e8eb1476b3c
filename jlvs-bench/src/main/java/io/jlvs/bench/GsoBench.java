package io.jlvs.bench;

import io.jlvs.packet.Flow;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.PacketParser;
import io.jlvs.packet.VirtioNet;
import io.jlvs.service.TunnelType;
import io.jlvs.testkit.Addresses;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.IcmpErrors;
import io.jlvs.xmit.IpIdent;
import io.jlvs.xmit.FlowHash;
import io.jlvs.xmit.NatXmit;
import io.jlvs.xmit.NextHops;
import io.jlvs.xmit.TunnelXmit;
import io.jlvs.xmit.TxPort;
import io.jlvs.xmit.Verdict;
import io.jlvs.xmit.XmitConn;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * One GSO super-frame per op (a TCPv4 ACK carrying {@code segments} x 1400 octets with a partial checksum, as
 * a receive ring with {@code PACKET_VNET_HDR} hands it over), NAT'd and sent: whole with its virtio-net header
 * ({@code natOffload}: one rewrite, one send), or cut in software ({@code natSegmented}: a header copy and a full
 * checksum per segment, one send each), or cut and encapsulated ({@code ipipSegmented}). {@code restoreAndParse}
 * is the copy back into the buffer and the parse alone; the other figures include it. Divide by
 * {@code segments} for the cost per wire packet.
 *
 * <pre>./jlvs bench-jmh GsoBench -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"})
public class GsoBench {
    private static final String DIRECTOR_MAC = "02:00:00:00:00:02";
    private static final String CLIENT = "198.51.100.7", VIP = "192.0.2.10", RS = "203.0.113.11";
    private static final int HEADROOM = 128, MSS = 1400;

    @Param({"3", "46"})
    public int segments;

    private Arena arena;
    private MemorySegment buffer, packet;
    private int bufferSize;
    private final Frame frame = new Frame();
    private final PacketParser parser = new PacketParser();
    private final Flow flow = new Flow();
    private long sent;
    private final TxPort port = new TxPort() {
        @Override
        public boolean send(int ifIndex, MemorySegment seg, long off, int len) {
            sent += len;
            return true;
        }

        @Override
        public boolean sendOffload(int ifIndex, MemorySegment seg, long off, int len, int flags, int gsoType, int hdrLen,
                                   int gsoSize, int csumStart, int csumOffset) {
            sent += len + gsoSize;
            return true;
        }
    };
    private NatXmit nat;
    private TunnelXmit tunnel;
    private final XmitConn nat4 = new XmitConn(), ipip = new XmitConn();

    @Setup
    public void setup() {
        arena = Arena.ofConfined();
        byte[] p = PacketBuilder.eth("02:00:00:00:00:01", DIRECTOR_MAC).ipv4(CLIENT, VIP).ttl(64).id(1).df()
                .tcp(40000, 80).ack().seq(1).ackSeq(2).timestamps(1, 2).partialChecksum().payload(new byte[segments * MSS]).build();
        packet = arena.allocate(p.length).copyFrom(MemorySegment.ofArray(p));
        bufferSize = HEADROOM + p.length + 256;
        buffer = arena.allocate(bufferSize, 64);
        NextHops hops = new XmitBench.BenchHops();
        IpIdent ident = new IpIdent(1);
        IcmpErrors icmp = new IcmpErrors(hops).ident(ident);
        nat = new NatXmit(hops, icmp, ident, port);
        tunnel = new TunnelXmit(hops, icmp, ident, port).flowHash(FlowHash.seeded(1));
        nat4.v4(IpProto.IPPROTO_TCP, ip4(CLIENT), 40000, ip4(VIP), 80, ip4(RS), 8080);
        ipip.v4(IpProto.IPPROTO_TCP, ip4(CLIENT), 40000, ip4(VIP), 80, ip4(RS), 80).tunnel(TunnelType.IPIP, 0, 0);
        for (int i = 0; i < 4; i++) {
            if (natOffload() != Verdict.TX || natSegmented() != Verdict.TX || ipipSegmented() != Verdict.TX) {
                throw new IllegalStateException("a benchmarked path does not transmit");
            }
        }
    }

    @TearDown
    public void tearDown() { arena.close(); }

    private static int ip4(String a) { return Addresses.ipv4Int(a); }

    /** The super-frame back in the buffer, with the virtio-net header a ring gives it, parsed. */
    private Frame load(boolean offload, int mss) {
        int len = (int) packet.byteSize();
        MemorySegment.copy(packet, 0, buffer, HEADROOM, len);
        frame.wrap(buffer, 0, bufferSize, HEADROOM, len);
        frame.vnetHeader(VirtioNet.VIRTIO_NET_HDR_F_NEEDS_CSUM, VirtioNet.VIRTIO_NET_HDR_GSO_TCPV4, 66, mss, 34, 16);
        frame.txOffload = offload;
        frame.parse(parser, flow);
        return frame;
    }

    @Benchmark
    public int restoreAndParse() { return load(false, MSS).l3Length(); }

    @Benchmark
    public int natOffload() { return nat.transmit(load(true, MSS), nat4, port); }

    @Benchmark
    public int natSegmented() { return nat.transmit(load(false, MSS), nat4, port); }

    @Benchmark
    public int ipipSegmented() { return tunnel.transmit(load(true, MSS), ipip, port); }
}
