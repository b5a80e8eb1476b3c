package io.jlvs.proto;

import io.jlvs.conn.ConnFlags;

/**
 * The protocols IPVS tracks connections for (TCP, UDP, SCTP; {@code ip_vs_protocol_init} also registers AH
 * and ESP, which jlvs does not balance), looked up by IPPROTO number as {@code ip_vs_proto_get}.
 */
public final class Protocols {
    private Protocols() {}

    public static final TcpProtocol TCP = new TcpProtocol();
    public static final UdpProtocol UDP = new UdpProtocol();
    public static final SctpProtocol SCTP = new SctpProtocol();

    /** {@code IPPROTO_IP}: the protocol of fwmark persistence templates. */
    public static final int IPPROTO_IP = 0;

    /** Template states ({@code IP_VS_CTPL_S_*}). */
    public static final int CTPL_S_NONE = 0, CTPL_S_ASSURED = 1;

    /** Slot of a protocol in per-protocol arrays: TCP 0, UDP 1, SCTP 2; -1 for the others. */
    public static final int SLOT_TCP = 0, SLOT_UDP = 1, SLOT_SCTP = 2, SLOTS = 3;

    public static int slot(int ipproto) {
        return switch (ipproto) {
            case TcpProtocol.IPPROTO_TCP -> SLOT_TCP;
            case UdpProtocol.IPPROTO_UDP -> SLOT_UDP;
            case SctpProtocol.IPPROTO_SCTP -> SLOT_SCTP;
            default -> -1;
        };
    }

    /** The protocol, or null when IPVS does not handle it (the packet is not IPVS's business). */
    public static L4Protocol of(int ipproto) {
        return switch (ipproto) {
            case TcpProtocol.IPPROTO_TCP -> TCP;
            case UdpProtocol.IPPROTO_UDP -> UDP;
            case SctpProtocol.IPPROTO_SCTP -> SCTP;
            default -> null;
        };
    }

    /**
     * A connection's state as /proc/net/ip_vs_conn prints it ({@code ip_vs_state_name}): templates are
     * "NONE" or "ASSURED", conns their protocol's state name, an unknown protocol "NONE" for IPPROTO_IP and
     * "ERR!" otherwise.
     */
    public static String stateName(int ipproto, int connFlags, int state) {
        if ((connFlags & ConnFlags.TEMPLATE) != 0) {
            return switch (state) {
                case CTPL_S_NONE -> "NONE";
                case CTPL_S_ASSURED -> "ASSURED";
                default -> "ERR!";
            };
        }
        L4Protocol p = of(ipproto);
        if (p == null) return ipproto == IPPROTO_IP ? "NONE" : "ERR!";
        return p.stateName(state);
    }
}
