package io.jlvs.packet;

/**
 * The addressing facts of one packet that the director decides on (IPVS's {@code struct ip_vs_iphdr} plus the
 * ports): family, protocol, source and destination address and port, firewall mark, arrival time.
 *
 * <p>A mutable holder, one per data-plane thread, refilled for every packet: never allocate one per packet.
 * Addresses are 128 bits in two longs, network order; IPv4 keeps {@code hi == 0} and the address in the low
 * 32 bits of {@code lo} (as {@link io.jlvs.service.IpAddr}).
 */
public final class Flow {
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public int af = AF_INET;
    /** IPPROTO_*: 6 TCP, 17 UDP, 132 SCTP, 1 ICMP, 58 ICMPv6. */
    public int protocol;
    public long srcHi, srcLo;
    public int srcPort;
    public long dstHi, dstLo;
    public int dstPort;
    /** The packet's firewall mark, 0 for none. */
    public int fwmark;
    /** Arrival time on the director's injected clock. */
    public long nowNs;

    public Flow v4(int protocol, int src, int srcPort, int dst, int dstPort) {
        this.af = AF_INET;
        this.protocol = protocol;
        this.srcHi = 0;
        this.srcLo = src & 0xFFFF_FFFFL;
        this.srcPort = srcPort;
        this.dstHi = 0;
        this.dstLo = dst & 0xFFFF_FFFFL;
        this.dstPort = dstPort;
        return this;
    }

    public Flow v6(int protocol, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
        this.af = AF_INET6;
        this.protocol = protocol;
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.srcPort = srcPort;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        this.dstPort = dstPort;
        return this;
    }

    public Flow fwmark(int mark) { this.fwmark = mark; return this; }

    public Flow at(long nowNs) { this.nowNs = nowNs; return this; }

    /** {@link io.jlvs.service.IpAddr#fold()} of the source address. */
    public int srcFold() { return fold(af, srcHi, srcLo); }

    /** {@link io.jlvs.service.IpAddr#fold()} of the destination address. */
    public int dstFold() { return fold(af, dstHi, dstLo); }

    static int fold(int af, long hi, long lo) {
        if (af == AF_INET) return (int) lo;
        return (int) (hi >>> 32) ^ (int) hi ^ (int) (lo >>> 32) ^ (int) lo;
    }

    /** True for the protocols whose ports IPVS's hashing schedulers may use (TCP, UDP, SCTP). */
    public boolean hasPorts() { return protocol == 6 || protocol == 17 || protocol == 132; }
}
