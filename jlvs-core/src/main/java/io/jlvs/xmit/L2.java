package io.jlvs.xmit;

import io.jlvs.packet.NetworkOrder;
import io.jlvs.packet.IfEther;

import java.lang.foreign.MemorySegment;

/**
 * Writes the Ethernet header of a frame leaving the director: destination the next hop's MAC, source the
 * director's, an 802.1Q tag when the egress has one, then the EtherType. IPVS leaves this to the neighbour
 * layer ({@code neigh_output} after {@code ip_finish_output2}); here every transmitter calls it last.
 *
 * <pre>
 * +--------------------+--------------------+ - - - - - - - - - - - - +-----------+
 * | destination MAC (6)|   source MAC (6)   | 0x8100 | TCI (optional) | EtherType | IP ...
 * +--------------------+--------------------+ - - - - - - - - - - - - +-----------+
 * </pre>
 */
final class L2 {
    private L2() {}

    /**
     * Writes the header so that it ends at {@code l3At} (the caller reserved {@link Egress#l2Length()} octets
     * before it) and sets the frame to run from there to {@link Frame#l3End()}.
     *
     * @return the frame's new start
     */
    static long write(Frame f, long l3At, Egress e, int etherType) {
        MemorySegment seg = f.segment();
        long start = l3At - e.l2Length();
        NetworkOrder.mac(seg, start, e.dstMac);
        NetworkOrder.mac(seg, start + IfEther.ETH_ALEN, e.srcMac);
        long p = start + 2 * IfEther.ETH_ALEN;
        if (e.vlanTci != Egress.NO_VLAN) {
            NetworkOrder.u16(seg, p, IfEther.ETH_P_8021Q);
            NetworkOrder.u16(seg, p + 2, e.vlanTci);
            p += IfEther.VLAN_HLEN;
        }
        NetworkOrder.u16(seg, p, etherType);
        f.bounds(start, (int) (f.l3End() - start));
        return start;
    }
}
