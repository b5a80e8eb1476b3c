package io.jlvs.packet;

import java.lang.foreign.MemorySegment;

/**
 * Walks one frame, Ethernet -> VLAN tags -> IPv4 or IPv6 (-> extension headers) -> TCP, UDP, SCTP, ICMP or
 * ICMPv6, checking every length against the frame before reading, and fills a {@link Flow}. The first step of
 * the director's ingress, as {@code ip_vs_fill_iph_skb} and the {@code skb_header_pointer} checks are in IPVS.
 *
 * <p>One per data-plane thread: it owns its views, which stay wrapped on the last frame so the caller can read
 * and rewrite headers after a parse. No allocation, no exceptions, whatever the bytes.
 *
 * <p>{@link #parse} returns {@link #OK}, {@link #ARP}, or a {@link DropReason#code()} (>= 0). After
 * {@code OK} the flow holds family, protocol, addresses and ports (0 for ICMP, ICMPv6, other protocols and
 * non-first fragments); {@link Flow#fwmark} and {@link Flow#nowNs} are left alone. After a drop the flow and
 * offsets hold whatever was parsed so far. Offsets are segment offsets: relative to the frame when it starts at
 * segment offset 0 ({@link #parse(MemorySegment, long, Flow)}), absolute otherwise
 * ({@link #parse(MemorySegment, long, long, Flow)}).
 *
 * <p>Checks: the IPv4 header checksum always (switchable with {@link #verifyIpv4Checksum(boolean)}); the L4
 * checksums only when {@link #verifyL4Checksums(boolean)} is on, and only on unfragmented packets (a fragment's
 * checksum covers the reassembled datagram). Trailing octets after the IP datagram (Ethernet padding) are
 * ignored: offsets and lengths come from the IP and UDP length fields.
 */
public final class PacketParser {
    /** The frame is an IPv4 or IPv6 packet and the flow describes it. */
    public static final int OK = -1;
    /** The frame is an Ethernet/IPv4 ARP request or reply: {@link #arp()} is wrapped on it. */
    public static final int ARP = -2;
    /** {@link #innerL3Offset()} of anything but an ICMP or ICMPv6 error. */
    public static final long NONE = -1;

    private final EthernetView eth = new EthernetView();
    private final ArpView arp = new ArpView();
    private final Ipv4View ipv4 = new Ipv4View();
    private final Ipv6View ipv6 = new Ipv6View();
    private final TcpView tcp = new TcpView();
    private final UdpView udp = new UdpView();
    private final SctpView sctp = new SctpView();
    private final IcmpView icmp = new IcmpView();
    private final Icmpv6View icmpv6 = new Icmpv6View();

    private boolean verifyIpv4Checksum = true;
    private boolean verifyL4Checksums;
    private boolean l4Trusted;

    private int etherType;
    private long l3Offset, l3End, l4Offset, payloadOffset, payloadLength, innerL3Offset;
    private boolean l4HeaderPresent, fragment, moreFragments;
    private int fragmentOffsetBytes, fragmentId;

    /** Whether to drop IPv4 packets whose header checksum fails (default on). */
    public PacketParser verifyIpv4Checksum(boolean on) { verifyIpv4Checksum = on; return this; }

    /** Whether to drop unfragmented packets whose TCP/UDP/SCTP/ICMP/ICMPv6 checksum fails (default off). */
    public PacketParser verifyL4Checksums(boolean on) { verifyL4Checksums = on; return this; }

    /**
     * Parses the first {@code length} octets of {@code frame} (fewer if the segment is shorter).
     *
     * @return {@link #OK}, {@link #ARP}, or the {@link DropReason#code()} of the first problem found
     */
    public int parse(MemorySegment frame, long length, Flow flow) {
        return parse(frame, 0, length, flow);
    }

    /**
     * Parses the frame of {@code length} octets that starts at {@code offset} in {@code seg} (fewer if the
     * segment ends first), so a frame can sit inside a larger buffer with headroom before it. Every offset
     * the parser reports afterwards is absolute: a segment offset, not relative to {@code offset}.
     *
     * @return {@link #OK}, {@link #ARP}, or the {@link DropReason#code()} of the first problem found
     */
    public int parse(MemorySegment seg, long offset, long length, Flow flow) {
        return parse(seg, offset, length, flow, false);
    }

