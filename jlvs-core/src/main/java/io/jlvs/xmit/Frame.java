package io.jlvs.xmit;

import io.jlvs.packet.NetworkOrder;
import io.jlvs.packet.Checksums;
import io.jlvs.packet.Crc32c;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.PacketParser;
import io.jlvs.packet.TcpView;
import io.jlvs.packet.UdpView;
import io.jlvs.packet.VirtioNet;

import java.lang.foreign.MemorySegment;

/**
 * One frame in a buffer, with the room around it: the data path's {@code sk_buff}. Mutable and reused (one per
 * data-plane thread, rewrapped for every received frame), so a transmitter can prepend an encapsulation into
 * the headroom without copying, or shift the packet towards the tailroom when the headroom is short.
 *
 * <pre>
 *  bufferStart          start                                  start + length            bufferEnd
 *  |--- headroom -------|[Ethernet][VLAN][IP ...... payload]--|--- tailroom -------------|
 *                        l2        l3Offset  l4Offset        l3End (padding may follow)
 * </pre>
 *
 * <p>All offsets are segment offsets (absolute), as {@link PacketParser#parse(MemorySegment, long, long, Flow)}
 * reports them. {@link #parse} fills the parsed facts the transmitters read; a transmitter that moves the
 * packet keeps them true (see {@link #shift(long)}).
 *
 * <p>Checksum state, as Linux's {@code ip_summed}: {@link #csumStart} {@code < 0} means every checksum in the
 * frame is complete; otherwise the L4 checksum is <em>partial</em> ({@code CHECKSUM_PARTIAL}, as AF_PACKET
 * reports with {@code TP_STATUS_CSUMNOTREADY} for frames a local stack sent over a veth): the field at
 * {@code csumStart + csumOffset} holds only the pseudo-header sum, and the octets from {@code csumStart} to the
 * end of the datagram still have to be summed in ({@link #csumCrc32c}: SCTP's CRC32c still has to be
 * computed). {@link #completeChecksum()} does what {@code skb_checksum_help} does.
 *
 * <p>Offloads, as Linux's GSO ({@code skb_shinfo(skb)->gso_type / gso_size}) and as a {@code virtio_net_hdr}
 * carries them ({@link VirtioNet}): a frame with {@link #gsoType} set is a <em>super-frame</em>, one TCP or UDP
 * packet (up to 64 KiB) that stands for the packets of {@link #gsoSize} payload octets it is to be cut into
 * (GRO merged them on the way in, or a local sender handed its stack one big segment). Its partial checksum
 * holds the pseudo-header sum over the <em>whole</em> super-frame's L4 length, as Linux keeps it
 * ({@code tcp4_gro_complete}, {@code __tcp_v4_send_check}): {@code tcp_gso_segment} / {@code __udp_gso_segment}
 * swap that length for each segment's. {@link #txOffload} says whether the port the frame leaves by takes a
 * virtio-net header ({@link TxPort#sendOffload}): then a super-frame leaves whole, with its checksum partial,
 * for the kernel or the NIC to cut and sum; otherwise {@link Segmenter} cuts it in software.
 *
 * <p>Filling from a receive ring with {@code PACKET_VNET_HDR}: {@link #wrap}, then {@link #vnetHeader} with the
 * header's fields as they are, {@link #txOffload} when the transmit port sends virtio-net headers, then
 * {@link #parse} (the director's ingress does it), which checks the header against the packet and drops what
 * does not fit ({@link DropReason#BAD_OFFLOAD}).
 */
public final class Frame {
    /** {@link #csumStart} of a frame whose checksums are complete. */
    public static final long CSUM_COMPLETE = -1;

    /**
     * {@code -Djlvs.checkedFrames=true}: native frames keep their own segment, so every header access is bounds-checked
     * by the segment (a diagnostic when a memory fault is suspected; slower).
     */
    private static final boolean NATIVE_ALL = !Boolean.getBoolean("jlvs.checkedFrames");
    private MemorySegment seg;
    private long bufferStart, bufferEnd;
    private long start;
    private int length;

