package io.jlvs.xmit;

import io.jlvs.packet.Checksums;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;
import io.jlvs.packet.TcpView;
import io.jlvs.packet.UdpView;

import java.lang.foreign.MemorySegment;

/**
 * Software GSO: cuts a super-frame ({@link Frame#gso()}) into the packets it stands for, where no one further
 * down can (a port without a virtio-net header, a tunnel, the local stack, segments to fragment), as the kernel's
 * {@code skb_gso_segment} does with {@code tcp4_gso_segment} / {@code tcp6_gso_segment} ({@code tcp_gso_segment})
 * and {@code __udp_gso_segment}, under {@code inet_gso_segment} / {@code ipv6_gso_segment}:
 *
 * <ul>
 * <li>the payload after the TCP or UDP header in chunks of {@link Frame#gsoSize} octets (the last may be
 *     shorter), each behind a copy of every header of the super-frame: Ethernet, IP with its options or
 *     extension headers, TCP with its options, UDP;</li>
 * <li>IPv4: total length, identification the super-frame's plus the segment's index (16 bits, wrapping), header
 *     checksum; IPv6: payload length;</li>
 * <li>TCP: sequence number the super-frame's plus the octets before the chunk; FIN and PSH only on the last
 *     segment, CWR only on the first (the kernel clears it on the others unless the flow uses AccECN, which a
 *     virtio-net header cannot say); the checksum computed in full;</li>
 * <li>UDP ({@code UDP_L4}): each datagram its own length and checksum, computed in full (0 sent as 0xFFFF).</li>
 * </ul>
 * Whatever the super-frame's checksum state (partial, verified, none), every segment's checksums are complete.
 *
 * <p>In place and without allocation, as {@link Fragmenter}: the headers are kept in a scratch buffer and copied
 * in front of each chunk, over the tail of the previous segment, which is sent by then ({@link TxPort#send}
 * copies before it returns). Each segment is handed to a {@link Sink} as a {@link Frame} of its own (parsed facts
 * set, complete checksums, no GSO), bounded so that moving it can never overwrite a chunk not yet sent; a sink
 * that prepends headers (a tunnel) finds the sent octets before it as headroom, the first segment the
 * super-frame's own headroom, which the caller reserved. One per transmitter.
 */
final class Segmenter {
    /** Longest run of headers (Ethernet with tags, IP with options or extension headers, TCP with options). */
    static final int MAX_HEADERS = 512;

    /** What becomes of each segment: the rest of a transmitter's path. */
    @FunctionalInterface
    interface Sink {
        /** @return {@link Verdict#TX}, {@link Verdict#LOCAL}, or a drop code (the remaining segments are not sent) */
        int segment(Frame segment, TxPort port);
    }

    private final MemorySegment scratch = MemorySegment.ofArray(new byte[MAX_HEADERS]);
    private final Frame piece = new Frame();
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();
    private final TcpView tcp = new TcpView();
    private final UdpView udp = new UdpView();

    /**
     * Cuts the super-frame {@code f} (parsed, headers final) into segments and hands each to {@code sink} with
     * {@code port}, in order. The frame's octets are overwritten: it is not to be used afterwards.
     *
     * @return the last segment's verdict, or the first drop code
     */
    int send(Frame f, Sink sink, TxPort port) {
        MemorySegment seg = f.segment();
        long start = f.start(), l3 = f.l3Offset(), l4 = f.l4Offset(), end = f.l3End();
        int l4Header = f.l4HeaderLength();
        long payload = l4 + l4Header;
        int head = (int) (payload - start);
        int mss = f.gsoSize;
        boolean isTcp = f.protocol() == IpProto.IPPROTO_TCP, v6 = f.isV6();
        if (head > MAX_HEADERS || mss <= 0 || l4Header == 0 || (!isTcp && f.protocol() != IpProto.IPPROTO_UDP)) {
            return DropReason.BAD_OFFLOAD.code();
        }
        MemorySegment.copy(seg, start, scratch, 0, head);
        int l3Rel = (int) (l3 - start), l4Rel = (int) (l4 - start);
        int l3Header = (int) (l4 - l3);
        int id = v6 ? 0 : ip4.wrap(seg, l3).id();
        int seq = isTcp ? tcp.wrap(seg, l4).seq() : 0;
        int flags = isTcp ? tcp.flags() : 0;
        int verdict = Verdict.TX;
        int k = 0;
        for (long p = payload; p < end; p += mss, k++) {
            int n = (int) Math.min(mss, end - p);
            boolean last = p + n >= end;
            long at = p - head;
            if (k > 0) MemorySegment.copy(scratch, 0, seg, at, head);
            long sl3 = at + l3Rel, sl4 = at + l4Rel;
            int l4Length = l4Header + n;
            if (v6) {
                ip6.wrap(seg, sl3).payloadLength(l3Header - Ipv6View.HEADER_LENGTH + l4Length);
            } else {
                ip4.wrap(seg, sl3).totalLength(l3Header + l4Length).id((id + k) & 0xFFFF).fillChecksum();
            }
            if (isTcp) {
                int fl = flags;
                if (!last) fl &= ~(TcpView.FIN | TcpView.PSH);
                if (k > 0) fl &= ~TcpView.CWR;
                tcp.wrap(seg, sl4).seq(seq + k * mss).flags(fl).checksum(0);
                tcp.checksum(checksum(seg, sl3, sl4, l4Length, IpProto.IPPROTO_TCP, v6));
            } else {
                udp.wrap(seg, sl4).length(l4Length).checksum(0);
                udp.checksum(Checksums.udpWire(checksum(seg, sl3, sl4, l4Length, IpProto.IPPROTO_UDP, v6)));
            }
            piece.wrap(seg, f.bufferStart(), last ? f.bufferEnd() : p + n, at, head + n);
            piece.reparsed(f.af(), f.protocol(), sl3, sl4, sl4 + l4Length, false);
            piece.ifIndex = f.ifIndex;
            piece.nowNs = f.nowNs;
            verdict = sink.segment(piece, port);
            if (Verdict.isDrop(verdict)) return verdict;
        }
        return verdict;
    }

    private int checksum(MemorySegment seg, long l3, long l4, int length, int protocol, boolean v6) {
        if (v6) {
            ip6.wrap(seg, l3);
            return Checksums.transport6(seg, l4, length, ip6.srcHi(), ip6.srcLo(), ip6.dstHi(), ip6.dstLo(), protocol);
        }
        ip4.wrap(seg, l3);
        return Checksums.transport4(seg, l4, length, ip4.src(), ip4.dst(), protocol);
    }
}
