package io.jlvs.xmit;

import io.jlvs.packet.DropReason;

/**
 * What a transmitter did with a frame. Negative values are the outcomes below; any value {@code >= 0} is the
 * {@link DropReason#code()} of why the frame was dropped (counted by the caller, as the parser's results).
 * Some drops also sent an ICMP error back to the packet's source (TTL exceeded, fragmentation needed):
 * {@link IcmpErrors} counts those.
 */
public final class Verdict {
    /** Queued on the {@link TxPort} given to the transmitter. */
    public static final int TX = -1;
    /** Queued on the local-stack port: the destination is one of the director's addresses. */
    public static final int LOCAL = -2;
    /**
     * Not the data plane's business: the host stack may have the frame (IPVS's {@code NF_ACCEPT}; the value of
     * {@code Director.PASS}). The neighbour responders of {@code io.jlvs.host} answer it for ARP and NDP they
     * leave to the kernel.
     */
    public static final int PASS = -3;

    private Verdict() {}

    public static boolean isDrop(int verdict) { return verdict >= 0; }

    /** "TX", "LOCAL", "PASS" or the drop reason's name. */
    public static String name(int verdict) {
        if (verdict == TX) return "TX";
        if (verdict == LOCAL) return "LOCAL";
        if (verdict == PASS) return "PASS";
        DropReason r = DropReason.of(verdict);
        return r != null ? r.name() : "?" + verdict;
    }
}
