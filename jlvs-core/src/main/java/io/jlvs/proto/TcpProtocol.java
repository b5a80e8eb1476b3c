package io.jlvs.proto;

/**
 * TCP's connection states as {@code net/netfilter/ipvs/ip_vs_proto_tcp.c} (Linux 6.17): the state numbering
 * of {@code IP_VS_TCP_S_*} ({@code include/net/ip_vs.h}), the normal table {@code tcp_states} and the
 * secure_tcp table {@code tcp_states_dos}, each with three direction blocks (INPUT, OUTPUT, INPUT_ONLY at
 * state offsets 0, 4, 8) of four event rows (SYN, FIN, ACK, RST), and {@code tcp_state_active_table}.
 *
 * <p>The event is the first of RST, SYN, FIN, ACK set in the flag byte, in that priority
 * ({@code tcp_state_idx}); a segment with none of them moves the connection to CLOSE, as the kernel does
 * ({@code new_state} starts as {@code IP_VS_TCP_S_CLOSE} and the table lookup is skipped).
 */
public final class TcpProtocol implements L4Protocol {
    public static final int IPPROTO_TCP = 6;

    // IP_VS_TCP_S_* (include/net/ip_vs.h)
    public static final int S_NONE = 0, S_ESTABLISHED = 1, S_SYN_SENT = 2, S_SYN_RECV = 3, S_FIN_WAIT = 4,
            S_TIME_WAIT = 5, S_CLOSE = 6, S_CLOSE_WAIT = 7, S_LAST_ACK = 8, S_LISTEN = 9, S_SYNACK = 10;
    public static final int S_LAST = 11;

    // TCP header flag byte (offset 13), RFC 9293
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20;

    /** Event rows inside a direction block ({@code tcp_state_idx}); -1 when no flag of interest is set. */
    public static final int EV_SYN = 0, EV_FIN = 1, EV_ACK = 2, EV_RST = 3, EV_NONE = -1;

    /** Row offset of each direction ({@code tcp_state_off}: TCP_DIR_INPUT 0, OUTPUT 4, INPUT_ONLY 8). */
    static final int[] STATE_OFF = {0, 4, 8};

    private static final String[] NAMES = {"NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK"};

    /** Seconds: NONE 2, ESTABLISHED 15 min, SYN_SENT 2 min, SYN_RECV 1 min, FIN_WAIT 2 min, ... */
    private static final int[] TIMEOUTS = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};

    /** tcp_state_active_table: the states counted in activeconns. */
    private static final boolean[] ACTIVE = {false, true, true, true, false, false, false, false, false, false, true};

    /*
     * The tables, one line per event row, one column per current state in state order:
     *                 NO ES SS SR FW TW CL CW LA LI SA
     * Abbreviations as the kernel's sNO..sSA macros.
     */
    private static final byte[] NORMAL = table(
        // INPUT
        "SR ES ES SR SR SR SR SR SR SR SR",   // syn
        "CL CW SS TW TW TW CL CW LA LI TW",   // fin
        "ES ES SS ES FW TW CL CW CL LI ES",   // ack
        "CL CL CL SR CL CL CL CL LA LI SR",   // rst
        // OUTPUT
        "SS ES SS SR SS SS SS SS SS LI SR",   // syn
        "TW FW SS TW FW TW CL TW LA LI TW",   // fin
        "ES ES SS ES FW TW CL CW LA ES ES",   // ack
        "CL CL SS CL CL TW CL CL CL CL CL",   // rst
        // INPUT_ONLY
        "SR ES ES SR SR SR SR SR SR SR SR",   // syn
        "CL FW SS TW FW TW CL CW LA LI TW",   // fin
        "ES ES SS ES FW TW CL CW CL LI ES",   // ack
        "CL CL CL SR CL CL CL CL LA LI CL");  // rst

    private static final byte[] DOS = table(
        // INPUT
        "SR ES ES SR SR SR SR SR SR SR SA",   // syn
        "CL CW SS TW TW TW CL CW LA LI SA",   // fin
        "ES ES SS SR FW TW CL CW CL LI SA",   // ack
        "CL CL CL SR CL CL CL CL LA LI CL",   // rst
        // OUTPUT
        "SS ES SS SA SS SS SS SS SS LI SA",   // syn
        "TW FW SS TW FW TW CL TW LA LI TW",   // fin
        "ES ES SS ES FW TW CL CW LA ES ES",   // ack
        "CL CL SS CL CL TW CL CL CL CL CL",   // rst
        // INPUT_ONLY
        "SA ES ES SR SA SA SA SA SA SA SA",   // syn
        "CL FW SS TW FW TW CL CW LA LI TW",   // fin
        "ES ES SS ES FW TW CL CW CL LI ES",   // ack
        "CL CL CL SR CL CL CL CL LA LI CL");  // rst

    TcpProtocol() {}

    @Override public int protocol() { return IPPROTO_TCP; }
    @Override public String name() { return "TCP"; }
    @Override public int stateCount() { return S_LAST; }

    @Override
    public String stateName(int state) {
        return state >= 0 && state < S_LAST ? NAMES[state] : "ERR!";
    }

    @Override public int[] defaultTimeoutsSeconds() { return TIMEOUTS.clone(); }

    /** {@code tcp_state_idx}: RST, then SYN, then FIN, then ACK; {@link #EV_NONE} for none of them. */
    public static int event(int flags) {
        if ((flags & RST) != 0) return EV_RST;
        if ((flags & SYN) != 0) return EV_SYN;
        if ((flags & FIN) != 0) return EV_FIN;
        if ((flags & ACK) != 0) return EV_ACK;
        return EV_NONE;
    }

    @Override
    public int transition(int state, int direction, int flags, boolean dosTable) {
        int ev = event(flags);
        if (ev == EV_NONE) return S_CLOSE;
        return (dosTable ? DOS : NORMAL)[(STATE_OFF[direction] + ev) * S_LAST + state];
    }

    /** A cell of a table, by direction block and event row: what the tests compare cell by cell. */
    static int cell(boolean dosTable, int direction, int event, int state) {
        return (dosTable ? DOS : NORMAL)[(STATE_OFF[direction] + event) * S_LAST + state];
    }

    /**
     * {@code tcp_conn_schedule}: never on RST; on SYN (SYN+ACK included, for active FTP), or on any other
     * segment when sloppy_tcp is set.
     */
    @Override
    public boolean schedulesNew(int flags, boolean sloppy) {
        return (flags & RST) == 0 && (sloppy || (flags & SYN) != 0);
    }

    /** {@code is_new_conn}: the SYN bit, whatever else is set. */
    @Override
    public boolean opensConnection(int flags) { return (flags & SYN) != 0; }

    @Override
    public boolean isActive(int state) { return state >= 0 && state < S_LAST && ACTIVE[state]; }

    private static byte[] table(String... rows) {
        return StateTableText.parse(S_LAST, TcpProtocol::code, rows);
    }

    private static int code(String abbrev) {
        return switch (abbrev) {
            case "NO" -> S_NONE;
            case "ES" -> S_ESTABLISHED;
            case "SS" -> S_SYN_SENT;
            case "SR" -> S_SYN_RECV;
            case "FW" -> S_FIN_WAIT;
            case "TW" -> S_TIME_WAIT;
            case "CL" -> S_CLOSE;
            case "CW" -> S_CLOSE_WAIT;
            case "LA" -> S_LAST_ACK;
            case "LI" -> S_LISTEN;
            case "SA" -> S_SYNACK;
            default -> throw new IllegalStateException("unknown state " + abbrev);
        };
    }
}
