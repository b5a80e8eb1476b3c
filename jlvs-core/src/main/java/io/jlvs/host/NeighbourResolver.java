package io.jlvs.host;

import io.jlvs.packet.NetworkOrder;
import io.jlvs.packet.Checksums;
import io.jlvs.packet.VirtioNet;
import io.jlvs.packet.Flow;
import io.jlvs.xmit.TxPort;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Resolves next hops for one data-plane thread, as the kernel's neighbour layer does for its own packets
 * ({@code neigh_resolve_output}, {@code arp_solicit}, {@code ndisc_solicit}): parks the frames addressed to an
 * unresolved next hop, sends ARP requests and neighbour solicitations (rate limited by {@link PendingQueue}),
 * learns MACs, and sends the parked frames once their next hop's MAC is known.
 *
 * <p>Wiring: the transmitters get {@link #txPort()} as their TX port (it sends every frame through the ring
 * port given here, except frames addressed to a {@link PendingQueue} marker, which it parks);
 * {@link HostNextHops} marks the next hops; the responders call {@link #learn}; the duty cycle calls
 * {@link #poll}. Peers ({@link #peers}) are the other data-plane threads' inboxes, told of every MAC learned here.
 */
public final class NeighbourResolver {
    private final HostTables tables;
    private final Neighbours neighbours;
    private final PendingQueue pending;
    private final NeighbourEvents inbox;
    private final TxPort ring;
    private final TxPort parking = new TxPort() {
        @Override
        public boolean send(int ifIndex, MemorySegment seg, long offset, int length) {
            return sendOrPark(ifIndex, seg, offset, length);
        }

        /**
         * A frame with offloads: straight to the ring when its next hop is known; parked otherwise, its partial
         * checksum completed first (a parked frame leaves later without a virtio-net header). A super-frame to a
         * pending next hop is refused (never the first packet of a connection).
         */
        @Override
        public boolean sendOffload(int ifIndex, MemorySegment seg, long offset, int length, int flags, int gsoType,
                                   int hdrLen, int gsoSize, int csumStart, int csumOffset) {
            if (length < 2 || !PendingQueue.isMarked(seg, offset)) {
                return ring.sendOffload(ifIndex, seg, offset, length, flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
            }
            if (gsoType != VirtioNet.VIRTIO_NET_HDR_GSO_NONE) return false;
            if ((flags & VirtioNet.VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0 && csumStart + csumOffset + 2 <= length) {
                int c = ~Checksums.sum(seg, offset + csumStart, length - csumStart, 0) & 0xFFFF;
                NetworkOrder.u16(seg, offset + csumStart + csumOffset, c == 0 ? 0xFFFF : c);
            }
            return sendOrPark(ifIndex, seg, offset, length);
        }

        @Override
        public int maxFrameLength() { return ring.maxFrameLength(); }
    };
    private final PendingQueue.Prober prober = this::probe;
    private final MemorySegment scratch;
    private NeighbourEvents[] peers = new NeighbourEvents[0];

    private long probesSent, probesRefused, noSource, peerRefused;

    /**
     * @param inbox this thread's neighbour events, drained by {@link #poll}
     * @param ring  the port frames finally leave through (the interface rings)
     */
    public NeighbourResolver(HostTables tables, Neighbours neighbours, PendingQueue pending, NeighbourEvents inbox, TxPort ring) {
        this(tables, neighbours, pending, inbox, ring, null);
    }

    /** As above, the buffer solicitations are built in allocated from {@code arena} (heap when null). */
    public NeighbourResolver(HostTables tables, Neighbours neighbours, PendingQueue pending, NeighbourEvents inbox, TxPort ring,
                             Arena arena) {
        this.scratch = arena != null ? arena.allocate(NeighbourFrames.MAX_LENGTH, 8)
                : MemorySegment.ofArray(new byte[NeighbourFrames.MAX_LENGTH]);
        this.tables = tables;
        this.neighbours = neighbours;
        this.pending = pending;
        this.inbox = inbox;
        this.ring = ring;
    }

    /** The TX port for the transmitters: the ring port, with frames to pending next hops parked. */
    public TxPort txPort() { return parking; }

    public Neighbours neighbours() { return neighbours; }

    public PendingQueue pending() { return pending; }

    public NeighbourEvents inbox() { return inbox; }

    /** The other data-plane threads' inboxes (wiring, before the threads start). */
    public void peers(NeighbourEvents... others) { peers = others.clone(); }

    /**
     * The duty cycle's share: applies queued neighbour events, expires pending next hops, sends the
     * solicitations that are due. Sets the pending queue's clock for the cycle.
     *
     * @return work done (events, drops, solicitations)
     */
    public int poll(long nowNs) {
        pending.now(nowNs);
        int work = inbox.drain(this, nowNs, 256);
        return work + pending.poll(nowNs, prober);
    }

    /**
     * A MAC seen in an ARP or NDP frame on {@code ifIndex}. Recorded when {@code create} (the frame asked us
     * something, or answered us), or when the neighbour is already known or pending (as the kernel updates an
     * existing entry from any ARP it sees). Without {@code override} (an NA without the O flag) a different MAC
     * does not replace a known one, which only goes stale (RFC 4861 section 7.2.5). A MAC learned or changed
     * releases the frames parked for the neighbour and is passed on to the peers.
     *
     * @return {@link Neighbours#update}'s result, or {@link Neighbours#IGNORED}
     */
    public int learn(int af, long hi, long lo, int ifIndex, long mac, int state, boolean create, boolean override, long nowNs) {
        if (!create && neighbours.state(af, hi, lo, ifIndex) == Neighbours.NONE && pending.find(af, hi, lo, ifIndex) < 0) {
            return Neighbours.IGNORED;
        }
        if (!override) {
            long old = neighbours.lookup(af, hi, lo, ifIndex);
            if (old != Neighbours.NO_MAC && old != mac) {
                neighbours.markStale(af, hi, lo, ifIndex);
                return Neighbours.IGNORED;
            }
        }
        int r = apply(af, hi, lo, ifIndex, mac, state, nowNs);
        if (r == Neighbours.ADDED || r == Neighbours.CHANGED) {
            for (NeighbourEvents p : peers) if (!p.offerUpdate(af, hi, lo, ifIndex, mac, state)) peerRefused++;
        }
        return r;
    }

    /** Records a neighbour (from a frame or an event) and sends the frames waiting for it. */
    int apply(int af, long hi, long lo, int ifIndex, long mac, int state, long nowNs) {
        int r = neighbours.update(af, hi, lo, ifIndex, mac, state, nowNs);
        if (state >= Neighbours.STALE && Neighbours.isUnicastMac(mac) && pending.activeCount() > 0) {
            pending.release(af, hi, lo, ifIndex, mac, ring);     // even when the table was full
        }
        return r;
    }

    private boolean sendOrPark(int ifIndex, MemorySegment seg, long off, int length) {
        if (length < 2 || !PendingQueue.isMarked(seg, off)) return ring.send(ifIndex, seg, off, length);
        int e = pending.park(seg, off, length);
        if (e >= 0 && pending.probes(e) == 0 && pending.takeProbe(e, pending.now())) probe(e);
        return true;                                   // parked, or dropped and counted by the queue
    }

    /**
     * Sends entry {@code e}'s solicitation: an ARP request from the director's address toward it, or a
     * neighbour solicitation from the interface's link-local address (else that address) to the solicited-node
     * group.
     */
    private void probe(int e) {
        int ifIndex = pending.ifIndex(e);
        Link link = tables.links().get(ifIndex);
        if (link == null) {
            noSource++;
            return;
        }
        int len;
        if (pending.af(e) == Flow.AF_INET) {
            len = NeighbourFrames.arpRequest(scratch, 0, link.mac(), (int) pending.srcLo(e), (int) pending.lo(e));
        } else {
            LocalAddresses local = tables.addresses();
            int ll = local.linkLocal(ifIndex);
            long sh = ll >= 0 ? local.slotHi(ll) : pending.srcHi(e), sl = ll >= 0 ? local.slotLo(ll) : pending.srcLo(e);
            if ((sh | sl) == 0) {
                noSource++;                            // an NS from :: would be duplicate address detection
                return;
            }
            len = NeighbourFrames.neighbourSolicitation(scratch, 0, link.mac(), sh, sl, pending.hi(e), pending.lo(e));
        }
        if (ring.send(ifIndex, scratch, 0, len)) probesSent++;
        else probesRefused++;
    }

    /**
     * Announces that jlvs has taken an address on interface {@code ifIndex} (issue 6 point 4: VRRP taking over,
     * a VIP or NAT gateway added): a gratuitous ARP (keepalived's request form) for IPv4, an unsolicited
     * neighbour advertisement with the override flag (and the router flag when {@code router}) for IPv6. Sent
     * through the ring; the caller repeats it as keepalived's {@code garp_master_repeat} does.
     *
     * @return false when the interface is unknown or the ring refused the frame
     */
    public boolean announce(int af, long hi, long lo, int ifIndex, boolean router) {
        Link link = tables.links().get(ifIndex);
        if (link == null) return false;
        int len = af == Flow.AF_INET
                ? NeighbourFrames.gratuitousArp(scratch, 0, link.mac(), (int) lo)
                : NeighbourFrames.unsolicitedAdvertisement(scratch, 0, link.mac(), hi, lo, router);
        return ring.send(ifIndex, scratch, 0, len);
    }

    /** ARP requests and neighbour solicitations sent. */
    public long probesSent() { return probesSent; }

    /** Solicitations the ring refused. */
    public long probesRefused() { return probesRefused; }

    /** Solicitations not sent: unknown interface, or no IPv6 address to send from. */
    public long noSource() { return noSource; }

    /** Learned MACs a peer's inbox refused (full). */
    public long peerRefused() { return peerRefused; }
}
