package io.jlvs.xmit;

import io.jlvs.packet.NetworkOrder;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;

import java.lang.foreign.MemorySegment;

/**
 * Fragments a packet that exceeds the egress MTU where the kernel would (IPVS sets {@code ignore_df}, so
 * {@code ip_fragment} / {@code ip6_fragment} split what the MTU checks let through): IPv4 without DF, IPv4
 * ICMP errors, and the IPv6 outer header of a tunnel. In place and without allocation: each fragment's headers
 * are written just before its share of the payload, over octets already sent ({@link TxPort#send} copies before
 * it returns), from a copy of the original headers kept in a scratch buffer.
 *
 * <p>IPv4 ({@code ip_do_fragment}, RFC 791): payload in multiples of 8 octets, MF on all but the last (which
 * keeps the original MF), offsets added to the original one, DF cleared, ID kept, options without the copy
 * bit replaced by NOPs in all but the first fragment ({@code ip_options_fragment}), each header checksummed.
 * IPv6 ({@code ip6_fragment}, RFC 8200 section 4.5): a fragment header after the 40-octet header (a tunnel's
 * outer header has no extension headers), a fresh 32-bit identification.
 */
final class Fragmenter {
    private static final int IPOPT_COPY = 0x80, IPOPT_END = 0, IPOPT_NOOP = 1;

    private final IpIdent ident;
    private final MemorySegment scratch = MemorySegment.ofArray(new byte[128]);
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();

    Fragmenter(IpIdent ident) { this.ident = ident; }

    /** Sends the frame (Ethernet header already written for {@code e}) as fragments of at most {@code e.mtu}. */
    int send(Frame f, Egress e, TxPort tx) {
        return f.isV6() ? send6(f, e, tx) : send4(f, e, tx);
    }

    private int send4(Frame f, Egress e, TxPort tx) {
        MemorySegment seg = f.segment();
        long l3 = f.l3Offset();
        int l2 = (int) (l3 - f.start());
        ip4.wrap(seg, l3);
        int hl = ip4.headerLength();
        int chunk = (e.mtu - hl) & ~7;
        if (chunk < 8) return DropReason.FRAGMENT_UNSUPPORTED.code();
        int origFrag = ip4.fragWord();
        int origOffset = (origFrag & Ipv4View.FRAG_OFFSET_MASK) << 3;
        boolean origMf = (origFrag & Ipv4View.FLAG_MF) != 0;
        int head = l2 + hl;
        MemorySegment.copy(seg, f.start(), scratch, 0, head);
        long payload = l3 + hl;
        long end = f.l3End();
        boolean first = true;
        for (long p = payload; p < end; p += chunk) {
            int n = (int) Math.min(chunk, end - p);
            boolean last = p + n >= end;
            long at = p - head;
            if (!first) {
                MemorySegment.copy(scratch, 0, seg, at, head);
                blankUncopiedOptions(seg, at + l2 + Ipv4View.MIN_HEADER_LENGTH, hl - Ipv4View.MIN_HEADER_LENGTH);
            }
            int offset = origOffset + (int) (p - payload);
            ip4.wrap(seg, at + l2).totalLength(hl + n)
                    .fragWord((offset >>> 3) | (last && !origMf ? 0 : Ipv4View.FLAG_MF))
                    .fillChecksum();
            if (!tx.send(e.ifIndex, seg, at, head + n)) return DropReason.TX_QUEUE_FULL.code();
            first = false;
        }
        return Verdict.TX;
    }

    /** {@code ip_options_fragment}: options not to be copied into later fragments become NOPs. */
    private static void blankUncopiedOptions(MemorySegment seg, long p, int length) {
        long end = p + length;
        while (p < end) {
            int type = NetworkOrder.u8(seg, p);
            if (type == IPOPT_END) return;
            if (type == IPOPT_NOOP) { p++; continue; }
            if (end - p < 2) return;
            int len = NetworkOrder.u8(seg, p + 1);
            if (len < 2 || len > end - p) return;
            if ((type & IPOPT_COPY) == 0) for (int i = 0; i < len; i++) NetworkOrder.u8(seg, p + i, IPOPT_NOOP);
            p += len;
        }
    }

    private int send6(Frame f, Egress e, TxPort tx) {
        MemorySegment seg = f.segment();
        long l3 = f.l3Offset();
        int l2 = (int) (l3 - f.start());
        ip6.wrap(seg, l3);
        if (ip6.nextHeader() != f.protocol() || f.l4Offset() != l3 + Ipv6View.HEADER_LENGTH) {
            return DropReason.FRAGMENT_UNSUPPORTED.code();      // extension headers: not a tunnel's outer header
        }
        int chunk = (e.mtu - Ipv6View.HEADER_LENGTH - Ipv6View.FRAG_HEADER_LENGTH) & ~7;
        if (chunk < 8) return DropReason.FRAGMENT_UNSUPPORTED.code();
        int head = l2 + Ipv6View.HEADER_LENGTH;
        int front = head + Ipv6View.FRAG_HEADER_LENGTH;
        if (!f.reserveFront(l2 + Ipv6View.FRAG_HEADER_LENGTH)) return DropReason.NO_HEADROOM.code();
        l3 = f.l3Offset();
        MemorySegment.copy(seg, l3 - l2, scratch, 0, head);
        int nextHeader = ip6.wrap(seg, l3).nextHeader();
        int id = ident.next32();
        long payload = l3 + Ipv6View.HEADER_LENGTH;
        long end = f.l3End();
        for (long p = payload; p < end; p += chunk) {
            int n = (int) Math.min(chunk, end - p);
            boolean last = p + n >= end;
            long at = p - front;
            MemorySegment.copy(scratch, 0, seg, at, head);
            ip6.wrap(seg, at + l2).payloadLength(Ipv6View.FRAG_HEADER_LENGTH + n).nextHeader(IpProto.IPPROTO_FRAGMENT);
            long fh = at + head;
            NetworkOrder.u8(seg, fh, nextHeader);
            NetworkOrder.u8(seg, fh + 1, 0);
            NetworkOrder.u16(seg, fh + 2, (int) (p - payload) | (last ? 0 : 1));
            NetworkOrder.i32(seg, fh + 4, id);
            if (!tx.send(e.ifIndex, seg, at, front + n)) return DropReason.TX_QUEUE_FULL.code();
        }
        return Verdict.TX;
    }
}
