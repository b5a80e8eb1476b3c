package io.jlvs.host;

import io.jlvs.packet.Checksums;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.EthernetView;
import io.jlvs.packet.Flow;
import io.jlvs.packet.Icmpv6View;
import io.jlvs.packet.IfEther;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv6View;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.TxPort;
import io.jlvs.xmit.Verdict;

import java.lang.foreign.MemorySegment;

/**
 * Answers neighbour solicitations for the IPv6 addresses jlvs owns and learns neighbours from NDP, as the
 * kernel's {@code ndisc_recv_ns} / {@code ndisc_recv_na} do for its own ({@code net/ipv6/ndisc.c}, RFC 4861):
 *
 * <ul>
 *   <li>an NS for an address jlvs owns on the interface becomes, in place, the NA: from the target address to the
 *       solicitation's source (to the MAC of its source link-layer option, else the frame's source MAC), flags
 *       S and O (and R for a NAT gateway), a target link-layer option with the interface's MAC, hop limit 255,
 *       checksum computed; an NS for duplicate address detection (from {@code ::}) is answered to all nodes
 *       ({@code ff02::1}) without S, so the prober learns the address is taken: {@link Verdict#TX};</li>
 *   <li>everything else is {@link Verdict#PASS}, for the kernel;</li>
 *   <li>learning: the source link-layer option of an NS (stale; created when the target is answered here, by jlvs or the kernel),
 *       the target link-layer option of an NA (reachable when solicited; created when sent to the interface's
 *       MAC; a non-override NA does not replace a known MAC);</li>
 *   <li>validation (RFC 4861 sections 7.1.1, 7.1.2), each failure a drop: hop limit 255, ICMPv6 checksum, code 0,
 *       at least 24 octets, no multicast target, well-formed options, group link-layer addresses refused;
 *       an NS from {@code ::} only to the target's solicited-node group and without a source link-layer
 *       option; a solicited NA not to a group.</li>
 * </ul>
 *
 * Only NS and NA directly after the IPv6 header are handled (no extension headers; RFC 6980 forbids fragments).
 * One per data-plane thread; no allocation, no exceptions.
 */
public final class NdpResponder {
    private final HostTables tables;
    private final NeighbourResolver resolver;
    private final EthernetView eth = new EthernetView();
    private final Ipv6View ip6 = new Ipv6View();
    private final Icmpv6View icmp = new Icmpv6View();
    private long advertisements, conflicts, unknownInterface;

    public NdpResponder(HostTables tables, NeighbourResolver resolver) {
        this.tables = tables;
        this.resolver = resolver;
    }

    /**
     * One received frame ({@link Frame#ifIndex} and {@link Frame#nowNs} set). An answer needs
     * {@link NeighbourFrames#ND_L3_LENGTH} octets of buffer from the IPv6 header on.
     *
     * @return {@link Verdict#TX} (the NA was queued on {@code tx} on the frame's interface), {@link Verdict#PASS},
     *         or the {@link DropReason#code()} of the drop
     */
    public int handle(Frame f, TxPort tx) {
        MemorySegment seg = f.segment();
        long start = f.start(), end = f.end();
        eth.wrap(seg, start);
        int tags = eth.walkTags(end);
        if (tags == EthernetView.TAGS_TRUNCATED) return DropReason.TRUNCATED_VLAN.code();
        if (tags == EthernetView.TAGS_LIMIT) return DropReason.VLAN_TAG_LIMIT.code();
        if (eth.etherType() != IfEther.ETH_P_IPV6) return Verdict.PASS;
        long l3 = eth.payloadOffset();
        if (end - l3 < Ipv6View.HEADER_LENGTH) return DropReason.TRUNCATED_IPV6.code();
        ip6.wrap(seg, l3);
        if (ip6.version() != 6) return DropReason.BAD_IPV6_VERSION.code();
        int icmpLength = ip6.payloadLength();
        long l3End = l3 + Ipv6View.HEADER_LENGTH + icmpLength;
        if (l3End > end) return DropReason.IPV6_PAYLOAD_LENGTH.code();
        if (ip6.nextHeader() != IpProto.IPPROTO_ICMPV6) return Verdict.PASS;
        long l4 = l3 + Ipv6View.HEADER_LENGTH;
        if (icmpLength < Icmpv6View.HEADER_LENGTH) return DropReason.TRUNCATED_ICMPV6.code();
        icmp.wrap(seg, l4);
        int type = icmp.type();
        if (type != Icmpv6View.NEIGHBOR_SOLICITATION && type != Icmpv6View.NEIGHBOR_ADVERTISEMENT) return Verdict.PASS;

        long srcHi = ip6.srcHi(), srcLo = ip6.srcLo(), dstHi = ip6.dstHi(), dstLo = ip6.dstLo();
        if (ip6.hopLimit() != NeighbourFrames.ND_HOP_LIMIT || icmp.code() != 0 || icmpLength < Icmpv6View.ND_MIN_LENGTH) {
            return DropReason.BAD_NDP.code();
        }
        if (Checksums.transport6(seg, l4, icmpLength, srcHi, srcLo, dstHi, dstLo, IpProto.IPPROTO_ICMPV6) != 0) {
            return DropReason.BAD_ICMPV6_CHECKSUM.code();
        }
        long targetHi = icmp.targetHi(), targetLo = icmp.targetLo();
        if ((targetHi >>> 56) == 0xFF || !icmp.walkNdOptions(l3End)) return DropReason.BAD_NDP.code();
        boolean unspecified = (srcHi | srcLo) == 0;
        if ((srcHi >>> 56) == 0xFF) return DropReason.BAD_NDP.code();      // a group is never a source

        int ifIndex = f.ifIndex;
        Link link = tables.links().get(ifIndex);
        if (link == null) {
            unknownInterface++;
            return Verdict.PASS;
        }
        LocalAddresses local = tables.addresses();
        return type == Icmpv6View.NEIGHBOR_SOLICITATION
                ? solicitation(f, tx, link, local, l3, unspecified, srcHi, srcLo, dstHi, dstLo, targetHi, targetLo)
                : advertisement(f, link, local, dstHi, targetHi, targetLo);
    }

