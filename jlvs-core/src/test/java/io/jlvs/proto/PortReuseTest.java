package io.jlvs.proto;

import io.jlvs.conn.ConnFlags;
import org.junit.jupiter.api.Test;

import static io.jlvs.proto.PortReuse.DROP;
import static io.jlvs.proto.PortReuse.EXPIRE_OLD;
import static io.jlvs.proto.PortReuse.KEEP;
import static io.jlvs.proto.PortReuse.RESCHEDULE;
import static org.assertj.core.api.Assertions.assertThat;

/** The port-reuse rule of {@code ip_vs_in_hook} / {@code is_new_conn_expected}, case by case. */
class PortReuseTest {
    private static final int TCP = 6, UDP = 17, SCTP = 132;
    private static final int DR = ConnFlags.DROUTE | ConnFlags.NOOUTPUT;

    private static int reuse(int proto, int state, int flags, int mode) {
        return PortReuse.decide(proto, state, flags, false, false, mode, false, false, false);
    }

    @Test
    void tcpTimeWaitAndCloseAreReplacedInEveryNonZeroMode() {
        for (int mode : new int[] {1, 2, 3}) {
            assertThat(reuse(TCP, TcpProtocol.S_TIME_WAIT, ConnFlags.MASQ, mode)).isEqualTo(RESCHEDULE | EXPIRE_OLD);
            assertThat(reuse(TCP, TcpProtocol.S_CLOSE, DR, mode)).isEqualTo(RESCHEDULE | EXPIRE_OLD);
        }
        assertThat(reuse(TCP, TcpProtocol.S_TIME_WAIT, ConnFlags.MASQ, 0)).as("mode 0: SYN follows the old conn")
                .isEqualTo(KEEP);
    }

    @Test
    void otherTcpStatesAreKept() {
        for (int s : new int[] {TcpProtocol.S_NONE, TcpProtocol.S_ESTABLISHED, TcpProtocol.S_SYN_SENT,
                TcpProtocol.S_SYN_RECV, TcpProtocol.S_CLOSE_WAIT, TcpProtocol.S_LAST_ACK, TcpProtocol.S_LISTEN,
                TcpProtocol.S_SYNACK}) {
            assertThat(reuse(TCP, s, DR, 3)).as(Protocols.TCP.stateName(s)).isEqualTo(KEEP);
        }
    }

    @Test
    void finWaitOnlyWithModeBitTwoAndNoOutput() {
        assertThat(reuse(TCP, TcpProtocol.S_FIN_WAIT, DR, 1)).isEqualTo(KEEP);
        assertThat(reuse(TCP, TcpProtocol.S_FIN_WAIT, DR, 2)).isEqualTo(RESCHEDULE | EXPIRE_OLD);
        assertThat(reuse(TCP, TcpProtocol.S_FIN_WAIT, DR, 3)).isEqualTo(RESCHEDULE | EXPIRE_OLD);
        assertThat(reuse(TCP, TcpProtocol.S_FIN_WAIT, ConnFlags.MASQ, 3)).as("NAT sees the FIN: no NOOUTPUT")
                .isEqualTo(KEEP);
    }

    @Test
    void sctpClosedOnly() {
        assertThat(reuse(SCTP, SctpProtocol.S_CLOSED, ConnFlags.MASQ, 1)).isEqualTo(RESCHEDULE | EXPIRE_OLD);
        for (int s = 0; s < SctpProtocol.S_CLOSED; s++) assertThat(reuse(SCTP, s, DR, 3)).isEqualTo(KEEP);
        assertThat(reuse(UDP, UdpProtocol.S_NORMAL, ConnFlags.MASQ, 3)).isEqualTo(KEEP);
    }

    @Test
    void controlledConnsAreNeverReplacedByTheReuseRule() {
        assertThat(PortReuse.isNewConnExpected(TCP, TcpProtocol.S_TIME_WAIT, 0, true, 1)).isFalse();
        assertThat(PortReuse.decide(TCP, TcpProtocol.S_TIME_WAIT, 0, true, false, 1, false, false, false))
                .isEqualTo(KEEP);
    }

    @Test
    void aControllingConnIsReplacedButNotExpiredUnlessItUsesConntrack() {
        assertThat(PortReuse.decide(TCP, TcpProtocol.S_CLOSE, 0, false, true, 1, false, false, false))
                .isEqualTo(RESCHEDULE);
        assertThat(PortReuse.decide(TCP, TcpProtocol.S_CLOSE, 0, false, true, 1, false, false, true))
                .isEqualTo(KEEP);
        assertThat(PortReuse.decide(TCP, TcpProtocol.S_CLOSE, 0, false, false, 1, false, false, true))
                .as("old conntrack: expire the old conn and drop this SYN").isEqualTo(DROP | EXPIRE_OLD);
    }

    @Test
    void expireNodestConnReplacesConnsOfWeightZeroDestsInAnyStateAndMode() {
        assertThat(PortReuse.decide(TCP, TcpProtocol.S_ESTABLISHED, 0, true, false, 0, true, true, false))
                .isEqualTo(RESCHEDULE | EXPIRE_OLD);
        assertThat(PortReuse.decide(UDP, 0, 0, false, true, 0, true, true, false)).isEqualTo(RESCHEDULE);
        assertThat(PortReuse.decide(TCP, TcpProtocol.S_ESTABLISHED, 0, false, true, 0, true, true, true))
                .isEqualTo(DROP);
        assertThat(PortReuse.decide(TCP, TcpProtocol.S_ESTABLISHED, 0, false, false, 1, false, true, false))
                .as("weight 0 without expire_nodest_conn").isEqualTo(KEEP);
        assertThat(PortReuse.decide(TCP, TcpProtocol.S_ESTABLISHED, 0, false, false, 1, true, false, false))
                .isEqualTo(KEEP);
    }
}