    /**
     * {@link #parse(MemorySegment, long, long, Flow)}; with {@code l4ChecksumTrusted} the L4 checksum is not
     * verified whatever {@link #verifyL4Checksums(boolean)} says: the receive path vouched for it
     * ({@code CHECKSUM_UNNECESSARY}) or it is partial, still to be computed ({@code CHECKSUM_PARTIAL}), as the
     * kernel's {@code skb_csum_unnecessary} skips both.
     */
    public int parse(MemorySegment seg, long offset, long length, Flow flow, boolean l4ChecksumTrusted) {
        reset();
        l4Trusted = l4ChecksumTrusted;
        long size = seg.byteSize();
        eth.wrap(seg, offset);
        if (offset < 0 || offset > size) return DropReason.TRUNCATED_ETHERNET.code();
        long end = offset + Math.min(Math.max(length, 0), size - offset);
        if (end - offset < EthernetView.HEADER_LENGTH) return DropReason.TRUNCATED_ETHERNET.code();
        int tags = eth.walkTags(end);
        if (tags == EthernetView.TAGS_TRUNCATED) return DropReason.TRUNCATED_VLAN.code();
        if (tags == EthernetView.TAGS_LIMIT) return DropReason.VLAN_TAG_LIMIT.code();
        etherType = eth.etherType();
        l3Offset = eth.payloadOffset();
        return switch (etherType) {
            case IfEther.ETH_P_IP -> parseIpv4(seg, end, flow);
            case IfEther.ETH_P_IPV6 -> parseIpv6(seg, end, flow);
            case IfEther.ETH_P_ARP -> parseArp(seg, end);
            default -> DropReason.UNSUPPORTED_ETHERTYPE.code();
        };
    }

    private int parseArp(MemorySegment frame, long end) {
        if (end - l3Offset < ArpView.LENGTH) return DropReason.TRUNCATED_ARP.code();
        arp.wrap(frame, l3Offset);
        if (!arp.isEthernetIpv4()) return DropReason.BAD_ARP.code();
        int op = arp.oper();
        if (op != ArpView.OP_REQUEST && op != ArpView.OP_REPLY) return DropReason.BAD_ARP.code();
        l3End = l3Offset + ArpView.LENGTH;
        return ARP;
    }

    private int parseIpv4(MemorySegment frame, long end, Flow flow) {
        long avail = end - l3Offset;
        if (avail < Ipv4View.MIN_HEADER_LENGTH) return DropReason.TRUNCATED_IPV4.code();
        ipv4.wrap(frame, l3Offset);
        if (ipv4.version() != 4) return DropReason.BAD_IPV4_VERSION.code();
        int hl = ipv4.headerLength();
        if (hl < Ipv4View.MIN_HEADER_LENGTH) return DropReason.BAD_IHL.code();
        if (hl > avail) return DropReason.TRUNCATED_IPV4.code();
        int total = ipv4.totalLength();
        if (total > avail || total < hl) return DropReason.IPV4_TOTAL_LENGTH.code();
        if (verifyIpv4Checksum && !ipv4.checksumOk()) return DropReason.BAD_IPV4_CHECKSUM.code();
        l3End = l3Offset + total;
        l4Offset = l3Offset + hl;
        int protocol = ipv4.protocol();
        flow.v4(protocol, ipv4.src(), 0, ipv4.dst(), 0);
        fragment = ipv4.isFragment();
        moreFragments = ipv4.moreFragments();
        fragmentOffsetBytes = ipv4.fragmentOffsetBytes();
        fragmentId = ipv4.id();
        if (fragment && fragmentOffsetBytes + total > Ipv4View.MAX_TOTAL_LENGTH) {
            return DropReason.BAD_IPV4_FRAGMENT.code();
        }
        if (fragmentOffsetBytes != 0) return noL4Header();
        return parseL4(frame, protocol, false, flow);
    }

