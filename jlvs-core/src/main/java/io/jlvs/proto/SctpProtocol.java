package io.jlvs.proto;

/**
 * SCTP's association states as {@code net/netfilter/ipvs/ip_vs_proto_sctp.c} (Linux 6.17): the 14 states of
 * {@code enum ip_vs_sctp_states}, the chunk-type to event map {@code sctp_events}, the transition table
 * {@code sctp_states[direction][event][state]} and {@code sctp_timeouts}.
 *
 * <p>States are as seen by the real server. Client side setup: INIT1 (first INIT), INIT (INIT again),
 * COOKIE_SENT (server's INIT-ACK), COOKIE_REPLIED (client's COOKIE-ECHO); server side setup: COOKIE_WAIT
 * (server's INIT), COOKIE (client's INIT-ACK), COOKIE_ECHOED (server's COOKIE-ECHO). INIT1 and REJECTED get
 * short timeouts for dropped or aborted INITs. Only ESTABLISHED counts in activeconns ({@code set_sctp_state}).
 *
 * <p>{@code eventBits}: the type of the first chunk after the common header, plus {@link #ABORT_FOLLOWS} when
 * that chunk is a COOKIE-ECHO or COOKIE-ACK (of length at least 4) and the next chunk, at the first chunk's
 * 4-aligned length, is an ABORT: IPVS then acts on the ABORT.
 */
public final class SctpProtocol implements L4Protocol {
    public static final int IPPROTO_SCTP = 132;

    // enum ip_vs_sctp_states (include/net/ip_vs.h)
    public static final int S_NONE = 0, S_INIT1 = 1, S_INIT = 2, S_COOKIE_SENT = 3, S_COOKIE_REPLIED = 4,
            S_COOKIE_WAIT = 5, S_COOKIE = 6, S_COOKIE_ECHOED = 7, S_ESTABLISHED = 8, S_SHUTDOWN_SENT = 9,
            S_SHUTDOWN_RECEIVED = 10, S_SHUTDOWN_ACK_SENT = 11, S_REJECTED = 12, S_CLOSED = 13;
    public static final int S_LAST = 14;

    // SCTP_CID_* chunk types (include/linux/sctp.h, RFC 9260 section 3.2)
    public static final int CID_DATA = 0, CID_INIT = 1, CID_INIT_ACK = 2, CID_SACK = 3, CID_HEARTBEAT = 4,
            CID_HEARTBEAT_ACK = 5, CID_ABORT = 6, CID_SHUTDOWN = 7, CID_SHUTDOWN_ACK = 8, CID_ERROR = 9,
            CID_COOKIE_ECHO = 10, CID_COOKIE_ACK = 11, CID_ECN_ECNE = 12, CID_ECN_CWR = 13,
            CID_SHUTDOWN_COMPLETE = 14;

    /** Added to the chunk type in {@code eventBits}: an ABORT chunk is bundled after a COOKIE-ECHO/COOKIE-ACK. */
    public static final int ABORT_FOLLOWS = 0x100;

    // enum ipvs_sctp_event_t
    public static final int EV_DATA = 0, EV_INIT = 1, EV_INIT_ACK = 2, EV_COOKIE_ECHO = 3, EV_COOKIE_ACK = 4,
            EV_SHUTDOWN = 5, EV_SHUTDOWN_ACK = 6, EV_SHUTDOWN_COMPLETE = 7, EV_ERROR = 8, EV_ABORT = 9;
    public static final int EV_LAST = 10;

    /** sctp_events: chunk types 0..14; any other type counts as DATA. */
    private static final byte[] EVENTS = {EV_DATA, EV_INIT, EV_INIT_ACK, EV_DATA, EV_DATA, EV_DATA, EV_ABORT,
        EV_SHUTDOWN, EV_SHUTDOWN_ACK, EV_ERROR, EV_COOKIE_ECHO, EV_COOKIE_ACK, EV_DATA, EV_DATA,
        EV_SHUTDOWN_COMPLETE};

