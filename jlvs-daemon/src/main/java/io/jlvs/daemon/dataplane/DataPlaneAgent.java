package io.jlvs.daemon.dataplane;

import io.jlvs.ctl.offline.OfflineDirector;
import io.jlvs.director.Director;
import io.jlvs.host.HostPlane;
import io.jlvs.netio.ring.PacketRing;
import io.jlvs.netio.ring.RxHandler;
import io.jlvs.netio.ring.RxMeta;
import io.jlvs.netio.ring.VnetHdr;
import io.jlvs.packet.DropReason;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.Verdict;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.lang.foreign.MemorySegment;
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

    // counters: plain fields written by this thread only; other threads read them racily (a stale value is fine)
    long framesIn, arpNdp, passed, transmitted, local, dropped, skippedCycles;
    private final long[] drops = new long[DropReason.COUNT];

    DataPlaneAgent(String role, OfflineDirector engine, HostPlane host, RingPorts rings, ReentrantLock lock, NanoClock clock) {
        this.role = role;
        this.engine = engine;
        this.director = engine.director();
        this.host = host;
        this.rings = rings;
        this.lock = lock;
        this.clock = clock;
    }

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

    long drops(DropReason r) { return drops[r.code()]; }

    @Override
    public String roleName() { return role; }
}
