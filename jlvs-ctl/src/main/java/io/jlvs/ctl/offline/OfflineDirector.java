package io.jlvs.ctl.offline;

import io.jlvs.conn.ConnTable;
import io.jlvs.ctl.ipvsadm.ConnListing;
import io.jlvs.ctl.ipvsadm.IpvsadmExecutor;
import io.jlvs.ctl.ipvsadm.IpvsadmParser;
import io.jlvs.ctl.ipvsadm.LiveStats;
import io.jlvs.director.Director;
import io.jlvs.director.DirectorConfig;
import io.jlvs.proto.ProtocolTimeouts;
import io.jlvs.service.ServiceTable;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.NextHops;
import io.jlvs.xmit.TxPort;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Director} on an in-memory network with its control plane, for the flow simulator and pcap replays:
 * the service table, a connection table, the protocol timeouts, an {@link IpvsadmExecutor} wired to all of them
 * ({@code --set} writes the director's timeouts, {@code -L -c} lists its connections, {@code --stats}/{@code --rate}
 * read {@link LiveStats}), routes from a {@link StaticNextHops}, and a clock the caller moves.
 *
 * <p>The clock: {@link #advanceTo} moves it forward in steps of at most {@link #STEP_NS} ({@link #IDLE_STEP_NS}
 * while no connection is in the table), and at each step runs the director's timers ({@link Director#expire},
 * drained) and the estimators that are due, each exactly at its 2 s mark: what the daemon's duty cycle does while
 * time passes. (A connection's own timer fires at its millisecond; the step bounds how late the expiry handler's
 * "now" is, e.g. for the 60 s a template that still controls connections is given.) Frames go in with {@link #ingress} at the
 * current time; what the director sends, on its TX port or to the local stack, is kept until the next ingress
 * ({@link #sent()}).
 *
 * <p>One thread. Owns native memory (the connection table): {@link #close} it.
 */
public final class OfflineDirector implements AutoCloseable {
    /** Largest clock step between two runs of the timers: 100 ms. */
    public static final long STEP_NS = 100_000_000L;
    /** The step while the connection table is empty (only the schedulers' 1 s timers and the estimators run). */
    public static final long IDLE_STEP_NS = 1_000_000_000L;
    /** Room kept before each frame for encapsulations, and the largest frame plus that room and as much again. */
    static final int HEADROOM = 256, BUFFER_BYTES = 2 * (HEADROOM + 65_536);

    /** Which port a sent frame left on. */
    public enum Port { TX, LOCAL }

    /** A frame the director sent. */
    public record Sent(Port port, int ifIndex, byte[] frame) {}

    private final ServiceTable services = new ServiceTable();
    private final ProtocolTimeouts timeouts = new ProtocolTimeouts();
    private final DirectorConfig config = new DirectorConfig();
    private final ConnTable conns;
    private final StaticNextHops hops;
    private final Director director;
    private final LiveStats stats;
    private final IpvsadmExecutor ipvsadm;
    private final List<Sent> sent = new ArrayList<>();

    private final Arena arena = Arena.ofShared();   // the daemon uses it from its timer, client and shutdown threads (under the control lock)
    private final MemorySegment buffer = arena.allocate(BUFFER_BYTES, 64);
    private final Frame frame = new Frame();
    private long nowNs;

    /**
     * @param parser     the ipvsadm parser (program name and name resolver of listings)
     * @param hops       routes and neighbours; configure them before any frame
     * @param capacityV4 connections of the IPv4 part of the table
     * @param capacityV6 connections of the IPv6 (and mixed-family) part
     */
    public OfflineDirector(IpvsadmParser parser, StaticNextHops hops, int capacityV4, int capacityV6) {
        this(parser, hops, hops, null, null, capacityV4, capacityV6);
    }

    /**
     * The same engine on a live network (the daemon's data plane): routes and neighbours from {@code liveHops},
     * frames leave through {@code tx} and {@code local} instead of being recorded; {@link #ingress} and
     * {@link #sent()} are then not used, the data plane hands frames to {@link #director()} itself.
     */
    public OfflineDirector(IpvsadmParser parser, NextHops liveHops, TxPort tx, TxPort local, int capacityV4, int capacityV6) {
        this(parser, null, liveHops, tx, local, capacityV4, capacityV6);
    }

    private OfflineDirector(IpvsadmParser parser, StaticNextHops hops, NextHops routes, TxPort tx, TxPort local,
                            int capacityV4, int capacityV6) {
        this.hops = hops;
        this.conns = new ConnTable(capacityV4, capacityV6, 0);
        if (tx == null) tx = (ifIndex, seg, offset, length) -> record(Port.TX, ifIndex, seg, offset, length);
        if (local == null) local = (ifIndex, seg, offset, length) -> record(Port.LOCAL, ifIndex, seg, offset, length);
        this.director = new Director(config, services, conns, timeouts, routes, tx, local);
        this.stats = new LiveStats(services, director.totalStats(), 0);
        this.ipvsadm = new IpvsadmExecutor(services, parser, stats, IpvsadmExecutor.DEFAULT_CONN_TAB_SIZE, timeouts);
        this.ipvsadm.connectionSource(() -> ConnListing.rows(conns, nowNs));
    }

    private boolean record(Port port, int ifIndex, MemorySegment seg, long offset, int length) {
        sent.add(new Sent(port, ifIndex, seg.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE)));
        return true;
    }

    public Director director() { return director; }
    public ServiceTable services() { return services; }
    public ConnTable connections() { return conns; }
    public ProtocolTimeouts timeouts() { return timeouts; }
    /** The sysctl switches ({@code conn_reuse_mode}, {@code expire_nodest_conn}, ...); change between frames. */
    public DirectorConfig config() { return config; }
    /** The static routes of a simulation or replay (null on a live network). */
    public StaticNextHops nextHops() { return hops; }
    public LiveStats stats() { return stats; }
    public IpvsadmExecutor ipvsadm() { return ipvsadm; }

    /** The clock, in nanoseconds since the director started. */
    public long nowNs() { return nowNs; }

    /** Starts estimators for services and real servers added since the last call (after a control command). */
    public void syncStats() { stats.sync(nowNs); }

    /**
     * Moves the clock to {@code targetNs} (no-op when not ahead), running connection expiry and the estimators on
     * the way.
     */
    public void advanceTo(long targetNs) {
        while (targetNs - nowNs > 0) {
            long next = Math.min(targetNs, nowNs + (conns.size() == 0 ? IDLE_STEP_NS : STEP_NS));
            long due = stats.nextDueNs();
            if (due - nowNs > 0 && due - next < 0) next = due;
            nowNs = next;
            while (director.expire(nowNs) > 0) {
                // drain: expire processes at most expiryWorkLimit timers per call
            }
            stats.tick(nowNs);
        }
    }

    /**
     * One frame through {@link Director#ingress(Frame, int)} at the current time, copied into a buffer with
     * headroom. Frames longer than 65536 octets are cut.
     *
     * @return the verdict: {@link io.jlvs.xmit.Verdict#TX}, {@link io.jlvs.xmit.Verdict#LOCAL},
     *         {@link Director#PASS} or a drop reason's code
     */
    public int ingress(byte[] bytes, int fwmark) {
        int len = Math.min(bytes.length, 65_536);
        MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, HEADROOM, len);
        return ingress(len, fwmark);
    }

    /** As {@link #ingress(byte[], int)} for {@code length} octets of {@code seg} (a pcap reader's frame). */
    public int ingress(MemorySegment seg, int length, int fwmark) {
        int len = Math.min(length, 65_536);
        MemorySegment.copy(seg, 0, buffer, HEADROOM, len);
        return ingress(len, fwmark);
    }

    private int ingress(int len, int fwmark) {
        sent.clear();
        frame.wrap(buffer, 0, buffer.byteSize(), HEADROOM, len);
        frame.nowNs = nowNs;
        return director.ingress(frame, fwmark);
    }

    /** The frames the last {@link #ingress} sent, in the order sent. */
    public List<Sent> sent() { return sent; }

    @Override
    public void close() {
        conns.close();
        arena.close();
    }
}