    private int parseIpv6(MemorySegment frame, long end, Flow flow) {
        long avail = end - l3Offset;
        if (avail < Ipv6View.HEADER_LENGTH) return DropReason.TRUNCATED_IPV6.code();
        ipv6.wrap(frame, l3Offset);
        if (ipv6.version() != 6) return DropReason.BAD_IPV6_VERSION.code();
        int payload = ipv6.payloadLength();
        if (Ipv6View.HEADER_LENGTH + payload > avail) return DropReason.IPV6_PAYLOAD_LENGTH.code();
        l3End = l3Offset + Ipv6View.HEADER_LENGTH + payload;
        int protocol = ipv6.walkExtensions(l3End);
        if (protocol == Ipv6View.EXT_TRUNCATED) return DropReason.TRUNCATED_IPV6_EXT_HEADER.code();
        if (protocol == Ipv6View.EXT_LIMIT) return DropReason.IPV6_EXT_HEADER_LIMIT.code();
        if (protocol == Ipv6View.EXT_HOP_BY_HOP_NOT_FIRST) return DropReason.IPV6_HOP_BY_HOP_NOT_FIRST.code();
        l4Offset = ipv6.upperLayerOffset();
        flow.v6(protocol, ipv6.srcHi(), ipv6.srcLo(), 0, ipv6.dstHi(), ipv6.dstLo(), 0);
        fragment = ipv6.isFragment();
        if (fragment) {
            moreFragments = ipv6.moreFragments();
            fragmentOffsetBytes = ipv6.fragmentOffsetBytes();
            fragmentId = ipv6.fragmentId();
            long fragmentable = l3End - (ipv6.fragmentHeaderOffset() + Ipv6View.FRAG_HEADER_LENGTH);
            if ((moreFragments && (fragmentable & 7) != 0) || fragmentOffsetBytes + fragmentable > Ipv6View.MAX_PAYLOAD_LENGTH) {
                return DropReason.BAD_IPV6_FRAGMENT.code();     // RFC 8200 section 4.5: parameter problem
            }
            if (fragmentOffsetBytes != 0) return noL4Header();
        }
        return parseL4(frame, protocol, true, flow);
    }

    private int parseL4(MemorySegment frame, int protocol, boolean v6, Flow flow) {
        long avail = l3End - l4Offset;
        boolean verify = verifyL4Checksums && !l4Trusted && !fragment;
        switch (protocol) {
            case IpProto.IPPROTO_TCP -> {
                if (avail < TcpView.MIN_HEADER_LENGTH) return DropReason.TRUNCATED_TCP.code();
                tcp.wrap(frame, l4Offset);
                int hl = tcp.headerLength();
                if (hl < TcpView.MIN_HEADER_LENGTH || hl > avail) return DropReason.BAD_TCP_DATA_OFFSET.code();
                ports(flow, tcp.srcPort(), tcp.dstPort(), l4Offset + hl);
                if (verify && !transportOk(frame, avail, protocol, v6)) return DropReason.BAD_TCP_CHECKSUM.code();
            }
            case IpProto.IPPROTO_UDP -> {
                if (avail < UdpView.HEADER_LENGTH) return DropReason.TRUNCATED_UDP.code();
                udp.wrap(frame, l4Offset);
                int len = udp.length();
                if (len < UdpView.HEADER_LENGTH || (!fragment && len > avail)) return DropReason.BAD_UDP_LENGTH.code();
                ports(flow, udp.srcPort(), udp.dstPort(), l4Offset + UdpView.HEADER_LENGTH);
                if (!fragment) {
                    payloadLength = len - UdpView.HEADER_LENGTH;   // octets past the UDP length are padding
                    if (verify && !udpOk(frame, len, v6)) return DropReason.BAD_UDP_CHECKSUM.code();
                }
            }
            case IpProto.IPPROTO_SCTP -> {
                if (avail < SctpView.HEADER_LENGTH + SctpView.CHUNK_HEADER_LENGTH) return DropReason.TRUNCATED_SCTP.code();
                sctp.wrap(frame, l4Offset);
                if (!fragment && sctp.walkChunks(l3End) < 0) return DropReason.BAD_SCTP_CHUNK.code();
                ports(flow, sctp.srcPort(), sctp.dstPort(), l4Offset + SctpView.HEADER_LENGTH);
                if (verify && !sctp.checksumOk(avail)) return DropReason.BAD_SCTP_CHECKSUM.code();
            }
            case IpProto.IPPROTO_ICMP -> {
                if (v6) return noL4Header();
                if (avail < IcmpView.HEADER_LENGTH) return DropReason.TRUNCATED_ICMP.code();
                icmp.wrap(frame, l4Offset);
                ports(flow, 0, 0, l4Offset + IcmpView.HEADER_LENGTH);
                if (icmp.isError()) innerL3Offset = icmp.embeddedOffset();
                if (verify && !icmp.checksumOk(avail)) return DropReason.BAD_ICMP_CHECKSUM.code();
            }
            case IpProto.IPPROTO_ICMPV6 -> {
                if (!v6) return noL4Header();
                if (avail < Icmpv6View.HEADER_LENGTH) return DropReason.TRUNCATED_ICMPV6.code();
                icmpv6.wrap(frame, l4Offset);
                ports(flow, 0, 0, l4Offset + Icmpv6View.HEADER_LENGTH);
                if (icmpv6.isError()) innerL3Offset = icmpv6.embeddedOffset();
                if (verify && !transportOk(frame, avail, protocol, true)) return DropReason.BAD_ICMPV6_CHECKSUM.code();
            }
            default -> {
                return noL4Header();
            }
        }
        return OK;
    }

