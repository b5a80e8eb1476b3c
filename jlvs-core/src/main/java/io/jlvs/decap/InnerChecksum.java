package io.jlvs.decap;

import io.jlvs.packet.Checksums;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.i32;
import static io.jlvs.packet.NetworkOrder.i64;
import static io.jlvs.packet.NetworkOrder.u16;
import static io.jlvs.packet.NetworkOrder.u8;

/**
 * Inner checksums left <em>partial</em> (the field holds the folded pseudo-header sum, Linux
 * {@code CHECKSUM_PARTIAL}), finished here because the stack behind the TUN device verifies every checksum of
 * what it is given:
 * <ul>
 * <li>GUE remote checksum offload ({@code --tun-remcsum}, {@code skb_remcsum_process}): the option says where
 *     to start summing and where to store;</li>
 * <li>a TCP segment the receiving NIC merged by GRO (built into the kernel for IPIP, 6in4, 4in6 and 6in6 even
 *     without the tunnel modules; {@code tcp4_gro_complete} / {@code tcp6_gro_complete} leave the pseudo-header
 *     sum in the field). Such a segment is recognised by that field value; the sum is then computed, and only
 *     a segment that does not verify as it is gets its checksum completed.</li>
 * </ul>
 */
final class InnerChecksum {
    private static final int TCP_MIN_HEADER = 20, TCP_CHECKSUM = 16;

    private InnerChecksum() {}

    /** Sums {@code [start, end)}, the partial field included, and stores the checksum at {@code field}. */
    static void complete(MemorySegment seg, long start, long field, long end) {
        int c = ~Checksums.sum(seg, start, end - start, 0) & 0xFFFF;
        u16(seg, field, c == 0 ? 0xFFFF : c);       // 0 and 0xFFFF verify alike; UDP must not send 0
    }

    /**
     * Completes the checksum of an unfragmented TCP segment (directly after the inner IP header) whose field holds
     * the pseudo-header sum and does not verify. The inner header was checked by the caller.
     *
     * @return whether it did
     */
    static boolean completeMergedTcp(MemorySegment seg, long off, int length, int version) {
        long tcp;
        int tcpLength, pseudo;
        if (version == 4) {
            int hl = (u8(seg, off) & 0x0F) << 2;
            if (u8(seg, off + Ipv4View.PROTOCOL) != IpProto.IPPROTO_TCP) return false;
            if ((u16(seg, off + Ipv4View.FRAG) & (Ipv4View.FLAG_MF | Ipv4View.FRAG_OFFSET_MASK)) != 0) return false;
            tcp = off + hl;
            tcpLength = length - hl;
            if (tcpLength < TCP_MIN_HEADER) return false;
            pseudo = Checksums.pseudoHeader4(i32(seg, off + Ipv4View.SRC), i32(seg, off + Ipv4View.DST),
                    IpProto.IPPROTO_TCP, tcpLength);
        } else {
            if (u8(seg, off + Ipv6View.NEXT_HEADER) != IpProto.IPPROTO_TCP) return false;
            tcp = off + Ipv6View.HEADER_LENGTH;
            tcpLength = length - Ipv6View.HEADER_LENGTH;
            if (tcpLength < TCP_MIN_HEADER) return false;
            pseudo = Checksums.pseudoHeader6(i64(seg, off + Ipv6View.SRC), i64(seg, off + Ipv6View.SRC + 8),
                    i64(seg, off + Ipv6View.DST), i64(seg, off + Ipv6View.DST + 8), IpProto.IPPROTO_TCP, tcpLength);
        }
        if (u16(seg, tcp + TCP_CHECKSUM) != pseudo) return false;
        int verify = ~Checksums.sum(seg, tcp, tcpLength, pseudo) & 0xFFFF;
        if (verify == 0) return false;                               // a complete checksum that happens to match
        complete(seg, tcp, tcp + TCP_CHECKSUM, tcp + tcpLength);
        return true;
    }
}
