package io.jlvs.packet;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.i32;
import static io.jlvs.packet.NetworkOrder.u16;
import static io.jlvs.packet.NetworkOrder.u8;

/**
 * Flyweight over an ICMPv4 message (RFC 792; next-hop MTU per RFC 1191). Offsets are relative to the ICMP
 * header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  echo / echo reply
 * |             unused            |         Next-Hop MTU          |  destination unreachable, code 4
 * |    Pointer    |                    unused                     |  parameter problem
 * |                 Gateway Internet Address                      |  redirect
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  errors: Internet Header + first 64 bits of the original datagram ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The checksum covers the whole ICMP message, without a pseudo-header.
 */
public final class IcmpView {
    public static final long TYPE = 0, CODE = 1, CHECKSUM = 2, REST = 4, ID = 4, SEQUENCE = 6, NEXT_HOP_MTU = 6;
    public static final long POINTER = 4, GATEWAY = 4, EMBEDDED = 8;
    public static final int HEADER_LENGTH = 8;

    public static final int ECHO_REPLY = 0, DEST_UNREACH = 3, SOURCE_QUENCH = 4, REDIRECT = 5, ECHO = 8;
    public static final int TIME_EXCEEDED = 11, PARAMETER_PROBLEM = 12, TIMESTAMP = 13, TIMESTAMP_REPLY = 14;
    /** Destination-unreachable codes. */
    public static final int NET_UNREACH = 0, HOST_UNREACH = 1, PROT_UNREACH = 2, PORT_UNREACH = 3;
    public static final int FRAG_NEEDED = 4;

    private MemorySegment seg;
    private long off;

    public IcmpView wrap(MemorySegment seg, long off) {
        this.seg = seg;
        this.off = off;
        return this;
    }

    public MemorySegment segment() { return seg; }

    public long offset() { return off; }

    public int type() { return u8(seg, off + TYPE); }

    public IcmpView type(int v) { u8(seg, off + TYPE, v); return this; }

    public int code() { return u8(seg, off + CODE); }

    public IcmpView code(int v) { u8(seg, off + CODE, v); return this; }

    public int checksum() { return u16(seg, off + CHECKSUM); }

    public IcmpView checksum(int v) { u16(seg, off + CHECKSUM, v); return this; }

    /** The 32-bit word after the checksum, whatever the type makes of it. */
    public int rest() { return i32(seg, off + REST); }

    public IcmpView rest(int v) { i32(seg, off + REST, v); return this; }

    /** Echo identifier. */
    public int id() { return u16(seg, off + ID); }

    public IcmpView id(int v) { u16(seg, off + ID, v); return this; }

    /** Echo sequence number. */
    public int sequence() { return u16(seg, off + SEQUENCE); }

    public IcmpView sequence(int v) { u16(seg, off + SEQUENCE, v); return this; }

    /** Next-hop MTU of a "fragmentation needed and DF set" (type 3 code 4, RFC 1191). */
    public int nextHopMtu() { return u16(seg, off + NEXT_HOP_MTU); }

    public IcmpView nextHopMtu(int v) { u16(seg, off + NEXT_HOP_MTU, v); return this; }

    /** Parameter-problem pointer. */
    public int pointer() { return u8(seg, off + POINTER); }

    /** Redirect gateway address. */
    public int gateway() { return i32(seg, off + GATEWAY); }

    /** True for the error types that quote the offending datagram (RFC 792; RFC 1812 section 4.3.2.3). */
    public static boolean isError(int type) {
        return type == DEST_UNREACH || type == SOURCE_QUENCH || type == REDIRECT
                || type == TIME_EXCEEDED || type == PARAMETER_PROBLEM;
    }

    public boolean isError() { return isError(type()); }

    /** Segment offset of the quoted IP header of an error (whether the message is long enough is the caller's). */
    public long embeddedOffset() { return off + EMBEDDED; }

    /** True when the checksum over {@code length} octets of message verifies. */
    public boolean checksumOk(long length) { return Checksums.internet(seg, off, length) == 0; }

    /** Recomputes the checksum over {@code length} octets and stores it. */
    public IcmpView fillChecksum(long length) {
        checksum(0);
        return checksum(Checksums.internet(seg, off, length));
    }
}
