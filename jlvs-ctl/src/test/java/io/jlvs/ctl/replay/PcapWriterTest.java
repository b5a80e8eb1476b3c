package io.jlvs.ctl.replay;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PcapWriterTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void bytesOnDiskFieldByField() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter out = new PcapWriter(bytes)) {
            out.write(1_600_000_000_123_456_789L, HEX.parseHex("0102030405"));
            out.write(0, new byte[0]);
        }
        assertThat(HEX.formatHex(bytes.toByteArray())).isEqualTo(""
                + "4d3cb2a1" + "0200" + "0400" + "00000000" + "00000000" + "00000400" + "01000000"   // global header
                + "00105e5f" + "15cd5b07" + "05000000" + "05000000" + "0102030405"                 // 1600000000 s 123456789 ns
                + "00000000" + "00000000" + "00000000" + "00000000");                              // an empty frame at 0
    }

    @Test
    void headerOnlyWhenNoFrames() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new PcapWriter(bytes).close();
        assertThat(bytes.toByteArray()).isEqualTo(CaptureBytes.littleEndian()
                .globalHeader(CaptureBytes.MAGIC_NS, 262_144, 1).build());
    }

    @Test
    void segmentAndArrayWritesAreTheSame() throws IOException {
        byte[] f = CaptureBytes.frame(3000, 5);
        ByteArrayOutputStream fromArray = new ByteArrayOutputStream(), fromSegment = new ByteArrayOutputStream();
        try (PcapWriter a = new PcapWriter(fromArray); PcapWriter s = new PcapWriter(fromSegment); Arena arena = Arena.ofConfined()) {
            MemorySegment native_ = arena.allocate(4096);
            MemorySegment.copy(MemorySegment.ofArray(f), 0, native_, 0, f.length);
            a.write(42, f, 0, 100);
            s.write(42, native_, 100);
            a.write(43, f);
            s.write(43, native_, f.length);
        }
        assertThat(fromSegment.toByteArray()).isEqualTo(fromArray.toByteArray());
    }

    @Test
    void framesLongerThanTheSnaplenAreCutAndKeepTheirLength() throws IOException {
        byte[] jumbo = CaptureBytes.frame(PcapWriter.SNAPLEN + 10, 6);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter out = new PcapWriter(bytes)) {
            out.write(1, jumbo);
            out.write(2, MemorySegment.ofArray(jumbo), jumbo.length);
        }
        try (PcapReader in = new PcapReader(new ByteArrayInputStream(bytes.toByteArray()), "cut.pcap")) {
            for (int i = 0; i < 2; i++) {
                assertThat(in.next()).isTrue();
                assertThat(in.capturedLength()).isEqualTo(PcapWriter.SNAPLEN);
                assertThat(in.originalLength()).isEqualTo(PcapWriter.SNAPLEN + 10);
                assertThat(in.frameBytes()).isEqualTo(Arrays.copyOf(jumbo, PcapWriter.SNAPLEN));
            }
            assertThat(in.next()).isFalse();
        }
    }

    @Test
    void timestampsOutsideTheFormatAreRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter out = new PcapWriter(bytes)) {
            assertThatThrownBy(() -> out.write(-1, new byte[1])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("timestamp -1 ns is outside pcap's 0 .. 4294967295999999999");
            assertThatThrownBy(() -> out.write(PcapWriter.MAX_TIMESTAMP_NS + 1, new byte[1]))
                    .isInstanceOf(IllegalArgumentException.class);
            out.write(PcapWriter.MAX_TIMESTAMP_NS, new byte[1]);
        }
        assertThat(bytes.size()).isEqualTo(24 + 16 + 1);
        assertThat(HEX.formatHex(bytes.toByteArray(), 24, 32)).isEqualTo("ffffffff" + "ffc99a3b");
    }

    @Test
    void lengthsOutsideTheFrameAreRefused() throws IOException {
        try (PcapWriter out = new PcapWriter(new ByteArrayOutputStream())) {
            assertThatThrownBy(() -> out.write(0, new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> out.write(0, MemorySegment.ofArray(new byte[4]), 5))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }
}