    // facts from the last parse, kept true by shift()
    private int af, protocol;
    private long l3Offset = -1, l4Offset = -1, l3End = -1;
    private boolean l4HeaderPresent, fragment, nonFirstFragment, icmpError;

    /** Interface index the frame arrived on (metadata for the caller; transmitters do not read it). */
    public int ifIndex;
    /** Arrival time on the director's clock (ICMP error rate limiting reads it). */
    public long nowNs;
    /** Start of a partial L4 checksum, or {@link #CSUM_COMPLETE}. */
    public long csumStart = CSUM_COMPLETE;
    /** Offset of the checksum field from {@link #csumStart} (16 TCP, 6 UDP, 8 SCTP). */
    public int csumOffset;
    /** The partial checksum is SCTP's CRC32c rather than an internet checksum ({@code skb->csum_not_inet}). */
    public boolean csumCrc32c;
    /**
     * The L4 checksum was verified on the way in ({@code VIRTIO_NET_HDR_F_DATA_VALID}, {@code TP_STATUS_CSUM_VALID},
     * {@code CHECKSUM_UNNECESSARY}): {@link #parse} does not verify it again.
     */
    public boolean checksumValid;
    /**
     * {@link VirtioNet#VIRTIO_NET_HDR_GSO_NONE}, or the kind of super-frame: {@link VirtioNet#VIRTIO_NET_HDR_GSO_TCPV4},
     * {@link VirtioNet#VIRTIO_NET_HDR_GSO_TCPV6} or {@link VirtioNet#VIRTIO_NET_HDR_GSO_UDP_L4} (without the ECN bit:
     * a TCP super-frame's CWR flag says it).
     */
    public int gsoType;
    /** Payload octets per segment of a super-frame (the TCP MSS, or the UDP datagram payload); 0 without GSO. */
    public int gsoSize;
    /**
     * The transmit port takes a virtio-net header ({@link TxPort#sendOffload}): partial checksums and
     * super-frames may leave as they are. Set by the caller after {@link #wrap}, which clears it.
     */
    public boolean txOffload;

    /**
     * Points this frame at {@code length} octets at {@code start} inside the buffer
     * {@code [bufferStart, bufferEnd)} of {@code seg}; clears the parsed facts and the checksum state.
     */
    public Frame wrap(MemorySegment seg, long bufferStart, long bufferEnd, long start, int length) {
        if (bufferStart < 0 || bufferStart > bufferEnd || bufferEnd > seg.byteSize()
                || start < bufferStart || length < 0 || start + length > bufferEnd) {
            throw new IndexOutOfBoundsException("frame [" + start + ", +" + length + ") outside its buffer ["
                    + bufferStart + ", " + bufferEnd + ") of a segment of " + seg.byteSize());
        }
        if (NATIVE_ALL && seg.isNative()) {
            // Off-heap buffers (RX rings, the data plane's own): addressed through one constant segment, absolute
            // offsets. The checks above are the frame's bounds; everything that reads or writes it stays inside
            // [bufferStart, bufferEnd) by its own length checks (the parser's against end(), the writers' against
            // headroom and tailroom), as a kernel's skb users do. This spares every header access the bounds and
            // liveness checks of the ring's segment: dozens per packet.
            long base = seg.address();
            seg = NetworkOrder.ALL;
            bufferStart += base;
            bufferEnd += base;
            start += base;
        }
        this.seg = seg;
        this.bufferStart = bufferStart;
        this.bufferEnd = bufferEnd;
        this.start = start;
        this.length = length;
        this.af = 0;
        this.protocol = -1;
        this.l3Offset = this.l4Offset = this.l3End = -1;
        this.l4HeaderPresent = this.fragment = this.nonFirstFragment = this.icmpError = false;
        this.csumStart = CSUM_COMPLETE;
        this.csumOffset = 0;
        this.csumCrc32c = false;
        this.checksumValid = false;
        this.gsoType = VirtioNet.VIRTIO_NET_HDR_GSO_NONE;
        this.gsoSize = 0;
        this.txOffload = false;
        return this;
    }

