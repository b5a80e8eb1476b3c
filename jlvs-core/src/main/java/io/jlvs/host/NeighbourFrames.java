package io.jlvs.host;

import io.jlvs.packet.ArpView;
import io.jlvs.packet.Checksums;
import io.jlvs.packet.Icmpv6View;
import io.jlvs.packet.IfEther;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv6View;
import io.jlvs.packet.NetworkOrder;

import java.lang.foreign.MemorySegment;

/**
 * Builds the neighbour-discovery frames jlvs originates, whole, at an offset of a buffer: ARP requests
 * (resolution and gratuitous, RFC 826 / RFC 5227), neighbour solicitations and unsolicited advertisements
 * (RFC 4861). Static, no allocation; each returns the frame's length. The caller owns the buffer (at least
 * {@link #MAX_LENGTH} octets from the offset) and sends the frame on the interface whose MAC it names.
 *
 * <pre>
 * ARP (42 octets):  [dst MAC][src MAC][0x0806] [htype 1|ptype 0x0800|6|4|oper][sha][spa][tha][tpa]
 * ND  (86 octets):  [dst MAC][src MAC][0x86DD] [IPv6, hop limit 255, next header 58]
 *                   [type 135/136|code 0|checksum][flags][target (16)][option type|len 1|MAC (6)]
 * </pre>
 */
public final class NeighbourFrames {
    public static final long BROADCAST_MAC = 0xFFFF_FFFF_FFFFL;
    /** {@code 33:33:00:00:00:01}: the all-nodes group's MAC (RFC 2464 section 7). */
    public static final long ALL_NODES_MAC = 0x3333_0000_0001L;
    /** {@code ff02::1}. */
    public static final long ALL_NODES_HI = 0xFF02_0000_0000_0000L, ALL_NODES_LO = 1;
    public static final int ARP_LENGTH = IfEther.ETH_HLEN + ArpView.LENGTH;
    /** Octets of an NS or NA with one link-layer address option, from its IPv6 header. */
    public static final int ND_L3_LENGTH = Ipv6View.HEADER_LENGTH + Icmpv6View.ND_MIN_LENGTH + 8;
    public static final int ND_LENGTH = IfEther.ETH_HLEN + ND_L3_LENGTH;
    /** The largest frame built here. */
    public static final int MAX_LENGTH = ND_LENGTH;
    /** ND messages travel with this hop limit; a receiver refuses any other (RFC 4861 section 7.1). */
    public static final int ND_HOP_LIMIT = 255;

    private NeighbourFrames() {}

    /** An ARP request for {@code targetIp} from {@code senderMac}/{@code senderIp}, broadcast (target MAC zero). */
    public static int arpRequest(MemorySegment seg, long off, long senderMac, int senderIp, int targetIp) {
        return arp(seg, off, BROADCAST_MAC, senderMac, ArpView.OP_REQUEST, senderMac, senderIp, 0, targetIp);
    }

    /**
     * A gratuitous ARP for {@code ip} at {@code mac}, in the request form keepalived sends
     * ({@code send_gratuitous_arp_immediate}): broadcast, sender and target address both {@code ip}, target MAC
     * all ones.
     */
    public static int gratuitousArp(MemorySegment seg, long off, long mac, int ip) {
        return arp(seg, off, BROADCAST_MAC, mac, ArpView.OP_REQUEST, mac, ip, BROADCAST_MAC, ip);
    }

    /** An Ethernet/IPv4 ARP packet behind an untagged Ethernet header. */
    static int arp(MemorySegment seg, long off, long ethDst, long ethSrc, int oper, long sha, int spa, long tha, int tpa) {
        NetworkOrder.mac(seg, off, ethDst);
        NetworkOrder.mac(seg, off + IfEther.ETH_ALEN, ethSrc);
        NetworkOrder.u16(seg, off + 12, IfEther.ETH_P_ARP);
        writeArp(seg, off + IfEther.ETH_HLEN, oper, sha, spa, tha, tpa);
        return ARP_LENGTH;
    }

    /** The 28 octets of an Ethernet/IPv4 ARP packet at {@code at}. */
    static void writeArp(MemorySegment seg, long at, int oper, long sha, int spa, long tha, int tpa) {
        NetworkOrder.u16(seg, at + ArpView.HTYPE, ArpView.HTYPE_ETHERNET);
        NetworkOrder.u16(seg, at + ArpView.PTYPE, IfEther.ETH_P_IP);
        NetworkOrder.u8(seg, at + ArpView.HLEN, IfEther.ETH_ALEN);
        NetworkOrder.u8(seg, at + ArpView.PLEN, 4);
        NetworkOrder.u16(seg, at + ArpView.OPER, oper);
        NetworkOrder.mac(seg, at + ArpView.SHA, sha);
        NetworkOrder.i32(seg, at + ArpView.SPA, spa);
        NetworkOrder.mac(seg, at + ArpView.THA, tha);
        NetworkOrder.i32(seg, at + ArpView.TPA, tpa);
    }

