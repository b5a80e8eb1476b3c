package io.jlvs.proto;

import io.jlvs.conn.ConnFlags;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants of the state machines over random packet sequences. */
class ConnStatesProperties {

    record Packet(int direction, int eventBits) {}

    @Provide
    Arbitrary<List<Packet>> tcpPackets() {
        return Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 0x3F))
                .as(Packet::new).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Packet>> sctpPackets() {
        Arbitrary<Integer> chunk = Arbitraries.oneOf(Arbitraries.integers().between(0, 16),
                Arbitraries.integers().between(0, 255));
        Arbitrary<Integer> bits = Combinators.combine(chunk, Arbitraries.integers().between(-1, 16))
                .as(SctpProtocol::eventBits);
        return Combinators.combine(Arbitraries.integers().between(0, 1), bits).as(Packet::new).list().ofMaxSize(40);
    }

    @Property
    void tcpCountersFollowTheStateAndAddUp(@ForAll("tcpPackets") List<Packet> packets, @ForAll boolean dr,
                                           @ForAll boolean dos) {
        checkCounters(Protocols.TCP, packets, dr, dos);
    }

    @Property
    void sctpCountersFollowTheStateAndAddUp(@ForAll("sctpPackets") List<Packet> packets, @ForAll boolean dr) {
        checkCounters(Protocols.SCTP, packets, dr, false);
    }

    private static void checkCounters(L4Protocol p, List<Packet> packets, boolean dr, boolean dos) {
        RealServer rs = RealServer.of(IpAddr.parse("192.0.2.1"), 80, 1);
        ConnStates cs = new ConnStates(new ProtocolTimeouts());
        int flags = ConnFlags.INACTIVE | (dr ? ConnFlags.DROUTE | ConnFlags.NOOUTPUT : ConnFlags.MASQ);
        int state = 0;
        rs.bindConn(false);
        boolean sawOutput = false;
        for (Packet pk : packets) {
            cs.apply(p, state, flags, pk.direction(), pk.eventBits(), dos, rs);
            assertThat(cs.changed).isEqualTo(cs.state != state);
            state = cs.state;
            flags = cs.flags;
            sawOutput |= pk.direction() == L4Protocol.DIR_OUTPUT;
            assertThat(state).isBetween(0, p.stateCount() - 1);
            assertThat(rs.activeConns() + rs.inactConns()).isEqualTo(1);
            assertThat(rs.activeConns()).isEqualTo(p.isActive(state) ? 1 : 0);
            assertThat((flags & ConnFlags.INACTIVE) != 0).isEqualTo(!p.isActive(state));
            assertThat((flags & ConnFlags.NOOUTPUT) != 0).isEqualTo(dr && !sawOutput);
            assertThat(cs.timeoutNs).isEqualTo(p.defaultTimeoutsSeconds()[state] * 1_000_000_000L);
        }
    }

    @Property
    void tcpTransitionDependsOnlyOnTheWinningFlag(@ForAll @IntRange(min = 0, max = 255) int flags,
                                                  @ForAll @IntRange(min = 0, max = 10) int state,
                                                  @ForAll @IntRange(min = 0, max = 2) int dir, @ForAll boolean dos) {
        int ev = TcpProtocol.event(flags);
        int only = switch (ev) {
            case TcpProtocol.EV_RST -> TcpProtocol.RST;
            case TcpProtocol.EV_SYN -> TcpProtocol.SYN;
            case TcpProtocol.EV_FIN -> TcpProtocol.FIN;
            case TcpProtocol.EV_ACK -> TcpProtocol.ACK;
            default -> 0;
        };
        assertThat(Protocols.TCP.transition(state, dir, flags, dos))
                .isEqualTo(Protocols.TCP.transition(state, dir, only, dos));
    }

    @Property
    void udpNeverMovesAnything(@ForAll @Size(max = 20) List<@IntRange(min = 0, max = 1) Integer> dirs) {
        RealServer rs = RealServer.of(IpAddr.parse("192.0.2.1"), 53, 1);
        rs.bindConn(false);
        ConnStates cs = new ConnStates(new ProtocolTimeouts());
        for (int d : dirs) {
            cs.apply(Protocols.UDP, 0, ConnFlags.INACTIVE | ConnFlags.MASQ, d, 0, false, rs);
            assertThat(cs.state).isZero();
            assertThat(cs.flags).isEqualTo(ConnFlags.INACTIVE | ConnFlags.MASQ);
            assertThat(rs.inactConns()).isEqualTo(1);
            assertThat(cs.timeoutNs).isEqualTo(300_000_000_000L);
        }
    }
}
