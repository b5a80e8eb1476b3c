package io.jlvs.proto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ipvsadm --set tcp tcpfin udp} and {@code -L --timeout}, kernel and ipvsadm checks. */
class ProtocolTimeoutsTest {
    private static final long S = 1_000_000_000L;

    @Test
    void defaults() {
        ProtocolTimeouts t = new ProtocolTimeouts();
        assertThat(t.timeoutLine()).isEqualTo("Timeout (tcp tcpfin udp): 900 120 300");
        assertThat(t.timeoutNs(6, TcpProtocol.S_SYN_RECV)).isEqualTo(60 * S);
        assertThat(t.timeoutNs(132, SctpProtocol.S_INIT1)).isEqualTo(4 * S);
        assertThat(t.table(Protocols.SCTP)).containsExactly(Protocols.SCTP.defaultTimeoutsSeconds());
    }

    @Test
    void setChangesOnlyTheThreeValuesAndZeroMeansUnchanged() {
        ProtocolTimeouts t = new ProtocolTimeouts();
        t.set(0, 0, 0);
        assertThat(t.timeoutLine()).isEqualTo("Timeout (tcp tcpfin udp): 900 120 300");
        t.set(7200, 0, 30);
        assertThat(t.timeoutLine()).isEqualTo("Timeout (tcp tcpfin udp): 7200 120 30");
        t.set(0, 15, 0);
        assertThat(t.timeoutLine()).isEqualTo("Timeout (tcp tcpfin udp): 7200 15 30");
        assertThat(t.timeoutNs(6, TcpProtocol.S_ESTABLISHED)).isEqualTo(7200 * S);
        assertThat(t.timeoutNs(6, TcpProtocol.S_FIN_WAIT)).isEqualTo(15 * S);
        assertThat(t.timeoutNs(17, UdpProtocol.S_NORMAL)).isEqualTo(30 * S);
        assertThat(t.timeoutNs(6, TcpProtocol.S_TIME_WAIT)).as("untouched").isEqualTo(120 * S);
        assertThat(t.timeoutNs(6, TcpProtocol.S_CLOSE_WAIT)).isEqualTo(60 * S);
    }

    @Test
    void kernelRangeIsZeroToIntMaxOverHzAndABadValueChangesNothing() {
        ProtocolTimeouts t = new ProtocolTimeouts();
        int max = Integer.MAX_VALUE / 1000;
        t.set(max, 0, 0);
        assertThat(t.tcpTimeout()).isEqualTo(2147483);
        assertThatThrownBy(() -> t.set(10, 10, max + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid argument");
        assertThatThrownBy(() -> t.set(10, -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThat(t.timeoutLine()).isEqualTo("Timeout (tcp tcpfin udp): 2147483 120 300");
    }

    @Test
    void ipvsadmParsing() {
        assertThat(ProtocolTimeouts.parseSetArgs("900", "120", "300")).containsExactly(900, 120, 300);
        assertThat(ProtocolTimeouts.parseSetArgs("0", "2678400", "+5")).containsExactly(0, 2678400, 5);
        assertThat(ProtocolTimeouts.parseTimeout(" 7")).as("strtol skips leading space").isEqualTo(7);
        assertThat(ProtocolTimeouts.parseTimeout("-0")).isZero();
        for (String bad : new String[] {"2678401", "-1", "", " ", "10s", "1e3", "0x10", "7 ", "99999999999999999999"}) {
            assertThatThrownBy(() -> ProtocolTimeouts.parseTimeout(bad)).as("'%s'", bad)
                    .hasMessage("invalid timeout value `" + bad + "' specified");
        }
        assertThatThrownBy(() -> ProtocolTimeouts.parseSetArgs("900", "120"))
                .hasMessage("--set option requires 3 timeout values");
        assertThatThrownBy(() -> ProtocolTimeouts.parseSetArgs("900", "120", "300", "5"))
                .hasMessage("unexpected argument 5");
        assertThatThrownBy(() -> ProtocolTimeouts.parseSetArgs("900", "x", "300", "5"))
                .hasMessage("invalid timeout value `x' specified");
    }
}
