package io.jlvs.xmit;

/**
 * The answer of a route lookup ({@link NextHops#resolve}): the interface, the link-layer addresses, the path MTU
 * and the director's own address toward the destination. IPVS keeps the same facts in the {@code dst_entry}
 * cached per real server ({@code ip_vs_dest_dst}: route, MTU, {@code dst_saddr}).
 *
 * <p>A mutable holder, one per transmitter, refilled on every lookup: never allocate one per packet.
 */
public final class Egress {
    /** {@link #vlanTci} of an untagged interface. */
    public static final int NO_VLAN = -1;

    /** Interface to send on ({@link TxPort#send}'s first argument). */
    public int ifIndex;
    /** The director's MAC on that interface: the frame's source. */
    public long srcMac;
    /** The next hop's MAC (the destination itself on a connected network, else the gateway). */
    public long dstMac;
    /** 802.1Q tag control information (priority and VLAN id) to put on the frame, or {@link #NO_VLAN}. */
    public int vlanTci = NO_VLAN;
    /** MTU toward the destination (route or interface MTU), octets of IP packet. */
    public int mtu = 1500;
    /**
     * The director's address toward the destination, in the destination's family (IPv4 in the low 32 bits
     * of {@link #srcLo}): the source of a tunnel's outer header and of ICMP errors the director originates.
     */
    public long srcHi, srcLo;

    /** Fills every field (tests and fakes). */
    public Egress set(int ifIndex, long srcMac, long dstMac, int vlanTci, int mtu, long srcHi, long srcLo) {
        this.ifIndex = ifIndex;
        this.srcMac = srcMac;
        this.dstMac = dstMac;
        this.vlanTci = vlanTci;
        this.mtu = mtu;
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        return this;
    }

    /** Copies {@code o} into this. */
    public Egress copy(Egress o) {
        return set(o.ifIndex, o.srcMac, o.dstMac, o.vlanTci, o.mtu, o.srcHi, o.srcLo);
    }

    /** Octets of the Ethernet header this egress writes: 14, or 18 with a VLAN tag. */
    public int l2Length() { return vlanTci == NO_VLAN ? 14 : 18; }
}
