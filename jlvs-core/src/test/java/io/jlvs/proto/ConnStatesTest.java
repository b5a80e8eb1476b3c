package io.jlvs.proto;

import io.jlvs.conn.ConnFlags;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jlvs.proto.L4Protocol.DIR_INPUT;
import static io.jlvs.proto.L4Protocol.DIR_OUTPUT;
import static io.jlvs.proto.TcpProtocol.ACK;
import static io.jlvs.proto.TcpProtocol.FIN;
import static io.jlvs.proto.TcpProtocol.PSH;
import static io.jlvs.proto.TcpProtocol.RST;
import static io.jlvs.proto.TcpProtocol.SYN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole connections through {@link ConnStates}: state, INACTIVE and NOOUTPUT flags, the real server's
 * activeconns/inactconns after every packet, and the timeout each state loads.
 */
class ConnStatesTest {
    private static final long S = 1_000_000_000L;

    private ProtocolTimeouts timeouts;
    private ConnStates cs;
    private RealServer rs;

    /** A conn as the connection table would keep it: created INACTIVE (the dest's conn_flags), counted inactive. */
    private final class Conn {
        final L4Protocol proto;
        int state;
        int flags;
        long timeoutNs = ConnStates.NEW_CONN_TIMEOUT_NS;
        boolean dos;

        Conn(L4Protocol proto, int fwdFlags) {
            this.proto = proto;
            this.flags = fwdFlags | ConnFlags.INACTIVE;
            rs.bindConn(false);
        }

        Conn in(int eventBits) { return packet(DIR_INPUT, eventBits); }
        Conn out(int eventBits) { return packet(DIR_OUTPUT, eventBits); }

        Conn packet(int dir, int eventBits) {
            cs.apply(proto, state, flags, dir, eventBits, dos, rs);
            state = cs.state;
            flags = cs.flags;
            timeoutNs = cs.timeoutNs;
            return this;
        }

        Conn expect(int wantState, int active, int inactive, long timeoutSeconds) {
            assertThat(proto.stateName(state)).isEqualTo(proto.stateName(wantState));
            assertThat(rs.activeConns()).as("activeconns in %s", proto.stateName(state)).isEqualTo(active);
            assertThat(rs.inactConns()).as("inactconns in %s", proto.stateName(state)).isEqualTo(inactive);
            assertThat((flags & ConnFlags.INACTIVE) != 0).as("INACTIVE flag").isEqualTo(!proto.isActive(state));
            assertThat(timeoutNs).isEqualTo(timeoutSeconds * S);
            return this;
        }
    }

    @BeforeEach
    void setUp() {
        timeouts = new ProtocolTimeouts();
        cs = new ConnStates(timeouts);
        rs = RealServer.of(IpAddr.parse("192.0.2.11"), 80, 1);
    }

    @Test
    void natHandshakeAndClientClose() {
        Conn c = new Conn(Protocols.TCP, ConnFlags.MASQ);
        assertThat(rs.inactConns()).isEqualTo(1);
        c.in(SYN).expect(TcpProtocol.S_SYN_RECV, 1, 0, 60);          // pre-established counts as active
        c.out(SYN | ACK).expect(TcpProtocol.S_SYN_RECV, 1, 0, 60);
        c.in(ACK).expect(TcpProtocol.S_ESTABLISHED, 1, 0, 900);
        c.in(ACK | PSH).out(ACK | PSH).in(ACK).expect(TcpProtocol.S_ESTABLISHED, 1, 0, 900);
        c.in(FIN | ACK).expect(TcpProtocol.S_CLOSE_WAIT, 0, 1, 60);
        c.out(ACK).expect(TcpProtocol.S_CLOSE_WAIT, 0, 1, 60);
        c.out(FIN | ACK).expect(TcpProtocol.S_TIME_WAIT, 0, 1, 120);
        c.in(ACK).expect(TcpProtocol.S_TIME_WAIT, 0, 1, 120);
        assertThat(c.flags & ConnFlags.NOOUTPUT).isZero();
    }

    @Test
    void natServerClose() {
        Conn c = new Conn(Protocols.TCP, ConnFlags.MASQ);
        c.in(SYN).out(SYN | ACK).in(ACK).expect(TcpProtocol.S_ESTABLISHED, 1, 0, 900);
        c.out(FIN | ACK).expect(TcpProtocol.S_FIN_WAIT, 0, 1, 120);
        c.in(ACK).expect(TcpProtocol.S_FIN_WAIT, 0, 1, 120);
        c.in(FIN | ACK).expect(TcpProtocol.S_TIME_WAIT, 0, 1, 120);
        c.out(ACK).expect(TcpProtocol.S_TIME_WAIT, 0, 1, 120);
    }

