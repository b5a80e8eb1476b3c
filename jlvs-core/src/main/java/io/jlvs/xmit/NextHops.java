package io.jlvs.xmit;

/**
 * Route and neighbour lookup for the transmitters: where a packet to an address leaves, and with which MACs
 * (IPVS asks {@code ip_route_output_key} / {@code ip6_route_output} and the neighbour table). Implemented by the
 * daemon over its routing and ARP/NDP tables and by test fakes. No allocation, no blocking: an unresolved
 * neighbour is an answer ({@link #UNRESOLVED}: the transmitters drop the packet), and the implementation may
 * start resolving it.
 *
 * <p>An implementation that keeps the packets for an unresolved neighbour instead (the kernel's
 * {@code arp_queue}) answers {@link #RESOLVED} with a placeholder MAC that the {@link TxPort} it pairs with
 * recognises and parks: {@code io.jlvs.host.HostNextHops} with {@code NeighbourResolver.txPort()}. Every path
 * that writes the egress MAC into a frame (transmitters, fragments, ICMP errors) is covered that way, with no
 * change here.
 */
@FunctionalInterface
public interface NextHops {
    /** A route and the next hop's MAC: {@code out} is filled. */
    int RESOLVED = 0;
    /** The address is one of the director's own ({@code RTCF_LOCAL}): deliver to the local stack. */
    int LOCAL = 1;
    /** A route, but the next hop's MAC is not known (yet). */
    int UNRESOLVED = 2;
    /** No route to the address. */
    int UNREACHABLE = 3;

    /**
     * {@link #resolve} flag: the destination itself is the next hop, whatever gateway a route names (IPVS's
     * {@code IP_VS_RT_MODE_KNOWN_NH} for direct routing: the real server is on the director's link).
     */
    int KNOWN_NH = 1;

    /**
     * Looks up the way to {@code af}/{@code hi}/{@code lo} (IPv4 in the low 32 bits of {@code lo}) and fills
     * {@code out} when the answer is {@link #RESOLVED} or {@link #UNRESOLVED} (then every field but
     * {@link Egress#dstMac}); {@link #LOCAL} and {@link #UNREACHABLE} leave it alone.
     *
     * @param flags 0 or {@link #KNOWN_NH}
     */
    int resolve(int af, long hi, long lo, int flags, Egress out);
}
