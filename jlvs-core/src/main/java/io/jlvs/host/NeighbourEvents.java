package io.jlvs.host;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * Neighbour news for one data-plane thread, from any other thread: the daemon's rtnetlink listener
 * ({@code RTM_NEWNEIGH} / {@code RTM_DELNEIGH}, link down) and the other data-plane threads, which pass on what
 * their ARP and NDP frames taught them (a reply may reach another thread than the one whose solicitation it
 * answers). A many-to-one ring of fixed-size primitive records (Agrona {@link ManyToOneRingBuffer}): offers and
 * drains allocate nothing; a full ring refuses an offer, and the producer counts it.
 *
 * <p>The owning thread drains it in {@link NeighbourResolver#poll}, which applies each record to its
 * {@link Neighbours} and releases the frames parked for the neighbour.
 */
public final class NeighbourEvents {
    /** Record types. */
    static final int UPDATE = 1, DELETE = 2, FLUSH_INTERFACE = 3;
    private static final int AF = 0, IFINDEX = 4, STATE = 8, HI = 16, LO = 24, MAC = 32, LENGTH = 40;

    private final RingBuffer ring;
    private long refused;
    private final Handler handler = new Handler();

    /** @param capacityBytes ring size, a power of two (40-octet records plus an 8-octet header each) */
    public NeighbourEvents(int capacityBytes) {
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * A neighbour's MAC and state ({@link Neighbours#STALE}, {@link Neighbours#REACHABLE} or
     * {@link Neighbours#INCOMPLETE}). For a kernel event, {@code state} is {@link Neighbours#fromNud}; a
     * {@link Neighbours#NONE} state (kernel {@code NUD_FAILED}) deletes.
     *
     * @return false when the ring is full (counted in {@link #refused()})
     */
    public boolean offerUpdate(int af, long hi, long lo, int ifIndex, long mac, int state) {
        return offer(state == Neighbours.NONE ? DELETE : UPDATE, af, hi, lo, ifIndex, mac, state);
    }

    /** The neighbour is gone ({@code RTM_DELNEIGH}). */
    public boolean offerDelete(int af, long hi, long lo, int ifIndex) {
        return offer(DELETE, af, hi, lo, ifIndex, 0, Neighbours.NONE);
    }

    /** Every neighbour of an interface is gone (the link went down or away). */
    public boolean offerFlush(int ifIndex) {
        return offer(FLUSH_INTERFACE, 0, 0, 0, ifIndex, 0, Neighbours.NONE);
    }

    private boolean offer(int type, int af, long hi, long lo, int ifIndex, long mac, int state) {
        int at = ring.tryClaim(type, LENGTH);
        if (at < 0) {
            refused++;
            return false;
        }
        var b = ring.buffer();
        b.putInt(at + AF, af);
        b.putInt(at + IFINDEX, ifIndex);
        b.putInt(at + STATE, state);
        b.putLong(at + HI, hi);
        b.putLong(at + LO, lo);
        b.putLong(at + MAC, mac);
        ring.commit(at);
        return true;
    }

    /** Offers refused because the ring was full (the producers' count; approximate across threads). */
    public long refused() { return refused; }

    /** Applies up to {@code limit} records to {@code resolver} (its thread only). Returns records applied. */
    int drain(NeighbourResolver resolver, long nowNs, int limit) {
        handler.resolver = resolver;
        handler.nowNs = nowNs;
        return ring.read(handler, limit);
    }

    private static final class Handler implements MessageHandler {
        NeighbourResolver resolver;
        long nowNs;

        @Override
        public void onMessage(int type, MutableDirectBuffer b, int at, int length) {
            int af = b.getInt(at + AF), ifIndex = b.getInt(at + IFINDEX), state = b.getInt(at + STATE);
            long hi = b.getLong(at + HI), lo = b.getLong(at + LO), mac = b.getLong(at + MAC);
            switch (type) {
                case UPDATE -> resolver.apply(af, hi, lo, ifIndex, mac, state, nowNs);
                case DELETE -> resolver.neighbours().remove(af, hi, lo, ifIndex);
                case FLUSH_INTERFACE -> resolver.neighbours().removeInterface(ifIndex);
                default -> { }
            }
        }
    }
}
