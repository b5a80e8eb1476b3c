package io.jlvs.bench;

import io.jlvs.packet.Flow;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.PacketParser;
import io.jlvs.service.TunnelType;
import io.jlvs.testkit.Addresses;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.DirectRouteXmit;
import io.jlvs.xmit.Egress;
import io.jlvs.xmit.FlowHash;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.IcmpErrors;
import io.jlvs.xmit.IpIdent;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * One transmission per op of an established TCP connection's packet (ACK with 100 octets of data, IPv4 and
 * IPv6) in an off-heap buffer with headroom, as a receive ring would hand it over: the original octets are
 * copied back into the buffer (the transmitters rewrite in place), the frame parsed, then transmitted to a
 * port that only counts. {@code restoreAndParse} is that overhead alone; the other figures include it.
 *
 * <pre>./jlvs bench-jmh XmitBench -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"})
public class XmitBench {
    private static final String DIRECTOR_MAC = "02:00:00:00:00:02", RS_MAC = "02:00:00:00:01:11";
    private static final String CLIENT = "198.51.100.7", VIP = "192.0.2.10", RS = "203.0.113.11", SRC = "203.0.113.1";
    private static final String CLIENT6 = "2001:db8:100::7", VIP6 = "2001:db8::a", RS6 = "2001:db8:1::b", SRC6 = "2001:db8:1::1";
    private static final int HEADROOM = 128, BUFFER = 2048;

    private Arena arena;
    private MemorySegment buffer, packet4, packet6;
    private final Frame frame = new Frame();
    private final PacketParser parser = new PacketParser();
    private final Flow flow = new Flow();
    private long sent;
    private final TxPort port = (ifIndex, seg, off, len) -> { sent += len; return true; };
    private NatXmit nat;
    private DirectRouteXmit dr;
    private TunnelXmit tunnel;
    private final XmitConn nat4 = new XmitConn(), nat6 = new XmitConn(), ipip = new XmitConn(), gue = new XmitConn();

    /** Two routes, the real servers': no allocation, two comparisons. */
    static final class BenchHops implements NextHops {
        private final Egress rs = new Egress().set(1, Addresses.macLong(DIRECTOR_MAC), Addresses.macLong(RS_MAC), Egress.NO_VLAN,
                1500, 0, Addresses.ipv4Int(SRC) & 0xFFFF_FFFFL);
        private final Egress rs6 = new Egress().set(1, Addresses.macLong(DIRECTOR_MAC), Addresses.macLong(RS_MAC), Egress.NO_VLAN,
                1500, Addresses.ipv6Hi(SRC6), Addresses.ipv6Lo(SRC6));

        @Override
        public int resolve(int af, long hi, long lo, int flags, Egress out) {
            out.copy(af == Flow.AF_INET6 ? rs6 : rs);
            return RESOLVED;
        }
    }

    @Setup
    public void setup() {
        arena = Arena.ofConfined();
        buffer = arena.allocate(BUFFER, 64);
        byte[] data = new byte[100];
        packet4 = copy(PacketBuilder.eth("02:00:00:00:00:01", DIRECTOR_MAC).ipv4(CLIENT, VIP).ttl(64).id(1).df()
                .tcp(40000, 80).ack().seq(1).ackSeq(2).timestamps(1, 2).payload(data).build());
        packet6 = copy(PacketBuilder.eth("02:00:00:00:00:01", DIRECTOR_MAC).ipv6(CLIENT6, VIP6).hopLimit(64)
                .tcp(40000, 80).ack().seq(1).ackSeq(2).timestamps(1, 2).payload(data).build());
        NextHops hops = new BenchHops();
        IpIdent ident = new IpIdent(1);
        IcmpErrors icmp = new IcmpErrors(hops).ident(ident);
        nat = new NatXmit(hops, icmp, ident, port);
        dr = new DirectRouteXmit(hops, icmp, ident, port);
        tunnel = new TunnelXmit(hops, icmp, ident, port).flowHash(FlowHash.seeded(1));
        nat4.v4(IpProto.IPPROTO_TCP, ip4(CLIENT), 40000, ip4(VIP), 80, ip4(RS), 8080);
        nat6.v6(IpProto.IPPROTO_TCP, Addresses.ipv6Hi(CLIENT6), Addresses.ipv6Lo(CLIENT6), 40000,
                Addresses.ipv6Hi(VIP6), Addresses.ipv6Lo(VIP6), 80, Addresses.ipv6Hi(RS6), Addresses.ipv6Lo(RS6), 8080);
        ipip.v4(IpProto.IPPROTO_TCP, ip4(CLIENT), 40000, ip4(VIP), 80, ip4(RS), 80).tunnel(TunnelType.IPIP, 0, 0);
        gue.v4(IpProto.IPPROTO_TCP, ip4(CLIENT), 40000, ip4(VIP), 80, ip4(RS), 80)
                .tunnel(TunnelType.GUE, 6080, TunnelType.FLAG_CSUM);
        for (int i = 0; i < 4; i++) {                     // every path works before it is measured
            if (natDnat4() != Verdict.TX || natDnat6() != Verdict.TX || dr4() != Verdict.TX || ipip4() != Verdict.TX
                    || gueCsum4() != Verdict.TX) {
                throw new IllegalStateException("a benchmarked path does not transmit");
            }
        }
    }

    @TearDown
    public void tearDown() { arena.close(); }

    private MemorySegment copy(byte[] b) { return arena.allocate(b.length).copyFrom(MemorySegment.ofArray(b)); }

    private static int ip4(String a) { return Addresses.ipv4Int(a); }

    private Frame load(MemorySegment packet) {
        int len = (int) packet.byteSize();
        MemorySegment.copy(packet, 0, buffer, HEADROOM, len);
        frame.wrap(buffer, 0, BUFFER, HEADROOM, len);
        frame.parse(parser, flow);
        return frame;
    }

    @Benchmark
    public int restoreAndParse() { return load(packet4).l3Length(); }

    @Benchmark
    public int natDnat4() { return nat.transmit(load(packet4), nat4, port); }

    @Benchmark
    public int natDnat6() { return nat.transmit(load(packet6), nat6, port); }

    @Benchmark
    public int dr4() { return dr.transmit(load(packet4), nat4, port); }

    @Benchmark
    public int ipip4() { return tunnel.transmit(load(packet4), ipip, port); }

    @Benchmark
    public int gueCsum4() { return tunnel.transmit(load(packet4), gue, port); }
}
