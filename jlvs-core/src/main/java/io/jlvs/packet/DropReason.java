package io.jlvs.packet;

/**
 * Why a frame was refused. Each reason has a stable {@link #code()} (its ordinal) so per-reason counters are a
 * {@code long[COUNT]} indexed by the code that {@link PacketParser#parse} returns.
 *
 * <p>Append new reasons at the end, never reorder or remove: codes are exported in counters and logs.
 */
public enum DropReason {
    // link layer
    TRUNCATED_ETHERNET("frame shorter than an Ethernet header (14 octets)"),
    TRUNCATED_VLAN("VLAN tag or the EtherType after it cut off by the end of the frame"),
    VLAN_TAG_LIMIT("more than two stacked VLAN tags (802.1Q / 802.1ad)"),
    UNSUPPORTED_ETHERTYPE("EtherType is not IPv4, IPv6 or ARP"),
    TRUNCATED_ARP("ARP packet shorter than 28 octets"),
    BAD_ARP("ARP not for Ethernet and IPv4 addresses, or neither request nor reply"),
    // IPv4
    TRUNCATED_IPV4("frame ends inside the IPv4 header (20 octets, or IHL * 4 with options)"),
    BAD_IPV4_VERSION("EtherType IPv4 but the version field is not 4"),
    BAD_IHL("IPv4 IHL below 5 (header shorter than 20 octets)"),
    IPV4_TOTAL_LENGTH("IPv4 total length longer than the frame or shorter than the header"),
    BAD_IPV4_CHECKSUM("IPv4 header checksum does not verify"),
    BAD_IPV4_FRAGMENT("IPv4 fragment would reassemble past 65535 octets"),
    // IPv6
    TRUNCATED_IPV6("frame shorter than an IPv6 header (40 octets)"),
    BAD_IPV6_VERSION("EtherType IPv6 but the version field is not 6"),
    IPV6_PAYLOAD_LENGTH("IPv6 payload length longer than the frame"),
    TRUNCATED_IPV6_EXT_HEADER("IPv6 extension header runs past the payload length"),
    IPV6_EXT_HEADER_LIMIT("more than 8 IPv6 extension headers"),
    IPV6_HOP_BY_HOP_NOT_FIRST("IPv6 hop-by-hop options header not directly after the IPv6 header"),
    BAD_IPV6_FRAGMENT("IPv6 fragment not a multiple of 8 octets with more to come, or past 65535 octets"),
    // TCP
    TRUNCATED_TCP("datagram ends inside the 20-octet TCP header"),
    BAD_TCP_DATA_OFFSET("TCP data offset below 5 or past the end of the segment"),
    BAD_TCP_CHECKSUM("TCP checksum does not verify"),
    // UDP
    TRUNCATED_UDP("datagram ends inside the 8-octet UDP header"),
    BAD_UDP_LENGTH("UDP length below 8 or longer than the IP payload"),
    BAD_UDP_CHECKSUM("UDP checksum does not verify (or is zero over IPv6)"),
    // SCTP
    TRUNCATED_SCTP("datagram shorter than an SCTP common header and one chunk header (16 octets)"),
    BAD_SCTP_CHUNK("SCTP chunk length below 4 or past the end of the packet"),
    BAD_SCTP_CHECKSUM("SCTP CRC32c does not verify"),
    // ICMP
    TRUNCATED_ICMP("datagram shorter than an 8-octet ICMP header"),
    BAD_ICMP_CHECKSUM("ICMP checksum does not verify"),
    TRUNCATED_ICMPV6("datagram shorter than an 8-octet ICMPv6 header"),
    BAD_ICMPV6_CHECKSUM("ICMPv6 checksum does not verify"),
    // transmitters (io.jlvs.xmit)
    NEIGH_UNRESOLVED("next hop's link-layer address not resolved (yet)"),
    NO_ROUTE("no route to the destination"),
    TTL_EXCEEDED("TTL or hop limit 1 or 0 on a packet to forward: ICMP time exceeded sent to its source"),
    MTU_EXCEEDED("packet over the path MTU with DF set (IPv6: any): ICMP fragmentation needed or packet too big sent, unless the packet is an ICMP error or a non-first fragment"),
    TUNNEL_MTU_TOO_SMALL("path MTU minus the tunnel headers below 68 (IPv4 outer) or 1280 (IPv6 outer)"),
    NO_HEADROOM("buffer too small for the headers to prepend, even after moving the packet"),
    TX_QUEUE_FULL("transmit port refused the frame (ring full)"),
    LOCAL_ROUTE_REFUSED("route crosses between local and remote addresses: bypass to a local address, loopback source, DNAT to loopback"),
    BAD_ICMP_QUOTE("ICMP error quotes no complete IP header (and ports) of the connection's family to rewrite"),
    FRAGMENT_UNSUPPORTED("fragment that cannot be forwarded as asked: SCTP port change (the CRC32c covers the whole packet) or an IPv6 tunnel packet to fragment"),
    NONFIRST_FRAGMENT("non-first fragment to a virtual address: it carries no ports to find its connection by, and jlvs does not reassemble"),
    NO_REAL_SERVER("new connection to a virtual service with no available real server: ICMP port unreachable sent to the client (ip_vs_leave)"),
    CONN_TABLE_FULL("connection table full: the new connection was refused, existing ones are unaffected"),
    DEST_UNAVAILABLE("packet of a connection whose real server was removed, with expire_nodest_conn off"),
    // application helpers (io.jlvs.app)
    PAYLOAD_REWRITE_FAILED("application helper could not rewrite the payload (an FTP 227/229 reply): no room after the frame for the longer text, or the datagram would pass 65535 octets"),
    NO_PE_DATA("new connection to a persistent service whose persistence engine found no key in the packet (--pe sip: not UDP, or no usable Call-ID): dropped without ICMP, no template made (ip_vs_sched_persist *ignored = -1)"),
    // offloads (virtio-net header)
    BAD_OFFLOAD("virtio-net header does not fit the packet: GSO type not the packet's (TCPv4, TCPv6, UDP), GSO size 0, a fragment, checksum offsets outside the datagram; or a super-frame whose headers are too long to cut"),
    // neighbour discovery (io.jlvs.host)
    BAD_ARP_ADDRESS("ARP with a group (multicast or broadcast) or zero sender MAC, or a multicast, loopback or broadcast sender or target IPv4 address"),
    BAD_NDP("neighbour solicitation or advertisement failing RFC 4861 section 7.1: hop limit not 255, code not 0, shorter than 24 octets, multicast target, bad option, a group link-layer address, duplicate address detection not to the solicited-node group or with a source link-layer option, solicited advertisement to a group");

    /** Number of reasons: the length of a counter array indexed by {@link #code()}. */
    public static final int COUNT = values().length;
    private static final DropReason[] BY_CODE = values();

    private final String description;

    DropReason(String description) {
        this.description = description;
    }

    /** Stable counter index. */
    public int code() { return ordinal(); }

    /** One line for an operator: what was wrong with the frame. */
    public String description() { return description; }

    /** The reason with {@code code}, or null if there is none. */
    public static DropReason of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