    /** A frame filling the whole segment, without headroom or tailroom. */
    public Frame wrap(MemorySegment seg) {
        return wrap(seg, 0, seg.byteSize(), 0, (int) seg.byteSize());
    }

    /**
     * Parses the frame with {@code parser} (which stays wrapped on it) and records the facts the transmitters
     * need. Returns what {@link PacketParser#parse(MemorySegment, long, long, Flow)} returns.
     */
    public int parse(PacketParser parser, Flow flow) {
        int r = parser.parse(seg, start, length, flow, csumStart >= 0 || checksumValid);
        if (r != PacketParser.OK) return r;
        af = flow.af;
        protocol = flow.protocol;
        l3Offset = parser.l3Offset();
        l4Offset = parser.l4Offset();
        l3End = parser.l3End();
        l4HeaderPresent = parser.l4HeaderPresent();
        fragment = parser.fragment();
        nonFirstFragment = parser.nonFirstFragment();
        icmpError = l4HeaderPresent && (protocol == IpProto.IPPROTO_ICMP ? parser.icmp().isError()
                : protocol == IpProto.IPPROTO_ICMPV6 && parser.icmpv6().isError());
        if (csumStart >= 0 || gsoType != VirtioNet.VIRTIO_NET_HDR_GSO_NONE) return checkOffloads();
        return r;
    }

    /**
     * The offload facts of a received virtio-net header ({@code PACKET_VNET_HDR}), its fields as they are
     * (host byte order): {@code flags} ({@link VirtioNet#VIRTIO_NET_HDR_F_NEEDS_CSUM}: the checksum is partial,
     * from {@code csumStart} octets into the frame with its field {@code csumOffset} further;
     * {@link VirtioNet#VIRTIO_NET_HDR_F_DATA_VALID}: verified), {@code gsoType} (the ECN bit is dropped: CWR in
     * the TCP header says it) and {@code gsoSize}. {@code hdrLen} is a hint for the kernel's buffers, not read.
     * Call after {@link #wrap} and before {@link #parse}, which checks them against the packet.
     */
    public Frame vnetHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        if ((flags & VirtioNet.VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0) {
            this.csumStart = start + (csumStart & 0xFFFF);
            this.csumOffset = csumOffset & 0xFFFF;
            this.csumCrc32c = false;
        }
        this.checksumValid = (flags & VirtioNet.VIRTIO_NET_HDR_F_DATA_VALID) != 0;
        this.gsoType = gsoType & ~VirtioNet.VIRTIO_NET_HDR_GSO_ECN & 0xFF;
        this.gsoSize = this.gsoType == VirtioNet.VIRTIO_NET_HDR_GSO_NONE ? 0 : gsoSize & 0xFFFF;
        return this;
    }

    /** Sets {@link #txOffload}. */
    public Frame txOffload(boolean on) {
        this.txOffload = on;
        return this;
    }

    /**
     * After a parse: the checksum offsets and the GSO type must fit the packet, as {@code virtio_net_hdr_to_skb}
     * and the GSO handlers require. A partial checksum that is not the packet's own TCP, UDP or SCTP checksum (one
     * inside a tunnelled packet, an ICMP one) is completed here, so that every later step may take a partial
     * checksum to be the packet's own; SCTP's (field 8 octets in) is a CRC32c. A super-frame of one segment or
     * less is not one ("too small packets are not really GSO ones").
     */
    private int checkOffloads() {
        if (csumStart >= 0) {
            if (csumStart < l3Offset || csumStart + csumOffset + 2 > l3End) return DropReason.BAD_OFFLOAD.code();
            boolean own = l4HeaderPresent && !fragment && csumStart == l4Offset
                    && switch (protocol) {
                        case IpProto.IPPROTO_TCP -> csumOffset == (int) TcpView.CHECKSUM;
                        case IpProto.IPPROTO_UDP -> csumOffset == (int) UdpView.CHECKSUM;
                        case IpProto.IPPROTO_SCTP -> csumOffset == 8 && csumStart + 12 <= l3End;
                        default -> false;
                    };
            if (own && protocol == IpProto.IPPROTO_SCTP) csumCrc32c = true;
            if (!own) completeChecksum();
        }
        if (gsoType != VirtioNet.VIRTIO_NET_HDR_GSO_NONE) {
            boolean fits = l4HeaderPresent && !fragment && gsoSize > 0 && switch (gsoType) {
                case VirtioNet.VIRTIO_NET_HDR_GSO_TCPV4 -> af == Flow.AF_INET && protocol == IpProto.IPPROTO_TCP;
                case VirtioNet.VIRTIO_NET_HDR_GSO_TCPV6 -> af == Flow.AF_INET6 && protocol == IpProto.IPPROTO_TCP;
                case VirtioNet.VIRTIO_NET_HDR_GSO_UDP_L4 -> protocol == IpProto.IPPROTO_UDP;
                default -> false;
            };
            if (!fits) return DropReason.BAD_OFFLOAD.code();
            if (l3End - l4Offset - l4HeaderLength() <= gsoSize) {
                gsoType = VirtioNet.VIRTIO_NET_HDR_GSO_NONE;
                gsoSize = 0;
            }
        }
        return PacketParser.OK;
    }

