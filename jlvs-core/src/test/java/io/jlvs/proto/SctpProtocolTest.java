package io.jlvs.proto;

import org.junit.jupiter.api.Test;

import static io.jlvs.proto.L4Protocol.DIR_INPUT;
import static io.jlvs.proto.L4Protocol.DIR_INPUT_ONLY;
import static io.jlvs.proto.L4Protocol.DIR_OUTPUT;
import static io.jlvs.proto.SctpProtocol.CID_ABORT;
import static io.jlvs.proto.SctpProtocol.CID_COOKIE_ACK;
import static io.jlvs.proto.SctpProtocol.CID_COOKIE_ECHO;
import static io.jlvs.proto.SctpProtocol.CID_DATA;
import static io.jlvs.proto.SctpProtocol.CID_ERROR;
import static io.jlvs.proto.SctpProtocol.CID_INIT;
import static io.jlvs.proto.SctpProtocol.CID_INIT_ACK;
import static io.jlvs.proto.SctpProtocol.CID_SHUTDOWN;
import static io.jlvs.proto.SctpProtocol.CID_SHUTDOWN_ACK;
import static io.jlvs.proto.SctpProtocol.CID_SHUTDOWN_COMPLETE;
import static org.assertj.core.api.Assertions.assertThat;

/** SCTP's table against an independent transcription of {@code sctp_states} (Linux 6.17), every cell. */
class SctpProtocolTest {
    private static final SctpProtocol SCTP = Protocols.SCTP;

    private static final int NO = 0, I1 = 1, IN = 2, CS = 3, CR = 4, CW = 5, CO = 6, CE = 7, ES = 8, SS = 9,
            SR = 10, SA = 11, RJ = 12, CL = 13;