    /**
     * A non-first fragment, or a protocol the parser has no header for (GRE, ESP, IPIP, No Next Header...):
     * addresses only, ports 0, the payload starts at the L4 offset.
     */
    private int noL4Header() {
        payloadOffset = l4Offset;
        payloadLength = l3End - l4Offset;
        return OK;
    }

    private void ports(Flow flow, int src, int dst, long payload) {
        flow.srcPort = src;
        flow.dstPort = dst;
        l4HeaderPresent = true;
        payloadOffset = payload;
        payloadLength = l3End - payload;
    }

    private boolean transportOk(MemorySegment frame, long length, int protocol, boolean v6) {
        int len = (int) length;
        return v6
                ? Checksums.transport6(frame, l4Offset, len, ipv6.srcHi(), ipv6.srcLo(), ipv6.dstHi(), ipv6.dstLo(), protocol) == 0
                : Checksums.transport4(frame, l4Offset, len, ipv4.src(), ipv4.dst(), protocol) == 0;
    }

    private boolean udpOk(MemorySegment frame, int udpLength, boolean v6) {
        if (udp.checksum() == UdpView.NO_CHECKSUM) return !v6;     // none sent: fine over IPv4 only
        return transportOk(frame, udpLength, IpProto.IPPROTO_UDP, v6);
    }

    private void reset() {
        etherType = 0;
        l3Offset = l3End = l4Offset = payloadOffset = NONE;
        payloadLength = 0;
        innerL3Offset = NONE;
        l4HeaderPresent = fragment = moreFragments = false;
        fragmentOffsetBytes = fragmentId = 0;
    }

    /** EtherType after the VLAN tags. */
    public int etherType() { return etherType; }

    /** VLAN id of the outermost tag, or {@link EthernetView#NO_VLAN}. */
    public int vlanId() { return eth.vlanId(); }

    /** Segment offset of the IP (or ARP) header, -1 before it was found. */
    public long l3Offset() { return l3Offset; }

    /** Segment offset just past the IP datagram (total length / payload length); padding lies beyond. */
    public long l3End() { return l3End; }

    /** Segment offset of the upper-layer header (after IPv4 options or IPv6 extension headers), -1 before. */
    public long l4Offset() { return l4Offset; }

    /** Segment offset of the upper-layer payload: past the TCP/UDP/SCTP common/ICMP header when present. */
    public long payloadOffset() { return payloadOffset; }

    /** Octets of upper-layer payload (UDP: per its length field; fragments: in this fragment). */
    public long payloadLength() { return payloadLength; }

    /** True when a TCP, UDP, SCTP, ICMP or ICMPv6 header was parsed (so the flow's ports are real). */
    public boolean l4HeaderPresent() { return l4HeaderPresent; }

    /** True for any IPv4 or IPv6 fragment, first or not. */
    public boolean fragment() { return fragment; }

    /** True for a fragment other than the first: it carries no upper-layer header and its ports are 0. */
    public boolean nonFirstFragment() { return fragment && fragmentOffsetBytes != 0; }

    public boolean moreFragments() { return moreFragments; }

    public int fragmentOffsetBytes() { return fragmentOffsetBytes; }

    /** IPv4 identification (16 bits) or IPv6 fragment identification (32 bits) of a fragment. */
    public int fragmentId() { return fragmentId; }

    /** Segment offset of the IP header an ICMP or ICMPv6 error quotes, {@link #NONE} otherwise (not validated). */
    public long innerL3Offset() { return innerL3Offset; }

    public EthernetView ethernet() { return eth; }

    public ArpView arp() { return arp; }

    public Ipv4View ipv4() { return ipv4; }

    public Ipv6View ipv6() { return ipv6; }

    public TcpView tcp() { return tcp; }

    public UdpView udp() { return udp; }

    public SctpView sctp() { return sctp; }

    public IcmpView icmp() { return icmp; }

    public Icmpv6View icmpv6() { return icmpv6; }
}
