package io.jlvs.xmit;

import io.jlvs.packet.Flow;
import io.jlvs.packet.PacketParser;
import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Frame#wrap}: its bounds checks, and the same facts and bytes for a frame on the heap and off it. */
class FrameWrapTest {
    private final byte[] packet = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02")
            .ipv4("198.51.100.7", "192.0.2.10").tcp(40000, 80).syn().build();

    @Test
    void aFrameOutsideItsBufferOrItsSegmentIsRefused() {
        MemorySegment seg = Arena.ofAuto().allocate(256);
        Frame f = new Frame();
        assertThatThrownBy(() -> f.wrap(seg, 0, 257, 0, 10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> f.wrap(seg, 0, 100, 64, 40)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> f.wrap(seg, 32, 100, 16, 10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> f.wrap(seg, -1, 100, 0, 10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> f.wrap(seg, 0, 100, 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(f.wrap(seg, 0, 256, 192, 64).length()).isEqualTo(64);
    }

    @Test
    void aFrameInNativeMemoryParsesAndReadsAsOnTheHeap() {
        MemorySegment heap = MemorySegment.ofArray(new byte[64 + packet.length]);
        MemorySegment off = Arena.ofAuto().allocate(64 + packet.length);
        MemorySegment.copy(packet, 0, heap, ValueLayout.JAVA_BYTE, 64, packet.length);
        MemorySegment.copy(packet, 0, off, ValueLayout.JAVA_BYTE, 64, packet.length);
        Frame h = new Frame().wrap(heap, 0, heap.byteSize(), 64, packet.length);
        Frame n = new Frame().wrap(off, 0, off.byteSize(), 64, packet.length);
        Flow fh = new Flow(), fn = new Flow();
        assertThat(n.parse(new PacketParser(), fn)).isEqualTo(h.parse(new PacketParser(), fh)).isEqualTo(PacketParser.OK);
        assertThat(new long[]{fn.af, fn.protocol, fn.srcLo, fn.dstLo, fn.srcPort, fn.dstPort})
                .containsExactly(fh.af, fh.protocol, fh.srcLo, fh.dstLo, fh.srcPort, fh.dstPort)
                .containsExactly(Flow.AF_INET, 6, 0xC6336407L, 0xC000020AL, 40000, 80);
        assertThat(n.headroom()).isEqualTo(h.headroom()).isEqualTo(64);
        assertThat(n.tailroom()).isEqualTo(h.tailroom()).isZero();
        assertThat(n.l4Offset() - n.start()).isEqualTo(h.l4Offset() - h.start());
        assertThat(n.segment().asSlice(n.start(), n.length()).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(packet);
    }
}
