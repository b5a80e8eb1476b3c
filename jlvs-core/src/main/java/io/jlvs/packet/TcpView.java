package io.jlvs.packet;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.i32;
import static io.jlvs.packet.NetworkOrder.u16;
import static io.jlvs.packet.NetworkOrder.u8;

/**
 * Flyweight over a TCP header (RFC 9293; ECE/CWR per RFC 3168). Offsets are relative to the TCP header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (Data Offset > 5)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * {@link #walkOptions()} reads the options the director cares about (MSS, window scale, SACK-permitted,
 * timestamps; RFC 9293 section 3.2, RFC 7323, RFC 2018) without leaving the header: the caller must first
 * have checked that {@link #headerLength()} octets lie in the packet.
 */
public final class TcpView {
    public static final long SRC_PORT = 0, DST_PORT = 2, SEQ = 4, ACK_SEQ = 8, DATA_OFFSET = 12, FLAGS = 13;
    public static final long WINDOW = 14, CHECKSUM = 16, URGENT_POINTER = 18, OPTIONS = 20;
    public static final int MIN_HEADER_LENGTH = 20, MAX_HEADER_LENGTH = 60;

    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08;
    public static final int ACK = 0x10, URG = 0x20, ECE = 0x40, CWR = 0x80;

    /** Option kinds. */
    public static final int OPT_EOL = 0, OPT_NOP = 1, OPT_MSS = 2, OPT_WINDOW_SCALE = 3, OPT_SACK_PERMITTED = 4;
    public static final int OPT_SACK = 5, OPT_TIMESTAMPS = 8;
    /** Option lengths, kind and length octets included. */
    public static final int OPT_MSS_LENGTH = 4, OPT_WINDOW_SCALE_LENGTH = 3, OPT_SACK_PERMITTED_LENGTH = 2;
    public static final int OPT_TIMESTAMPS_LENGTH = 10;
    /** {@link #mss()} and {@link #windowScale()} when the option is absent. */
    public static final int ABSENT = -1;

    private MemorySegment seg;
    private long off;
    // facts left by walkOptions
    private int mss, windowScale;
    private boolean sackPermitted, timestamps;
    private int tsVal, tsEcr;

    public TcpView wrap(MemorySegment seg, long off) {
        this.seg = seg;
        this.off = off;
        clearOptions();
        return this;
    }

    public MemorySegment segment() { return seg; }

    public long offset() { return off; }

    public int srcPort() { return u16(seg, off + SRC_PORT); }

    public TcpView srcPort(int port) { u16(seg, off + SRC_PORT, port); return this; }

    public int dstPort() { return u16(seg, off + DST_PORT); }

    public TcpView dstPort(int port) { u16(seg, off + DST_PORT, port); return this; }

    /** Sequence number, 32 bits (compare with wrap-around arithmetic). */
    public int seq() { return i32(seg, off + SEQ); }

    public TcpView seq(int v) { i32(seg, off + SEQ, v); return this; }

    /** Acknowledgment number, 32 bits. */
    public int ackSeq() { return i32(seg, off + ACK_SEQ); }

    public TcpView ackSeq(int v) { i32(seg, off + ACK_SEQ, v); return this; }

    /** Data offset: header length in 32-bit words. */
    public int dataOffset() { return u8(seg, off + DATA_OFFSET) >>> 4; }

    public TcpView dataOffset(int words) { u8(seg, off + DATA_OFFSET, (words << 4) | (u8(seg, off + DATA_OFFSET) & 0x0F)); return this; }

    /** Header length in octets: {@code dataOffset() * 4}. */
    public int headerLength() { return dataOffset() << 2; }

    /** The eight flag bits: {@link #FIN} ... {@link #CWR}. */
    public int flags() { return u8(seg, off + FLAGS); }

    public TcpView flags(int v) { u8(seg, off + FLAGS, v); return this; }

    /** True when every bit of {@code mask} is set. */
    public boolean hasFlags(int mask) { return (flags() & mask) == mask; }

    public int window() { return u16(seg, off + WINDOW); }

    public TcpView window(int v) { u16(seg, off + WINDOW, v); return this; }

    public int checksum() { return u16(seg, off + CHECKSUM); }

    public TcpView checksum(int v) { u16(seg, off + CHECKSUM, v); return this; }

    public int urgentPointer() { return u16(seg, off + URGENT_POINTER); }

    public TcpView urgentPointer(int v) { u16(seg, off + URGENT_POINTER, v); return this; }

    /**
     * Walks the options between octet 20 and {@link #headerLength()}, at most one step per option octet.
     * Records the MSS, window scale, SACK-permitted and timestamps options (the first of each with the right
     * length) and returns false if an option's length is below 2 or runs past the header.
     */
    public boolean walkOptions() {
        clearOptions();
        long end = off + headerLength();
        long p = off + OPTIONS;
        while (p < end) {                                  // each step advances p by at least one octet
            int kind = u8(seg, p);
            if (kind == OPT_EOL) return true;
            if (kind == OPT_NOP) { p++; continue; }
            if (end - p < 2) return false;
            int len = u8(seg, p + 1);
            if (len < 2 || end - p < len) return false;
            if (kind == OPT_MSS && len == OPT_MSS_LENGTH && mss == ABSENT) mss = u16(seg, p + 2);
            else if (kind == OPT_WINDOW_SCALE && len == OPT_WINDOW_SCALE_LENGTH && windowScale == ABSENT) windowScale = u8(seg, p + 2);
            else if (kind == OPT_SACK_PERMITTED && len == OPT_SACK_PERMITTED_LENGTH) sackPermitted = true;
            else if (kind == OPT_TIMESTAMPS && len == OPT_TIMESTAMPS_LENGTH && !timestamps) {
                timestamps = true;
                tsVal = i32(seg, p + 2);
                tsEcr = i32(seg, p + 6);
            }
            p += len;
        }
        return true;
    }

    /**
     * Segment offset of the first option of {@code kind} (its kind octet), or -1: where an MSS clamp or a
     * timestamp rewrite writes. Same bounds as {@link #walkOptions()}.
     */
    public long optionOffset(int kind) {
        long end = off + headerLength();
        long p = off + OPTIONS;
        while (p < end) {
            int k = u8(seg, p);
            if (k == OPT_EOL) return -1;
            if (k == OPT_NOP) { if (kind == OPT_NOP) return p; p++; continue; }
            if (end - p < 2) return -1;
            int len = u8(seg, p + 1);
            if (len < 2 || end - p < len) return -1;
            if (k == kind) return p;
            p += len;
        }
        return -1;
    }

    /** MSS option value, or {@link #ABSENT}; valid after {@link #walkOptions()}. */
    public int mss() { return mss; }

    /** Window scale shift count as sent (RFC 7323 caps its use at 14), or {@link #ABSENT}. */
    public int windowScale() { return windowScale; }

    public boolean sackPermitted() { return sackPermitted; }

    public boolean hasTimestamps() { return timestamps; }

    public int tsVal() { return tsVal; }

    public int tsEcr() { return tsEcr; }

    private void clearOptions() {
        mss = ABSENT;
        windowScale = ABSENT;
        sackPermitted = false;
        timestamps = false;
        tsVal = 0;
        tsEcr = 0;
    }
}
