package io.jlvs.daemon.dataplane;

import io.jlvs.ctl.offline.OfflineDirector;
import io.jlvs.director.Director;
import io.jlvs.host.HostPlane;
import io.jlvs.netio.ring.PacketRing;
import io.jlvs.netio.ring.RxHandler;
import io.jlvs.netio.ring.RxMeta;
import io.jlvs.netio.ring.VnetHdr;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.IfEther;
import io.jlvs.packet.NetworkOrder;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.Verdict;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One data-plane thread's duty cycle (an Agrona {@link Agent}): commands from the control side (rings to serve or
 * drop), then, under the control lock (taken once per cycle, never per frame; a cycle in which a jlvsadm command
 * holds it is skipped and the frames wait in the rings): the engine's clock (connection expiry, estimators), the
 * host plane (neighbour events, frames parked for a next hop, solicitations), then every ring's received frames
 * through ARP/NDP and the {@link Director}, then every ring's transmit batch, then the walked blocks back to the
 * kernel. The lock makes the engine single-writer: jlvsadm, the metrics endpoint and this thread never run it at
 * once.
 *
 * <p>Per frame: no allocation, no lock, no logging; counters only.
 */
final class DataPlaneAgent implements Agent, RxHandler {
    /** Frames per ring per cycle: a busy ring cannot starve the others. */
    static final int BUDGET = 128;
    /** Engine timer resolution: expiry and estimators run at most this often. */
    static final long TICK_NS = 1_000_000L;

    private final String role;
    private final OfflineDirector engine;
    private final Director director;
    private final HostPlane host;
    private final RingPorts rings;
    private final ReentrantLock lock;
    private final NanoClock clock;
    /** Control-side commands (a node allocated per offer, on the control side; polling allocates nothing). */
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Frame frame = new Frame();
    private long lastTickNs;
    /** The local stack's port; its replies are read when there is a local NAT real server ({@link #localReplies}). */
    private final LocalPort localPort;
    private volatile boolean localReplies;
    private final Arena arena = Arena.ofShared();
    /** A packet read from the local port: headroom, a made-up Ethernet header, then the IP packet. */
    private final MemorySegment localBuffer = arena.allocate(LOCAL_HEADROOM + ETH_HLEN + LOCAL_MTU, 64);

    /** Room before a packet read from the local port (a transmitter may prepend headers). */
    static final int LOCAL_HEADROOM = 128;
    /** The largest packet read from the local port (the TUN device segments anything longer). */
    static final int LOCAL_MTU = 65535;
    private static final int ETH_HLEN = 14;

    // counters: plain fields written by this thread only; other threads read them racily (a stale value is fine)
    long framesIn, arpNdp, passed, transmitted, local, dropped, skippedCycles, localReplyIn, localReplyBack;
    private final long[] drops = new long[DropReason.COUNT];

    DataPlaneAgent(String role, OfflineDirector engine, HostPlane host, RingPorts rings, LocalPort local,
                   ReentrantLock lock, NanoClock clock) {
        this.role = role;
        this.localPort = local;
        this.engine = engine;
        this.director = engine.director();
        this.host = host;
        this.rings = rings;
        this.lock = lock;
        this.clock = clock;
    }

    /** Whether to read the local port each cycle (there is a local NAT real server); control side. */
    void localReplies(boolean on) { localReplies = on; }

    /** The descriptor an idle wait should also watch: the local port's, while its replies are read; else -1. */
    int localReplyFd() { return localReplies && localPort != null ? localPort.fd() : -1; }

    /** Runs {@code r} on this thread between two cycles. */
    boolean submit(Runnable r) { return commands.offer(r); }

