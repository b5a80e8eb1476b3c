package io.jlvs.app;

import io.jlvs.packet.IpProto;

/**
 * An application helper, as IPVS's {@code struct ip_vs_app} ({@code include/net/ip_vs.h}, {@code ip_vs_app.c}):
 * registered for a protocol and a few virtual ports ({@code register_ip_vs_app_inc}), bound to each new NAT
 * connection whose virtual port is one of them ({@code tcp_app_conn_bind}), and shown every later packet of it in
 * both directions ({@code pkt_in}, {@code pkt_out}) with the TCP sequence numbers already fixed for earlier
 * payload changes. One instance per director (single thread): it may keep scratch state in fields.
 *
 * <p>Contract of {@link #in} and {@link #out}: read the payload through the {@link AppContext}, change it only
 * with {@link AppContext#replace} (which keeps lengths, checksums and sequence bookkeeping right), make
 * connections only with {@link AppContext#newConn}; no allocation for a packet that carries nothing for the
 * helper. Return {@link io.jlvs.xmit.Verdict#TX} to let the packet go on, or a
 * {@link io.jlvs.packet.DropReason} code to drop it (the kernel's {@code return 0}).
 */
public interface AppHelper {
    /** The name {@code /proc/net/ip_vs_app} shows: {@code "ftp"}. */
    String name();

    /** The protocol whose connections it binds to (only TCP helpers exist in IPVS). */
    default int protocol() { return IpProto.IPPROTO_TCP; }

    /** Virtual ports it binds to ({@code ports=} of the module), at most {@link Apps#MAX_PORTS}; 0 is skipped. */
    int[] ports();

    /** {@code pkt_in}: a client's packet of a bound connection, before DNAT. */
    int in(AppContext ctx);

    /** {@code pkt_out}: a real server's packet of a bound connection, before SNAT. */
    int out(AppContext ctx);
}
