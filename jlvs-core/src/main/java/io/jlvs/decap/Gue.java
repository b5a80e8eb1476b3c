package io.jlvs.decap;

import io.jlvs.packet.IpProto;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.i32;
import static io.jlvs.packet.NetworkOrder.u16;
import static io.jlvs.packet.NetworkOrder.u8;

/**
 * The GUE header on receive (draft-ietf-intarea-gue; Linux {@code gue_udp_recv} and {@code validate_gue_flags}
 * in {@code net/ipv4/fou_core.c}, {@code include/net/gue.h}), the UDP payload of a datagram to a GUE port.
 *
 * <p>Variant 0 (the first two bits 00):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|C|  Hlen   |  Proto/ctype  |             Flags           |P|  C: a control message, dropped;
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  Hlen: 32-bit words of options;
 * |R|                      private flags (only with P)            |  Proto 4 (IPv4) or 41 (IPv6)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        csum start             |        csum offset            |  only with R (remote checksum offload)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  rest of the Hlen words, skipped              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * As the kernel, a flag or private flag whose option it does not know is refused (its length is unknown, so the
 * options after it cannot be found), and so are flags whose options pass Hlen. Variant 1 (first bits 01) has no
 * header: the UDP payload is the IP packet itself, IPv4 (first nibble 4) or IPv6 (6).
 */
final class Gue {
    static final int HEADER_LENGTH = 4;
    static final int FLAG_PRIV = 0x0001, LEN_PRIV = 4;
    static final int PFLAG_REMCSUM = 0x8000_0000, PLEN_REMCSUM = 4;
    private static final int CONTROL = 0x20, HLEN_MASK = 0x1F;

    private Gue() {}

    /**
     * The GUE header's length, options included (0 for variant 1), at {@code off}; sets {@code d}'s remote
     * checksum option if there is one; or {@code -1 - code} of the {@link DecapDrop}.
     */
    static int headerLength(MemorySegment seg, long off, long end, Decapsulator d) {
        if (end - off < 1) return -1 - DecapDrop.TRUNCATED_GUE.code();
        int b0 = u8(seg, off);
        switch (b0 >>> 6) {
            case 0 -> { }
            case 1 -> {
                int ipVersion = b0 >>> 4;
                return ipVersion == 4 || ipVersion == 6 ? 0 : -1 - DecapDrop.BAD_GUE_VERSION.code();
            }
            default -> { return -1 - DecapDrop.BAD_GUE_VERSION.code(); }
        }
        if (end - off < HEADER_LENGTH) return -1 - DecapDrop.TRUNCATED_GUE.code();
        int optionsLength = (b0 & HLEN_MASK) << 2;
        if (HEADER_LENGTH + optionsLength > end - off) return -1 - DecapDrop.TRUNCATED_GUE.code();
        int flags = u16(seg, off + 2);
        if ((flags & ~FLAG_PRIV) != 0) return -1 - DecapDrop.GUE_UNKNOWN_FLAGS.code();
        if ((flags & FLAG_PRIV) != 0) {
            if (LEN_PRIV > optionsLength) return -1 - DecapDrop.GUE_UNKNOWN_FLAGS.code();
            int pflags = i32(seg, off + HEADER_LENGTH);
            if ((pflags & ~PFLAG_REMCSUM) != 0) return -1 - DecapDrop.GUE_UNKNOWN_FLAGS.code();
            if ((pflags & PFLAG_REMCSUM) != 0) {
                if (LEN_PRIV + PLEN_REMCSUM > optionsLength) return -1 - DecapDrop.GUE_UNKNOWN_FLAGS.code();
                d.remcsumStart = u16(seg, off + HEADER_LENGTH + LEN_PRIV);
                d.remcsumField = u16(seg, off + HEADER_LENGTH + LEN_PRIV + 2);
            }
        }
        if ((b0 & CONTROL) != 0) return -1 - DecapDrop.GUE_CONTROL.code();
        if (innerVersion(seg, off) == 0) return -1 - DecapDrop.GUE_UNSUPPORTED_PROTOCOL.code();
        return HEADER_LENGTH + optionsLength;
    }

    /** 4 or 6: the inner packet's IP version by Proto/ctype (variant 0) or its first nibble (variant 1); 0 otherwise. */
    static int innerVersion(MemorySegment seg, long off) {
        int b0 = u8(seg, off);
        if (b0 >>> 6 == 1) return b0 >>> 4;
        return switch (u8(seg, off + 1)) {
            case IpProto.IPPROTO_IPIP -> 4;
            case IpProto.IPPROTO_IPV6 -> 6;
            default -> 0;
        };
    }

    /**
     * Whether the checksum start and field (from the inner packet's first octet) lie inside its {@code length} and past
     * its IP header: a checksum written into the header would change what the decapsulator checked.
     */
    static boolean remcsumFits(int start, int field, int ipHeaderLength, int length) {
        return start >= ipHeaderLength && field >= ipHeaderLength && start < length && field + 2 <= length;
    }
}
