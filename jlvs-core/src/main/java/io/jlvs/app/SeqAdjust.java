package io.jlvs.app;

import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;
import io.jlvs.packet.Checksums;
import io.jlvs.packet.TcpView;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The state IPVS keeps in a connection for its application helper, here in a side table keyed by connection
 * index ({@link ConnTable}'s): which helper is bound ({@code cp->app}), the helper's own word
 * ({@code cp->app_data}: FTP's "PASV seen"), and the two {@code struct ip_vs_seq} of {@code include/net/ip_vs.h},
 * {@code in_seq} (client to real server) and {@code out_seq} (real server to client), each
 * {@code {init_seq, delta, previous_delta}}.
 *
 * <h2>The rules ({@code ip_vs_app.c}, Linux 6.17)</h2>
 * When a helper changes the length of a packet's payload by {@code diff} ({@code vs_seq_update}): if the
 * direction's flag ({@link ConnFlags#IN_SEQ} / {@link ConnFlags#OUT_SEQ}) is not set yet, or the packet's
 * original sequence number is after {@code init_seq}, then {@code previous_delta = delta; delta += diff;
 * init_seq = seq} and the flag is set (a retransmission of the resized packet does not count twice). Every later
 * packet then has ({@code app_tcp_pkt_in} / {@code app_tcp_pkt_out}):
 * <ul>
 *   <li>its sequence number fixed with its own direction's record ({@code vs_fix_seq}): {@code + delta} when
 *       after {@code init_seq}, else {@code + previous_delta} (a retransmission of data sent before the resize);</li>
 *   <li>its acknowledgment number fixed with the other direction's record ({@code vs_fix_ack_seq}):
 *       {@code - delta} when after {@code init_seq + delta}, else {@code - previous_delta};</li>
 *   <li>(beyond {@code ip_vs_app.c}) its SACK blocks fixed like acknowledgment numbers, as conntrack's
 *       {@code nf_ct_sack_adjust} does for the kernels where conntrack carries the adjustment.</li>
 * </ul>
 * Nothing is done while both deltas are 0. Comparisons are modulo 2^32 ({@code after()} of {@code tcp.h}).
 * The acknowledgment threshold is IPVS's {@code init_seq + delta}; conntrack's {@code nf_ct_seq_adjust}, which
 * carries FTP's adjustment in current kernels, compares {@code ack - previous_delta} with {@code init_seq}
 * instead. The two differ only for acknowledgments that end inside the resized packet's first {@code |delta|}
 * octets: after a shrink, an acknowledgment of exactly {@code init_seq} already takes the new delta here.
 * Every changed field updates the TCP checksum incrementally (RFC 1624); a partial checksum (the pseudo-header
 * sum only) needs nothing, the header being summed later.
 *
 * <h2>Memory</h2>
 * Nothing per connection record: a primitive map from bound connections to their slot (the check on every NAT
 * packet is a counter test while nothing is bound, else one probe); bound connections take a slot of eight ints
 * from an array that doubles when full (an allocation only when a connection is bound, where the kernel
 * allocates the connection). So the connection table stays within its 64 bytes per connection whether or not a
 * helper is registered. Single writer: the owning data-plane thread.
 */
public final class SeqAdjust {
    private static final int HELPER = 0, DATA = 1, IN_INIT = 2, IN_DELTA = 3, IN_PREV = 4;
    private static final int OUT_INIT = 5, OUT_DELTA = 6, OUT_PREV = 7, STRIDE = 8;
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int TCPOPT_EOL = 0, TCPOPT_NOP = 1, TCPOPT_SACK = 5, TCPOLEN_SACK_PERBLOCK = 8;

    private final ConnTable conns;
    /** Per connection index: slot + 1, or 0. */
    private final org.agrona.collections.Int2IntHashMap slotOf = new org.agrona.collections.Int2IntHashMap(0);
    private int[] slots = new int[16 * STRIDE];
    /** Head of the free-slot list (linked through HELPER), or -1; slots below {@link #top} have been used. */
    private int free = -1, top;
    private int bound;

    public SeqAdjust(ConnTable conns) {
        this.conns = conns;
    }

    /** Makes room for every connection of the table: called once, on the control path, before any binding. */
    void enable() {
        // nothing to size: the map grows with the bound connections
    }

    /** Binds {@code conn} to helper {@code helperId} with zeroed state ({@code cp->app = inc}, {@code app_data = 0}). */
    void attach(int conn, int helperId) {
        int s = slotOf.get(conn) - 1;
        if (s < 0) {
            s = allocate();
            slotOf.put(conn, s + 1);
            bound++;
        }
        int b = s * STRIDE;
        Arrays.fill(slots, b, b + STRIDE, 0);
        slots[b + HELPER] = helperId;
    }

    /** {@code ip_vs_unbind_app}: the connection leaves the table; its slot is freed. */
    void detach(int conn) {
        if (bound == 0) return;
        int s = slotOf.remove(conn) - 1;
        if (s < 0) return;
        slots[s * STRIDE + HELPER] = free;
        free = s;
        bound--;
    }

    private int allocate() {
        if (free >= 0) {
            int s = free;
            free = slots[s * STRIDE + HELPER];
            return s;
        }
        if ((top + 1) * STRIDE > slots.length) slots = Arrays.copyOf(slots, slots.length * 2);
        return top++;
    }

    /** True when a helper is bound to {@code conn}. */
    public boolean isBound(int conn) {
        return bound != 0 && slotOf.get(conn) != 0;
    }

    /** Connections bound to a helper. */
    public int bound() { return bound; }

    /** The helper id of a bound connection. */
    int helper(int conn) { return slots[base(conn) + HELPER]; }

    /** The helper's word ({@code cp->app_data}) of a bound connection. */
    public int appData(int conn) { return slots[base(conn) + DATA]; }

    public void appData(int conn, int value) { slots[base(conn) + DATA] = value; }

    /** {@code init_seq} of {@code in_seq} ({@code in} true) or {@code out_seq}. */
    public int initSeq(int conn, boolean in) { return slots[base(conn) + (in ? IN_INIT : OUT_INIT)]; }

    public int delta(int conn, boolean in) { return slots[base(conn) + (in ? IN_DELTA : OUT_DELTA)]; }

    public int previousDelta(int conn, boolean in) { return slots[base(conn) + (in ? IN_PREV : OUT_PREV)]; }

    private int base(int conn) { return (slotOf.get(conn) - 1) * STRIDE; }

    // ------------------------------------------------------------------------------------------- the rules

    /** {@code after(seq1, seq2)} of {@code include/net/tcp.h}: {@code seq1} is later, modulo 2^32. */
    public static boolean after(int seq1, int seq2) { return seq2 - seq1 < 0; }

    /** {@code vs_fix_seq}: the sequence number to send for {@code seq}. */
    public static int fixSeq(int seq, int initSeq, int delta, int previousDelta) {
        if (delta == 0 && previousDelta == 0) return seq;
        return after(seq, initSeq) ? seq + delta : seq + previousDelta;
    }

    /** {@code vs_fix_ack_seq}: the acknowledgment number to send for {@code ack} (of the other direction's data). */
    public static int fixAck(int ack, int initSeq, int delta, int previousDelta) {
        if (delta == 0 && previousDelta == 0) return ack;
        return after(ack, initSeq + delta) ? ack - delta : ack - previousDelta;
    }

    /**
     * {@code app_tcp_pkt_in} ({@code in}) or {@code app_tcp_pkt_out}, before the helper: fixes the sequence
     * number with this direction's record and the acknowledgment number (and SACK blocks) with the other's, as
     * the connection's SEQ flags say.
     *
     * @param tcp     the packet's TCP header (its whole header in the frame, as the parser checked)
     * @param partial the TCP checksum is partial: leave it alone
     */
    void fix(int conn, boolean in, TcpView tcp, boolean partial) {
        int flags = conns.flags(conn) & ConnFlags.SEQ_MASK;
        if (flags == 0) return;
        int b = base(conn);
        int own = in ? IN_INIT : OUT_INIT, other = in ? OUT_INIT : IN_INIT;
        boolean ownSet = (flags & (in ? ConnFlags.IN_SEQ : ConnFlags.OUT_SEQ)) != 0;
        boolean otherSet = (flags & (in ? ConnFlags.OUT_SEQ : ConnFlags.IN_SEQ)) != 0;
        int c = tcp.checksum();
        if (ownSet) {
            int seq = tcp.seq();
            int fixed = fixSeq(seq, slots[b + own], slots[b + own + 1], slots[b + own + 2]);
            if (fixed != seq) {
                tcp.seq(fixed);
                if (!partial) c = Checksums.update32(c, seq, fixed);
            }
        }
        if (otherSet) {
            int init = slots[b + other], delta = slots[b + other + 1], prev = slots[b + other + 2];
            int ack = tcp.ackSeq();
            int fixed = fixAck(ack, init, delta, prev);
            if (fixed != ack) {
                tcp.ackSeq(fixed);
                if (!partial) c = Checksums.update32(c, ack, fixed);
            }
            if (tcp.headerLength() > TcpView.MIN_HEADER_LENGTH) c = fixSack(tcp, init, delta, prev, partial, c);
        }
        if (!partial) tcp.checksum(c);
    }

    /** The SACK option's block edges, fixed as acknowledgment numbers ({@code nf_ct_sack_adjust}'s option walk). */
    private static int fixSack(TcpView tcp, int init, int delta, int prev, boolean partial, int c) {
        MemorySegment seg = tcp.segment();
        long p = tcp.offset() + TcpView.MIN_HEADER_LENGTH;
        long end = tcp.offset() + tcp.headerLength();
        while (p < end) {
            int kind = seg.get(ValueLayout.JAVA_BYTE, p) & 0xFF;
            if (kind == TCPOPT_EOL) break;
            if (kind == TCPOPT_NOP) { p++; continue; }
            if (end - p < 2) break;
            int len = seg.get(ValueLayout.JAVA_BYTE, p + 1) & 0xFF;
            if (len < 2 || len > end - p) break;
            if (kind == TCPOPT_SACK && len >= 2 + TCPOLEN_SACK_PERBLOCK && (len - 2) % TCPOLEN_SACK_PERBLOCK == 0) {
                for (long e = p + 2; e < p + len; e += 4) {
                    int edge = seg.get(INT_BE, e);
                    int fixed = fixAck(edge, init, delta, prev);
                    if (fixed != edge) {
                        seg.set(INT_BE, e, fixed);
                        if (!partial) c = Checksums.update32(c, edge, fixed);
                    }
                }
            }
            p += len;
        }
        return c;
    }

    /**
     * {@code vs_seq_update}: the helper changed the length of the packet whose original sequence number was
     * {@code seq} by {@code diff} octets ({@code in}: a client's packet, {@code in_seq}; else {@code out_seq}).
     */
    void update(int conn, boolean in, int seq, int diff) {
        int flag = in ? ConnFlags.IN_SEQ : ConnFlags.OUT_SEQ;
        int flags = conns.flags(conn);
        int b = base(conn) + (in ? IN_INIT : OUT_INIT);
        if ((flags & flag) == 0 || after(seq, slots[b])) {
            slots[b + 2] = slots[b + 1];
            slots[b + 1] += diff;
            slots[b] = seq;
            conns.flags(conn, flags | flag);
        }
    }
}
