package io.jlvs.packet;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.INT_LE;
import static io.jlvs.packet.NetworkOrder.i32;
import static io.jlvs.packet.NetworkOrder.u16;
import static io.jlvs.packet.NetworkOrder.u8;

/**
 * Flyweight over an SCTP packet (RFC 9260): the common header and its chunks. Offsets are relative to the SCTP
 * common header; chunk accessors take the chunk's segment offset.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Source Port Number        |     Destination Port Number   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Verification Tag                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Checksum (CRC32c, little-endian)             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Chunk Type  |  Chunk Flags  |        Chunk Length           |  chunk 1 at 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Chunk Value (Length - 4 octets), zero-padded to 4 octets  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   chunk 2 ...                                                 |
 * </pre>
 *
 * The checksum is the CRC32c of the whole packet with the checksum field zero, stored so that its octets are
 * the CRC's little-endian octets (RFC 9260 appendix A; Linux {@code sctp_compute_cksum} stores
 * {@code cpu_to_le32}). {@link #checksum()} therefore returns the same int as {@link Crc32c#sctp}.
 */
public final class SctpView {
    public static final long SRC_PORT = 0, DST_PORT = 2, VERIFICATION_TAG = 4, CHECKSUM = 8, FIRST_CHUNK = 12;
    public static final int HEADER_LENGTH = 12;
    /** Chunk header fields, relative to the chunk. */
    public static final long CHUNK_TYPE = 0, CHUNK_FLAGS = 1, CHUNK_LENGTH = 2, CHUNK_VALUE = 4;
    public static final int CHUNK_HEADER_LENGTH = 4;
    /** INIT and INIT ACK fields, relative to the chunk (RFC 9260 section 3.3.2). */
    public static final long INIT_TAG = 4, INIT_A_RWND = 8, INIT_OUT_STREAMS = 12, INIT_IN_STREAMS = 14, INIT_TSN = 16;
    public static final int INIT_LENGTH = 20;
    /** Chunks {@link #walkChunks(long)} checks before it stops looking. */
    public static final int MAX_CHUNKS = 16;
    /** {@link #walkChunks(long)} results other than a count. */
    public static final int CHUNK_TRUNCATED = -1, CHUNK_BAD_LENGTH = -2;

    public static final int DATA = 0, INIT = 1, INIT_ACK = 2, SACK = 3, HEARTBEAT = 4, HEARTBEAT_ACK = 5;
    public static final int ABORT = 6, SHUTDOWN = 7, SHUTDOWN_ACK = 8, ERROR = 9, COOKIE_ECHO = 10;
    public static final int COOKIE_ACK = 11, ECNE = 12, CWR = 13, SHUTDOWN_COMPLETE = 14;

    private MemorySegment seg;
    private long off;

    public SctpView wrap(MemorySegment seg, long off) {
        this.seg = seg;
        this.off = off;
        return this;
    }

    public MemorySegment segment() { return seg; }

    public long offset() { return off; }

    public int srcPort() { return u16(seg, off + SRC_PORT); }

    public SctpView srcPort(int port) { u16(seg, off + SRC_PORT, port); return this; }

    public int dstPort() { return u16(seg, off + DST_PORT); }

    public SctpView dstPort(int port) { u16(seg, off + DST_PORT, port); return this; }

    public int verificationTag() { return i32(seg, off + VERIFICATION_TAG); }

    public SctpView verificationTag(int tag) { i32(seg, off + VERIFICATION_TAG, tag); return this; }

    /** The CRC32c as stored (little-endian octets), comparable with {@link Crc32c#sctp}. */
    public int checksum() { return seg.get(INT_LE, off + CHECKSUM); }

    public SctpView checksum(int crc) { seg.set(INT_LE, off + CHECKSUM, crc); return this; }

    /** True when the stored CRC32c matches the packet's {@code length} octets. */
    public boolean checksumOk(long length) { return checksum() == Crc32c.sctp(seg, off, length); }

    /** Recomputes the CRC32c over {@code length} octets and stores it. */
    public SctpView fillChecksum(long length) { return checksum(Crc32c.sctp(seg, off, length)); }

    /** Segment offset of the first chunk. */
    public long firstChunk() { return off + FIRST_CHUNK; }

    public int chunkType() { return chunkType(firstChunk()); }

    public int chunkFlags() { return chunkFlags(firstChunk()); }

    public int chunkLength() { return chunkLength(firstChunk()); }

    public int chunkType(long chunk) { return u8(seg, chunk + CHUNK_TYPE); }

    public int chunkFlags(long chunk) { return u8(seg, chunk + CHUNK_FLAGS); }

    /** Chunk length without padding, header included. */
    public int chunkLength(long chunk) { return u16(seg, chunk + CHUNK_LENGTH); }

    /** Segment offset of the chunk after {@code chunk}: its length rounded up to 4 octets. */
    public long nextChunk(long chunk) { return chunk + ((chunkLength(chunk) + 3L) & ~3L); }

    /** Initiate tag of an INIT or INIT ACK chunk at {@code chunk}. */
    public int initiateTag(long chunk) { return i32(seg, chunk + INIT_TAG); }

    /**
     * Checks the chunks of a packet whose valid bytes end at {@code end} (a segment offset), at most
     * {@link #MAX_CHUNKS} of them: each chunk header fits, each length is at least 4 and fits. The last
     * chunk's padding may be missing. Chunks past the bound are not looked at.
     *
     * @return the number of chunks checked (0 for a packet without chunks), or {@link #CHUNK_TRUNCATED}
     *         (a partial chunk header) or {@link #CHUNK_BAD_LENGTH}
     */
    public int walkChunks(long end) {
        long p = firstChunk();
        int n = 0;
        while (n < MAX_CHUNKS && p < end) {
            if (end - p < CHUNK_HEADER_LENGTH) return CHUNK_TRUNCATED;
            int len = chunkLength(p);
            if (len < CHUNK_HEADER_LENGTH || end - p < len) return CHUNK_BAD_LENGTH;
            n++;
            p += (len + 3L) & ~3L;
        }
        return n;
    }
}