    /** Marks the L4 checksum partial (the RX path's {@code TP_STATUS_CSUMNOTREADY}, with the offsets it reports). */
    public Frame partialChecksum(long csumStart, int csumOffset, boolean crc32c) {
        this.csumStart = csumStart;
        this.csumOffset = csumOffset;
        this.csumCrc32c = crc32c;
        return this;
    }

    public MemorySegment segment() { return seg; }

    public long bufferStart() { return bufferStart; }

    public long bufferEnd() { return bufferEnd; }

    /** Segment offset of the first octet of the frame (the Ethernet header). */
    public long start() { return start; }

    public int length() { return length; }

    /** Segment offset just past the frame. */
    public long end() { return start + length; }

    /** Octets free before the frame. */
    public long headroom() { return start - bufferStart; }

    /** Octets free after the frame. */
    public long tailroom() { return bufferEnd - start - length; }

    /** Address family of the parsed packet: {@link Flow#AF_INET} or {@link Flow#AF_INET6}. */
    public int af() { return af; }

    public boolean isV6() { return af == Flow.AF_INET6; }

    /** Upper-layer protocol (after IPv6 extension headers). */
    public int protocol() { return protocol; }

    public long l3Offset() { return l3Offset; }

    public long l4Offset() { return l4Offset; }

    /** Just past the IP datagram (Ethernet padding after it is not part of the packet). */
    public long l3End() { return l3End; }

    /** Octets of the IP datagram: the IPv4 total length, or 40 plus the IPv6 payload length. */
    public int l3Length() { return (int) (l3End - l3Offset); }

    /** A TCP, UDP, SCTP, ICMP or ICMPv6 header was parsed. */
    public boolean l4HeaderPresent() { return l4HeaderPresent; }

    public boolean fragment() { return fragment; }

    public boolean nonFirstFragment() { return nonFirstFragment; }

    /** An ICMP or ICMPv6 error message (IPVS's {@code ip_vs_iph_icmp}: no ICMP error is sent about it). */
    public boolean icmpError() { return icmpError; }

    /** True when the L4 checksum is partial. */
    public boolean checksumPartial() { return csumStart >= 0; }

    /** True for a GSO super-frame ({@link #gsoType} set). */
    public boolean gso() { return gsoType != VirtioNet.VIRTIO_NET_HDR_GSO_NONE; }

    /** Octets of the parsed TCP header (with options) or UDP header; 0 for other protocols and without one. */
    public int l4HeaderLength() {
        if (!l4HeaderPresent) return 0;
        return switch (protocol) {
            case IpProto.IPPROTO_TCP -> (NetworkOrder.u8(seg, l4Offset + TcpView.DATA_OFFSET) >>> 4) << 2;
            case IpProto.IPPROTO_UDP -> UdpView.HEADER_LENGTH;
            default -> 0;
        };
    }

    /**
     * Octets of each IP packet a super-frame is cut into, at most (the last may be shorter): IP header and
     * extension headers, TCP or UDP header, {@link #gsoSize} ({@code skb_gso_network_seglen}). The MTU is
     * checked against this ({@code skb_gso_validate_network_len}).
     */
    public int gsoSegmentLength() { return (int) (l4Offset - l3Offset) + l4HeaderLength() + gsoSize; }