    /**
     * A neighbour solicitation for {@code target} from {@code srcMac}/{@code src} to the target's solicited-node
     * multicast address ({@code ff02::1:ffXX:XXXX}, RFC 4291 section 2.7.1), with a source link-layer address
     * option.
     */
    public static int neighbourSolicitation(MemorySegment seg, long off, long srcMac, long srcHi, long srcLo,
                                            long targetHi, long targetLo) {
        long dstLo = solicitedNodeLo(targetLo);
        NetworkOrder.mac(seg, off, multicastMac(dstLo));
        NetworkOrder.mac(seg, off + IfEther.ETH_ALEN, srcMac);
        NetworkOrder.u16(seg, off + 12, IfEther.ETH_P_IPV6);
        writeNd(seg, off + IfEther.ETH_HLEN, srcHi, srcLo, SOLICITED_NODE_HI, dstLo, Icmpv6View.NEIGHBOR_SOLICITATION,
                0, targetHi, targetLo, Icmpv6View.OPT_SOURCE_LL_ADDR, srcMac);
        return ND_LENGTH;
    }

    /**
     * An unsolicited neighbour advertisement for {@code addr} at {@code mac} to all nodes ({@code ff02::1}), with
     * the override flag (and the router flag when {@code router}) and a target link-layer address option
     * (RFC 4861 section 7.2.6): what jlvs sends when it takes an IPv6 address.
     */
    public static int unsolicitedAdvertisement(MemorySegment seg, long off, long mac, long hi, long lo, boolean router) {
        NetworkOrder.mac(seg, off, ALL_NODES_MAC);
        NetworkOrder.mac(seg, off + IfEther.ETH_ALEN, mac);
        NetworkOrder.u16(seg, off + 12, IfEther.ETH_P_IPV6);
        int flags = Icmpv6View.NA_OVERRIDE | (router ? Icmpv6View.NA_ROUTER : 0);
        writeNd(seg, off + IfEther.ETH_HLEN, hi, lo, ALL_NODES_HI, ALL_NODES_LO, Icmpv6View.NEIGHBOR_ADVERTISEMENT,
                flags, hi, lo, Icmpv6View.OPT_TARGET_LL_ADDR, mac);
        return ND_LENGTH;
    }

    /**
     * An IPv6 header and an NS or NA with one link-layer address option at {@code at}, checksum filled:
     * {@link #ND_L3_LENGTH} octets.
     */
    static void writeNd(MemorySegment seg, long at, long srcHi, long srcLo, long dstHi, long dstLo, int type, int flags,
                        long targetHi, long targetLo, int optType, long mac) {
        int icmpLength = ND_L3_LENGTH - Ipv6View.HEADER_LENGTH;
        NetworkOrder.i32(seg, at, 6 << 28);
        NetworkOrder.u16(seg, at + Ipv6View.PAYLOAD_LENGTH, icmpLength);
        NetworkOrder.u8(seg, at + Ipv6View.NEXT_HEADER, IpProto.IPPROTO_ICMPV6);
        NetworkOrder.u8(seg, at + Ipv6View.HOP_LIMIT, ND_HOP_LIMIT);
        NetworkOrder.i64(seg, at + Ipv6View.SRC, srcHi);
        NetworkOrder.i64(seg, at + Ipv6View.SRC + 8, srcLo);
        NetworkOrder.i64(seg, at + Ipv6View.DST, dstHi);
        NetworkOrder.i64(seg, at + Ipv6View.DST + 8, dstLo);
        long icmp = at + Ipv6View.HEADER_LENGTH;
        NetworkOrder.u8(seg, icmp + Icmpv6View.TYPE, type);
        NetworkOrder.u8(seg, icmp + Icmpv6View.CODE, 0);
        NetworkOrder.u16(seg, icmp + Icmpv6View.CHECKSUM, 0);
        NetworkOrder.i32(seg, icmp + Icmpv6View.ND_FLAGS, flags << 24);
        NetworkOrder.i64(seg, icmp + Icmpv6View.ND_TARGET, targetHi);
        NetworkOrder.i64(seg, icmp + Icmpv6View.ND_TARGET + 8, targetLo);
        long opt = icmp + Icmpv6View.ND_MIN_LENGTH;
        NetworkOrder.u8(seg, opt, optType);
        NetworkOrder.u8(seg, opt + 1, 1);
        NetworkOrder.mac(seg, opt + 2, mac);
        NetworkOrder.u16(seg, icmp + Icmpv6View.CHECKSUM,
                Checksums.transport6(seg, icmp, icmpLength, srcHi, srcLo, dstHi, dstLo, IpProto.IPPROTO_ICMPV6));
    }

    /** First half of every solicited-node multicast address: {@code ff02::}. */
    public static final long SOLICITED_NODE_HI = 0xFF02_0000_0000_0000L;

    /** Second half of the solicited-node multicast address of an address whose second half is {@code lo}. */
    public static long solicitedNodeLo(long lo) { return 0x0000_0001_FF00_0000L | (lo & 0xFF_FFFFL); }

    /** True when {@code hi}/{@code lo} is the solicited-node multicast address of {@code targetLo}'s address. */
    public static boolean isSolicitedNode(long hi, long lo, long targetLo) {
        return hi == SOLICITED_NODE_HI && lo == solicitedNodeLo(targetLo);
    }

    /** The Ethernet MAC of an IPv6 multicast group: {@code 33:33} and the group's last 32 bits (RFC 2464). */
    public static long multicastMac(long groupLo) { return 0x3333_0000_0000L | (groupLo & 0xFFFF_FFFFL); }
}
