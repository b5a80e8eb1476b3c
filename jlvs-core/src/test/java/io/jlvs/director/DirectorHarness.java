package io.jlvs.director;

import io.jlvs.conn.ConnTable;
import io.jlvs.packet.Flow;
import io.jlvs.packet.PacketParser;
import io.jlvs.proto.ProtocolTimeouts;
import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.ServiceTable;
import io.jlvs.service.TunnelType;
import io.jlvs.service.VirtualService;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.FakeNextHops;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.RecordingTxPort;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A director on an in-memory network, driven by a fake clock:
 *
 * <pre>
 *  client 198.51.100.7 --- gw ---[eth0 192.0.2.1, VIP 192.0.2.10]- director -[eth1 203.0.113.1]--- rs1 203.0.113.11
 *  client 2001:db8:100::7         [2001:db8::1, VIP 2001:db8::a]                                  --- rs2 203.0.113.12
 *                                                                                                   rs6 2001:db8:1::b
 * </pre>
 * Frames go in through {@link #in}; what the director transmits is collected (every frame's checksums are
 * re-verified by the testkit oracle) and read back with a parser.
 */
final class DirectorHarness {
    static final String DIRECTOR_MAC = "02:00:00:00:00:02", GW_MAC = "02:00:00:00:00:01";
    static final String RS1_MAC = "02:00:00:00:01:11", RS2_MAC = "02:00:00:00:01:12", RS6_MAC = "02:00:00:00:01:16";
    static final String CLIENT = "198.51.100.7", CLIENT2 = "198.51.100.8", VIP = "192.0.2.10", DIRECTOR = "192.0.2.1";
    static final String DIRECTOR_IN = "203.0.113.1", RS1 = "203.0.113.11", RS2 = "203.0.113.12";
    static final String CLIENT6 = "2001:db8:100::7", VIP6 = "2001:db8::a", DIRECTOR6 = "2001:db8::1";
    static final String DIRECTOR6_IN = "2001:db8:1::1", RS6 = "2001:db8:1::b";

    final ServiceTable services = new ServiceTable();
    final ConnTable conns;
    final DirectorConfig cfg = new DirectorConfig();
    final FakeNextHops hops = new FakeNextHops()
            .host(RS1, RS1_MAC, 1500, DIRECTOR_IN)
            .host(RS2, RS2_MAC, 1500, DIRECTOR_IN)
            .host(RS6, RS6_MAC, 1500, DIRECTOR6_IN)
            .local(VIP).local(DIRECTOR).local(VIP6).local(DIRECTOR6)
            .defaultRoute(DIRECTOR, GW_MAC, 1500)
            .defaultRoute(DIRECTOR6, GW_MAC, 1500);
    final RecordingTxPort tx = new RecordingTxPort(), local = new RecordingTxPort();
    final Director director;
    long nowNs = 1_000_000_000L;
    /** Re-verify every transmitted frame's checksums (off only for frames that came in broken on purpose). */
    boolean verifyOutput = true;

    private final MemorySegment buffer = Arena.ofAuto().allocate(128 + 65536 + 512);
    private final Frame frame = new Frame();

    DirectorHarness() { this(1024); }

    DirectorHarness(int capacity) {
        conns = new ConnTable(capacity, capacity / 4, 0);
        director = new Director(cfg, services, conns, new ProtocolTimeouts(), hops, tx, local);
    }

    VirtualService service(ServiceKey key, String sched) {
        VirtualService svc = VirtualService.of(key, SchedulerRegistry.create(sched));
        assertThat(services.add(svc)).isTrue();
        return svc;
    }

    VirtualService persistent(ServiceKey key, String sched, int timeoutSec, int netmask) {
        VirtualService svc = new VirtualService(key, SchedulerRegistry.create(sched), VirtualService.F_PERSISTENT,
                timeoutSec, netmask, null);
        assertThat(services.add(svc)).isTrue();
        return svc;
    }

    static RealServer add(VirtualService svc, String addr, int port, FwdMethod fwd, int weight) {
        return add(svc, addr, port, fwd, weight, 0, 0);
    }

