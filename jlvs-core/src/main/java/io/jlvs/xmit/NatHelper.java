package io.jlvs.xmit;

/**
 * An application helper's look at the packets of a NAT connection it is bound to, where IPVS's TCP handlers
 * call it ({@code tcp_dnat_handler} / {@code tcp_snat_handler} in {@code ip_vs_proto_tcp.c} calling
 * {@code ip_vs_app_pkt_in} / {@code ip_vs_app_pkt_out}): after the route lookup, TTL and MTU checks, before the
 * addresses and ports are rewritten. The helper may fix TCP sequence numbers and rewrite the payload (growing
 * or shrinking the datagram into the frame's tailroom); it leaves every checksum valid for the packet as it
 * then is, so the NAT rewrite that follows can stay incremental.
 *
 * <p>Set in {@link XmitConn#app} by the caller for the one packet; null for the (usual) connection with no
 * helper.
 */
public interface NatHelper {
    /**
     * A client's packet, before DNAT.
     *
     * @return {@link Verdict#TX} to go on, or the drop code of why the packet must die
     */
    int in(Frame f);

    /**
     * A real server's reply, before SNAT.
     *
     * @return {@link Verdict#TX} to go on, or a drop code
     */
    int out(Frame f);
}
