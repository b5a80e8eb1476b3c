package io.jlvs.ctl.replay;

import io.jlvs.packet.Flow;
import io.jlvs.packet.PacketParser;
import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class PcapReaderTest {
    private static final HexFormat HEX = HexFormat.of();

    private static PcapReader reader(byte[] file) throws IOException {
        return new PcapReader(new ByteArrayInputStream(file), "x.pcap");
    }

    @Test
    void bigEndianMicrosecondsFromLiteralBytes() throws IOException {
        byte[] file = HEX.parseHex(""
                + "a1b2c3d4" + "0002" + "0004" + "00000000" + "00000000" + "0000ffff" + "00000001"   // global header
                + "5f5e1000" + "000f423f" + "00000004" + "0000003c" + "deadbeef");                 // 1 record
        try (PcapReader in = reader(file)) {
            assertThat(in.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
            assertThat(in.nanosecond()).isFalse();
            assertThat(in.snapLength()).isEqualTo(65535);
            assertThat(in.linkType()).isEqualTo(PcapReader.LINKTYPE_ETHERNET);
            assertThat(in.next()).isTrue();
            assertThat(in.timestampNs()).isEqualTo(1_600_000_000_999_999_000L);
            assertThat(in.capturedLength()).isEqualTo(4);
            assertThat(in.originalLength()).isEqualTo(60);
            assertThat(in.frameBytes()).isEqualTo(HEX.parseHex("deadbeef"));
            assertThat(in.recordNumber()).isEqualTo(1);
            assertThat(in.recordOffset()).isEqualTo(24);
            assertThat(in.next()).isFalse();
        }
    }

    @Test
    void littleEndianMicrosecondsFromLiteralBytes() throws IOException {
        byte[] file = HEX.parseHex(""
                + "d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "00000400" + "01000000"
                + "00105e5f" + "01000000" + "03000000" + "03000000" + "010203");
        try (PcapReader in = reader(file)) {
            assertThat(in.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(in.nanosecond()).isFalse();
            assertThat(in.snapLength()).isEqualTo(262144);
            assertThat(in.next()).isTrue();
            assertThat(in.timestampNs()).isEqualTo(1_600_000_000_000_001_000L);
            assertThat(in.frameBytes()).isEqualTo(new byte[] {1, 2, 3});
            assertThat(in.originalLength()).isEqualTo(3);
            assertThat(in.next()).isFalse();
        }
    }

    @Test
    void bigEndianNanoseconds() throws IOException {
        readsNanoseconds(CaptureBytes.bigEndian(), ByteOrder.BIG_ENDIAN);
    }

    @Test
    void littleEndianNanoseconds() throws IOException {
        readsNanoseconds(CaptureBytes.littleEndian(), ByteOrder.LITTLE_ENDIAN);
    }

    /** ts_sec above 2^31 (unsigned, year 2106) and the largest ts_nsec. */
    private static void readsNanoseconds(CaptureBytes b, ByteOrder order) throws IOException {
        byte[] f1 = CaptureBytes.frame(60, 1), f2 = CaptureBytes.frame(1514, 2);
        b.globalHeader(CaptureBytes.MAGIC_NS, 65535, 1)
                .record(0xFFFF_FFFFL, 999_999_999, f1)
                .record(1, 0, 1514, 9000, f2);
        try (PcapReader in = reader(b.build())) {
            assertThat(in.byteOrder()).isEqualTo(order);
            assertThat(in.nanosecond()).isTrue();
            assertThat(in.next()).isTrue();
            assertThat(in.timestampNs()).isEqualTo(0xFFFF_FFFFL * 1_000_000_000L + 999_999_999);
            assertThat(in.frameBytes()).isEqualTo(f1);
            assertThat(in.next()).isTrue();
            assertThat(in.timestampNs()).isEqualTo(1_000_000_000L);
            assertThat(in.capturedLength()).isEqualTo(1514);
            assertThat(in.originalLength()).isEqualTo(9000);
            assertThat(in.frame().asSlice(0, 1514).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(f2);
            assertThat(in.recordNumber()).isEqualTo(2);
            assertThat(in.recordOffset()).isEqualTo(24 + 16 + 60);
            assertThat(in.next()).isFalse();
            assertThat(in.next()).isFalse();
        }
    }

    @Test
    void headerOnlyFileHasNoRecords() throws IOException {
        try (PcapReader in = reader(CaptureBytes.littleEndian().globalHeader(CaptureBytes.MAGIC_US, 65535, 1).build())) {
            assertThat(in.next()).isFalse();
            assertThat(in.recordNumber()).isZero();
        }
    }

    @Test
    void emptyRecordIsAFrameOfLengthZero() throws IOException {
        byte[] file = CaptureBytes.bigEndian().globalHeader(CaptureBytes.MAGIC_US, 65535, 1)
                .record(5, 0, new byte[0]).record(6, 0, new byte[] {9}).build();
        try (PcapReader in = reader(file)) {
            assertThat(in.next()).isTrue();
            assertThat(in.capturedLength()).isZero();
            assertThat(in.next()).isTrue();
            assertThat(in.frameBytes()).containsExactly(9);
        }
    }

    @Test
    void snaplenZeroOrHugeMeansTheLibpcapMaximum() throws IOException {
        for (long snaplen : new long[] {0, 0xFFFF_FFFFL, 0x8000_0000L}) {
            byte[] f = CaptureBytes.frame(PcapReader.MAX_RECORD_BYTES, 3);
            byte[] file = CaptureBytes.littleEndian().globalHeader(CaptureBytes.MAGIC_US, snaplen, 1).record(1, 2, f).build();
            try (PcapReader in = reader(file)) {
                assertThat(in.snapLength()).isEqualTo(snaplen);
                assertThat(in.next()).isTrue();
                assertThat(in.frameBytes()).isEqualTo(f);
            }
        }
    }

    @Test
    void fcsBitsAboveTheLinkTypeAreIgnored() throws IOException {
        // pcap draft: bits 28-31 FCS length in 16-bit words, bit 26 "F" (FCS length present)
        byte[] file = CaptureBytes.bigEndian().globalHeader(CaptureBytes.MAGIC_US, 65535, 0x2400_0001L).build();
        try (PcapReader in = reader(file)) {
            assertThat(in.linkType()).isEqualTo(PcapReader.LINKTYPE_ETHERNET);
        }
    }

    @Test
    void linuxCookedBecomesEthernetWithZeroMacs() throws IOException {
        byte[] ip = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02")
                .ipv4("198.51.100.7", "192.0.2.10").udp(5353, 53).payload("q").buildL3();
        byte[] sll = CaptureBytes.bigEndian()                      // header fields in network order
                .u16(0).u16(1).u16(6).octets(2, 0, 0, 0, 0, 1, 0, 0)  // pkttype, ARPHRD_ETHER, halen, addr
                .u16(0x0800).bytes(ip).build();
        byte[] file = CaptureBytes.littleEndian().globalHeader(CaptureBytes.MAGIC_US, 65535, 113)
                .record(1, 0, sll.length, sll.length + 4, sll).build();
        try (PcapReader in = reader(file)) {
            assertThat(in.linkType()).isEqualTo(PcapReader.LINKTYPE_LINUX_SLL);
            assertThat(in.next()).isTrue();
            assertThat(HEX.formatHex(in.frameBytes())).isEqualTo("000000000000" + "000000000000" + "0800" + HEX.formatHex(ip));
            assertThat(in.capturedLength()).isEqualTo(14 + ip.length);
            assertThat(in.originalLength()).isEqualTo(14 + ip.length + 4);
            assertThat(in.next()).isFalse();
        }
    }

    @Test
    void linuxCookedV2BecomesEthernetWithZeroMacs() throws IOException {
        byte[] ip6 = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02")
                .ipv6("2001:db8::1", "2001:db8::2").tcp(40000, 80).syn().buildL3();
        byte[] sll2 = CaptureBytes.bigEndian()
                .u16(0x86DD).u16(0).u32(3).u16(1).octets(0, 6).octets(2, 0, 0, 0, 0, 1, 0, 0)  // proto, MBZ, ifindex..
                .bytes(ip6).build();
        byte[] file = CaptureBytes.bigEndian().globalHeader(CaptureBytes.MAGIC_NS, 65535, 276)
                .record(1, 0, sll2).record(2, 0, sll2).build();
        try (PcapReader in = reader(file)) {
            assertThat(in.linkType()).isEqualTo(PcapReader.LINKTYPE_LINUX_SLL2);
            for (int i = 0; i < 2; i++) {
                assertThat(in.next()).isTrue();
                assertThat(HEX.formatHex(in.frameBytes())).isEqualTo("000000000000000000000000" + "86dd" + HEX.formatHex(ip6));
                assertThat(in.originalLength()).isEqualTo(14 + ip6.length);
            }
            assertThat(in.next()).isFalse();
        }
    }

    @Test
    void aStreamThatTricklesOneOctetPerReadIsReadWhole() throws IOException {
        byte[] f = CaptureBytes.frame(300, 4);
        byte[] file = CaptureBytes.littleEndian().globalHeader(CaptureBytes.MAGIC_NS, 65535, 1)
                .record(7, 8, f).record(9, 10, f).build();
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(file)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException { return super.read(b, off, Math.min(len, 1)); }
        };
        try (PcapReader in = new PcapReader(trickle, "t.pcap")) {
            assertThat(in.next()).isTrue();
            assertThat(in.timestampNs()).isEqualTo(7_000_000_008L);
            assertThat(in.next()).isTrue();
            assertThat(in.frameBytes()).isEqualTo(f);
            assertThat(in.next()).isFalse();
        }
    }

    /** A TCP handshake as jlvs sees it (client -> VIP through the director), written to a file and read back. */
    @Test
    void threeFrameHandshakeCaptureReadsBackFrameForFrame(@TempDir Path dir) throws IOException {
        String client = "02:00:00:00:00:01", director = "02:00:00:00:00:02";
        byte[][] frames = {
            PacketBuilder.eth(client, director).ipv4("198.51.100.7", "192.0.2.10").id(1).df()
                    .tcp(40000, 80).syn().seq(1000).mss(1460).sackPermitted().windowScale(7).build(),
            PacketBuilder.eth(director, client).ipv4("192.0.2.10", "198.51.100.7").id(0).df()
                    .tcp(80, 40000).syn().ack().seq(5000).ackSeq(1001).mss(1460).build(),
            PacketBuilder.eth(client, director).ipv4("198.51.100.7", "192.0.2.10").id(2).df()
                    .tcp(40000, 80).ack().psh().seq(1001).ackSeq(5001).payload("GET / HTTP/1.0\r\n\r\n").build(),
        };
        long[] times = {1_700_000_000_000_000_001L, 1_700_000_000_000_250_000L, 1_700_000_001_000_000_000L};
        Path file = dir.resolve("handshake.pcap");
        try (PcapWriter out = PcapWriter.create(file)) {
            for (int i = 0; i < frames.length; i++) out.write(times[i], frames[i]);
        }
        assertThat(file).hasSize(24 + 3 * 16 + frames[0].length + frames[1].length + frames[2].length);

        PacketParser parser = new PacketParser().verifyL4Checksums(true);
        Flow flow = new Flow();
        try (PcapReader in = PcapReader.open(file)) {
            assertThat(in.nanosecond()).isTrue();
            assertThat(in.linkType()).isEqualTo(PcapReader.LINKTYPE_ETHERNET);
            for (int i = 0; i < frames.length; i++) {
                assertThat(in.next()).isTrue();
                assertThat(in.recordNumber()).isEqualTo(i + 1);
                assertThat(in.timestampNs()).isEqualTo(times[i]);
                assertThat(in.capturedLength()).isEqualTo(frames[i].length);
                assertThat(in.originalLength()).isEqualTo(frames[i].length);
                assertThat(in.frameBytes()).isEqualTo(frames[i]);
                assertThat(parser.parse(in.frame(), in.capturedLength(), flow)).isEqualTo(PacketParser.OK);
                assertThat(flow.protocol).isEqualTo(6);
                assertThat(flow.dstPort).isEqualTo(i == 1 ? 40000 : 80);
            }
            assertThat(in.next()).isFalse();
        }
    }
}
