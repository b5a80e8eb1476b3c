package io.jlvs.xmit;

/**
 * A forwarding method's transmitter ({@code cp->packet_xmit}, bound once per connection by
 * {@code ip_vs_bind_xmit} in {@code ip_vs_conn.c}): rewrites the frame in place as the method requires and
 * queues it. One instance per data-plane thread and method; no allocation, no exceptions.
 *
 * <p>The frame must have been parsed ({@link Frame#parse}) and belong to {@code conn} in the client-to-server
 * direction (its destination the virtual service, or for {@link BypassXmit} any address).
 */
public interface Xmit {
    /**
     * @return {@link Verdict#TX}, {@link Verdict#LOCAL}, or the {@link io.jlvs.packet.DropReason#code()} of
     *         why the frame was dropped
     */
    int transmit(Frame frame, XmitConn conn, TxPort tx);
}
