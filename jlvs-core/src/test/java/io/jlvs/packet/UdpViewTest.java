package io.jlvs.packet;

import io.jlvs.testkit.Checksum;
import org.junit.jupiter.api.Test;

import static io.jlvs.packet.Frames.ETH;
import static io.jlvs.packet.Frames.seg;
import static org.assertj.core.api.Assertions.assertThat;

class UdpViewTest {
    private final UdpView udp = new UdpView();

    @Test
    void fieldsReadBackWhatTheBuilderWrote() {
        byte[] f = Frames.v6().udp(5353, 53).payload("query").build();
        udp.wrap(seg(f), ETH + 40);
        assertThat(udp.srcPort()).isEqualTo(5353);
        assertThat(udp.dstPort()).isEqualTo(53);
        assertThat(udp.length()).isEqualTo(8 + 5);
        assertThat(udp.checksum()).isEqualTo(Checksum.u16(f, ETH + 40 + 6)).isNotZero();
    }

    @Test
    void settersWriteTheBuildersBytes() {
        byte[] f = Frames.v4().udp(5353, 53).payload("q").build();
        byte[] expected = Frames.v4().udp(1, 65535).udpLength(300).payload("q").build();
        udp.wrap(seg(f), ETH + 20).srcPort(1).dstPort(65535).length(300).checksum(Checksum.u16(expected, ETH + 26));
        assertThat(f).isEqualTo(expected);
    }
}
