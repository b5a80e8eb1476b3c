package io.jlvs.netio.ring;

import io.jlvs.netio.sys.IfPacket;

/**
 * What the kernel said about one received frame, beyond its bytes: a mutable object owned by the ring and
 * refilled for every frame (valid only during {@link RxHandler#onFrame}; copy what must outlive the call).
 *
 * <p>Checksum state, as AF_PACKET reports Linux's {@code ip_summed}: {@link #csumNotReady()} (the frame was
 * sent by a local stack, e.g. the peer of a veth, and its L4 checksum holds only the pseudo-header sum; the
 * virtio header's NEEDS_CSUM, csum_start and csum_offset say where), {@link #csumValid()} (the checksums were
 * verified by the NIC) or neither (nothing is known: verify or forward as is).
 */
public final class RxMeta {

    private final VnetHdr vnet = new VnetHdr();
    int ifIndex;
    int status;
    int pktType;
    int vlanTci;
    int vlanTpid;
    boolean vlanReinserted;
    boolean hasVnet;
    int length;
    int wireLength;
    int tsSec;
    int tsNsec;

    /** The interface the frame arrived on ({@code sll_ifindex}). */
    public int ifIndex() {
        return ifIndex;
    }

    /**
     * The frame's {@code tp_status} bits ({@code IfPacket.TP_STATUS_*}), with {@link IfPacket#TP_STATUS_LOSING} (the
     * kernel dropped frames since the statistics were last read: per frame with V2, from the block with V3).
     */
    public int status() {
        return status;
    }

    /** {@code sll_pkttype}: {@link IfPacket#PACKET_HOST}, BROADCAST, MULTICAST or OTHERHOST. */
    public int pktType() {
        return pktType;
    }

    /** The L4 checksum is partial (CHECKSUM_PARTIAL): see {@link #vnet()} for where to complete it. */
    public boolean csumNotReady() {
        return (status & IfPacket.TP_STATUS_CSUMNOTREADY) != 0;
    }

    /** The device verified the checksums (CHECKSUM_UNNECESSARY). */
    public boolean csumValid() {
        return (status & IfPacket.TP_STATUS_CSUM_VALID) != 0;
    }

    /** The frame is a TCP GSO super-frame (larger than the MTU; {@link #vnet()} has its segment size). */
    public boolean gsoTcp() {
        return (status & IfPacket.TP_STATUS_GSO_TCP) != 0;
    }

    /** The kernel has dropped frames for want of ring space since the statistics were last read. */
    public boolean losing() {
        return (status & IfPacket.TP_STATUS_LOSING) != 0;
    }

    /**
     * The kernel had taken an 802.1Q/802.1ad tag out of the frame ({@code TP_STATUS_VLAN_VALID}); the ring put it
     * back in place (the 12 MAC bytes moved 4 bytes into the headroom), so the frame handed over carries it.
     */
    public boolean vlanReinserted() {
        return vlanReinserted;
    }

    /** The tag's TCI (priority, DEI, VLAN id) when {@link #vlanReinserted()}. */
    public int vlanTci() {
        return vlanTci;
    }

    /** The tag's TPID (0x8100 or 0x88a8) when {@link #vlanReinserted()}. */
    public int vlanTpid() {
        return vlanTpid;
    }

    /** Whether {@link #vnet()} was read from the ring (the ring was opened with a virtio-net header). */
    public boolean hasVnet() {
        return hasVnet;
    }

    /**
     * The frame's virtio-net header (offload facts), adjusted for a re-inserted VLAN tag; all zero when the ring
     * has no virtio-net header. The handler may pass it to {@link PacketRing#send} as is, or edit it first.
     */
    public VnetHdr vnet() {
        return vnet;
    }

    /** Bytes of the frame in the ring: the length handed to the handler. */
    public int length() {
        return length;
    }

    /** The frame's length on the wire ({@code tp_len}, plus a re-inserted tag); equals {@link #length()}. */
    public int wireLength() {
        return wireLength;
    }

    /** Receive time: seconds of {@code CLOCK_REALTIME}. */
    public int tsSec() {
        return tsSec;
    }

    public int tsNsec() {
        return tsNsec;
    }

    @Override
    public String toString() {
        return "RxMeta[ifIndex=" + ifIndex + ", status=0x" + Integer.toHexString(status) + ", pktType=" + pktType
                + ", length=" + length + ", vlan=" + (vlanReinserted ? vlanTpid + "/" + vlanTci : "none")
                + ", vnet=" + (hasVnet ? vnet : "none") + "]";
    }
}
