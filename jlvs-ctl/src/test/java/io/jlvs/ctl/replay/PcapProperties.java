package io.jlvs.ctl.replay;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PcapProperties {

    record Frame(long timestampNs, byte[] bytes) { }

    /** Random frames as the raw fields of a record: ts_sec, the fraction in the file's unit, the octets. */
    record RawRecord(long seconds, long fraction, byte[] bytes) { }

    @Property(tries = 300)
    void writerThenReaderGivesBackEveryFrameAndTimestamp(@ForAll("frames") List<Frame> frames) throws IOException {
        byte[] file = write(frames);
        try (PcapReader in = reader(file)) {
            for (Frame f : frames) {
                assertThat(in.next()).isTrue();
                assertThat(in.timestampNs()).isEqualTo(f.timestampNs());
                assertThat(in.capturedLength()).isEqualTo(f.bytes().length);
                assertThat(in.originalLength()).isEqualTo(f.bytes().length);
                assertThat(in.frameBytes()).isEqualTo(f.bytes());
            }
            assertThat(in.next()).isFalse();
        }
    }

    @Property(tries = 300)
    void handBuiltFilesReadTheSameInEitherByteOrderAndResolution(
            @ForAll boolean bigEndian, @ForAll boolean nanosecond, @ForAll("rawRecords") List<RawRecord> records)
            throws IOException {
        long perSecond = nanosecond ? 1_000_000_000L : 1_000_000L;
        CaptureBytes b = bigEndian ? CaptureBytes.bigEndian() : CaptureBytes.littleEndian();
        b.globalHeader(nanosecond ? CaptureBytes.MAGIC_NS : CaptureBytes.MAGIC_US, 65535, 1);
        for (RawRecord r : records) b.record(r.seconds(), r.fraction() % perSecond, r.bytes());
        try (PcapReader in = reader(b.build())) {
            for (RawRecord r : records) {
                assertThat(in.next()).isTrue();
                long fractionNs = (r.fraction() % perSecond) * (1_000_000_000L / perSecond);
                assertThat(in.timestampNs()).isEqualTo(r.seconds() * 1_000_000_000L + fractionNs);
                assertThat(in.frameBytes()).isEqualTo(r.bytes());
            }
            assertThat(in.next()).isFalse();
        }
    }

    /** Cut anywhere: every whole record is read, then the end (cut on a boundary) or "truncated" for the next. */
    @Property(tries = 300)
    void aCutFileYieldsItsWholeRecordsThenSaysWhereItWasCut(
            @ForAll("frames") List<Frame> frames, @ForAll @IntRange(max = 1_000_000) int cutSeed) throws IOException {
        byte[] file = write(frames);
        int cut = cutSeed % (file.length + 1);
        byte[] prefix = Arrays.copyOf(file, cut);
        if (cut < PcapReader.GLOBAL_HEADER_BYTES) {
            PcapException e = readToEnd(prefix);
            assertThat(e).isNotNull();
            assertThat(e.recordNumber()).isZero();
            return;
        }
        long boundary = PcapReader.GLOBAL_HEADER_BYTES;
        int whole = 0;
        while (whole < frames.size() && boundary + 16 + frames.get(whole).bytes().length <= cut) {
            boundary += 16 + frames.get(whole).bytes().length;
            whole++;
        }
        try (PcapReader in = reader(prefix)) {
            for (int i = 0; i < whole; i++) {
                assertThat(in.next()).isTrue();
                assertThat(in.frameBytes()).isEqualTo(frames.get(i).bytes());
            }
            if (boundary == cut) {
                assertThat(in.next()).isFalse();
            } else {
                PcapException e = catchPcap(in);
                assertThat(e).isNotNull();
                assertThat(e.recordNumber()).isEqualTo(whole + 1);
                assertThat(e.byteOffset()).isEqualTo(boundary);
                assertThat(e.getMessage()).endsWith("(truncated dump file)");
            }
        }
    }

    /** Whatever octets are overwritten, reading ends with the end of the file or a PcapException, nothing else. */
    @Property(tries = 500)
    void corruptFilesEndCleanlyOrWithAPcapException(@ForAll("frames") List<Frame> frames,
            @ForAll @Size(max = 8) List<@IntRange(max = 1_000_000) Integer> positions, @ForAll byte value)
            throws IOException {
        byte[] file = write(frames);
        for (int p : positions) file[p % file.length] = value;
        readToEnd(file);                        // any other exception fails the property
    }

    @Property(tries = 300)
    void arbitraryOctetsAfterAValidHeaderEndCleanlyOrWithAPcapException(@ForAll @Size(max = 200) byte[] tail)
            throws IOException {
        byte[] head = CaptureBytes.littleEndian().globalHeader(CaptureBytes.MAGIC_US, 65535, 1).build();
        byte[] file = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, file, head.length, tail.length);
        readToEnd(file);
    }

    // ---------------------------------------------------------------- helpers

    private static PcapReader reader(byte[] file) throws IOException {
        return new PcapReader(new ByteArrayInputStream(file), "p.pcap");
    }

    private static byte[] write(List<Frame> frames) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter out = new PcapWriter(bytes)) {
            for (Frame f : frames) out.write(f.timestampNs(), f.bytes());
        }
        return bytes.toByteArray();
    }

    /** Reads to the end, at most one next() per octet; the PcapException met, or null. */
    private static PcapException readToEnd(byte[] file) throws IOException {
        try (PcapReader in = reader(file)) {
            for (int i = 0; i <= file.length; i++) {
                if (!in.next()) return null;
            }
            throw new AssertionError("more records than octets");
        } catch (PcapException e) {
            return e;
        }
    }

    private static PcapException catchPcap(PcapReader in) throws IOException {
        try {
            in.next();
            return null;
        } catch (PcapException e) {
            return e;
        }
    }

    @Provide
    Arbitrary<List<Frame>> frames() {
        Arbitrary<byte[]> bytes = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(1600)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1601).ofMaxSize(9100)));
        Arbitrary<Long> ts = Arbitraries.longs().between(0, PcapWriter.MAX_TIMESTAMP_NS);
        return Combinators.combine(ts, bytes).as(Frame::new).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<RawRecord>> rawRecords() {
        return Combinators.combine(
                Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.longs().between(0, 999_999_999),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200)).as(RawRecord::new).list().ofMaxSize(8);
    }
}
