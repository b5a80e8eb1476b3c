package io.jlvs.ctl.replay;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a classic libpcap capture file (layout drawn in {@link PcapReader}): little-endian, nanosecond timestamps
 * (magic a1b23c4d), version 2.4, snaplen {@link #SNAPLEN}, {@link PcapReader#LINKTYPE_ETHERNET}, one record per
 * frame. A frame longer than the snaplen is cut to it, its full length kept in orig_len, as tcpdump -s does.
 * {@code tcpdump -r OUT.pcap --time-stamp-precision=nano} shows the nanoseconds.
 */
public final class PcapWriter implements AutoCloseable {
    public static final int SNAPLEN = 262_144;
    /** Timestamps run from the epoch to just before 2^32 seconds (ts_sec is unsigned 32 bits: year 2106). */
    public static final long MAX_TIMESTAMP_NS = (1L << 32) * 1_000_000_000L - 1;

    private final OutputStream out;
    private final ByteBuffer header = ByteBuffer.allocate(PcapReader.GLOBAL_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private byte[] scratch = new byte[2048];

    /** Creates (or truncates) {@code file} and writes the global header. */
    public static PcapWriter create(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        try {
            return new PcapWriter(out);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** Writes the global header to {@code out}, which the writer then owns and closes. */
    public PcapWriter(OutputStream out) throws IOException {
        this.out = out;
        header.putInt(0, PcapReader.MAGIC_NANOSECONDS)
                .putShort(4, (short) 2).putShort(6, (short) 4)
                .putInt(8, 0)                                   // thiszone: timestamps are UTC
                .putInt(12, 0)                                  // sigfigs
                .putInt(16, SNAPLEN)
                .putInt(20, PcapReader.LINKTYPE_ETHERNET);
        out.write(header.array(), 0, PcapReader.GLOBAL_HEADER_BYTES);
    }

    /** Writes {@code frame} whole, stamped {@code timestampNs} after the epoch. */
    public void write(long timestampNs, byte[] frame) throws IOException {
        write(timestampNs, frame, 0, frame.length);
    }

    /** Writes octets {@code [offset, offset + length)} of {@code frame}. */
    public void write(long timestampNs, byte[] frame, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, frame.length);
        writeHeader(timestampNs, length);
        out.write(frame, offset, Math.min(length, SNAPLEN));
    }

    /** Writes octets {@code [0, length)} of {@code frame}, e.g. {@link PcapReader#frame()} or a ring slot. */
    public void write(long timestampNs, MemorySegment frame, long length) throws IOException {
        if (length < 0 || length > frame.byteSize() || length > Integer.MAX_VALUE) {
            throw new IndexOutOfBoundsException("length " + length + " outside a frame segment of " + frame.byteSize());
        }
        writeHeader(timestampNs, (int) length);
        int captured = (int) Math.min(length, SNAPLEN);
        if (scratch.length < captured) scratch = new byte[Math.max(captured, Math.min(2 * scratch.length, SNAPLEN))];
        MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, 0, scratch, 0, captured);
        out.write(scratch, 0, captured);
    }

    public void flush() throws IOException { out.flush(); }

    @Override
    public void close() throws IOException { out.close(); }

    private void writeHeader(long timestampNs, int length) throws IOException {
        if (timestampNs < 0 || timestampNs > MAX_TIMESTAMP_NS) {
            throw new IllegalArgumentException("timestamp " + timestampNs + " ns is outside pcap's 0 .. "
                    + MAX_TIMESTAMP_NS);
        }
        header.putInt(0, (int) (timestampNs / 1_000_000_000L))
                .putInt(4, (int) (timestampNs % 1_000_000_000L))
                .putInt(8, Math.min(length, SNAPLEN))
                .putInt(12, length);
        out.write(header.array(), 0, PcapReader.RECORD_HEADER_BYTES);
    }
}
