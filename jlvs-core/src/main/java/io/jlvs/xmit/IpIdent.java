package io.jlvs.xmit;

/**
 * IPv4 identification (and IPv6 fragment identification) for the packets the director originates or
 * encapsulates without DF: ICMP errors, tunnel outer headers, fragments. Linux draws these from
 * {@code __ip_select_ident} (a hashed per-destination counter); a counter per data-plane thread, started at a
 * random or given value, serves the same purpose (unique among a destination's recent packets) without
 * shared state. Packets with DF get ID 0, as {@code ip_select_ident_segs} gives them.
 */
public final class IpIdent {
    private int next;

    public IpIdent(int first) { this.next = first; }

    /** Starts at a random value. */
    public IpIdent() { this(new java.util.SplittableRandom().nextInt()); }

    /** The next 16-bit IPv4 identification. */
    public int next16() { return next++ & 0xFFFF; }

    /** The next 32-bit identification (IPv6 fragment header). */
    public int next32() { return next++; }
}
