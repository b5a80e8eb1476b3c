package io.jlvs.proto;

import org.junit.jupiter.api.Test;

import static io.jlvs.proto.L4Protocol.DIR_INPUT;
import static io.jlvs.proto.L4Protocol.DIR_INPUT_ONLY;
import static io.jlvs.proto.L4Protocol.DIR_OUTPUT;
import static io.jlvs.proto.TcpProtocol.ACK;
import static io.jlvs.proto.TcpProtocol.FIN;
import static io.jlvs.proto.TcpProtocol.PSH;
import static io.jlvs.proto.TcpProtocol.RST;
import static io.jlvs.proto.TcpProtocol.SYN;
import static io.jlvs.proto.TcpProtocol.URG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCP's tables against a second, independent transcription of {@code tcp_states} and {@code tcp_states_dos}
 * from {@code ip_vs_proto_tcp.c} (Linux 6.17), every cell, through the public {@code transition} with real flag
 * bytes; then rows and rules spelled out one by one.
 */
class TcpProtocolTest {
    private static final TcpProtocol TCP = Protocols.TCP;

    private static final int NO = 0, ES = 1, SS = 2, SR = 3, FW = 4, TW = 5, CL = 6, CW = 7, LA = 8, LI = 9, SA = 10;

    /** [direction INPUT, OUTPUT, INPUT_ONLY][event syn, fin, ack, rst][current state NO..SA]. */
    private static final int[][][] STATES = {
        {   // INPUT
            {SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR},
            {CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW},
            {ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
            {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR},
        },
        {   // OUTPUT
            {SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR},
            {TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW},
            {ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES},
            {CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL},
        },
        {   // INPUT_ONLY
            {SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR},
            {CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW},
            {ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
            {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
        },
    };

    private static final int[][][] STATES_DOS = {
        {   // INPUT
            {SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SA},
            {CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, SA},
            {ES, ES, SS, SR, FW, TW, CL, CW, CL, LI, SA},
            {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
        },
        {   // OUTPUT
            {SS, ES, SS, SA, SS, SS, SS, SS, SS, LI, SA},
            {TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW},
            {ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES},
            {CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL},
        },
        {   // INPUT_ONLY
            {SA, ES, ES, SR, SA, SA, SA, SA, SA, SA, SA},
            {CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW},
            {ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES},
            {CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL},
        },
    };

    /** A flag byte whose event is each row: SYN, FIN+ACK, ACK (with PSH), RST+ACK. */
    private static final int[] FLAGS_FOR_EVENT = {SYN, FIN | ACK, ACK | PSH, RST | ACK};

    @Test
    void everyCellOfBothTablesMatchesTheKernel() {
        int cells = 0;
        for (int dos = 0; dos < 2; dos++) {
            int[][][] expected = dos == 0 ? STATES : STATES_DOS;
            for (int dir = 0; dir < 3; dir++) {
                for (int ev = 0; ev < 4; ev++) {
                    for (int st = 0; st < TcpProtocol.S_LAST; st++) {
                        int want = expected[dir][ev][st];
                        assertThat(TCP.transition(st, dir, FLAGS_FOR_EVENT[ev], dos == 1))
                                .as("%s dir %d event %d state %s", dos == 1 ? "dos" : "normal", dir, ev,
                                        TCP.stateName(st))
                                .isEqualTo(want);
                        assertThat(TcpProtocol.cell(dos == 1, dir, ev, st)).isEqualTo(want);
                        cells++;
                    }
                }
            }
        }
        assertThat(cells).isEqualTo(2 * 3 * 4 * 11);
    }

    @Test
    void tablesDifferOnlyWhereSecureTcpSaysSo() {
        // INPUT: a SYN or anything else in SYNACK keeps SYNACK; a bare ACK does not promote SYN_RECV
        assertThat(TCP.transition(SR, DIR_INPUT, ACK, false)).isEqualTo(ES);
        assertThat(TCP.transition(SR, DIR_INPUT, ACK, true)).isEqualTo(SR);
        assertThat(TCP.transition(SA, DIR_INPUT, ACK, false)).isEqualTo(ES);
        assertThat(TCP.transition(SA, DIR_INPUT, ACK, true)).isEqualTo(SA);
        assertThat(TCP.transition(SA, DIR_INPUT, RST, false)).isEqualTo(SR);
        assertThat(TCP.transition(SA, DIR_INPUT, RST, true)).isEqualTo(CL);
        // OUTPUT: the server's SYN+ACK on SYN_RECV gives SYNACK
        assertThat(TCP.transition(SR, DIR_OUTPUT, SYN | ACK, false)).isEqualTo(SR);
        assertThat(TCP.transition(SR, DIR_OUTPUT, SYN | ACK, true)).isEqualTo(SA);
        // INPUT_ONLY: a first SYN gives SYNACK
        assertThat(TCP.transition(NO, DIR_INPUT_ONLY, SYN, false)).isEqualTo(SR);
        assertThat(TCP.transition(NO, DIR_INPUT_ONLY, SYN, true)).isEqualTo(SA);

        int differing = 0;
        for (int dir = 0; dir < 3; dir++)
            for (int ev = 0; ev < 4; ev++)
                for (int st = 0; st < 11; st++)
                    if (STATES[dir][ev][st] != STATES_DOS[dir][ev][st]) differing++;
        // INPUT: syn/SA fin/SA ack/SR ack/SA rst/SA; OUTPUT: syn/SR syn/SA; INPUT_ONLY: syn NO,FW,TW,CL,CW,LA,LI,SA
        assertThat(differing).isEqualTo(5 + 2 + 8);
    }

    @Test
    void eventIsTheFirstOfRstSynFinAck() {
        assertThat(TcpProtocol.event(RST | SYN | FIN | ACK)).isEqualTo(TcpProtocol.EV_RST);
        assertThat(TcpProtocol.event(SYN | FIN | ACK)).isEqualTo(TcpProtocol.EV_SYN);
        assertThat(TcpProtocol.event(SYN | ACK)).isEqualTo(TcpProtocol.EV_SYN);
        assertThat(TcpProtocol.event(FIN | ACK)).isEqualTo(TcpProtocol.EV_FIN);
        assertThat(TcpProtocol.event(ACK | PSH)).isEqualTo(TcpProtocol.EV_ACK);
        assertThat(TcpProtocol.event(PSH | URG)).isEqualTo(TcpProtocol.EV_NONE);
        assertThat(TcpProtocol.event(0)).isEqualTo(TcpProtocol.EV_NONE);
    }

    @Test
    void aSegmentWithNoneOfTheFourFlagsClosesTheConnection() {
        for (int st = 0; st < 11; st++) {
            assertThat(TCP.transition(st, DIR_INPUT, PSH, false)).isEqualTo(CL);
            assertThat(TCP.transition(st, DIR_OUTPUT, 0, true)).isEqualTo(CL);
        }
    }

    @Test
    void rstRows() {
        // INPUT: RST closes, except SYN_RECV (kept: an RST on a half-open conn may be spoofed), LAST_ACK, LISTEN
        assertThat(TCP.transition(ES, DIR_INPUT, RST, false)).isEqualTo(CL);
        assertThat(TCP.transition(SR, DIR_INPUT, RST, false)).isEqualTo(SR);
        assertThat(TCP.transition(LA, DIR_INPUT, RST, false)).isEqualTo(LA);
        // OUTPUT: the server's RST closes, except SYN_SENT and TIME_WAIT
        assertThat(TCP.transition(ES, DIR_OUTPUT, RST | ACK, false)).isEqualTo(CL);
        assertThat(TCP.transition(SS, DIR_OUTPUT, RST, false)).isEqualTo(SS);
        assertThat(TCP.transition(TW, DIR_OUTPUT, RST, false)).isEqualTo(TW);
        // RST wins over SYN
        assertThat(TCP.transition(NO, DIR_INPUT, SYN | RST, false)).isEqualTo(CL);
    }

    @Test
    void numberingNamesAndTimeouts() {
        assertThat(TCP.protocol()).isEqualTo(6);
        assertThat(TCP.name()).isEqualTo("TCP");
        assertThat(TCP.stateCount()).isEqualTo(11);
        String[] names = {"NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT", "CLOSE",
            "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK"};
        for (int s = 0; s < names.length; s++) assertThat(TCP.stateName(s)).isEqualTo(names[s]);
        assertThat(TCP.stateName(11)).isEqualTo("ERR!");
        assertThat(TCP.stateName(-1)).isEqualTo("ERR!");
        assertThat(TCP.defaultTimeoutsSeconds()).containsExactly(2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120);
        assertThat(TcpProtocol.S_SYNACK).isEqualTo(10);
    }

    @Test
    void activeStatesAreEstablishedAndThePreEstablishedOnes() {
        for (int s = 0; s < 11; s++) {
            boolean want = s == ES || s == SS || s == SR || s == SA;
            assertThat(TCP.isActive(s)).as(TCP.stateName(s)).isEqualTo(want);
        }
    }

    @Test
    void schedulingRule() {
        assertThat(TCP.schedulesNew(SYN, false)).isTrue();
        assertThat(TCP.schedulesNew(SYN | ACK, false)).as("SYN+ACK, for active FTP").isTrue();
        assertThat(TCP.schedulesNew(SYN | RST, false)).isFalse();
        assertThat(TCP.schedulesNew(ACK, false)).isFalse();
        assertThat(TCP.schedulesNew(FIN | ACK, false)).isFalse();
        assertThat(TCP.schedulesNew(0, false)).isFalse();
        assertThat(TCP.schedulesNew(ACK, true)).as("sloppy_tcp").isTrue();
        assertThat(TCP.schedulesNew(0, true)).isTrue();
        assertThat(TCP.schedulesNew(RST | ACK, true)).as("never on RST").isFalse();
        assertThat(TCP.opensConnection(SYN | RST)).isTrue();
        assertThat(TCP.opensConnection(ACK)).isFalse();
    }
}
