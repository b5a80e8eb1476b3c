package io.jlvs.proto;

import io.jlvs.conn.ConnFlags;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Lookup by IPPROTO and {@code ip_vs_state_name}. */
class ProtocolsTest {
    @Test
    void lookup() {
        assertThat(Protocols.of(6)).isSameAs(Protocols.TCP);
        assertThat(Protocols.of(17)).isSameAs(Protocols.UDP);
        assertThat(Protocols.of(132)).isSameAs(Protocols.SCTP);
        assertThat(Protocols.of(1)).isNull();
        assertThat(Protocols.slot(132)).isEqualTo(Protocols.SLOT_SCTP);
        assertThat(Protocols.slot(50)).isEqualTo(-1);
    }

    @Test
    void stateNamesAsProcNetIpVsConn() {
        assertThat(Protocols.stateName(6, 0, TcpProtocol.S_TIME_WAIT)).isEqualTo("TIME_WAIT");
        assertThat(Protocols.stateName(17, 0, 0)).isEqualTo("UDP");
        assertThat(Protocols.stateName(132, 0, SctpProtocol.S_SHUTDOWN_ACK_SENT)).isEqualTo("S-ACK-SENT");
        assertThat(Protocols.stateName(6, ConnFlags.TEMPLATE, 0)).isEqualTo("NONE");
        assertThat(Protocols.stateName(0, ConnFlags.TEMPLATE, 1)).isEqualTo("ASSURED");
        assertThat(Protocols.stateName(0, ConnFlags.TEMPLATE, 2)).isEqualTo("ERR!");
        assertThat(Protocols.stateName(0, 0, 0)).isEqualTo("NONE");
        assertThat(Protocols.stateName(50, 0, 0)).isEqualTo("ERR!");
    }
}