    static RealServer add(VirtualService svc, String addr, int port, FwdMethod fwd, int weight, int upper, int lower) {
        return svc.addDest(new RealServerSpec(IpAddr.parse(addr), port, fwd, weight, upper, lower, TunnelType.IPIP, 0, 0));
    }

    /** Feeds one frame at the current time; returns the verdict. */
    int in(PacketBuilder b) { return in(b.build(), 0); }

    int in(byte[] bytes, int fwmark) { return in(bytes, fwmark, null, false); }

    /**
     * Feeds one frame with the virtio-net header it came with ({@code {flags, gsoType, gsoSize, csumStart,
     * csumOffset}}, or null) and whether the transmit port takes offloads; returns the verdict.
     */
    int in(byte[] bytes, int fwmark, int[] vnet, boolean txOffload) {
        tx.clear();
        local.clear();
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, buffer, 128, bytes.length);
        frame.wrap(buffer, 0, buffer.byteSize(), 128, bytes.length);
        if (vnet != null) frame.vnetHeader(vnet[0], vnet[1], 0, vnet[2], vnet[3], vnet[4]);
        frame.txOffload = txOffload;
        frame.nowNs = nowNs;
        int v = director.ingress(frame, fwmark);
        if (verifyOutput) {
            for (int i = 0; i < tx.frames.size(); i++) {
                int[] meta = tx.offloads.get(i);
                byte[] out = tx.frames.get(i);
                assertThat(meta == null ? Checksum.verify(out) : io.jlvs.testkit.Gso.verify(out, meta))
                        .as("checksums of a transmitted frame").isEmpty();
            }
        }
        return v;
    }

    /** Advances the clock and runs the director's timers. */
    void advanceSeconds(double s) {
        long end = nowNs + (long) (s * 1e9);
        while (nowNs < end) {                      // in steps, as a duty cycle would poll
            nowNs = Math.min(end, nowNs + 500_000_000L);
            while (director.expire(nowNs) > 0) { /* drain */ }
        }
    }

    /** The single frame sent on the TX port, parsed: its flow. */
    Flow sent() {
        assertThat(tx.frames).hasSize(1);
        return parse(tx.frames.get(0));
    }

    static Flow parse(byte[] frame) {
        Flow f = new Flow();
        assertThat(new PacketParser().parse(MemorySegment.ofArray(frame), frame.length, f)).isEqualTo(PacketParser.OK);
        return f;
    }

    static long dstMac(byte[] frame) {
        long m = 0;
        for (int i = 0; i < 6; i++) m = (m << 8) | (frame[i] & 0xFF);
        return m;
    }

    static String dst(Flow f) { return addr(f.af, f.dstHi, f.dstLo) + ":" + f.dstPort; }

    static String src(Flow f) { return addr(f.af, f.srcHi, f.srcLo) + ":" + f.srcPort; }

    static String addr(int af, long hi, long lo) {
        return (af == Flow.AF_INET6 ? IpAddr.v6(hi, lo) : IpAddr.v4((int) lo)).toString();
    }

    static PacketBuilder fromClient() { return PacketBuilder.eth(GW_MAC, DIRECTOR_MAC); }

    static PacketBuilder fromRs(String mac) { return PacketBuilder.eth(mac, DIRECTOR_MAC); }

    static PacketBuilder tcpIn(String client, int cport, String vip, int vport) {
        return (client.contains(":") ? fromClient().ipv6(client, vip) : fromClient().ipv4(client, vip)).tcp(cport, vport);
    }

    static List<String> hexFrames(List<byte[]> frames) {
        List<String> out = new ArrayList<>();
        for (byte[] b : frames) out.add(io.jlvs.testkit.Vector.hex(b));
        return out;
    }

    static int u8(byte[] b, int i) { return b[i] & 0xFF; }

    static int ipv4Ttl(byte[] frame) { return frame[14 + 8] & 0xFF; }

    static int frameLength(byte[] frame) { return frame.length; }

    static int get16(byte[] b, int off) { return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF); }

    static byte[] copy(MemorySegment seg) { return seg.toArray(ValueLayout.JAVA_BYTE); }
}
