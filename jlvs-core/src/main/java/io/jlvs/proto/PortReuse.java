package io.jlvs.proto;

import io.jlvs.conn.ConnFlags;

/**
 * What {@code ip_vs_in_hook} ({@code ip_vs_core.c}) does when a packet that opens a connection
 * ({@link L4Protocol#opensConnection}: TCP SYN, SCTP INIT; not for non-first fragments) finds an existing conn
 * for the same client address and port: reuse the old conn, or expire it and schedule a new one.
 *
 * <p>Two reasons to reschedule, in this order:
 * <ol>
 *   <li>{@code expire_nodest_conn} is set and the old conn's real server has weight 0;</li>
 *   <li>{@code conn_reuse_mode} is not 0 and {@link #isNewConnExpected}: the old conn is not controlled (FTP
 *       data, persistence) and is TCP in TIME_WAIT or CLOSE, or (mode bit value 2) TCP in FIN_WAIT with
 *       NOOUTPUT (DR/TUN, where the director never sees the server's FIN), or SCTP in CLOSED. A conn that
 *       controls others is rescheduled only when it does not use an old conntrack entry.</li>
 * </ol>
 * When rescheduling, the old conn is expired at once unless it controls others; if it still uses an old
 * conntrack entry the packet is dropped instead of scheduled (the client retransmits).
 */
public final class PortReuse {
    private PortReuse() {}

    /** Use the existing conn. */
    public static final int KEEP = 0;
    /** Forget the existing conn for this packet and schedule a new one. */
    public static final int RESCHEDULE = 1;
    /** Drop the packet. */
    public static final int DROP = 2;
    /** Mask of the three outcomes above. */
    public static final int ACTION_MASK = 3;
    /** Added to RESCHEDULE or DROP: expire the old conn now ({@code ip_vs_conn_expire_now}). */
    public static final int EXPIRE_OLD = 4;

    /** {@code conn_reuse_mode} bit: reschedule TCP FIN_WAIT conns with NOOUTPUT too. */
    public static final int MODE_FIN_WAIT_NOOUTPUT = 2;

    /**
     * {@code is_new_conn_expected}: may the old conn be replaced? (The caller has checked mode != 0.)
     *
     * @param controlled the old conn has a controlling conn ({@code cp->control}: FTP data or persistence)
     */
    public static boolean isNewConnExpected(int ipproto, int state, int connFlags, boolean controlled,
                                            int connReuseMode) {
        if (controlled) return false;
        return switch (ipproto) {
            case TcpProtocol.IPPROTO_TCP -> state == TcpProtocol.S_TIME_WAIT || state == TcpProtocol.S_CLOSE
                    || ((connReuseMode & MODE_FIN_WAIT_NOOUTPUT) != 0 && state == TcpProtocol.S_FIN_WAIT
                        && (connFlags & ConnFlags.NOOUTPUT) != 0);
            case SctpProtocol.IPPROTO_SCTP -> state == SctpProtocol.S_CLOSED;
            default -> false;
        };
    }

    /**
     * The whole decision for a connection-opening packet that hit an existing conn.
     *
     * @param controlled       the old conn has a controlling conn ({@code cp->control != NULL})
     * @param controlsOthers   the old conn controls others ({@code cp->n_control != 0})
     * @param destWeightZero   the old conn has a real server and its weight is 0
     * @param usesOldConntrack {@code ip_vs_conn_uses_old_conntrack}: the conn has NFCT and a conntrack entry
     *                         that is not the packet's (always false without conntrack)
     * @return {@link #KEEP}, or {@link #RESCHEDULE} / {@link #DROP}, each possibly with {@link #EXPIRE_OLD}
     */
    public static int decide(int ipproto, int state, int connFlags, boolean controlled, boolean controlsOthers,
                             int connReuseMode, boolean expireNodestConn, boolean destWeightZero,
                             boolean usesOldConntrack) {
        boolean resched = false;
        if (expireNodestConn && destWeightZero) {
            resched = true;
        } else if (connReuseMode != 0
                && isNewConnExpected(ipproto, state, connFlags, controlled, connReuseMode)) {
            resched = !controlsOthers || !usesOldConntrack;
        }
        if (!resched) return KEEP;
        int expire = controlsOthers ? 0 : EXPIRE_OLD;
        return (usesOldConntrack ? DROP : RESCHEDULE) | expire;
    }
}