    /** [direction][event d, i, i_a, c_e, c_a, s, s_a, s_c, err, ab][state NO..CL]. */
    private static final int[][][] STATES = {
        {   // INPUT
            {ES, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
            {I1, IN, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, IN, IN},
            {CW, CW, CW, CS, CR, CO, CO, CE, ES, SS, SR, SA, RJ, CL},
            {CR, IN, IN, CR, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
            {ES, I1, IN, CS, CR, CW, CO, ES, ES, SS, SR, SA, RJ, CL},
            {SR, I1, IN, CS, CR, CW, CO, CE, SR, SS, SR, SA, RJ, CL},
            {CL, IN, IN, CS, CR, CW, CO, CE, ES, CL, SR, CL, RJ, CL},
            {CL, CL, CL, CS, CR, CW, CO, CE, ES, SS, SR, CL, RJ, CL},
            {CL, I1, IN, CS, CR, CW, CO, CL, ES, SS, SR, SA, RJ, CL},
            {CL, CL, CL, CL, CL, RJ, CL, CL, CL, CL, CL, CL, CL, CL},
        },
        {   // OUTPUT
            {ES, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
            {CW, CW, CW, CW, CW, CW, CW, CW, ES, CW, CW, CW, CW, CW},
            {CS, CS, CS, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
            {CE, CE, CE, CE, CE, CE, CE, CE, ES, SS, SR, SA, RJ, CL},
            {ES, ES, ES, ES, ES, ES, ES, ES, ES, SS, SR, SA, RJ, CL},
            {SS, SS, SS, SS, SS, SS, SS, SS, SS, SS, SR, SA, RJ, CL},
            {SA, SA, SA, SA, SA, CW, CO, CE, ES, SA, SA, SA, RJ, CL},
            {CL, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
            {CL, CL, CL, CL, CL, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
            {CL, RJ, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL},
        },
        {   // INPUT_ONLY
            {ES, I1, IN, CS, CR, ES, CO, CE, ES, SS, SR, SA, RJ, CL},
            {I1, IN, IN, IN, IN, IN, CO, CE, ES, SS, SR, SA, IN, IN},
            {CE, CE, CE, CE, CE, CE, CO, CE, ES, SS, SR, SA, RJ, CL},
            {ES, ES, ES, ES, ES, ES, CO, CE, ES, SS, SR, SA, RJ, CL},
            {ES, I1, IN, ES, ES, CW, ES, ES, ES, SS, SR, SA, RJ, CL},
            {SR, I1, IN, CS, CR, CW, CO, CE, SR, SS, SR, SA, RJ, CL},
            {CL, IN, IN, CS, CR, CW, CO, CE, CL, CL, SR, CL, RJ, CL},
            {CL, CL, CL, CL, CL, CW, CO, CE, ES, SS, CL, CL, RJ, CL},
            {CL, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
            {CL, CL, CL, CL, CL, RJ, CL, CL, CL, CL, CL, CL, CL, CL},
        },
    };

    /** A chunk type for each event row. */
    private static final int[] CHUNK_FOR_EVENT = {CID_DATA, CID_INIT, CID_INIT_ACK, CID_COOKIE_ECHO,
        CID_COOKIE_ACK, CID_SHUTDOWN, CID_SHUTDOWN_ACK, CID_SHUTDOWN_COMPLETE, CID_ERROR, CID_ABORT};

    private static int ev(int chunk) { return SctpProtocol.eventBits(chunk, -1); }

    @Test
    void everyCellMatchesTheKernel() {
        for (int dir = 0; dir < 3; dir++)
            for (int e = 0; e < SctpProtocol.EV_LAST; e++)
                for (int st = 0; st < SctpProtocol.S_LAST; st++) {
                    assertThat(SCTP.transition(st, dir, ev(CHUNK_FOR_EVENT[e]), false))
                            .as("dir %d event %d state %s", dir, e, SCTP.stateName(st))
                            .isEqualTo(STATES[dir][e][st]);
                    assertThat(SctpProtocol.cell(dir, e, st)).isEqualTo(STATES[dir][e][st]);
                }
    }

    @Test
    void chunkTypesMapToEventsAsSctpEvents() {
        assertThat(SctpProtocol.event(ev(3))).as("SACK").isEqualTo(SctpProtocol.EV_DATA);
        assertThat(SctpProtocol.event(ev(4))).as("HEARTBEAT").isEqualTo(SctpProtocol.EV_DATA);
        assertThat(SctpProtocol.event(ev(5))).as("HEARTBEAT ACK").isEqualTo(SctpProtocol.EV_DATA);
        assertThat(SctpProtocol.event(ev(12))).as("ECNE").isEqualTo(SctpProtocol.EV_DATA);
        assertThat(SctpProtocol.event(ev(13))).as("CWR").isEqualTo(SctpProtocol.EV_DATA);
        assertThat(SctpProtocol.event(ev(15))).as("AUTH: beyond the map").isEqualTo(SctpProtocol.EV_DATA);
        assertThat(SctpProtocol.event(ev(0xC0))).as("FORWARD TSN").isEqualTo(SctpProtocol.EV_DATA);
        assertThat(SctpProtocol.event(ev(CID_SHUTDOWN_COMPLETE))).isEqualTo(SctpProtocol.EV_SHUTDOWN_COMPLETE);
    }

    @Test
    void anAbortBundledAfterCookieChunksIsTheEvent() {
        assertThat(SctpProtocol.event(SctpProtocol.eventBits(CID_COOKIE_ECHO, CID_ABORT))).isEqualTo(SctpProtocol.EV_ABORT);
        assertThat(SctpProtocol.event(SctpProtocol.eventBits(CID_COOKIE_ACK, CID_ABORT))).isEqualTo(SctpProtocol.EV_ABORT);
        assertThat(SctpProtocol.event(SctpProtocol.eventBits(CID_DATA, CID_ABORT))).as("only after cookie chunks")
                .isEqualTo(SctpProtocol.EV_DATA);
        assertThat(SctpProtocol.event(SctpProtocol.eventBits(CID_COOKIE_ECHO, CID_DATA))).isEqualTo(SctpProtocol.EV_COOKIE_ECHO);
        // COOKIE_SENT + client COOKIE-ECHO with ABORT: closed, not COOKIE_REPLIED
        assertThat(SCTP.transition(CS, DIR_INPUT, SctpProtocol.eventBits(CID_COOKIE_ECHO, CID_ABORT), false)).isEqualTo(CL);
        assertThat(SCTP.transition(CS, DIR_INPUT, ev(CID_COOKIE_ECHO), false)).isEqualTo(CR);
    }

    @Test
    void namesNumberingAndTimeouts() {
        assertThat(SCTP.protocol()).isEqualTo(132);
        String[] names = {"NONE", "INIT1", "INIT", "C-SENT", "C-REPLIED", "C-WAIT", "COOKIE", "C-ECHOED",
            "ESTABLISHED", "S-SENT", "S-RECEIVED", "S-ACK-SENT", "REJECTED", "CLOSED"};
        for (int s = 0; s < names.length; s++) assertThat(SCTP.stateName(s)).isEqualTo(names[s]);
        assertThat(SCTP.stateName(14)).isEqualTo("ERR!");
        assertThat(SCTP.defaultTimeoutsSeconds()).containsExactly(2, 4, 61, 61, 61, 61, 61, 61, 900, 61, 61, 61, 4, 61);
        for (int s = 0; s < 14; s++) assertThat(SCTP.isActive(s)).isEqualTo(s == ES);
    }

    @Test
    void schedulingRule() {
        assertThat(SCTP.schedulesNew(ev(CID_INIT), false)).isTrue();
        assertThat(SCTP.schedulesNew(ev(CID_DATA), false)).isFalse();
        assertThat(SCTP.schedulesNew(ev(CID_COOKIE_ECHO), false)).isFalse();
        assertThat(SCTP.schedulesNew(ev(CID_DATA), true)).as("sloppy_sctp").isTrue();
        assertThat(SCTP.schedulesNew(ev(CID_ABORT), true)).as("never on ABORT").isFalse();
        assertThat(SCTP.schedulesNew(SctpProtocol.eventBits(CID_COOKIE_ECHO, CID_ABORT), true))
                .as("the first chunk decides").isTrue();
        assertThat(SCTP.opensConnection(ev(CID_INIT))).isTrue();
        assertThat(SCTP.opensConnection(ev(CID_INIT_ACK))).isFalse();
    }

    @Test
    void clientSideSetupAndShutdownSeenInBothDirections() {
        int s = NO;
        s = SCTP.transition(s, DIR_INPUT, ev(CID_INIT), false);              assertThat(s).isEqualTo(I1);
        s = SCTP.transition(s, DIR_INPUT, ev(CID_INIT), false);              assertThat(s).as("INIT again").isEqualTo(IN);
        s = SCTP.transition(s, DIR_OUTPUT, ev(CID_INIT_ACK), false);         assertThat(s).isEqualTo(CS);
        s = SCTP.transition(s, DIR_INPUT, ev(CID_COOKIE_ECHO), false);       assertThat(s).isEqualTo(CR);
        s = SCTP.transition(s, DIR_OUTPUT, ev(CID_COOKIE_ACK), false);       assertThat(s).isEqualTo(ES);
        s = SCTP.transition(s, DIR_INPUT, ev(CID_DATA), false);              assertThat(s).isEqualTo(ES);
        s = SCTP.transition(s, DIR_OUTPUT, ev(3), false);                    assertThat(s).isEqualTo(ES);
        s = SCTP.transition(s, DIR_INPUT, ev(CID_SHUTDOWN), false);          assertThat(s).isEqualTo(SR);
        s = SCTP.transition(s, DIR_OUTPUT, ev(CID_SHUTDOWN_ACK), false);     assertThat(s).isEqualTo(SA);
        s = SCTP.transition(s, DIR_INPUT, ev(CID_SHUTDOWN_COMPLETE), false); assertThat(s).isEqualTo(CL);
    }

    @Test
    void serverSideShutdownAndServerInitiatedSetup() {
        int s = SCTP.transition(ES, DIR_OUTPUT, ev(CID_SHUTDOWN), false);   assertThat(s).isEqualTo(SS);
        s = SCTP.transition(s, DIR_INPUT, ev(CID_SHUTDOWN_ACK), false);     assertThat(s).isEqualTo(CL);

        s = SCTP.transition(NO, DIR_OUTPUT, ev(CID_INIT), false);           assertThat(s).isEqualTo(CW);
        s = SCTP.transition(s, DIR_INPUT, ev(CID_INIT_ACK), false);         assertThat(s).isEqualTo(CO);
        s = SCTP.transition(s, DIR_OUTPUT, ev(CID_COOKIE_ECHO), false);     assertThat(s).isEqualTo(CE);
        s = SCTP.transition(s, DIR_INPUT, ev(CID_COOKIE_ACK), false);       assertThat(s).isEqualTo(ES);
    }

    @Test
    void inputOnlySetupAndShutdown() {
        int s = SCTP.transition(NO, DIR_INPUT_ONLY, ev(CID_INIT), false);   assertThat(s).isEqualTo(I1);
        s = SCTP.transition(s, DIR_INPUT_ONLY, ev(CID_COOKIE_ECHO), false); assertThat(s).isEqualTo(ES);
        s = SCTP.transition(s, DIR_INPUT_ONLY, ev(CID_SHUTDOWN), false);    assertThat(s).isEqualTo(SR);
        s = SCTP.transition(s, DIR_INPUT_ONLY, ev(CID_SHUTDOWN_COMPLETE), false); assertThat(s).isEqualTo(CL);
        // the server shuts down: the client's SHUTDOWN-ACK is all the director sees
        assertThat(SCTP.transition(ES, DIR_INPUT_ONLY, ev(CID_SHUTDOWN_ACK), false)).isEqualTo(CL);
        // an INIT rejected by ABORT
        assertThat(SCTP.transition(I1, DIR_OUTPUT, ev(CID_ABORT), false)).isEqualTo(RJ);
        assertThat(SCTP.transition(RJ, DIR_INPUT, ev(CID_INIT), false)).isEqualTo(IN);
    }
}
