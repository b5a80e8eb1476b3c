package io.jlvs.ctl.replay;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;

import static io.jlvs.ctl.replay.CaptureBytes.MAGIC_NS;
import static io.jlvs.ctl.replay.CaptureBytes.MAGIC_US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each malformed file is one {@link PcapException} with the whole message pinned: record, offset, reason. */
class PcapMalformedTest {
    private static final byte[] F60 = CaptureBytes.frame(60, 0);

    /** Opens and reads {@code file} to the end; the exception expected somewhere on the way. */
    private static PcapException refused(byte[] file) {
        return catchThrowableOfType(PcapException.class, () -> {
            try (PcapReader in = new PcapReader(new ByteArrayInputStream(file), "x.pcap")) {
                while (in.next()) {
                    // read on
                }
            }
        });
    }

    private static void assertRefused(byte[] file, long record, long offset, String message) {
        PcapException e = refused(file);
        assertThat(e).as("no exception for %s", HexFormat.of().formatHex(file, 0, Math.min(file.length, 64))).isNotNull();
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.recordNumber()).isEqualTo(record);
        assertThat(e.byteOffset()).isEqualTo(offset);
    }

    private static CaptureBytes ethernet() { return CaptureBytes.littleEndian().globalHeader(MAGIC_US, 65535, 1); }

    // ---------------------------------------------------------------- global header

    @Test
    void emptyFile() {
        assertRefused(new byte[0], 0, 0, "x.pcap: file header at byte 0: empty file, not a pcap capture");
    }

    @Test
    void truncatedGlobalHeader() {
        byte[] file = Arrays.copyOf(ethernet().build(), 10);
        assertRefused(file, 0, 0, "x.pcap: file header at byte 0: truncated file header: 10 of 24 bytes");
        assertRefused(Arrays.copyOf(file, 23), 0, 0, "x.pcap: file header at byte 0: truncated file header: 23 of 24 bytes");
    }

    @Test
    void badMagic() {
        byte[] text = "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes();
        assertRefused(text, 0, 0, "x.pcap: file header at byte 0: not a pcap file: magic 47455420 "
                + "(expected a1b2c3d4 or a1b23c4d, in either byte order)");
        // the Kuznetzov "modified pcap" magic is not ours either
        assertRefused(CaptureBytes.bigEndian().globalHeader(0xA1B2CD34L, 65535, 1).build(), 0, 0,
                "x.pcap: file header at byte 0: not a pcap file: magic a1b2cd34 (expected a1b2c3d4 or a1b23c4d, in either byte order)");
    }

    @Test
    void pcapngIsRefusedWithTheConversionCommand() {
        // section header block: type, total length 28, byte-order magic 1a2b3c4d, version 1.0, section length -1
        byte[] shb = CaptureBytes.littleEndian().u32(0x0A0D0D0AL).u32(28).u32(0x1A2B3C4DL).u16(1).u16(0)
                .u32(0xFFFF_FFFFL).u32(0xFFFF_FFFFL).u32(28).build();
        String message = "x.pcap: file header at byte 0: pcapng is not supported; convert with: editcap -F pcap IN OUT";
        assertRefused(shb, 0, 0, message);
        assertRefused(Arrays.copyOf(shb, 4), 0, 0, message);
    }

    @Test
    void versionOtherThan2Point4() {
        byte[] file = CaptureBytes.bigEndian().u32(MAGIC_US).u16(2).u16(2).u32(0).u32(0).u32(65535).u32(1).build();
        assertRefused(file, 0, 4, "x.pcap: file header at byte 4: version 2.2 is not supported (expected 2.4)");
        byte[] swapped = CaptureBytes.littleEndian().u32(MAGIC_NS).u16(4).u16(2).u32(0).u32(0).u32(65535).u32(1).build();
        assertRefused(swapped, 0, 4, "x.pcap: file header at byte 4: version 4.2 is not supported (expected 2.4)");
    }

    @Test
    void linkTypeOtherThanEthernetOrCooked() {
        byte[] wifi = CaptureBytes.bigEndian().globalHeader(MAGIC_US, 65535, 105).build();
        assertRefused(wifi, 0, 20, "x.pcap: file header at byte 20: linktype 105 is not supported: jlvs replays "
                + "Ethernet (1), Linux cooked (113) and Linux cooked v2 (276) captures");
    }

    // ---------------------------------------------------------------- records

    @Test
    void truncatedRecordHeader() {
        byte[] file = ethernet().record(1, 0, F60).u32(2).u16(0).octets(7).build();
        assertRefused(file, 2, 100, "x.pcap: record 2 at byte 100: truncated record header: 7 of 16 bytes (truncated dump file)");
    }

    @Test
    void truncatedRecordData() {
        byte[] file = Arrays.copyOf(ethernet().record(1, 0, F60).record(2, 0, F60).build(), 24 + 76 + 16 + 59);
        assertRefused(file, 2, 100, "x.pcap: record 2 at byte 100: truncated record: 59 of 60 captured bytes, "
                + "the file ends at byte 175 (truncated dump file)");
        byte[] headerOnly = Arrays.copyOf(file, 24 + 76 + 16);
        assertRefused(headerOnly, 2, 100, "x.pcap: record 2 at byte 100: truncated record: 0 of 60 captured bytes, "
                + "the file ends at byte 116 (truncated dump file)");
    }

    @Test
    void truncatedCookedRecordInsideItsCookedHeader() {
        byte[] file = CaptureBytes.bigEndian().globalHeader(MAGIC_US, 65535, 113).record(1, 0, 40, 40, new byte[10]).build();
        assertRefused(file, 1, 24, "x.pcap: record 1 at byte 24: truncated record: 10 of 40 captured bytes, "
                + "the file ends at byte 50 (truncated dump file)");
    }

    @Test
    void inclLenAboveSnaplen() {
        byte[] file = CaptureBytes.bigEndian().globalHeader(MAGIC_US, 64, 1).record(1, 0, 65, 65, new byte[65]).build();
        assertRefused(file, 1, 24, "x.pcap: record 1 at byte 24: incl_len 65 exceeds snaplen 64");
    }

    @Test
    void inclLenAboveTheLimitWhateverTheSnaplen() {
        for (long snaplen : new long[] {0, 65535, 0xFFFF_FFFFL}) {
            byte[] huge = CaptureBytes.littleEndian().globalHeader(MAGIC_US, snaplen, 1).record(1, 0, F60)
                    .record(1, 0, 262_145, 262_145, new byte[0]).build();
            assertRefused(huge, 2, 100, "x.pcap: record 2 at byte 100: incl_len 262145 exceeds the 262144-byte limit");
        }
        byte[] maxU32 = ethernet().record(1, 0, 0xFFFF_FFFFL, 0xFFFF_FFFFL, new byte[0]).build();
        assertRefused(maxU32, 1, 24, "x.pcap: record 1 at byte 24: incl_len 4294967295 exceeds the 262144-byte limit");
    }

    @Test
    void inclLenAboveOrigLen() {
        byte[] file = ethernet().record(1, 0, 60, 59, F60).build();
        assertRefused(file, 1, 24, "x.pcap: record 1 at byte 24: incl_len 60 exceeds orig_len 59");
    }

    @Test
    void fractionOfASecondOutOfRange() {
        assertRefused(ethernet().record(1, 1_000_000, F60).build(), 1, 24,
                "x.pcap: record 1 at byte 24: ts_usec 1000000 is not below 1000000");
        byte[] ns = CaptureBytes.bigEndian().globalHeader(MAGIC_NS, 65535, 1).record(1, 999_999_999, F60)
                .record(1, 0xFFFF_FFFFL, F60).build();
        assertRefused(ns, 2, 100, "x.pcap: record 2 at byte 100: ts_nsec 4294967295 is not below 1000000000");
    }

    @Test
    void cookedRecordShorterThanItsCookedHeader() {
        byte[] sll = CaptureBytes.bigEndian().globalHeader(MAGIC_US, 65535, 113).record(1, 0, new byte[15]).build();
        assertRefused(sll, 1, 24, "x.pcap: record 1 at byte 24: incl_len 15 is shorter than the 16-byte Linux cooked header");
        byte[] sll2 = CaptureBytes.bigEndian().globalHeader(MAGIC_US, 65535, 276).record(1, 0, new byte[19]).build();
        assertRefused(sll2, 1, 24, "x.pcap: record 1 at byte 24: incl_len 19 is shorter than the 20-byte Linux cooked header");
    }

    @Test
    void recordsBeforeTheFaultAreReadNormally() throws IOException {
        byte[] file = ethernet().record(1, 0, F60).record(2, 0, F60).record(3, 0, 60, 60, new byte[5]).build();
        try (PcapReader in = new PcapReader(new ByteArrayInputStream(file), "x.pcap")) {
            assertThat(in.next()).isTrue();
            assertThat(in.next()).isTrue();
            assertThat(in.frameBytes()).isEqualTo(F60);
            PcapException e = catchThrowableOfType(PcapException.class, in::next);
            assertThat(e.getMessage()).startsWith("x.pcap: record 3 at byte 176: truncated record: 5 of 60");
        }
    }
}
