package io.jlvs.host;

import io.jlvs.packet.NetworkOrder;
import io.jlvs.xmit.TxPort;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Frames waiting for a next hop's MAC, so the first packets of a connection to an unresolved neighbour are not
 * dropped (the kernel's {@code neigh->arp_queue}, filled by {@code __neigh_event_send}). One per data-plane
 * thread, preallocated, no allocation after construction.
 *
 * <p>How frames get here: {@link HostNextHops} answers a lookup whose neighbour is unknown with
 * {@link io.jlvs.xmit.NextHops#RESOLVED} and a <em>marker</em> as the destination MAC ({@link #mark}); the
 * transmitters write it into the frame like any MAC, and {@link NeighbourResolver#txPort()}, the TX port they
 * were given, recognises it in the first two octets and parks the frame here instead of sending it
 * ({@link #park}). A marker is a group MAC ({@code 0f:4a:GG:GG:SS:SS}: entry {@code S}, generation {@code G}),
 * which no neighbour can have ({@link Neighbours} refuses group MACs), so no real frame is mistaken for one.
 * Every path that writes an egress MAC (transmitters, fragments, ICMP errors) is covered without a change to them.
 *
 * <p>Per next hop: at most {@code maxFramesPerNextHop} frames (a new frame pushes the oldest out, as the kernel
 * does), all of them in a slab of {@code maxFrames} slots of {@code frameBytes} octets. A next hop stays pending
 * {@code timeoutNs} after its first lookup; then its frames are dropped and counted ({@link #expired()}).
 * Solicitations are rate limited per next hop: one every {@code retransmitNs}, at most {@code maxProbes}
 * ({@link #takeProbe}). When the MAC is learned, {@link #release} writes it into each frame and sends them.
 */
public final class PendingQueue {
    /** {@link #mark} result when no entry is free. */
    public static final long NO_MARKER = -1;
    /** {@link #park} results other than an entry index. */
    public static final int STALE_MARKER = -1, TOO_BIG = -2, NO_ROOM = -3;

    /** First two octets of a marker MAC: a group, locally administered address. */
    static final int MARKER_PREFIX = 0x0F4A;
    private static final int NONE = -1;

    // configuration
    private final int maxFramesPerNextHop, frameBytes, maxProbes;
    private final long timeoutNs, retransmitNs;

    // next-hop entries
    private final AddressMap byAddress;
    private final int[] af, ifIndex, probes, gen, head, tail, count;
    private final long[] hi, lo, srcHi, srcLo, createdNs, nextProbeNs;
    private final int[] freeEntries;
    private int freeEntryCount;
    private final int[] active;
    private final int[] activePos;
    private int activeCount;

    // frames
    private final MemorySegment slab;
    private final int[] frameLength, frameNext, freeFrames;
    private int freeFrameCount;

    private long nowNs;
    private long nextDeadlineNs = Long.MAX_VALUE;

    // counters
    private long parked, released, expired, overflow, tooBig, staleMarkers, txFull, failed, noEntry;

    /**
     * @param maxNextHops         next hops pending at once (at most 65536)
     * @param maxFrames           frames parked at once, all next hops together
     * @param maxFramesPerNextHop frames parked per next hop ({@code unres_qlen})
     * @param frameBytes          largest frame parked (larger ones are dropped and counted)
     * @param timeoutNs           how long a next hop stays pending before its frames are dropped
     * @param retransmitNs        least time between two solicitations for a next hop
     * @param maxProbes           solicitations per next hop ({@code mcast_solicit})
     */
    public PendingQueue(int maxNextHops, int maxFrames, int maxFramesPerNextHop, int frameBytes, long timeoutNs,
                        long retransmitNs, int maxProbes) {
        this(maxNextHops, maxFrames, maxFramesPerNextHop, frameBytes, timeoutNs, retransmitNs, maxProbes, null);
    }

    /**
     * As above, the slab allocated from {@code arena} (native memory the caller owns and closes, for TX ports that
     * want native segments), or on the heap when {@code arena} is null.
     */
    public PendingQueue(int maxNextHops, int maxFrames, int maxFramesPerNextHop, int frameBytes, long timeoutNs,
                        long retransmitNs, int maxProbes, Arena arena) {
        if (maxNextHops < 1 || maxNextHops > 1 << 16) throw new IllegalArgumentException("maxNextHops " + maxNextHops + " not in 1..65536");
        if (maxFrames < 1 || maxFramesPerNextHop < 1) throw new IllegalArgumentException("frame limits must be positive");
        if (frameBytes < 64) throw new IllegalArgumentException("frameBytes " + frameBytes + " below 64");
        if (timeoutNs <= 0 || retransmitNs <= 0 || maxProbes < 1) throw new IllegalArgumentException("timeouts and probes must be positive");
        this.maxFramesPerNextHop = maxFramesPerNextHop;
        this.frameBytes = frameBytes;
        this.timeoutNs = timeoutNs;
        this.retransmitNs = retransmitNs;
        this.maxProbes = maxProbes;
        this.byAddress = new AddressMap(maxNextHops, HostTables.RANDOM.nextLong());
        af = new int[maxNextHops];
        ifIndex = new int[maxNextHops];
        probes = new int[maxNextHops];
        gen = new int[maxNextHops];
        head = new int[maxNextHops];
        tail = new int[maxNextHops];
        count = new int[maxNextHops];
        hi = new long[maxNextHops];
        lo = new long[maxNextHops];
        srcHi = new long[maxNextHops];
        srcLo = new long[maxNextHops];
        createdNs = new long[maxNextHops];
        nextProbeNs = new long[maxNextHops];
        freeEntries = new int[maxNextHops];
        active = new int[maxNextHops];
        activePos = new int[maxNextHops];
        for (int e = 0; e < maxNextHops; e++) freeEntries[e] = maxNextHops - 1 - e;
        freeEntryCount = maxNextHops;
        long slabBytes = Math.multiplyExact((long) maxFrames, frameBytes);
        slab = arena != null ? arena.allocate(slabBytes, 8) : MemorySegment.ofArray(new byte[Math.toIntExact(slabBytes)]);
        frameLength = new int[maxFrames];
        frameNext = new int[maxFrames];
        freeFrames = new int[maxFrames];
        for (int i = 0; i < maxFrames; i++) freeFrames[i] = maxFrames - 1 - i;
        freeFrameCount = maxFrames;
    }

    /** The data plane's clock for the lookups and parks until the next call (once per duty cycle). */
    public void now(long nowNs) { this.nowNs = nowNs; }

    public long now() { return nowNs; }

    private static long tag(int af, int ifIndex) { return (long) af << 32 | (ifIndex & 0xFFFF_FFFFL); }

    /** True for a MAC made by {@link #mark}. */
    public static boolean isMarker(long mac) { return (mac >>> 32) == MARKER_PREFIX; }

    /** True when the frame at {@code off} is addressed to a marker (reads two octets). */
    static boolean isMarked(MemorySegment seg, long off) { return NetworkOrder.u16(seg, off) == MARKER_PREFIX; }

    /**
     * The marker for next hop {@code af}/{@code hi}/{@code lo} on {@code ifIndex}, its entry created (pending
     * since now, a solicitation due at once) if it is new.
     *
     * @param srcHi  the director's address toward it (the solicitation's sender address)
     * @return the marker MAC, or {@link #NO_MARKER} when every entry is taken
     */
    public long mark(int af, long hi, long lo, int ifIndex, long srcHi, long srcLo) {
        int s = byAddress.insert(hi, lo, tag(af, ifIndex));
        if (s == AddressMap.MISSING || (byAddress.isNew() && freeEntryCount == 0)) {
            if (s != AddressMap.MISSING) byAddress.removeAt(s);
            noEntry++;
            return NO_MARKER;
        }
        int e;
        if (byAddress.isNew()) {
            e = freeEntries[--freeEntryCount];
            byAddress.v0(s, e);
            this.af[e] = af;
            this.hi[e] = hi;
            this.lo[e] = lo;
            this.ifIndex[e] = ifIndex;
            this.srcHi[e] = srcHi;
            this.srcLo[e] = srcLo;
            createdNs[e] = nowNs;
            nextProbeNs[e] = nowNs;
            probes[e] = 0;
            head[e] = tail[e] = NONE;
            count[e] = 0;
            activePos[e] = activeCount;
            active[activeCount++] = e;
            nextDeadlineNs = Math.min(nextDeadlineNs, nowNs);
        } else {
            e = (int) byAddress.v0(s);
        }
        return marker(e);
    }

    private long marker(int e) { return (long) MARKER_PREFIX << 32 | (long) (gen[e] & 0xFFFF) << 16 | e; }

    /** The entry a marker names, or -1 when it names none (its next hop resolved or expired since). */
    int entryOf(long marker) {
        int e = (int) marker & 0xFFFF;
        if (!isMarker(marker) || e >= af.length || af[e] == 0 || (gen[e] & 0xFFFF) != ((int) (marker >>> 16) & 0xFFFF)) return -1;
        return e;
    }

    /** The pending entry of a next hop, or -1. */
    public int find(int af, long hi, long lo, int ifIndex) {
        int s = byAddress.find(hi, lo, tag(af, ifIndex));
        return s == AddressMap.MISSING ? -1 : (int) byAddress.v0(s);
    }

    /**
     * Parks a copy of the frame addressed to a marker (its first two octets are the marker's prefix) with the
     * marker's next hop; the caller may reuse its buffer afterwards. A next hop already holding
     * {@code maxFramesPerNextHop} frames drops its oldest; a full slab drops the new frame. Every drop is counted.
     *
     * @return the entry, or {@link #STALE_MARKER}, {@link #TOO_BIG}, {@link #NO_ROOM} (the frame was dropped)
     */
    public int park(MemorySegment seg, long off, int length) {
        int e = entryOf(NetworkOrder.mac(seg, off));
        if (e < 0) {
            staleMarkers++;
            return STALE_MARKER;
        }
        if (length > frameBytes) {
            tooBig++;
            return TOO_BIG;
        }
        int slot;
        if (count[e] == maxFramesPerNextHop) {
            slot = head[e];                              // the oldest makes room
            head[e] = frameNext[slot];
            count[e]--;
            if (head[e] == NONE) tail[e] = NONE;
            overflow++;
        } else if (freeFrameCount > 0) {
            slot = freeFrames[--freeFrameCount];
        } else {
            overflow++;
            return NO_ROOM;
        }
        long at = (long) slot * frameBytes;
        MemorySegment.copy(seg, off, slab, at, length);
        frameLength[slot] = length;
        frameNext[slot] = NONE;
        if (tail[e] == NONE) head[e] = slot;
        else frameNext[tail[e]] = slot;
        tail[e] = slot;
        count[e]++;
        parked++;
        return e;
    }

    /**
     * The next hop's MAC is known: writes it into every frame parked for it, sends them in order on its
     * interface through {@code tx}, and forgets the next hop.
     *
     * @return frames sent (a refusing port's frames are counted in {@link #txFull()})
     */
    public int release(int af, long hi, long lo, int ifIndex, long mac, TxPort tx) {
        int s = byAddress.find(hi, lo, tag(af, ifIndex));
        if (s == AddressMap.MISSING) return 0;
        int e = (int) byAddress.v0(s);
        int sent = 0;
        for (int f = head[e]; f != NONE; f = frameNext[f]) {
            long at = (long) f * frameBytes;
            NetworkOrder.mac(slab, at, mac);
            if (tx.send(ifIndex, slab, at, frameLength[f])) sent++;
            else txFull++;
        }
        released += sent;
        free(e, s);
        return sent;
    }

    /** Sends the solicitation for a pending entry ({@link NeighbourResolver} builds the ARP request or NS). */
    @FunctionalInterface
    public interface Prober {
        void probe(int entry);
    }

    /**
     * The timers, once per duty cycle: drops the frames of next hops pending for {@code timeoutNs} and forgets
     * those next hops (the kernel's {@code NUD_FAILED}: a later packet starts over), and has {@code prober}
     * send the solicitations that are due. Returns at once when nothing is due.
     *
     * @return frames dropped plus solicitations sent
     */
    public int poll(long nowNs, Prober prober) {
        this.nowNs = nowNs;
        if (nowNs - nextDeadlineNs < 0) return 0;
        int dropped = 0, probed = 0;
        long next = Long.MAX_VALUE;
        for (int k = activeCount - 1; k >= 0; k--) {      // free() moves the last entry to k: already seen
            int e = active[k];
            long deadline = createdNs[e] + timeoutNs;
            if (nowNs - deadline >= 0) {
                dropped += count[e];
                failed++;
                free(e, byAddress.find(hi[e], lo[e], tag(af[e], ifIndex[e])));
                continue;
            }
            if (prober != null && takeProbe(e, nowNs)) {
                prober.probe(e);
                probed++;
            }
            next = Math.min(next, deadline);
            if (probes[e] < maxProbes) next = Math.min(next, nextProbeNs[e]);
        }
        expired += dropped;
        nextDeadlineNs = next;
        return dropped + probed;
    }

    /** The next time {@link #poll} or a solicitation may have work, {@link Long#MAX_VALUE} for never. */
    public long nextDeadlineNs() { return nextDeadlineNs; }

    /**
     * Whether entry {@code e} may send a solicitation now (fewer than {@code maxProbes} sent, the last one at
     * least {@code retransmitNs} ago); if so the solicitation is counted as sent.
     */
    public boolean takeProbe(int e, long nowNs) {
        if (af[e] == 0 || probes[e] >= maxProbes || nowNs - nextProbeNs[e] < 0) return false;
        probes[e]++;
        nextProbeNs[e] = nowNs + retransmitNs;
        if (probes[e] < maxProbes) nextDeadlineNs = Math.min(nextDeadlineNs, nextProbeNs[e]);
        return true;
    }

    private void free(int e, int slot) {
        for (int f = head[e]; f != NONE; f = frameNext[f]) freeFrames[freeFrameCount++] = f;
        head[e] = tail[e] = NONE;
        count[e] = 0;
        af[e] = 0;
        gen[e]++;
        byAddress.removeAt(slot);
        int pos = activePos[e], last = active[--activeCount];
        active[pos] = last;
        activePos[last] = pos;
        freeEntries[freeEntryCount++] = e;
    }

    // entries, for the resolver and for tests

    /** Next hops pending now. */
    public int activeCount() { return activeCount; }

    /** The {@code k}th pending entry, {@code 0 <= k < activeCount()}. */
    public int active(int k) { return active[k]; }

    public int af(int e) { return af[e]; }

    public long hi(int e) { return hi[e]; }

    public long lo(int e) { return lo[e]; }

    public int ifIndex(int e) { return ifIndex[e]; }

    public long srcHi(int e) { return srcHi[e]; }

    public long srcLo(int e) { return srcLo[e]; }

    /** Frames parked for entry {@code e}. */
    public int count(int e) { return count[e]; }

    /** Solicitations sent for entry {@code e}. */
    public int probes(int e) { return probes[e]; }

    /** Frames parked in all. */
    public int frames() { return freeFrames.length - freeFrameCount; }

    // counters

    /** Frames parked since start. */
    public long parked() { return parked; }

    /** Frames sent after their next hop resolved. */
    public long released() { return released; }

    /** Frames dropped because their next hop did not resolve in time. */
    public long expired() { return expired; }

    /** Frames dropped because a next hop's queue or the slab was full. */
    public long overflow() { return overflow; }

    /** Frames dropped for being larger than a slot. */
    public long tooBig() { return tooBig; }

    /** Frames addressed to a marker whose next hop was gone (resolved or expired between lookup and send). */
    public long staleMarkers() { return staleMarkers; }

    /** Released frames the TX port refused. */
    public long txFull() { return txFull; }

    /** Next hops that did not resolve in time. */
    public long failed() { return failed; }

    /** Lookups answered unresolved because every entry was taken. */
    public long noEntry() { return noEntry; }
}