    @Test
    void directRoutingUsesInputOnly() {
        Conn c = new Conn(Protocols.TCP, ConnFlags.DROUTE | ConnFlags.NOOUTPUT);
        c.in(SYN).expect(TcpProtocol.S_SYN_RECV, 1, 0, 60);
        c.in(ACK).expect(TcpProtocol.S_ESTABLISHED, 1, 0, 900);
        c.in(FIN | ACK).expect(TcpProtocol.S_FIN_WAIT, 0, 1, 120);   // INPUT would say CLOSE_WAIT
        c.in(ACK).expect(TcpProtocol.S_FIN_WAIT, 0, 1, 120);
        c.in(RST).expect(TcpProtocol.S_CLOSE, 0, 1, 10);
        assertThat(c.flags & ConnFlags.NOOUTPUT).isNotZero();
    }

    @Test
    void inputOnlyRstOnHalfOpenIsIgnoredButInputRstIsNot() {
        Conn dr = new Conn(Protocols.TCP, ConnFlags.DROUTE | ConnFlags.NOOUTPUT);
        dr.in(SYN).in(RST).expect(TcpProtocol.S_SYN_RECV, 1, 0, 60);
        Conn nat = new Conn(Protocols.TCP, ConnFlags.MASQ);
        nat.in(SYN).in(ACK).in(RST | ACK).expect(TcpProtocol.S_CLOSE, 1, 1, 10);
    }

    @Test
    void anOutputPacketClearsNoOutputAndTheOutputTableApplies() {
        Conn c = new Conn(Protocols.TCP, ConnFlags.TUNNEL | ConnFlags.NOOUTPUT);
        c.in(SYN).in(ACK).expect(TcpProtocol.S_ESTABLISHED, 1, 0, 900);
        c.out(FIN | ACK).expect(TcpProtocol.S_FIN_WAIT, 0, 1, 120);
        assertThat(c.flags & ConnFlags.NOOUTPUT).isZero();
        assertThat(c.flags & ConnFlags.FWD_MASK).isEqualTo(ConnFlags.TUNNEL);
        c.in(FIN | ACK).expect(TcpProtocol.S_TIME_WAIT, 0, 1, 120);   // INPUT table now (INPUT_ONLY would keep FW)
    }

    @Test
    void aRetransmittedSynOnAClosedConnMovesTheCountBack() {
        Conn c = new Conn(Protocols.TCP, ConnFlags.MASQ);
        c.in(SYN).in(RST).expect(TcpProtocol.S_SYN_RECV, 1, 0, 60);
        c.in(SYN).in(ACK).in(RST).expect(TcpProtocol.S_CLOSE, 0, 1, 10);
        c.in(SYN).expect(TcpProtocol.S_SYN_RECV, 1, 0, 60);
    }

    @Test
    void secureTcpKeepsSynRecvOnABareAckAndUsesSynAck() {
        Conn c = new Conn(Protocols.TCP, ConnFlags.MASQ);
        c.dos = true;
        c.in(SYN).expect(TcpProtocol.S_SYN_RECV, 1, 0, 60);
        c.in(ACK).expect(TcpProtocol.S_SYN_RECV, 1, 0, 60);            // normal table: ESTABLISHED
        c.out(SYN | ACK).expect(TcpProtocol.S_SYNACK, 1, 0, 120);
        c.in(ACK).expect(TcpProtocol.S_SYNACK, 1, 0, 120);              // SYNACK holds against the client's ACK
        c.out(ACK).expect(TcpProtocol.S_ESTABLISHED, 1, 0, 900);        // the server's ACK confirms

        Conn dr = new Conn(Protocols.TCP, ConnFlags.DROUTE | ConnFlags.NOOUTPUT);
        dr.dos = true;
        dr.in(SYN).expect(TcpProtocol.S_SYNACK, 2, 0, 120);
        dr.in(ACK).expect(TcpProtocol.S_ESTABLISHED, 2, 0, 900);
    }