    /** sctp_state_name_table: what /proc/net/ip_vs_conn and ipvsadm -L -c print. */
    private static final String[] NAMES = {"NONE", "INIT1", "INIT", "C-SENT", "C-REPLIED", "C-WAIT", "COOKIE",
        "C-ECHOED", "ESTABLISHED", "S-SENT", "S-RECEIVED", "S-ACK-SENT", "REJECTED", "CLOSED"};

    /** Seconds; 61 is {@code IP_VS_SCTP_MAX_RTO} (60 + 1), 4 is (0 + 3 + 1). */
    private static final int[] TIMEOUTS = {2, 4, 61, 61, 61, 61, 61, 61, 900, 61, 61, 61, 4, 61};

    /*
     * sctp_states, one line per event, one column per current state in state order:
     *   NO I1 IN CS CR CW CO CE ES SS SR SA RJ CL
     * (NO none, I1 init1, IN init, CS cookie-sent, CR cookie-replied, CW cookie-wait, CO cookie, CE cookie-echoed,
     *  ES established, SS shutdown-sent, SR shutdown-received, SA shutdown-ack-sent, RJ rejected, CL closed)
     */
    private static final byte[] STATES = table(
        // INPUT
        "ES I1 IN CS CR CW CO CE ES SS SR SA RJ CL",   // data
        "I1 IN IN CS CR CW CO CE ES SS SR SA IN IN",   // init
        "CW CW CW CS CR CO CO CE ES SS SR SA RJ CL",   // init-ack
        "CR IN IN CR CR CW CO CE ES SS SR SA RJ CL",   // cookie-echo
        "ES I1 IN CS CR CW CO ES ES SS SR SA RJ CL",   // cookie-ack
        "SR I1 IN CS CR CW CO CE SR SS SR SA RJ CL",   // shutdown
        "CL IN IN CS CR CW CO CE ES CL SR CL RJ CL",   // shutdown-ack
        "CL CL CL CS CR CW CO CE ES SS SR CL RJ CL",   // shutdown-complete
        "CL I1 IN CS CR CW CO CL ES SS SR SA RJ CL",   // error
        "CL CL CL CL CL RJ CL CL CL CL CL CL CL CL",   // abort
        // OUTPUT
        "ES I1 IN CS CR CW CO CE ES SS SR SA RJ CL",   // data
        "CW CW CW CW CW CW CW CW ES CW CW CW CW CW",   // init
        "CS CS CS CS CR CW CO CE ES SS SR SA RJ CL",   // init-ack
        "CE CE CE CE CE CE CE CE ES SS SR SA RJ CL",   // cookie-echo
        "ES ES ES ES ES ES ES ES ES SS SR SA RJ CL",   // cookie-ack
        "SS SS SS SS SS SS SS SS SS SS SR SA RJ CL",   // shutdown
        "SA SA SA SA SA CW CO CE ES SA SA SA RJ CL",   // shutdown-ack
        "CL I1 IN CS CR CW CO CE ES SS SR SA RJ CL",   // shutdown-complete
        "CL CL CL CL CL CW CO CE ES SS SR SA RJ CL",   // error
        "CL RJ CL CL CL CL CL CL CL CL CL CL CL CL",   // abort
        // INPUT_ONLY
        "ES I1 IN CS CR ES CO CE ES SS SR SA RJ CL",   // data
        "I1 IN IN IN IN IN CO CE ES SS SR SA IN IN",   // init
        "CE CE CE CE CE CE CO CE ES SS SR SA RJ CL",   // init-ack
        "ES ES ES ES ES ES CO CE ES SS SR SA RJ CL",   // cookie-echo
        "ES I1 IN ES ES CW ES ES ES SS SR SA RJ CL",   // cookie-ack
        "SR I1 IN CS CR CW CO CE SR SS SR SA RJ CL",   // shutdown
        "CL IN IN CS CR CW CO CE CL CL SR CL RJ CL",   // shutdown-ack
        "CL CL CL CL CL CW CO CE ES SS CL CL RJ CL",   // shutdown-complete
        "CL I1 IN CS CR CW CO CE ES SS SR SA RJ CL",   // error
        "CL CL CL CL CL RJ CL CL CL CL CL CL CL CL");  // abort

