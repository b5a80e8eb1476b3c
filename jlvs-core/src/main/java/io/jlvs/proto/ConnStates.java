package io.jlvs.proto;

import io.jlvs.conn.ConnFlags;
import io.jlvs.service.RealServer;

/**
 * Applies a packet to a connection's bookkeeping exactly as {@code set_tcp_state} ({@code ip_vs_proto_tcp.c}),
 * {@code set_sctp_state} ({@code ip_vs_proto_sctp.c}) and {@code udp_state_transition} do:
 * <ol>
 *   <li>NOOUTPUT (DR/TUN conns): an OUTPUT packet clears the flag (the director does see replies after all);
 *       otherwise the INPUT_ONLY table is used;</li>
 *   <li>the protocol's table gives the new state;</li>
 *   <li>only when the state changes, and the conn has a real server: leaving the active states sets INACTIVE
 *       and moves one count from activeconns to inactconns, entering them does the reverse;</li>
 *   <li>the timeout is reloaded from the new state's entry of the timeout table, changed or not.</li>
 * </ol>
 * UDP has no states: only the timeout is reloaded, flags and counters stay. When the TCP header or the first
 * SCTP chunk header cannot be read the kernel returns before all this, so the caller does not call
 * {@link #apply} at all (the conn keeps its state and its running timer).
 *
 * <p>A mutable result holder, one per data-plane thread, refilled by every {@link #apply} (as
 * {@link io.jlvs.packet.Flow}): the packet path allocates nothing.
 */
public final class ConnStates {
    /** The timeout {@code ip_vs_conn_new} gives a new conn before its first packet's transition: 3 s. */
    public static final long NEW_CONN_TIMEOUT_NS = 3_000_000_000L;

    private final ProtocolTimeouts timeouts;

    /** Results of the last {@link #apply}. */
    public int state;
    public int flags;
    public long timeoutNs;
    /** The state changed (the kernel logs, and syncs on state change). */
    public boolean changed;

    public ConnStates(ProtocolTimeouts timeouts) {
        this.timeouts = timeouts;
    }

    /**
     * The packet's direction after the NOOUTPUT rule: INPUT becomes INPUT_ONLY while the conn has NOOUTPUT;
     * OUTPUT stays OUTPUT (and clears the flag, see {@link #flagsAfter}).
     */
    public static int effectiveDirection(int direction, int connFlags) {
        if ((connFlags & ConnFlags.NOOUTPUT) != 0 && direction != L4Protocol.DIR_OUTPUT) {
            return L4Protocol.DIR_INPUT_ONLY;
        }
        return direction;
    }

    /** The conn flags after the NOOUTPUT rule: an OUTPUT packet clears NOOUTPUT. */
    public static int flagsAfter(int direction, int connFlags) {
        if ((connFlags & ConnFlags.NOOUTPUT) != 0 && direction == L4Protocol.DIR_OUTPUT) {
            return connFlags & ~ConnFlags.NOOUTPUT;
        }
        return connFlags;
    }

    /**
     * One packet's transition. {@code direction} is {@link L4Protocol#DIR_INPUT} or {@link L4Protocol#DIR_OUTPUT}
     * as the packet was seen; {@code eventBits} as {@link L4Protocol#transition}; {@code dest} may be null (a conn
     * whose real server is gone keeps its state machine but moves no counters). Returns this, filled.
     */
    public ConnStates apply(L4Protocol proto, int oldState, int connFlags, int direction, int eventBits,
                            boolean dosTable, RealServer dest) {
        int ipproto = proto.protocol();
        if (!proto.hasStates()) {
            state = oldState;
            flags = connFlags;
            changed = false;
            timeoutNs = timeouts.timeoutNs(ipproto, oldState);
            return this;
        }
        int dir = effectiveDirection(direction, connFlags);
        int f = flagsAfter(direction, connFlags);
        int next = proto.transition(oldState, dir, eventBits, dosTable);
        changed = next != oldState;
        if (changed && dest != null) {
            boolean active = proto.isActive(next);
            if ((f & ConnFlags.INACTIVE) == 0 && !active) {
                dest.connBecameInactive();
                f |= ConnFlags.INACTIVE;
            } else if ((f & ConnFlags.INACTIVE) != 0 && active) {
                dest.connBecameActive();
                f &= ~ConnFlags.INACTIVE;
            }
        }
        state = next;
        flags = f;
        timeoutNs = timeouts.timeoutNs(ipproto, next);
        return this;
    }
}
