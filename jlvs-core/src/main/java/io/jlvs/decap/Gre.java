package io.jlvs.decap;

import io.jlvs.packet.Checksums;
import io.jlvs.packet.IfEther;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.u16;

/**
 * The GRE header on receive (RFC 2784 with the key and sequence number of RFC 2890), checked as the kernel's
 * {@code gre_parse_header} does:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S|     Reserved0   | Ver |         Protocol Type         |  R (RFC 1701 routing) and Ver != 0:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  dropped; Protocol 0x0800 or 0x86DD
 * |      Checksum (if C)          |       Reserved1 (if C)        |  over the GRE header and payload
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Key (if K)                            |  accepted, not matched
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Sequence Number (if S)                       |  accepted, not checked
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class Gre {
    static final int FLAG_CSUM = 0x8000, FLAG_ROUTING = 0x4000, FLAG_KEY = 0x2000, FLAG_SEQ = 0x1000;
    static final int VERSION_MASK = 0x0007;
    static final int BASE_LENGTH = 4, OPTION_LENGTH = 4;

    private Gre() {}

    /**
     * The GRE header's length (4 to 16) at {@code off}, its checksum verified over everything up to {@code end};
     * or {@code -1 - code} of the {@link DecapDrop}.
     */
    static int headerLength(MemorySegment seg, long off, long end) {
        if (end - off < BASE_LENGTH) return -1 - DecapDrop.TRUNCATED_GRE.code();
        int flags = u16(seg, off);
        if ((flags & (FLAG_ROUTING | VERSION_MASK)) != 0) return -1 - DecapDrop.BAD_GRE_HEADER.code();
        int hl = BASE_LENGTH + ((flags & FLAG_CSUM) != 0 ? OPTION_LENGTH : 0)
                + ((flags & FLAG_KEY) != 0 ? OPTION_LENGTH : 0) + ((flags & FLAG_SEQ) != 0 ? OPTION_LENGTH : 0);
        if (hl > end - off) return -1 - DecapDrop.TRUNCATED_GRE.code();
        if ((flags & FLAG_CSUM) != 0 && Checksums.internet(seg, off, end - off) != 0) {
            return -1 - DecapDrop.BAD_GRE_CHECKSUM.code();
        }
        if (innerVersion(seg, off) == 0) return -1 - DecapDrop.GRE_UNSUPPORTED_PROTOCOL.code();
        return hl;
    }

    /** 4 or 6 for the protocol type of the GRE header at {@code off}, 0 for any other. */
    static int innerVersion(MemorySegment seg, long off) {
        return switch (u16(seg, off + 2)) {
            case IfEther.ETH_P_IP -> 4;
            case IfEther.ETH_P_IPV6 -> 6;
            default -> 0;
        };
    }
}
