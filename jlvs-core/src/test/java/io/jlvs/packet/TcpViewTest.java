package io.jlvs.packet;

import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Map;

import static io.jlvs.packet.Frames.ETH;
import static io.jlvs.packet.Frames.seg;
import static org.assertj.core.api.Assertions.assertThat;

class TcpViewTest {
    private static final int L4 = ETH + 20;
    private final TcpView tcp = new TcpView();

    @Test
    void fieldsReadBackWhatTheBuilderWrote() {
        byte[] f = Frames.v4().tcp(40000, 80).syn().ack().seq(0xFEDCBA98L).ackSeq(12345).window(29200).urgentPointer(7)
                .payload("GET").build();
        tcp.wrap(seg(f), L4);
        assertThat(tcp.srcPort()).isEqualTo(40000);
        assertThat(tcp.dstPort()).isEqualTo(80);
        assertThat(tcp.seq()).isEqualTo(0xFEDCBA98);
        assertThat(tcp.ackSeq()).isEqualTo(12345);
        assertThat(tcp.dataOffset()).isEqualTo(5);
        assertThat(tcp.headerLength()).isEqualTo(20);
        assertThat(tcp.flags()).isEqualTo(TcpView.SYN | TcpView.ACK);
        assertThat(tcp.hasFlags(TcpView.SYN | TcpView.ACK)).isTrue();
        assertThat(tcp.hasFlags(TcpView.SYN | TcpView.FIN)).isFalse();
        assertThat(tcp.window()).isEqualTo(29200);
        assertThat(tcp.checksum()).isEqualTo(Checksum.u16(f, L4 + 16));
        assertThat(tcp.urgentPointer()).isEqualTo(7);
    }

    @Test
    void flagConstantsAreTheWireBits() {
        Map<Integer, PacketBuilder> byFlag = Map.of(
                TcpView.FIN, Frames.v4().tcp(1, 2).fin(), TcpView.SYN, Frames.v4().tcp(1, 2).syn(),
                TcpView.RST, Frames.v4().tcp(1, 2).rst(), TcpView.PSH, Frames.v4().tcp(1, 2).psh(),
                TcpView.ACK, Frames.v4().tcp(1, 2).ack(), TcpView.URG, Frames.v4().tcp(1, 2).urg(),
                TcpView.ECE, Frames.v4().tcp(1, 2).ece(), TcpView.CWR, Frames.v4().tcp(1, 2).cwr());
        byFlag.forEach((flag, b) -> assertThat(tcp.wrap(seg(b.build()), L4).flags()).as("flag %x", flag).isEqualTo(flag));
        assertThat(TcpView.FIN | TcpView.SYN | TcpView.RST | TcpView.PSH | TcpView.ACK | TcpView.URG | TcpView.ECE | TcpView.CWR)
                .isEqualTo(0xFF);
    }

    @Test
    void optionsOfALinuxSyn() {
        byte[] f = Frames.v4().tcp(40000, 80).syn().mss(1460).sackPermitted().timestamps(0x01020304, 0).windowScale(7).build();
        tcp.wrap(seg(f), L4);
        assertThat(tcp.headerLength()).isEqualTo(40);
        assertThat(tcp.walkOptions()).isTrue();
        assertThat(tcp.mss()).isEqualTo(1460);
        assertThat(tcp.sackPermitted()).isTrue();
        assertThat(tcp.hasTimestamps()).isTrue();
        assertThat(tcp.tsVal()).isEqualTo(0x01020304);
        assertThat(tcp.tsEcr()).isZero();
        assertThat(tcp.windowScale()).isEqualTo(7);
        assertThat(tcp.optionOffset(TcpView.OPT_MSS)).isEqualTo(L4 + 20);
        assertThat(tcp.optionOffset(TcpView.OPT_SACK_PERMITTED)).isEqualTo(L4 + 24);
        assertThat(tcp.optionOffset(TcpView.OPT_TIMESTAMPS)).isEqualTo(L4 + 26);
        assertThat(tcp.optionOffset(TcpView.OPT_NOP)).isEqualTo(L4 + 36);
        assertThat(tcp.optionOffset(TcpView.OPT_WINDOW_SCALE)).isEqualTo(L4 + 37);
        assertThat(tcp.optionOffset(TcpView.OPT_SACK)).isEqualTo(-1);
    }

    @Test
    void noOptions() {
        tcp.wrap(seg(Frames.v4().tcp(1, 2).build()), L4);
        assertThat(tcp.walkOptions()).isTrue();
        assertThat(tcp.mss()).isEqualTo(TcpView.ABSENT);
        assertThat(tcp.windowScale()).isEqualTo(TcpView.ABSENT);
        assertThat(tcp.sackPermitted()).isFalse();
        assertThat(tcp.hasTimestamps()).isFalse();
    }

    @Test
    void malformedOptionsStopTheWalk() {
        assertThat(walk(Frames.v4().tcp(1, 2).tcpOption(2, 0, 0, 0))).isFalse();            // length 0
        assertThat(walk(Frames.v4().tcp(1, 2).tcpOption(2, 1, 0, 0))).isFalse();            // length 1
        assertThat(walk(Frames.v4().tcp(1, 2).tcpOption(1, 1, 1, 2, 8, 0, 0, 0))).isFalse(); // length 8 past the header
        assertThat(walk(Frames.v4().tcp(1, 2).tcpOption(1, 1, 1, 2))).isFalse();            // kind, no length octet
        assertThat(tcp.optionOffset(TcpView.OPT_MSS)).isEqualTo(-1);
    }

    @Test
    void endOfListStopsAndWrongLengthsAreIgnored() {
        assertThat(walk(Frames.v4().tcp(1, 2).tcpOption(0, 2, 4, 5, 0xB4))).isTrue();      // EOL first: MSS never read
        assertThat(tcp.mss()).isEqualTo(TcpView.ABSENT);
        assertThat(walk(Frames.v4().tcp(1, 2).tcpOption(2, 3, 9, 1))).isTrue();            // MSS of length 3
        assertThat(tcp.mss()).isEqualTo(TcpView.ABSENT);
    }

    @Test
    void settersWriteTheBuildersBytes() {
        byte[] f = Frames.v4().tcp(40000, 80).syn().build();
        byte[] expected = Frames.v4().tcp(50000, 8080).syn().ack().seq(99).ackSeq(100).window(1024).urgentPointer(3).build();
        MemorySegment s = seg(f);
        tcp.wrap(s, L4).srcPort(50000).dstPort(8080).flags(TcpView.SYN | TcpView.ACK).seq(99).ackSeq(100).window(1024).urgentPointer(3);
        tcp.checksum(Checksum.u16(expected, L4 + 16));
        assertThat(f).isEqualTo(expected);
        tcp.dataOffset(15);
        assertThat(NetworkOrder.u8(s, L4 + 12)).isEqualTo(0xF0);
        assertThat(tcp.headerLength()).isEqualTo(60);
    }

    private boolean walk(PacketBuilder b) {
        return tcp.wrap(seg(b.build()), L4).walkOptions();
    }
}