    @Test
    void noFlagsCloses() {
        Conn c = new Conn(Protocols.TCP, ConnFlags.MASQ);
        c.in(SYN).in(ACK).in(PSH).expect(TcpProtocol.S_CLOSE, 0, 1, 10);
    }

    @Test
    void aConnWithoutRealServerChangesStateButNoCounters() {
        cs.apply(Protocols.TCP, TcpProtocol.S_NONE, ConnFlags.INACTIVE, DIR_INPUT, SYN, false, null);
        assertThat(cs.state).isEqualTo(TcpProtocol.S_SYN_RECV);
        assertThat(cs.flags).isEqualTo(ConnFlags.INACTIVE);              // the flag moves only with a dest
        assertThat(cs.changed).isTrue();
    }

    @Test
    void timeoutsFollowSet() {
        timeouts.set(3600, 30, 0);
        Conn c = new Conn(Protocols.TCP, ConnFlags.MASQ);
        c.in(SYN).in(ACK).expect(TcpProtocol.S_ESTABLISHED, 1, 0, 3600);
        c.out(FIN).expect(TcpProtocol.S_FIN_WAIT, 0, 1, 30);
    }

    @Test
    void udpOnlyReloadsTheTimeout() {
        Conn c = new Conn(Protocols.UDP, ConnFlags.MASQ);
        c.in(0).expect(UdpProtocol.S_NORMAL, 0, 1, 300);
        c.out(0).expect(UdpProtocol.S_NORMAL, 0, 1, 300);
        timeouts.set(0, 0, 45);
        c.in(0).expect(UdpProtocol.S_NORMAL, 0, 1, 45);
        assertThat(cs.changed).isFalse();
        Conn dr = new Conn(Protocols.UDP, ConnFlags.DROUTE | ConnFlags.NOOUTPUT);
        dr.out(0);
        assertThat(dr.flags & ConnFlags.NOOUTPUT).as("udp_state_transition leaves flags alone").isNotZero();
    }

    @Test
    void sctpCountsOnlyEstablishedAsActive() {
        Conn c = new Conn(Protocols.SCTP, ConnFlags.MASQ);
        c.in(ev(SctpProtocol.CID_INIT)).expect(SctpProtocol.S_INIT1, 0, 1, 4);
        c.out(ev(SctpProtocol.CID_INIT_ACK)).expect(SctpProtocol.S_COOKIE_SENT, 0, 1, 61);
        c.in(ev(SctpProtocol.CID_COOKIE_ECHO)).expect(SctpProtocol.S_COOKIE_REPLIED, 0, 1, 61);
        c.out(ev(SctpProtocol.CID_COOKIE_ACK)).expect(SctpProtocol.S_ESTABLISHED, 1, 0, 900);
        c.in(ev(SctpProtocol.CID_DATA)).out(ev(SctpProtocol.CID_SACK)).expect(SctpProtocol.S_ESTABLISHED, 1, 0, 900);
        c.in(ev(SctpProtocol.CID_SHUTDOWN)).expect(SctpProtocol.S_SHUTDOWN_RECEIVED, 0, 1, 61);
        c.out(ev(SctpProtocol.CID_SHUTDOWN_ACK)).expect(SctpProtocol.S_SHUTDOWN_ACK_SENT, 0, 1, 61);
        c.in(ev(SctpProtocol.CID_SHUTDOWN_COMPLETE)).expect(SctpProtocol.S_CLOSED, 0, 1, 61);
    }

    @Test
    void sctpDirectRouting() {
        Conn c = new Conn(Protocols.SCTP, ConnFlags.DROUTE | ConnFlags.NOOUTPUT);
        c.in(ev(SctpProtocol.CID_INIT)).expect(SctpProtocol.S_INIT1, 0, 1, 4);
        c.in(ev(SctpProtocol.CID_COOKIE_ECHO)).expect(SctpProtocol.S_ESTABLISHED, 1, 0, 900);
        c.in(ev(SctpProtocol.CID_SHUTDOWN_ACK)).expect(SctpProtocol.S_CLOSED, 0, 1, 61);
        Conn r = new Conn(Protocols.SCTP, ConnFlags.DROUTE | ConnFlags.NOOUTPUT);
        r.in(ev(SctpProtocol.CID_INIT)).in(ev(SctpProtocol.CID_ABORT)).expect(SctpProtocol.S_CLOSED, 0, 2, 61);
    }

    private static int ev(int chunk) { return SctpProtocol.eventBits(chunk, -1); }
}
