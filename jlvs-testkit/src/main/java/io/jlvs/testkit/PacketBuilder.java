package io.jlvs.testkit;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds whole Ethernet frames for tests, one named step per header field, and fills every length and checksum
 * from scratch with {@link Checksum} (never with jlvs-core's code: the builder is the independent oracle).
 *
 * <pre>{@code
 * byte[] syn = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").vlan(10)
 *         .ipv4("198.51.100.7", "192.0.2.10").ttl(64).id(1).df()
 *         .tcp(40000, 80).syn().seq(1000).mss(1460).payload(bytes).build();
 * }</pre>
 *
 * Arguments go source first, as packets travel: {@code eth(src, dst)}, {@code ipv4(src, dst)},
 * {@code tcp(srcPort, dstPort)}. Steps after {@code ipv4}/{@code ipv6} set that header, steps after
 * {@code tcp}/{@code udp}/... set the upper layer; a step that does not fit the headers chosen so far throws
 * {@link IllegalStateException}. Knobs that break a frame on purpose: {@link #badChecksum()},
 * {@link #ihl(int)}, {@link #version(int)}, {@link #totalLength(int)}, {@link #ipPayloadLength(int)},
 * {@link #udpLength(int)}, {@link #dataOffset(int)}, {@link #etherType(int)}, {@link #truncate(int)}.
 * The builder writes what it is told: a TCP header in a non-first fragment is written as asked.
 */
public final class PacketBuilder {
    public static final int ETH_P_IP = 0x0800, ETH_P_ARP = 0x0806, ETH_P_IPV6 = 0x86DD;
    public static final int ETH_P_8021Q = 0x8100, ETH_P_8021AD = 0x88A8;
    public static final int ICMP = 1, IPIP = 4, TCP = 6, UDP = 17, IPV6 = 41, GRE = 47, ICMPV6 = 58, SCTP = 132, NO_NEXT_HEADER = 59;
    public static final int HOP_BY_HOP = 0, ROUTING = 43, FRAGMENT = 44, AH = 51, DEST_OPTIONS = 60;
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40, CWR = 0x80;

    private enum L3 { NONE, IPV4, IPV6, ARP }

    private enum L4 { NONE, TCP, UDP, SCTP, ICMP, ICMPV6, GRE }

    private enum Layer { ETH, L3, L4 }

    // Ethernet
    private final byte[] srcMac, dstMac;
    private final List<int[]> tags = new ArrayList<>();   // {tpid, tci}
    private int etherType = -1;
    private Layer layer = Layer.ETH;
    // L3 common
    private L3 l3 = L3.NONE;
    private byte[] src, dst;
    private int version = -1;
    private int protocol = -1;
    private boolean badL3Checksum;
    // IPv4
    private int ttl = 64, tos, id, fragmentOffset, ihl = -1, totalLength = -1;
    private boolean df, mf, reservedFlag;
    private byte[] ipOptions = new byte[0];
    // IPv6
    private int hopLimit = 64, trafficClass, flowLabel, ipPayloadLength = -1;
    private final List<byte[]> extensions = new ArrayList<>();  // each with its type in a leading extra octet
    private int fragmentId;
    // ARP
    private int arpOper;
    private byte[] arpSha, arpSpa, arpTha, arpTpa;
    // L4
    private L4 l4 = L4.NONE;
    private int srcPort, dstPort;
    private boolean badL4Checksum, partialL4Checksum;
    private int tcpFlags, window = 65535, urgentPointer, dataOffset = -1;
    private long seq, ackSeq;
    private final ByteArrayOutputStream tcpOptions = new ByteArrayOutputStream();
    private int udpLength = -1;
    private boolean udpNoChecksum;
    private int verificationTag;
    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    private int icmpType, icmpCode, icmpRest;
    private final ByteArrayOutputStream icmpBody = new ByteArrayOutputStream();
    private int greProtocolType;
    private boolean greChecksum;
    private byte[] payload = new byte[0];
    // frame
    private int padTo = -1, truncate = -1;

    private PacketBuilder(String srcMac, String dstMac) {
        this.srcMac = Addresses.mac(srcMac);
        this.dstMac = Addresses.mac(dstMac);
    }

    /** Starts a frame from {@code srcMac} to {@code dstMac}. */
    public static PacketBuilder eth(String srcMac, String dstMac) {
        return new PacketBuilder(srcMac, dstMac);
    }

    // ---------------------------------------------------------------- Ethernet

    /** Adds an 802.1Q tag (TPID 0x8100, priority 0), outermost first. */
    public PacketBuilder vlan(int vid) { return tag(ETH_P_8021Q, 0, vid); }

    /** Adds an 802.1ad service tag (TPID 0x88A8): call before {@link #vlan(int)} for QinQ. */
    public PacketBuilder serviceVlan(int vid) { return tag(ETH_P_8021AD, 0, vid); }

    /** Adds a tag with any TPID, priority and VLAN id. */
    public PacketBuilder tag(int tpid, int pcp, int vid) {
        tags.add(new int[] {tpid, (pcp & 7) << 13 | (vid & 0x0FFF)});
        return this;
    }

    /** Overrides the EtherType after the tags. */
    public PacketBuilder etherType(int type) { etherType = type; return this; }

    // ---------------------------------------------------------------- IPv4

    public PacketBuilder ipv4(String src, String dst) {
        startL3(L3.IPV4);
        this.src = Addresses.ipv4(src);
        this.dst = Addresses.ipv4(dst);
        return this;
    }

    public PacketBuilder ttl(int ttl) { need(L3.IPV4, "ttl"); this.ttl = ttl; return this; }

    public PacketBuilder tos(int tos) { need(L3.IPV4, "tos"); this.tos = tos; return this; }

    public PacketBuilder dscp(int dscp) { need(L3.IPV4, "dscp"); this.tos = (dscp << 2) | (tos & 3); return this; }

    public PacketBuilder id(int id) { need(L3.IPV4, "id"); this.id = id; return this; }

    /** Sets don't-fragment. */
    public PacketBuilder df() { need(L3.IPV4, "df"); df = true; return this; }

    /** Sets the reserved ("evil") flag bit. */
    public PacketBuilder reservedFlag() { need(L3.IPV4, "reservedFlag"); reservedFlag = true; return this; }

    /** IPv4 options, padded with end-of-list octets to a multiple of 4. */
    public PacketBuilder ipOptions(byte... options) {
        need(L3.IPV4, "ipOptions");
        int padded = (options.length + 3) & ~3;
        ipOptions = Arrays.copyOf(options, padded);
        return this;
    }

    /** Overrides the IHL field (the header written keeps its real length). */
    public PacketBuilder ihl(int ihl) { need(L3.IPV4, "ihl"); this.ihl = ihl; return this; }

    /** Overrides the IPv4 total length field. */
    public PacketBuilder totalLength(int length) { need(L3.IPV4, "totalLength"); totalLength = length; return this; }

    // ---------------------------------------------------------------- IPv6

    public PacketBuilder ipv6(String src, String dst) {
        startL3(L3.IPV6);
        this.src = Addresses.ipv6(src);
        this.dst = Addresses.ipv6(dst);
        return this;
    }

    public PacketBuilder hopLimit(int hopLimit) { need(L3.IPV6, "hopLimit"); this.hopLimit = hopLimit; return this; }

    public PacketBuilder trafficClass(int tc) { need(L3.IPV6, "trafficClass"); trafficClass = tc; return this; }

    public PacketBuilder flowLabel(int label) { need(L3.IPV6, "flowLabel"); flowLabel = label; return this; }

    /** Overrides the IPv6 payload length field. */
    public PacketBuilder ipPayloadLength(int length) { need(L3.IPV6, "ipPayloadLength"); ipPayloadLength = length; return this; }

    /** Adds a hop-by-hop options header of 8 octets (one PadN option). */
    public PacketBuilder hopByHop() { return extension(HOP_BY_HOP, 1, 4, 0, 0, 0, 0); }

    /** Adds a destination options header of 8 octets (one PadN option). */
    public PacketBuilder destOptions() { return extension(DEST_OPTIONS, 1, 4, 0, 0, 0, 0); }

    /** Adds a routing header of 8 octets with the routing type and segments left given (no addresses). */
    public PacketBuilder routing(int routingType, int segmentsLeft) {
        return extension(ROUTING, routingType, segmentsLeft, 0, 0, 0, 0);
    }

    /**
     * Adds an extension header of any type with the given octets after the next-header and length octets; the
     * length octet is computed (in 8-octet units, or 4-octet units for AH), the body zero-padded to fit.
     */
    public PacketBuilder extension(int type, int... body) {
        need(L3.IPV6, "extension");
        int unit = type == AH ? 4 : 8;
        int total = Math.max(8, ((2 + body.length + unit - 1) / unit) * unit);
        if (type == AH) total = (total + 7) & ~7;
        byte[] h = new byte[1 + total];
        h[0] = (byte) type;
        h[2] = (byte) (type == AH ? total / 4 - 2 : total / 8 - 1);
        for (int i = 0; i < body.length; i++) h[3 + i] = (byte) body[i];
        extensions.add(h);
        return this;
    }

    /** Adds an authentication header (RFC 4302) with the SPI and sequence number and a 12-octet zero ICV. */
    public PacketBuilder ah(int spi, int seq) {
        return extension(AH, 0, 0, spi >>> 24, spi >>> 16, spi >>> 8, spi, seq >>> 24, seq >>> 16, seq >>> 8, seq,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** IPv6 fragment identification of a following or preceding {@link #fragment(int, boolean)}. */
    public PacketBuilder fragmentId(int id) { need(L3.IPV6, "fragmentId"); fragmentId = id; return this; }

    // ---------------------------------------------------------------- IPv4 and IPv6

    /**
     * Makes this a fragment at {@code offsetBytes} (a multiple of 8). IPv4: the flags and offset fields; IPv6:
     * adds a fragment header here in the extension chain.
     */
    public PacketBuilder fragment(int offsetBytes, boolean moreFragments) {
        if ((offsetBytes & 7) != 0) throw new IllegalArgumentException("fragment offset " + offsetBytes + " is not a multiple of 8");
        if (l3 == L3.IPV4) {
            fragmentOffset = offsetBytes;
            mf = moreFragments;
            return this;
        }
        need(L3.IPV6, "fragment");
        byte[] h = new byte[9];                              // identification filled at build
        h[0] = (byte) FRAGMENT;
        int word = offsetBytes | (moreFragments ? 1 : 0);
        h[3] = (byte) (word >>> 8);
        h[4] = (byte) word;
        extensions.add(h);
        return this;
    }

    /** Overrides the version field. */
    public PacketBuilder version(int v) { needIp("version"); version = v; return this; }

    /** Overrides the IPv4 protocol / IPv6 next header after the extension headers (default: the L4 chosen). */
    public PacketBuilder protocol(int p) { needIp("protocol"); protocol = p; return this; }

    // ---------------------------------------------------------------- ARP

    /** An ARP request (RFC 826) from {@code senderMac}/{@code senderIp} asking for {@code targetIp}. */
    public PacketBuilder arpRequest(String senderMac, String senderIp, String targetIp) {
        return arp(1, senderMac, senderIp, "00:00:00:00:00:00", targetIp);
    }

    /** An ARP reply telling {@code targetMac}/{@code targetIp} that {@code senderIp} is at {@code senderMac}. */
    public PacketBuilder arpReply(String senderMac, String senderIp, String targetMac, String targetIp) {
        return arp(2, senderMac, senderIp, targetMac, targetIp);
    }

    /** Overrides the ARP operation. */
    public PacketBuilder arpOper(int oper) { need(L3.ARP, "arpOper"); arpOper = oper; return this; }

    private PacketBuilder arp(int oper, String sha, String spa, String tha, String tpa) {
        startL3(L3.ARP);
        arpOper = oper;
        arpSha = Addresses.mac(sha);
        arpSpa = Addresses.ipv4(spa);
        arpTha = Addresses.mac(tha);
        arpTpa = Addresses.ipv4(tpa);
        return this;
    }

    // ---------------------------------------------------------------- TCP

    public PacketBuilder tcp(int srcPort, int dstPort) { startL4(L4.TCP, srcPort, dstPort); return this; }

    public PacketBuilder syn() { return flag(SYN); }

    public PacketBuilder ack() { return flag(ACK); }

    public PacketBuilder fin() { return flag(FIN); }

    public PacketBuilder rst() { return flag(RST); }

    public PacketBuilder psh() { return flag(PSH); }

    public PacketBuilder urg() { return flag(URG); }

    public PacketBuilder ece() { return flag(ECE); }

    public PacketBuilder cwr() { return flag(CWR); }

    /** Sets the whole flags octet. */
    public PacketBuilder flags(int flags) { need(L4.TCP, "flags"); tcpFlags = flags; return this; }

    public PacketBuilder seq(long seq) { need(L4.TCP, "seq"); this.seq = seq; return this; }

    public PacketBuilder ackSeq(long ackSeq) { need(L4.TCP, "ackSeq"); this.ackSeq = ackSeq; return this; }

    public PacketBuilder window(int window) { need(L4.TCP, "window"); this.window = window; return this; }

    public PacketBuilder urgentPointer(int ptr) { need(L4.TCP, "urgentPointer"); urgentPointer = ptr; return this; }

    public PacketBuilder mss(int mss) { return tcpOption(2, 4, mss >>> 8, mss); }

    /** A NOP then the window scale option, as Linux sends it. */
    public PacketBuilder windowScale(int shift) { return tcpOption(1, 3, 3, shift); }

    public PacketBuilder sackPermitted() { return tcpOption(4, 2); }

    public PacketBuilder timestamps(int tsVal, int tsEcr) {
        return tcpOption(8, 10, tsVal >>> 24, tsVal >>> 16, tsVal >>> 8, tsVal, tsEcr >>> 24, tsEcr >>> 16, tsEcr >>> 8, tsEcr);
    }

    /** Appends raw option octets; the options are padded with end-of-list octets to a multiple of 4. */
    public PacketBuilder tcpOption(int... octets) {
        need(L4.TCP, "tcpOption");
        for (int o : octets) tcpOptions.write(o);
        return this;
    }

    /** Overrides the data offset field (the header written keeps its real length). */
    public PacketBuilder dataOffset(int words) { need(L4.TCP, "dataOffset"); dataOffset = words; return this; }

    // ---------------------------------------------------------------- UDP

    public PacketBuilder udp(int srcPort, int dstPort) { startL4(L4.UDP, srcPort, dstPort); return this; }

    /** Overrides the UDP length field (the checksum still covers the octets written). */
    public PacketBuilder udpLength(int length) { need(L4.UDP, "udpLength"); udpLength = length; return this; }

    /** Sends checksum 0: "none" over IPv4, invalid over IPv6. */
    public PacketBuilder noChecksum() { need(L4.UDP, "noChecksum"); udpNoChecksum = true; return this; }

    // ---------------------------------------------------------------- SCTP

    public PacketBuilder sctp(int srcPort, int dstPort, int verificationTag) {
        startL4(L4.SCTP, srcPort, dstPort);
        this.verificationTag = verificationTag;
        return this;
    }

    /** Appends an INIT chunk (RFC 9260 section 3.3.2) without optional parameters. */
    public PacketBuilder init(int initiateTag, int aRwnd, int outStreams, int inStreams, int initialTsn) {
        return chunk(1, 0, be32(initiateTag), be32(aRwnd), be16(outStreams), be16(inStreams), be32(initialTsn));
    }

    /** Appends a chunk of {@code type} and {@code flags} whose value is the concatenated parts, zero-padded. */
    public PacketBuilder chunk(int type, int flags, byte[]... value) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        for (byte[] part : value) v.writeBytes(part);
        int len = 4 + v.size();
        return rawChunk(concat(new byte[] {(byte) type, (byte) flags, (byte) (len >>> 8), (byte) len}, v.toByteArray(),
                new byte[(4 - len % 4) % 4]));
    }

    /** Appends octets to the chunk area verbatim (for malformed chunks). */
    public PacketBuilder rawChunk(byte... octets) {
        need(L4.SCTP, "chunk");
        chunks.writeBytes(octets);
        return this;
    }

    // ---------------------------------------------------------------- tunnels

    /**
     * A GRE header (RFC 2784, version 0) carrying {@code protocolType} ({@link #ETH_P_IP}, {@link #ETH_P_IPV6});
     * the encapsulated packet is the {@link #payload(byte[])}, e.g. another builder's {@link #buildL3()}.
     */
    public PacketBuilder gre(int protocolType) {
        startL4(L4.GRE, 0, 0);
        greProtocolType = protocolType;
        return this;
    }

    /** Sets GRE's C bit and the checksum over the GRE header and the payload (and the reserved word). */
    public PacketBuilder greChecksum() { need(L4.GRE, "greChecksum"); greChecksum = true; return this; }

    /** IP-in-IP: the payload is an IPv4 packet (protocol 4), e.g. {@code ipv4(o, d).ipip(inner.buildL3())}. */
    public PacketBuilder ipip(byte[] innerPacket) { return protocol(IPIP).payload(innerPacket); }

    /** IPv6 encapsulation (protocol / next header 41). */
    public PacketBuilder ip6ip(byte[] innerPacket) { return protocol(IPV6).payload(innerPacket); }

    /**
     * A GUE version 0 data header (draft-ietf-intarea-gue, Linux {@code struct guehdr}) without options: 4
     * octets, {@code protoCtype} the encapsulated protocol (4 or 41). Prepend it to the inner packet as a UDP
     * payload.
     */
    public static byte[] gueHeader(int protoCtype) {
        return new byte[] {0, (byte) protoCtype, 0, 0};
    }

    /**
     * A GUE header with the private-flags option and the remote checksum offload option (Linux
     * {@code GUE_FLAG_PRIV}, {@code GUE_PFLAG_REMCSUM}): Hlen 2, flag P, private flags with bit 31, then the
     * checksum start and the checksum field's position, both counted from the inner packet's first octet.
     */
    public static byte[] gueRemcsumHeader(int protoCtype, int csumStart, int csumField) {
        return concat(new byte[] {2, (byte) protoCtype, 0, 1}, be32(0x8000_0000), be16(csumStart), be16(csumField));
    }

    // ---------------------------------------------------------------- ICMP
    // ---------------------------------------------------------------- ICMP

    /** An ICMP echo request. */
    public PacketBuilder icmpEcho(int id, int seq) { return icmp(8, 0, id << 16 | (seq & 0xFFFF)); }

    public PacketBuilder icmpEchoReply(int id, int seq) { return icmp(0, 0, id << 16 | (seq & 0xFFFF)); }

    /** An ICMP error quoting {@code inner} (an IP header and at least 8 octets after it, see {@link #buildL3()}). */
    public PacketBuilder icmpError(int type, int code, byte[] inner) {
        icmp(type, code, 0);
        icmpBody.writeBytes(inner);
        return this;
    }

    /** Destination unreachable, fragmentation needed (type 3 code 4) with the next-hop MTU (RFC 1191). */
    public PacketBuilder icmpFragNeeded(int mtu, byte[] inner) {
        icmpError(3, 4, inner);
        icmpRest = mtu & 0xFFFF;
        return this;
    }

    /** Any ICMP message: type, code and the 32-bit word after the checksum. */
    public PacketBuilder icmp(int type, int code, int rest) {
        startL4(L4.ICMP, 0, 0);
        icmpType = type;
        icmpCode = code;
        icmpRest = rest;
        return this;
    }

    // ---------------------------------------------------------------- ICMPv6

    public PacketBuilder icmpv6Echo(int id, int seq) { return icmpv6(128, 0, id << 16 | (seq & 0xFFFF)); }

    public PacketBuilder icmpv6EchoReply(int id, int seq) { return icmpv6(129, 0, id << 16 | (seq & 0xFFFF)); }

    /** An ICMPv6 error (type below 128) quoting {@code inner}. */
    public PacketBuilder icmpv6Error(int type, int code, byte[] inner) {
        icmpv6(type, code, 0);
        icmpBody.writeBytes(inner);
        return this;
    }

    public PacketBuilder packetTooBig(int mtu, byte[] inner) {
        icmpv6Error(2, 0, inner);
        icmpRest = mtu;
        return this;
    }

    /** A neighbor solicitation (RFC 4861 section 4.3) for {@code target}; add {@link #sourceLinkLayer}. */
    public PacketBuilder neighborSolicitation(String target) {
        icmpv6(135, 0, 0);
        icmpBody.writeBytes(Addresses.ipv6(target));
        return this;
    }

    /** A neighbor advertisement (RFC 4861 section 4.4); {@code flags} R 0x80, S 0x40, O 0x20 in the top octet. */
    public PacketBuilder neighborAdvertisement(String target, int flags) {
        icmpv6(136, 0, (flags & 0xFF) << 24);
        icmpBody.writeBytes(Addresses.ipv6(target));
        return this;
    }

    /** Appends a source link-layer address option. */
    public PacketBuilder sourceLinkLayer(String mac) { return ndOption(1, mac); }

    /** Appends a target link-layer address option. */
    public PacketBuilder targetLinkLayer(String mac) { return ndOption(2, mac); }

    /** Appends an ND option of {@code type} with {@code lengthUnits} (8-octet units, written as given). */
    public PacketBuilder ndOption(int type, int lengthUnits, byte... value) {
        need(L4.ICMPV6, "ndOption");
        icmpBody.write(type);
        icmpBody.write(lengthUnits);
        icmpBody.writeBytes(value);
        return this;
    }

    private PacketBuilder ndOption(int type, String mac) { return ndOption(type, 1, Addresses.mac(mac)); }

    /** Any ICMPv6 message: type, code and the 32-bit word after the checksum. */
    public PacketBuilder icmpv6(int type, int code, int rest) {
        startL4(L4.ICMPV6, 0, 0);
        icmpType = type;
        icmpCode = code;
        icmpRest = rest;
        return this;
    }

    // ---------------------------------------------------------------- payload and frame

    public PacketBuilder payload(byte[] bytes) { payload = bytes.clone(); return this; }

    public PacketBuilder payload(String text) { return payload(text.getBytes(StandardCharsets.UTF_8)); }

    /**
     * Breaks the checksum of the header added last: the IPv4 header after {@code ipv4(..)}, the L4 checksum
     * after {@code tcp/udp/sctp/icmp/icmpv6(..)}.
     */
    public PacketBuilder badChecksum() {
        if (layer == Layer.L4) badL4Checksum = true;
        else if (l3 == L3.IPV4) badL3Checksum = true;
        else throw new IllegalStateException("badChecksum() needs an IPv4 header or an L4 header before it");
        return this;
    }

    /**
     * Leaves the TCP or UDP checksum <em>partial</em>, as a sender with checksum offload hands it to its NIC
     * (Linux {@code CHECKSUM_PARTIAL}): the field holds the pseudo-header sum, not the checksum.
     */
    public PacketBuilder partialChecksum() {
        if (l4 != L4.TCP && l4 != L4.UDP) throw new IllegalStateException("partialChecksum() needs tcp() or udp()");
        partialL4Checksum = true;
        return this;
    }

    /** Appends zero octets after the packet up to a frame of {@code frameLength} (Ethernet padding). */
    public PacketBuilder padTo(int frameLength) { padTo = frameLength; return this; }

    /** Keeps only the first {@code frameLength} octets of the frame, after every length and checksum is set. */
    public PacketBuilder truncate(int frameLength) { truncate = frameLength; return this; }

    /** The frame. */
    public byte[] build() {
        byte[] frame = concat(ethernetHeader(), l3Packet());
        if (padTo > frame.length) frame = Arrays.copyOf(frame, padTo);
        if (truncate >= 0 && truncate < frame.length) frame = Arrays.copyOf(frame, truncate);
        return frame;
    }

    /** The frame in a heap segment. */
    public MemorySegment buildSegment() {
        return MemorySegment.ofArray(build());
    }

    /** The frame without its Ethernet header and tags: the IP packet (or ARP), e.g. to quote in an ICMP error. */
    public byte[] buildL3() {
        byte[] frame = build();
        return Arrays.copyOfRange(frame, Math.min(frame.length, 14 + 4 * tags.size()), frame.length);
    }

    // ---------------------------------------------------------------- assembly

    private byte[] ethernetHeader() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(dstMac);
        out.writeBytes(srcMac);
        for (int[] t : tags) {
            out.writeBytes(be16(t[0]));
            out.writeBytes(be16(t[1]));
        }
        int type = etherType >= 0 ? etherType : switch (l3) {
            case IPV4 -> ETH_P_IP;
            case IPV6 -> ETH_P_IPV6;
            case ARP -> ETH_P_ARP;
            case NONE -> throw new IllegalStateException("no ipv4(), ipv6() or arp step: set etherType()");
        };
        out.writeBytes(be16(type));
        return out.toByteArray();
    }

    private byte[] l3Packet() {
        return switch (l3) {
            case NONE -> payload.clone();
            case ARP -> arpPacket();
            case IPV4 -> ipv4Packet();
            case IPV6 -> ipv6Packet();
        };
    }

    private byte[] arpPacket() {
        return concat(be16(1), be16(ETH_P_IP), new byte[] {6, 4}, be16(arpOper), arpSha, arpSpa, arpTha, arpTpa);
    }

    private byte[] ipv4Packet() {
        int proto = protocol >= 0 ? protocol : l4Protocol();
        byte[] l4 = l4Segment(proto);
        int hl = 20 + ipOptions.length;
        byte[] h = new byte[hl];
        h[0] = (byte) ((version >= 0 ? version : 4) << 4 | (ihl >= 0 ? ihl : hl / 4) & 0x0F);
        h[1] = (byte) tos;
        put16(h, 2, totalLength >= 0 ? totalLength : hl + l4.length);
        put16(h, 4, id);
        put16(h, 6, (reservedFlag ? 0x8000 : 0) | (df ? 0x4000 : 0) | (mf ? 0x2000 : 0) | (fragmentOffset >>> 3));
        h[8] = (byte) ttl;
        h[9] = (byte) proto;
        System.arraycopy(src, 0, h, 12, 4);
        System.arraycopy(dst, 0, h, 16, 4);
        System.arraycopy(ipOptions, 0, h, 20, ipOptions.length);
        int csum = Checksum.internet(h, 0, hl);
        put16(h, 10, badL3Checksum ? broken16(csum) : csum);
        fillL4Checksum(l4, proto, false);
        return concat(h, l4);
    }

    private byte[] ipv6Packet() {
        int upper = protocol >= 0 ? protocol : l4Protocol();
        byte[] l4 = l4Segment(upper);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        for (int i = 0; i < extensions.size(); i++) {
            byte[] e = extensions.get(i).clone();
            e[1] = (byte) (i + 1 < extensions.size() ? extensions.get(i + 1)[0] : upper);
            if ((e[0] & 0xFF) == FRAGMENT) put32(e, 5, fragmentId);
            ext.write(e, 1, e.length - 1);
        }
        int first = extensions.isEmpty() ? upper : extensions.getFirst()[0] & 0xFF;
        byte[] h = new byte[40];
        put32(h, 0, (version >= 0 ? version : 6) << 28 | (trafficClass & 0xFF) << 20 | (flowLabel & 0xFFFFF));
        put16(h, 4, ipPayloadLength >= 0 ? ipPayloadLength : ext.size() + l4.length);
        h[6] = (byte) first;
        h[7] = (byte) hopLimit;
        System.arraycopy(src, 0, h, 8, 16);
        System.arraycopy(dst, 0, h, 24, 16);
        fillL4Checksum(l4, upper, true);
        return concat(h, ext.toByteArray(), l4);
    }

    private int l4Protocol() {
        return switch (l4) {
            case TCP -> TCP;
            case UDP -> UDP;
            case SCTP -> SCTP;
            case ICMP -> ICMP;
            case ICMPV6 -> ICMPV6;
            case GRE -> GRE;
            case NONE -> NO_NEXT_HEADER;
        };
    }

    /** The L4 header and payload with the checksum field zero (filled by {@link #fillL4Checksum}). */
    private byte[] l4Segment(int proto) {
        return switch (l4) {
            case NONE -> payload.clone();
            case TCP -> {
                byte[] opts = tcpOptions.toByteArray();
                opts = Arrays.copyOf(opts, (opts.length + 3) & ~3);
                byte[] h = new byte[20 + opts.length];
                put16(h, 0, srcPort);
                put16(h, 2, dstPort);
                put32(h, 4, (int) seq);
                put32(h, 8, (int) ackSeq);
                h[12] = (byte) ((dataOffset >= 0 ? dataOffset : h.length / 4) << 4);
                h[13] = (byte) tcpFlags;
                put16(h, 14, window);
                put16(h, 18, urgentPointer);
                System.arraycopy(opts, 0, h, 20, opts.length);
                yield concat(h, payload);
            }
            case UDP -> {
                byte[] h = new byte[8];
                put16(h, 0, srcPort);
                put16(h, 2, dstPort);
                put16(h, 4, udpLength >= 0 ? udpLength : 8 + payload.length);
                yield concat(h, payload);
            }
            case SCTP -> {
                byte[] h = new byte[12];
                put16(h, 0, srcPort);
                put16(h, 2, dstPort);
                put32(h, 4, verificationTag);
                yield concat(h, chunks.toByteArray(), payload);
            }
            case GRE -> {
                byte[] h = new byte[greChecksum ? 8 : 4];
                put16(h, 0, greChecksum ? 0x8000 : 0);
                put16(h, 2, greProtocolType);
                yield concat(h, payload);
            }
            case ICMP, ICMPV6 -> {
                byte[] h = new byte[8];
                h[0] = (byte) icmpType;
                h[1] = (byte) icmpCode;
                put32(h, 4, icmpRest);
                yield concat(h, icmpBody.toByteArray(), payload);
            }
        };
    }

    private void fillL4Checksum(byte[] s, int proto, boolean v6) {
        int pseudo = v6 ? Checksum.pseudo6(src, dst, proto, s.length) : Checksum.pseudo4(src, dst, proto, s.length);
        switch (l4) {
            case TCP -> put16(s, 16, partialL4Checksum ? pseudo : maybeBroken(~Checksum.sum(s, 0, s.length, pseudo) & 0xFFFF));
            case UDP -> {
                int c = ~Checksum.sum(s, 0, s.length, pseudo) & 0xFFFF;
                c = c == 0 ? 0xFFFF : c;
                put16(s, 6, udpNoChecksum ? 0 : partialL4Checksum ? pseudo : maybeBroken(c));
            }
            case GRE -> {
                if (greChecksum) put16(s, 4, maybeBroken(Checksum.internet(s, 0, s.length)));
            }
            case ICMP -> put16(s, 2, maybeBroken(Checksum.internet(s, 0, s.length)));
            case ICMPV6 -> put16(s, 2, maybeBroken(~Checksum.sum(s, 0, s.length, pseudo) & 0xFFFF));
            case SCTP -> {
                int crc = Checksum.sctpCrc(s, 0, s.length);
                if (badL4Checksum) crc ^= 1;
                for (int i = 0; i < 4; i++) s[8 + i] = (byte) (crc >>> (8 * i));   // little-endian, RFC 9260
            }
            case NONE -> { }
        }
    }

    private int maybeBroken(int csum) { return badL4Checksum ? broken16(csum) : csum; }

    /** A checksum that cannot verify: not the value, not its one's complement twin, not UDP's "none". */
    private static int broken16(int csum) {
        int bad = csum ^ 0x0101;
        return bad == 0 ? 0x0202 : bad;
    }

    // ---------------------------------------------------------------- steps' bookkeeping

    private PacketBuilder flag(int f) { need(L4.TCP, "TCP flag"); tcpFlags |= f; return this; }

    private void startL3(L3 kind) {
        if (l3 != L3.NONE) throw new IllegalStateException("a second network header: " + kind + " after " + l3);
        l3 = kind;
        layer = Layer.L3;
    }

    private void startL4(L4 kind, int sp, int dp) {
        if (l3 != L3.IPV4 && l3 != L3.IPV6) throw new IllegalStateException(kind + " needs ipv4() or ipv6() first");
        if (l4 != L4.NONE) throw new IllegalStateException("a second upper-layer header: " + kind + " after " + l4);
        if (kind == L4.ICMP && l3 != L3.IPV4) throw new IllegalStateException("ICMP needs ipv4(); use icmpv6");
        if (kind == L4.ICMPV6 && l3 != L3.IPV6) throw new IllegalStateException("ICMPv6 needs ipv6(); use icmp");
        l4 = kind;
        layer = Layer.L4;
        srcPort = sp;
        dstPort = dp;
    }

    private void need(L3 kind, String step) {
        if (l3 != kind) throw new IllegalStateException(step + "() needs " + kind + ", not " + l3);
    }

    private void need(L4 kind, String step) {
        if (l4 != kind) throw new IllegalStateException(step + "() needs " + kind + ", not " + l4);
    }

    private void needIp(String step) {
        if (l3 != L3.IPV4 && l3 != L3.IPV6) throw new IllegalStateException(step + "() needs ipv4() or ipv6()");
    }

    static byte[] be16(int v) { return new byte[] {(byte) (v >>> 8), (byte) v}; }

    static byte[] be32(int v) { return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}; }

    private static void put16(byte[] b, int off, int v) { b[off] = (byte) (v >>> 8); b[off + 1] = (byte) v; }

    private static void put32(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) b[off + i] = (byte) (v >>> (24 - 8 * i));
    }

    /** The parts one after the other. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