    /**
     * Sets the frame to {@code [newStart, newStart + newLength)}: after a transmitter wrote a new link-layer
     * header in front of the IP header, or built a new packet in place.
     */
    public void bounds(long newStart, int newLength) {
        this.start = newStart;
        this.length = newLength;
    }

    /**
     * Moves the octets from {@link #start()} to {@link #l3End()} by {@code delta} (towards the tailroom when
     * positive), trimming the padding, and every parsed offset with them. The caller checked the room.
     */
    public void shift(long delta) {
        long from = start;
        long len = l3End - start;
        MemorySegment.copy(seg, from, seg, from + delta, len);
        start += delta;
        length = (int) len;
        l3Offset += delta;
        l4Offset += delta;
        l3End += delta;
        if (csumStart >= 0) csumStart += delta;
    }

    /**
     * Makes room for {@code needed} octets before {@code l3Offset} (a new link-layer header, or an
     * encapsulation and its link-layer header), shifting the packet towards the tailroom when the headroom is
     * short (a copy). The caller then writes its headers and sets {@link #bounds}.
     *
     * @return false when the buffer cannot hold the packet with that much in front of it
     */
    public boolean reserveFront(int needed) {
        long have = l3Offset - bufferStart;
        if (have >= needed) return true;
        long delta = needed - have;
        if (l3End + delta > bufferEnd) return false;
        shift(delta);
        return true;
    }

    /** Octets from {@link #l3End()} to the end of the buffer: how far the datagram may grow in place. */
    public long roomAfterL3() { return bufferEnd - l3End; }

    /**
     * The IP datagram grew ({@code delta > 0}) or shrank by {@code delta} octets at its end: an application
     * helper rewrote its payload in place ({@code skb_put} / {@code skb_trim}). {@link #l3End()} moves, and the
     * frame ends with the datagram (padding after it is dropped). The caller moved the octets, checked the room
     * ({@link #roomAfterL3()}) and fixes the IP length and the checksums.
     */
    public void resizeL3(int delta) {
        l3End += delta;
        length = (int) (l3End - start);
    }

    /** Cuts the IP datagram short at {@code newL3End} (an ICMP error's quote); the frame ends there too. */
    void truncate(long newL3End) {
        if (newL3End < l3End) l3End = newL3End;
        length = (int) (l3End - start);
    }

    /**
     * Updates the parsed facts after a packet was rewritten into another one in place (ICMP errors, tunnels,
     * a segment cut from a super-frame): not a super-frame any more.
     */
    void reparsed(int af, int protocol, long l3Offset, long l4Offset, long l3End, boolean icmpError) {
        this.af = af;
        this.protocol = protocol;
        this.l3Offset = l3Offset;
        this.l4Offset = l4Offset;
        this.l3End = l3End;
        this.l4HeaderPresent = true;
        this.fragment = this.nonFirstFragment = false;
        this.icmpError = icmpError;
        this.gsoType = VirtioNet.VIRTIO_NET_HDR_GSO_NONE;
        this.gsoSize = 0;
    }

    /**
     * Completes a partial checksum in software, as {@code skb_checksum_help}: sums the octets from
     * {@link #csumStart} to {@link #l3End()} (whose checksum field holds the pseudo-header sum) and stores
     * the complement, 0 sent as 0xFFFF; or computes SCTP's CRC32c. No-op on a complete frame.
     */
    public void completeChecksum() {
        if (csumStart < 0) return;
        long len = l3End - csumStart;
        if (csumCrc32c) {
            seg.set(NetworkOrder.INT_LE, csumStart + csumOffset, Crc32c.sctp(seg, csumStart, len));
        } else {
            int c = ~Checksums.sum(seg, csumStart, len, 0) & 0xFFFF;
            NetworkOrder.u16(seg, csumStart + csumOffset, c == 0 ? 0xFFFF : c);
        }
        csumStart = CSUM_COMPLETE;
    }
}
