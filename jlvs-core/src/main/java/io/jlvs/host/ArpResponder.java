package io.jlvs.host;

import io.jlvs.packet.ArpView;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.EthernetView;
import io.jlvs.packet.Flow;
import io.jlvs.packet.IfEther;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.TxPort;
import io.jlvs.xmit.Verdict;

import java.lang.foreign.MemorySegment;

/**
 * Answers ARP for the addresses jlvs owns and learns neighbours from ARP, as the kernel's {@code arp_process}
 * does for its own addresses ({@code net/ipv4/arp.c}):
 *
 * <ul>
 *   <li>a request for an address jlvs owns on the interface ({@link LocalAddresses#ownedOn}: VIPs, NAT gateways)
 *       is turned into the reply in place (from the interface's MAC, to the requester's MAC, VLAN tags kept) and
 *       sent: {@link Verdict#TX}. Probes from {@code 0.0.0.0} (RFC 5227) are answered too, to {@code 0.0.0.0},
 *       as the kernel defends its addresses;</li>
 *   <li>everything else is {@link Verdict#PASS}: the host's own addresses are the kernel's to answer, and the
 *       kernel sees every reply;</li>
 *   <li>the sender is learned ({@link NeighbourResolver#learn}) when its address is on a connected route out of
 *       the interface and is not one of the director's own: created from requests for an address answered here
 *       (by jlvs or the kernel: stale) and from replies to the interface's MAC (reachable), otherwise only updated (stale);</li>
 *   <li>invalid frames are dropped with a {@link DropReason}: truncated, not Ethernet/IPv4, neither request nor
 *       reply ({@link DropReason#BAD_ARP}), a group or zero sender MAC, a multicast, loopback or limited
 *       broadcast address ({@link DropReason#BAD_ARP_ADDRESS}).</li>
 * </ul>
 *
 * One per data-plane thread; no allocation, no exceptions.
 */
public final class ArpResponder {
    private final HostTables tables;
    private final NeighbourResolver resolver;
    private final EthernetView eth = new EthernetView();
    private final ArpView arp = new ArpView();
    private long replies, conflicts, unknownInterface;

    public ArpResponder(HostTables tables, NeighbourResolver resolver) {
        this.tables = tables;
        this.resolver = resolver;
    }

    /**
     * One received frame ({@link Frame#ifIndex} and {@link Frame#nowNs} set).
     *
     * @return {@link Verdict#TX} (the reply was queued on {@code tx} on the frame's interface), {@link Verdict#PASS},
     *         or the {@link DropReason#code()} of the drop
     */
    public int handle(Frame f, TxPort tx) {
        MemorySegment seg = f.segment();
        long start = f.start(), end = f.end();
        eth.wrap(seg, start);
        int tags = eth.walkTags(end);
        if (tags == EthernetView.TAGS_TRUNCATED) return DropReason.TRUNCATED_VLAN.code();
        if (tags == EthernetView.TAGS_LIMIT) return DropReason.VLAN_TAG_LIMIT.code();
        if (eth.etherType() != IfEther.ETH_P_ARP) return Verdict.PASS;
        long l3 = eth.payloadOffset();
        if (end - l3 < ArpView.LENGTH) return DropReason.TRUNCATED_ARP.code();
        arp.wrap(seg, l3);
        int op = arp.oper();
        if (!arp.isEthernetIpv4() || (op != ArpView.OP_REQUEST && op != ArpView.OP_REPLY)) return DropReason.BAD_ARP.code();
        long sha = arp.sha();
        int spa = arp.spa(), tpa = arp.tpa();
        if (!Neighbours.isUnicastMac(sha) || !hostAddress(tpa) || (spa != 0 && !hostAddress(spa))) {
            return DropReason.BAD_ARP_ADDRESS.code();
        }
        int ifIndex = f.ifIndex;
        Link link = tables.links().get(ifIndex);
        if (link == null) {
            unknownInterface++;
            return Verdict.PASS;
        }
        LocalAddresses local = tables.addresses();
        boolean request = op == ArpView.OP_REQUEST;
        long t = tpa & 0xFFFF_FFFFL;
        int owned = request ? local.ownedOn(Flow.AF_INET, 0, t, ifIndex) : LocalAddresses.NOT_OWNED;

        if (spa != 0) {
            long s = spa & 0xFFFF_FFFFL;
            if (local.isLocal(Flow.AF_INET, 0, s)) {
                if (sha != link.mac() && local.ownedOn(Flow.AF_INET, 0, s, ifIndex) != LocalAddresses.NOT_OWNED) conflicts++;
            } else if (connected(spa, ifIndex)) {
                boolean toUs = eth.dst() == link.mac();
                boolean create = request ? owned != LocalAddresses.NOT_OWNED || local.isHost(Flow.AF_INET, 0, t) : toUs;
                int state = !request && toUs ? Neighbours.REACHABLE : Neighbours.STALE;
                resolver.learn(Flow.AF_INET, 0, s, ifIndex, sha, state, create, true, f.nowNs);
            }
        }
        if (owned == LocalAddresses.NOT_OWNED) return Verdict.PASS;
        // arp_send(ARPOP_REPLY, ETH_P_ARP, sip, dev, tip, sha, dev->dev_addr, sha)
        eth.dst(sha).src(link.mac());
        NeighbourFrames.writeArp(seg, l3, ArpView.OP_REPLY, link.mac(), tpa, sha, spa);
        int length = (int) (l3 + ArpView.LENGTH - start);
        f.bounds(start, length);
        if (!tx.send(ifIndex, seg, start, length)) return DropReason.TX_QUEUE_FULL.code();
        replies++;
        return Verdict.TX;
    }

    /** Not multicast (224/4), loopback (127/8) or the limited broadcast: an address an ARP may name. */
    private static boolean hostAddress(int a) {
        return (a >>> 28) != 0xE && (a >>> 24) != 127 && a != -1;
    }

    /** The kernel learns from ARP only about neighbours on the link: a connected route out of the interface. */
    private boolean connected(int addr, int ifIndex) {
        RouteTable routes = tables.routes();
        int r = routes.lookup4(addr);
        return r != RouteTable.NO_ROUTE && routes.type(r) == Route.RTN_UNICAST && !routes.hasGateway(r)
                && routes.oif(r) == ifIndex;
    }

    /** Replies sent. */
    public long replies() { return replies; }

    /** ARP frames from another MAC claiming an address jlvs owns on the interface (a duplicate address). */
    public long conflicts() { return conflicts; }

    /** ARP frames on interfaces the link table does not know (passed). */
    public long unknownInterface() { return unknownInterface; }
}
