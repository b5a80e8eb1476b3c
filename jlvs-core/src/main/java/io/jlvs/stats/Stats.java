package io.jlvs.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Traffic counters of one service, real server or the whole director, as written by one data-plane thread
 * (IPVS's per-cpu {@code struct ip_vs_counters}): connections scheduled, packets and bytes in each direction,
 * 64-bit. Each thread owns its own instances (single writer, plain increments, no atomics); a
 * {@link RateEstimator} sums the instances of all threads, reading them with opaque reads.
 *
 * <p>Bytes are the IP packet's length (header included, link layer excluded), as {@code skb->len} at the
 * netfilter hooks. Who counts what ({@code ip_vs_core.c}): {@link #countConn} when a conn is created
 * ({@code ip_vs_conn_stats}), {@link #countIn} for each packet towards a real server ({@code ip_vs_in_stats}),
 * {@link #countOut} for each reply ({@code ip_vs_out_stats}); in and out only while the conn's real server is
 * AVAILABLE (still in its service), always into the real server's, its service's and the total counters.
 */
public final class Stats {
    private static final VarHandle CONNS, IN_PKTS, OUT_PKTS, IN_BYTES, OUT_BYTES;
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CONNS = l.findVarHandle(Stats.class, "conns", long.class);
            IN_PKTS = l.findVarHandle(Stats.class, "inPkts", long.class);
            OUT_PKTS = l.findVarHandle(Stats.class, "outPkts", long.class);
            IN_BYTES = l.findVarHandle(Stats.class, "inBytes", long.class);
            OUT_BYTES = l.findVarHandle(Stats.class, "outBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long conns;
    private long inPkts;
    private long outPkts;
    private long inBytes;
    private long outBytes;

    /** A connection was scheduled to this service / real server. */
    public void conn() { conns++; }

    /** A packet from the client side ({@code lengthBytes}: its IP length). */
    public void in(int lengthBytes) {
        inPkts++;
        inBytes += lengthBytes;
    }

    /** A packet from the real server side. */
    public void out(int lengthBytes) {
        outPkts++;
        outBytes += lengthBytes;
    }

    /** Adds many at once (tests; a merge of counters). */
    void add(long conns, long inPkts, long outPkts, long inBytes, long outBytes) {
        this.conns += conns;
        this.inPkts += inPkts;
        this.outPkts += outPkts;
        this.inBytes += inBytes;
        this.outBytes += outBytes;
    }

    /** {@code ip_vs_conn_stats}: a new conn counts in its real server, its service and the total. */
    public static void countConn(Stats dest, Stats svc, Stats total) {
        dest.conn();
        svc.conn();
        total.conn();
    }

    /** {@code ip_vs_in_stats}; the caller checks that the conn has a real server and that it is AVAILABLE. */
    public static void countIn(Stats dest, Stats svc, Stats total, int lengthBytes) {
        dest.in(lengthBytes);
        svc.in(lengthBytes);
        total.in(lengthBytes);
    }

    /** {@code ip_vs_out_stats}; same condition as {@link #countIn}. */
    public static void countOut(Stats dest, Stats svc, Stats total, int lengthBytes) {
        dest.out(lengthBytes);
        svc.out(lengthBytes);
        total.out(lengthBytes);
    }

    // Reads, from any thread.
    public long conns() { return (long) CONNS.getOpaque(this); }
    public long inPkts() { return (long) IN_PKTS.getOpaque(this); }
    public long outPkts() { return (long) OUT_PKTS.getOpaque(this); }
    public long inBytes() { return (long) IN_BYTES.getOpaque(this); }
    public long outBytes() { return (long) OUT_BYTES.getOpaque(this); }

    @Override
    public String toString() {
        return "Stats[conns=" + conns() + " inPkts=" + inPkts() + " outPkts=" + outPkts()
                + " inBytes=" + inBytes() + " outBytes=" + outBytes() + "]";
    }
}