    private int solicitation(Frame f, TxPort tx, Link link, LocalAddresses local, long l3, boolean unspecified,
                             long srcHi, long srcLo, long dstHi, long dstLo, long targetHi, long targetLo) {
        long sllao = icmp.sourceLinkLayerAddress();
        if (sllao != Icmpv6View.NO_LL_ADDR && !Neighbours.isUnicastMac(sllao)) return DropReason.BAD_NDP.code();
        if (unspecified && (sllao != Icmpv6View.NO_LL_ADDR || !NeighbourFrames.isSolicitedNode(dstHi, dstLo, targetLo))) {
            return DropReason.BAD_NDP.code();
        }
        int ifIndex = f.ifIndex;
        int owned = local.ownedOn(Flow.AF_INET6, targetHi, targetLo, ifIndex);
        boolean forUs = owned != LocalAddresses.NOT_OWNED || local.isHost(Flow.AF_INET6, targetHi, targetLo);
        if (!unspecified && sllao != Icmpv6View.NO_LL_ADDR) {
            if (local.isLocal(Flow.AF_INET6, srcHi, srcLo)) {
                if (sllao != link.mac()) conflicts++;
            } else {
                resolver.learn(Flow.AF_INET6, srcHi, srcLo, ifIndex, sllao, Neighbours.STALE, forUs, true, f.nowNs);
            }
        }
        if (owned == LocalAddresses.NOT_OWNED) return Verdict.PASS;
        if (unspecified) conflicts++;                   // someone means to take the address: the NA tells it no
        MemorySegment seg = f.segment();
        long start = f.start();
        if (f.bufferEnd() - l3 < NeighbourFrames.ND_L3_LENGTH) return DropReason.NO_HEADROOM.code();

        long ethDst;
        int flags = Icmpv6View.NA_OVERRIDE | (owned == LocalAddresses.NAT_GATEWAY ? Icmpv6View.NA_ROUTER : 0);
        long toHi, toLo;
        if (unspecified) {                              // ndisc_send_na(dev, &in6addr_linklocal_allnodes, ...)
            ethDst = NeighbourFrames.ALL_NODES_MAC;
            toHi = NeighbourFrames.ALL_NODES_HI;
            toLo = NeighbourFrames.ALL_NODES_LO;
        } else {
            ethDst = sllao != Icmpv6View.NO_LL_ADDR ? sllao : eth.src();
            toHi = srcHi;
            toLo = srcLo;
            flags |= Icmpv6View.NA_SOLICITED;
        }
        eth.dst(ethDst).src(link.mac());
        NeighbourFrames.writeNd(seg, l3, targetHi, targetLo, toHi, toLo, Icmpv6View.NEIGHBOR_ADVERTISEMENT, flags,
                targetHi, targetLo, Icmpv6View.OPT_TARGET_LL_ADDR, link.mac());
        int length = (int) (l3 + NeighbourFrames.ND_L3_LENGTH - start);
        f.bounds(start, length);
        if (!tx.send(ifIndex, seg, start, length)) return DropReason.TX_QUEUE_FULL.code();
        advertisements++;
        return Verdict.TX;
    }

    private int advertisement(Frame f, Link link, LocalAddresses local, long dstHi, long targetHi, long targetLo) {
        int flags = icmp.ndFlags();
        if ((dstHi >>> 56) == 0xFF && (flags & Icmpv6View.NA_SOLICITED) != 0) return DropReason.BAD_NDP.code();
        long tllao = icmp.targetLinkLayerAddress();
        if (tllao != Icmpv6View.NO_LL_ADDR && !Neighbours.isUnicastMac(tllao)) return DropReason.BAD_NDP.code();
        if (local.isLocal(Flow.AF_INET6, targetHi, targetLo)) {
            if (tllao != link.mac() && local.ownedOn(Flow.AF_INET6, targetHi, targetLo, f.ifIndex) != LocalAddresses.NOT_OWNED) {
                conflicts++;
            }
            return Verdict.PASS;
        }
        if (tllao != Icmpv6View.NO_LL_ADDR) {
            boolean solicited = (flags & Icmpv6View.NA_SOLICITED) != 0;
            boolean toUs = eth.dst() == link.mac();
            resolver.learn(Flow.AF_INET6, targetHi, targetLo, f.ifIndex, tllao,
                    solicited ? Neighbours.REACHABLE : Neighbours.STALE, toUs, (flags & Icmpv6View.NA_OVERRIDE) != 0, f.nowNs);
        }
        return Verdict.PASS;
    }

    /** Advertisements sent in answer. */
    public long advertisements() { return advertisements; }

    /** NDP frames from another MAC claiming (or probing for) an address jlvs owns on the interface. */
    public long conflicts() { return conflicts; }

    /** NDP frames on interfaces the link table does not know (passed). */
    public long unknownInterface() { return unknownInterface; }
}
