package io.jlvs.host;

import io.jlvs.packet.EthernetView;
import io.jlvs.packet.Icmpv6View;
import io.jlvs.packet.IfEther;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv6View;
import io.jlvs.packet.NetworkOrder;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.NextHops;
import io.jlvs.xmit.TxPort;
import io.jlvs.xmit.Verdict;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One data-plane thread's share of the host: its neighbour table, pending queue, resolver, next-hop lookup and
 * ARP/NDP responders over the shared {@link HostTables}. The daemon makes one per thread and wires it:
 *
 * <pre>{@code
 * HostPlane host = new HostPlane(tables, HostPlane.Config.DEFAULTS, ringTx, threadArena);
 * Director director = new Director(cfg, services, conns, timeouts, host.nextHops(), host.txPort(), localTx);
 * // duty cycle
 * host.poll(nowNs);                                   // events, pending expiry, solicitations
 * for each received frame f (f.ifIndex, f.nowNs set):
 *     int v = host.ingress(f);                        // ARP and NDP
 *     if (v == HostPlane.CONTINUE) v = director.ingress(f);
 * }</pre>
 */
public final class HostPlane {
    /** {@link #ingress} result: the frame is neither ARP nor an NS/NA: the director's. */
    public static final int CONTINUE = -4;

    /**
     * Sizes and timers.
     *
     * @param maxNeighbours       neighbour table size
     * @param maxPendingNextHops  next hops resolving at once
     * @param maxPendingFrames    frames parked at once
     * @param maxFramesPerNextHop frames parked per next hop
     * @param pendingFrameBytes   largest frame parked
     * @param pendingTimeoutNs    a next hop's time to resolve before its frames are dropped
     * @param retransmitNs        least time between two solicitations for a next hop
     * @param maxProbes           solicitations per next hop
     * @param eventQueueRecords   the thread's neighbour event queue (a power of two)
     */
    public record Config(int maxNeighbours, int maxPendingNextHops, int maxPendingFrames, int maxFramesPerNextHop,
                         int pendingFrameBytes, long pendingTimeoutNs, long retransmitNs, int maxProbes,
                         int eventQueueRecords) {
        /** 8192 neighbours; 256 next hops, 1024 frames of up to 2048 octets, 64 per next hop; 1 s; 100 ms, 3 probes. */
        public static final Config DEFAULTS = new Config(8192, 256, 1024, 64, 2048, 1_000_000_000L,
                100_000_000L, 3, 4096);
    }

    private final Neighbours neighbours;
    private final PendingQueue pending;
    private final NeighbourEvents events;
    private final NeighbourResolver resolver;
    private final HostNextHops nextHops;
    private final ArpResponder arp;
    private final NdpResponder ndp;
    private final EthernetView eth = new EthernetView();

    /** A plane whose parked frames and solicitations live on the heap. @param ring the TX port of the interface rings */
    public HostPlane(HostTables tables, Config cfg, TxPort ring) { this(tables, cfg, ring, null); }

    /**
     * @param ring  the TX port of the interface rings
     * @param arena native memory for the parked frames and the solicitations (the thread's, closed by the caller
     *              after the thread stopped), or null for the heap
     */
    public HostPlane(HostTables tables, Config cfg, TxPort ring, Arena arena) {
        this.neighbours = new Neighbours(cfg.maxNeighbours());
        this.pending = new PendingQueue(cfg.maxPendingNextHops(), cfg.maxPendingFrames(), cfg.maxFramesPerNextHop(),
                cfg.pendingFrameBytes(), cfg.pendingTimeoutNs(), cfg.retransmitNs(), cfg.maxProbes(), arena);
        this.events = new NeighbourEvents(cfg.eventQueueRecords());
        this.resolver = new NeighbourResolver(tables, neighbours, pending, events, ring, arena);
        this.nextHops = new HostNextHops(tables, neighbours, pending);
        this.arp = new ArpResponder(tables, resolver);
        this.ndp = new NdpResponder(tables, resolver);
    }

    /** The route and neighbour lookup for this thread's transmitters. */
    public NextHops nextHops() { return nextHops; }

    /** The TX port for this thread's transmitters (parks frames to unresolved next hops). */
    public TxPort txPort() { return resolver.txPort(); }

    /** This thread's inbox for neighbour events (rtnetlink, other threads). */
    public NeighbourEvents events() { return events; }

    /** Makes the other threads' planes hear of the MACs this one learns (wiring, before start). */
    public void peers(HostPlane... others) {
        int n = 0;
        for (HostPlane o : others) if (o != this) n++;
        NeighbourEvents[] inboxes = new NeighbourEvents[n];
        int i = 0;
        for (HostPlane o : others) if (o != this) inboxes[i++] = o.events;
        resolver.peers(inboxes);
    }

    /** The duty cycle's share: neighbour events, pending expiry, solicitations. Returns work done. */
    public int poll(long nowNs) { return resolver.poll(nowNs); }

    /**
     * A received frame: ARP goes to {@link ArpResponder}, an NS or NA right after the IPv6 header to
     * {@link NdpResponder}, both answering on {@link #txPort()}; anything else is {@link #CONTINUE}.
     *
     * @return {@link Verdict#TX}, {@link Verdict#PASS}, a {@link io.jlvs.packet.DropReason#code()}, or {@link #CONTINUE}
     */
    public int ingress(Frame f) {
        MemorySegment seg = f.segment();
        long end = f.end();
        eth.wrap(seg, f.start());
        if (eth.walkTags(end) < 0) return CONTINUE;             // the director counts the malformed frame
        int type = eth.etherType();
        if (type == IfEther.ETH_P_ARP) return arp.handle(f, resolver.txPort());
        if (type != IfEther.ETH_P_IPV6) return CONTINUE;
        long l3 = eth.payloadOffset();
        if (end - l3 < Ipv6View.HEADER_LENGTH + 1
                || NetworkOrder.u8(seg, l3 + Ipv6View.NEXT_HEADER) != IpProto.IPPROTO_ICMPV6) return CONTINUE;
        int icmpType = NetworkOrder.u8(seg, l3 + Ipv6View.HEADER_LENGTH);
        if (icmpType != Icmpv6View.NEIGHBOR_SOLICITATION && icmpType != Icmpv6View.NEIGHBOR_ADVERTISEMENT) return CONTINUE;
        return ndp.handle(f, resolver.txPort());
    }

    public Neighbours neighbours() { return neighbours; }

    public PendingQueue pending() { return pending; }

    public NeighbourResolver resolver() { return resolver; }

    public HostNextHops hostNextHops() { return nextHops; }

    public ArpResponder arp() { return arp; }

    public NdpResponder ndp() { return ndp; }

    /** {@link NeighbourResolver#announce}: gratuitous ARP or unsolicited NA for an address jlvs takes. */
    public boolean announce(int af, long hi, long lo, int ifIndex, boolean router) {
        return resolver.announce(af, hi, lo, ifIndex, router);
    }
}