    SctpProtocol() {}

    @Override public int protocol() { return IPPROTO_SCTP; }
    @Override public String name() { return "SCTP"; }
    @Override public int stateCount() { return S_LAST; }

    @Override
    public String stateName(int state) {
        return state >= 0 && state < S_LAST ? NAMES[state] : "ERR!";
    }

    @Override public int[] defaultTimeoutsSeconds() { return TIMEOUTS.clone(); }

    /**
     * {@code eventBits} for a packet: the first chunk's type, and whether the chunk after it is an ABORT (pass
     * -1 for {@code nextChunkType} when there is none or it could not be read).
     */
    public static int eventBits(int firstChunkType, int nextChunkType) {
        boolean abortFollows = (firstChunkType == CID_COOKIE_ECHO || firstChunkType == CID_COOKIE_ACK)
                && nextChunkType == CID_ABORT;
        return (firstChunkType & 0xFF) | (abortFollows ? ABORT_FOLLOWS : 0);
    }

    /** The event IPVS acts on ({@code set_sctp_state}): a bundled ABORT wins; unknown chunk types are DATA. */
    public static int event(int eventBits) {
        int type = eventBits & 0xFF;
        if ((eventBits & ABORT_FOLLOWS) != 0 && (type == CID_COOKIE_ECHO || type == CID_COOKIE_ACK)) return EV_ABORT;
        return type < EVENTS.length ? EVENTS[type] : EV_DATA;
    }

    @Override
    public int transition(int state, int direction, int eventBits, boolean dosTable) {
        return STATES[(direction * EV_LAST + event(eventBits)) * S_LAST + state];
    }

    /** A cell of {@code sctp_states[direction][event][state]}. */
    static int cell(int direction, int event, int state) {
        return STATES[(direction * EV_LAST + event) * S_LAST + state];
    }

    /**
     * {@code sctp_conn_schedule}: never on ABORT (the first chunk); on INIT, or on any other chunk when
     * sloppy_sctp is set.
     */
    @Override
    public boolean schedulesNew(int eventBits, boolean sloppy) {
        int type = eventBits & 0xFF;
        return type != CID_ABORT && (sloppy || type == CID_INIT);
    }

    /** {@code is_new_conn}: the first chunk is an INIT. */
    @Override
    public boolean opensConnection(int eventBits) { return (eventBits & 0xFF) == CID_INIT; }

    @Override
    public boolean isActive(int state) { return state == S_ESTABLISHED; }

    private static byte[] table(String... rows) {
        return StateTableText.parse(S_LAST, SctpProtocol::code, rows);
    }

    private static int code(String abbrev) {
        return switch (abbrev) {
            case "NO" -> S_NONE;
            case "I1" -> S_INIT1;
            case "IN" -> S_INIT;
            case "CS" -> S_COOKIE_SENT;
            case "CR" -> S_COOKIE_REPLIED;
            case "CW" -> S_COOKIE_WAIT;
            case "CO" -> S_COOKIE;
            case "CE" -> S_COOKIE_ECHOED;
            case "ES" -> S_ESTABLISHED;
            case "SS" -> S_SHUTDOWN_SENT;
            case "SR" -> S_SHUTDOWN_RECEIVED;
            case "SA" -> S_SHUTDOWN_ACK_SENT;
            case "RJ" -> S_REJECTED;
            case "CL" -> S_CLOSED;
            default -> throw new IllegalStateException("unknown state " + abbrev);
        };
    }
}