    @Override
    public int doWork() {
        int work = 0;
        for (Runnable r; (r = commands.poll()) != null; work++) r.run();
        if (!lock.tryLock()) {
            skippedCycles++;
            return work;
        }
        try {
            long now = clock.nanoTime();
            if (now - lastTickNs >= TICK_NS) {
                engine.advanceTo(now);
                lastTickNs = now;
            }
            work += host.poll(now);
            PacketRing[] rs = rings.rings();
            for (PacketRing r : rs) work += r.walk(this, BUDGET);
            if (localReplies && localPort != null) work += localReplies();
            for (PacketRing r : rs) if (r.txPending() > 0) r.flush();
            for (PacketRing r : rs) r.release();
        } finally {
            lock.unlock();
        }
        return work;
    }

    @Override
    public void onFrame(MemorySegment seg, long frameStart, int length, long bufferStart, long bufferEnd, RxMeta meta) {
        framesIn++;
        Frame f = frame.wrap(seg, bufferStart, bufferEnd, frameStart, length);
        f.ifIndex = meta.ifIndex();
        f.nowNs = engine.nowNs();
        if (meta.hasVnet()) {
            VnetHdr v = meta.vnet();
            f.vnetHeader(v.flags(), v.gsoType(), v.hdrLen(), v.gsoSize(), v.csumStart(), v.csumOffset());
        }
        f.txOffload = true;   // every ring takes a virtio-net header
        int v = host.ingress(f);
        if (v == HostPlane.CONTINUE) {
            v = director.ingress(f);
        } else {
            arpNdp++;
        }
        if (v == Verdict.TX) {
            transmitted++;
        } else if (v == Verdict.LOCAL) {
            local++;
        } else if (v == Director.PASS || v == Verdict.PASS) {
            passed++;   // the host's business: the kernel got its own copy of the frame (the tap does not take it)
        } else if (v >= 0 && v < drops.length) {
            drops[v]++;
            dropped++;
        }
    }

    /**
     * Replies of local NAT real servers, routed into the local port ({@link LocalReplyRoute}): each goes through
     * the engine as a real server's reply (SNAT to the virtual address, out to the client); a packet of no
     * connection is handed back to the host, which forwards it by its routes.
     */
    private int localReplies() {
        int n = 0;
        long ip = LOCAL_HEADROOM + ETH_HLEN;
        while (n < BUDGET) {
            int len = localPort.receive(localBuffer, ip, LOCAL_MTU);
            if (len <= 0) break;
            n++;
            int version = (localBuffer.get(ValueLayout.JAVA_BYTE, ip) >> 4) & 0xF;
            long eth = LOCAL_HEADROOM;
            NetworkOrder.mac(localBuffer, eth, 0);                        // MACs: the transmitter writes the real ones
            NetworkOrder.mac(localBuffer, eth + 6, 0);
            NetworkOrder.u16(localBuffer, eth + 12, version == 6 ? IfEther.ETH_P_IPV6 : IfEther.ETH_P_IP);
            Frame f = frame.wrap(localBuffer, 0, localBuffer.byteSize(), eth, ETH_HLEN + len);
            f.ifIndex = localPort.ifIndex();
            f.nowNs = engine.nowNs();
            f.txOffload = true;
            localReplyIn++;
            int v = director.ingress(f);
            if (v == Verdict.TX) {
                transmitted++;
            } else if (v == Director.PASS || v == Verdict.PASS) {
                if (localPort.sendBack(localBuffer, ip, len)) localReplyBack++;
            } else if (v >= 0 && v < drops.length) {
                drops[v]++;
                dropped++;
            }
        }
        return n;
    }

    @Override
    public void onClose() { arena.close(); }

    long drops(DropReason r) { return drops[r.code()]; }

    /** The counters in one line (logged at exit). */
    String summary() {
        return framesIn + " frames in: " + transmitted + " transmitted, " + local + " to the local stack, " + arpNdp
                + " ARP/NDP, " + passed + " passed to the host, " + dropped + " dropped; " + skippedCycles
                + " cycles skipped (control lock held)";
    }

    @Override
    public String roleName() { return role; }
}
