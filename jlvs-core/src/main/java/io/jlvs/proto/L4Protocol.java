package io.jlvs.proto;

/**
 * One layer-4 protocol's connection state machine (IPVS's {@code struct ip_vs_protocol}, the state part):
 * its states and their names, its default timeouts, the pure transition function and the rule that decides
 * which packets may create a connection ({@code conn_schedule}).
 *
 * <p>Everything here is a pure function of primitives, so the packet path calls it without allocating: the
 * caller reads the facts from the packet (TCP flag byte, SCTP chunk type) and passes them as {@code eventBits};
 * {@link ConnStates} applies the result to a connection's state, flags and its real server's counters.
 */
public interface L4Protocol {
    /** {@code IP_VS_DIR_INPUT}: client to real server. */
    int DIR_INPUT = 0;
    /** {@code IP_VS_DIR_OUTPUT}: real server to client (seen only for NAT). */
    int DIR_OUTPUT = 1;
    /** {@code IP_VS_DIR_INPUT_ONLY}: client to real server while the conn has NOOUTPUT (DR, TUN). */
    int DIR_INPUT_ONLY = 2;

    /** IPPROTO_* number: 6, 17 or 132. */
    int protocol();

    /** The name /proc/net/ip_vs_conn and ipvsadm print: "TCP", "UDP", "SCTP". */
    String name();

    /** Number of states ({@code IP_VS_*_S_LAST}); states are 0 .. stateCount()-1. */
    int stateCount();

    /** The state's name as {@code ipvsadm -L -c} prints it; "ERR!" when out of range (as the kernel). */
    String stateName(int state);

    /** Default timeout of each state in seconds (a fresh copy, indexed by state). */
    int[] defaultTimeoutsSeconds();

    /**
     * The next state for a packet: {@code direction} is {@link #DIR_INPUT}, {@link #DIR_OUTPUT} or
     * {@link #DIR_INPUT_ONLY} (already resolved from NOOUTPUT, see {@link ConnStates#effectiveDirection});
     * {@code eventBits} is protocol specific (TCP: the flag byte; SCTP: see {@link SctpProtocol#eventBits});
     * {@code dosTable} selects TCP's {@code tcp_states_dos} (secure_tcp active), ignored by the others.
     */
    int transition(int state, int direction, int eventBits, boolean dosTable);

    /**
     * {@code conn_schedule}: may this packet, matching no connection, create one? {@code sloppy} is the
     * protocol's sloppy sysctl ({@code sloppy_tcp}, {@code sloppy_sctp}).
     */
    boolean schedulesNew(int eventBits, boolean sloppy);

    /**
     * {@code is_new_conn} in {@code ip_vs_core.c}: does this packet open a connection (TCP SYN, SCTP INIT), so
     * that an existing entry may be replaced by the port-reuse rule ({@link PortReuse})?
     */
    boolean opensConnection(int eventBits);

    /** Whether a conn in this state counts in its real server's activeconns (otherwise inactconns). */
    boolean isActive(int state);

    /** False when packets never change the state (UDP): only the timeout is refreshed. */
    default boolean hasStates() { return true; }
}
