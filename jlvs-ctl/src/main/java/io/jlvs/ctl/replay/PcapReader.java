package io.jlvs.ctl.replay;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a classic libpcap capture file (pcap-savefile(5)) one record at a time into one reused buffer, for
 * {@code ./jlvs replay}.
 *
 * <pre>
 *  global header, 24 octets                     record header, 16 octets, then incl_len octets of frame
 *  0 +-----------------------------------+      0 +-----------------------------------+
 *    | magic a1b2c3d4 (us) / a1b23c4d (ns)|        | ts_sec                            |
 *  4 +-----------------+-----------------+      4 +-----------------------------------+
 *    | version_major 2 | version_minor 4 |        | ts_usec, or ts_nsec               |
 *  8 +-----------------+-----------------+      8 +-----------------------------------+
 *    | thiszone (0)                      |        | incl_len: octets captured         |
 * 12 +-----------------------------------+     12 +-----------------------------------+
 *    | sigfigs (0)                       |        | orig_len: octets on the wire      |
 * 16 +-----------------------------------+     16 +-----------------------------------+
 *    | snaplen                           |
 * 20 +-----------------------------------+
 *    | linktype                          |
 * 24 +-----------------------------------+
 * </pre>
 *
 * Every field is in the writer's byte order, which the magic tells: read swapped, it means the other order.
 *
 * <p>Link types: {@link #LINKTYPE_ETHERNET} frames are returned as captured. Linux cooked captures
 * ({@code tcpdump -i any}: {@link #LINKTYPE_LINUX_SLL} and {@link #LINKTYPE_LINUX_SLL2}) are turned into Ethernet
 * frames: both MAC addresses zero, the EtherType from the cooked header's protocol type (copied as is, even the
 * values below 0x0600 Linux uses for non-Ethernet-II frames), then the captured payload. Any other link type is
 * refused when the reader is opened. pcapng is refused with the editcap command that converts it.
 *
 * <p>The file must be well formed: a short global header, an unknown magic, a version other than 2.4, a record
 * with {@code incl_len} above the snaplen, above {@link #MAX_RECORD_BYTES}, or above {@code orig_len}, a
 * timestamp fraction of a second or more, a cooked record shorter than its header, and a file that ends inside a
 * record (tcpdump's "truncated dump file") are each a {@link PcapException} naming the record and byte offset. A
 * snaplen of 0 or above {@code MAX_RECORD_BYTES} is read as {@code MAX_RECORD_BYTES}, as libpcap does. Nothing is
 * read beyond what the headers announce, so a file can neither exhaust memory nor make {@link #next()} wait for
 * more than the stream's own reads. After a {@code PcapException} the reader is done: close it.
 *
 * <pre>{@code
 * try (PcapReader in = PcapReader.open(path)) {
 *     while (in.next()) parser.parse(in.frame(), in.capturedLength(), flow);
 * }
 * }</pre>
 */
public final class PcapReader implements AutoCloseable {
    public static final int MAGIC_MICROSECONDS = 0xA1B2C3D4, MAGIC_NANOSECONDS = 0xA1B23C4D;
    /** The first octets of a pcapng file (its section header block type: the same in either byte order). */
    public static final int PCAPNG_MAGIC = 0x0A0D0D0A;
    public static final int LINKTYPE_ETHERNET = 1, LINKTYPE_LINUX_SLL = 113, LINKTYPE_LINUX_SLL2 = 276;
    /** The largest record accepted, whatever the snaplen says: libpcap's largest snaplen (MAXIMUM_SNAPLEN). */
    public static final int MAX_RECORD_BYTES = 256 * 1024;
    public static final int GLOBAL_HEADER_BYTES = 24, RECORD_HEADER_BYTES = 16;
    static final int SLL_HEADER_BYTES = 16, SLL_PROTOCOL = 14, SLL2_HEADER_BYTES = 20, SLL2_PROTOCOL = 0;
    static final int ETH_HLEN = 14, ETH_TYPE = 12;
    static final String PCAPNG_REFUSED = "pcapng is not supported; convert with: editcap -F pcap IN OUT";

    // global header fields
    private static final int MAGIC = 0, VERSION_MAJOR = 4, VERSION_MINOR = 6, SNAPLEN = 16, LINKTYPE = 20;
    // record header fields
    private static final int TS_SEC = 0, TS_FRACTION = 4, INCL_LEN = 8, ORIG_LEN = 12;
    /** The low bits of the linktype field; the high ones may carry the FCS length (pcap draft, LT_LINKTYPE). */
    private static final int LINKTYPE_MASK = 0x03FF_FFFF;

    private final InputStream in;
    private final String source;
    private final ByteOrder byteOrder;
    private final boolean nanosecond;
    private final long snapLength;
    private final int linkType, recordLimit, cookedHeaderBytes;

    private final ByteBuffer header = ByteBuffer.allocate(GLOBAL_HEADER_BYTES);
    private final byte[] cooked = new byte[SLL2_HEADER_BYTES];
    private final byte[] buffer;
    private final MemorySegment frame;

    private long position;                 // octets consumed from the stream
    private long recordNumber, recordOffset, timestampNs;
    private int capturedLength;
    private long originalLength;

    /** Opens {@code file} and reads its global header; {@link PcapException} names the file as given. */
    public static PcapReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new PcapReader(in, file.toString());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Reads the global header from {@code in} (which the reader then owns and closes).
     *
     * @param source the name errors start with, e.g. the file name
     */
    public PcapReader(InputStream in, String source) throws IOException {
        this.in = in;
        this.source = source;
        byte[] h = header.array();
        int n = read(h, 0, GLOBAL_HEADER_BYTES);
        if (n >= 4 && header.getInt(MAGIC) == PCAPNG_MAGIC) throw error(0, MAGIC, PCAPNG_REFUSED);
        if (n < GLOBAL_HEADER_BYTES) {
            throw error(0, 0, n == 0 ? "empty file, not a pcap capture"
                    : "truncated file header: " + n + " of " + GLOBAL_HEADER_BYTES + " bytes");
        }
        int magic = header.order(ByteOrder.BIG_ENDIAN).getInt(MAGIC);
        if (Integer.reverseBytes(magic) == MAGIC_MICROSECONDS || Integer.reverseBytes(magic) == MAGIC_NANOSECONDS) {
            header.order(ByteOrder.LITTLE_ENDIAN);
            magic = Integer.reverseBytes(magic);
        }
        if (magic != MAGIC_MICROSECONDS && magic != MAGIC_NANOSECONDS) {
            throw error(0, MAGIC, "not a pcap file: magic %08x (expected %08x or %08x, in either byte order)"
                    .formatted(magic, MAGIC_MICROSECONDS, MAGIC_NANOSECONDS));
        }
        byteOrder = header.order();
        nanosecond = magic == MAGIC_NANOSECONDS;
        int major = header.getShort(VERSION_MAJOR) & 0xFFFF, minor = header.getShort(VERSION_MINOR) & 0xFFFF;
        if (major != 2 || minor != 4) {
            throw error(0, VERSION_MAJOR, "version " + major + "." + minor + " is not supported (expected 2.4)");
        }
        snapLength = Integer.toUnsignedLong(header.getInt(SNAPLEN));
        recordLimit = snapLength > 0 && snapLength <= MAX_RECORD_BYTES ? (int) snapLength : MAX_RECORD_BYTES;
        linkType = header.getInt(LINKTYPE) & LINKTYPE_MASK;
        cookedHeaderBytes = switch (linkType) {
            case LINKTYPE_ETHERNET -> 0;
            case LINKTYPE_LINUX_SLL -> SLL_HEADER_BYTES;
            case LINKTYPE_LINUX_SLL2 -> SLL2_HEADER_BYTES;
            default -> throw error(0, LINKTYPE, "linktype " + linkType + " is not supported: jlvs replays "
                    + "Ethernet (1), Linux cooked (113) and Linux cooked v2 (276) captures");
        };
        buffer = new byte[recordLimit];
        frame = MemorySegment.ofArray(buffer);
    }

    /**
     * Reads the next record into {@link #frame()}.
     *
     * @return false at the end of the file (right after the last whole record)
     * @throws PcapException if the record is malformed or the file ends inside it
     */
    public boolean next() throws IOException {
        recordNumber++;
        recordOffset = position;
        byte[] h = header.array();
        int n = read(h, 0, RECORD_HEADER_BYTES);
        if (n == 0) {
            recordNumber--;
            capturedLength = 0;
            originalLength = 0;
            return false;
        }
        if (n < RECORD_HEADER_BYTES) {
            throw recordError("truncated record header: " + n + " of " + RECORD_HEADER_BYTES
                    + " bytes (truncated dump file)");
        }
        long seconds = Integer.toUnsignedLong(header.getInt(TS_SEC));
        long fraction = Integer.toUnsignedLong(header.getInt(TS_FRACTION));
        long inclLen = Integer.toUnsignedLong(header.getInt(INCL_LEN));
        long origLen = Integer.toUnsignedLong(header.getInt(ORIG_LEN));
        long perSecond = nanosecond ? 1_000_000_000L : 1_000_000L;
        if (fraction >= perSecond) {
            throw recordError((nanosecond ? "ts_nsec " : "ts_usec ") + fraction + " is not below " + perSecond);
        }
        if (inclLen > MAX_RECORD_BYTES) {
            throw recordError("incl_len " + inclLen + " exceeds the " + MAX_RECORD_BYTES + "-byte limit");
        }
        if (inclLen > recordLimit) throw recordError("incl_len " + inclLen + " exceeds snaplen " + snapLength);
        if (inclLen > origLen) throw recordError("incl_len " + inclLen + " exceeds orig_len " + origLen);
        if (inclLen < cookedHeaderBytes) {
            throw recordError("incl_len " + inclLen + " is shorter than the " + cookedHeaderBytes
                    + "-byte Linux cooked header");
        }
        int captured = (int) inclLen;
        if (cookedHeaderBytes == 0) {
            readRecord(buffer, 0, captured, captured);
        } else {
            readRecord(cooked, 0, cookedHeaderBytes, captured);
            readRecord(buffer, ETH_HLEN, captured - cookedHeaderBytes, captured);
            int protocol = linkType == LINKTYPE_LINUX_SLL ? SLL_PROTOCOL : SLL2_PROTOCOL;
            Arrays.fill(buffer, 0, ETH_TYPE, (byte) 0);
            buffer[ETH_TYPE] = cooked[protocol];
            buffer[ETH_TYPE + 1] = cooked[protocol + 1];
        }
        int delta = cookedHeaderBytes == 0 ? 0 : ETH_HLEN - cookedHeaderBytes;
        capturedLength = captured + delta;
        originalLength = origLen + delta;
        timestampNs = seconds * 1_000_000_000L + (nanosecond ? fraction : fraction * 1_000L);
        return true;
    }

    /** The current frame in octets {@code [0, capturedLength())}: a view of the reused buffer. */
    public MemorySegment frame() { return frame; }

    /** A copy of the current frame. */
    public byte[] frameBytes() { return Arrays.copyOf(buffer, capturedLength); }

    /** Octets of the current frame in {@link #frame()} (after conversion of a cooked header). */
    public int capturedLength() { return capturedLength; }

    /** Octets the frame had on the wire (after conversion of a cooked header); more than captured if cut. */
    public long originalLength() { return originalLength; }

    /** The current record's time since the epoch, in nanoseconds. */
    public long timestampNs() { return timestampNs; }

    /** The current record's number, 1 for the first. */
    public long recordNumber() { return recordNumber; }

    /** The offset of the current record's header in the file. */
    public long recordOffset() { return recordOffset; }

    /** The link type of the file, before conversion: {@link #LINKTYPE_ETHERNET} or a cooked one. */
    public int linkType() { return linkType; }

    /** The snaplen field of the global header, as written (unsigned). */
    public long snapLength() { return snapLength; }

    /** Whether the timestamps are in nanoseconds (magic a1b23c4d) rather than microseconds. */
    public boolean nanosecond() { return nanosecond; }

    /** The byte order the file was written in. */
    public ByteOrder byteOrder() { return byteOrder; }

    @Override
    public void close() throws IOException { in.close(); }

    private void readRecord(byte[] into, int off, int len, int captured) throws IOException {
        int n = read(into, off, len);
        if (n < len) {
            long got = position - recordOffset - RECORD_HEADER_BYTES;
            throw recordError("truncated record: " + got + " of " + captured + " captured bytes, the file ends at byte "
                    + position + " (truncated dump file)");
        }
    }

    /** Reads up to {@code len} octets, fewer only at the end of the stream. */
    private int read(byte[] into, int off, int len) throws IOException {
        int n = in.readNBytes(into, off, len);
        position += n;
        return n;
    }

    private PcapException recordError(String reason) { return error(recordNumber, recordOffset, reason); }

    private PcapException error(long record, long offset, String reason) {
        return new PcapException(source, record, offset, reason);
    }
}
