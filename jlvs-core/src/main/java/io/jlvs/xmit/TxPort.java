package io.jlvs.xmit;

import java.lang.foreign.MemorySegment;

/**
 * Where a transmitter queues a finished frame: a TX ring of one or more interfaces, or the local stack (a TAP
 * device) for {@link LocalNodeXmit}. Implemented by jlvs-netio's rings and by test fakes.
 *
 * <p>Contract: {@code send} copies (or transmits) the octets before it returns, so the caller may overwrite the
 * buffer afterwards (the fragmenter writes each fragment's header over the previous fragment's tail). It must
 * not allocate, block or throw on the data path: a full queue is a {@code false}.
 *
 * <p>A port whose socket sends a virtio-net header before every frame ({@code PACKET_VNET_HDR}) writes a
 * zeroed header before the frames given to {@link #send}, and implements {@link #sendOffload}; the caller then
 * sets {@link Frame#txOffload} on the frames that may leave by it.
 */
@FunctionalInterface
public interface TxPort {
    /**
     * Queues the {@code length} octets at {@code offset} of {@code seg}, an Ethernet frame, on interface
     * {@code ifIndex} (as {@link Egress#ifIndex} chose; single-interface ports ignore it).
     *
     * @return false when the frame could not be queued (ring full): the caller counts a drop
     */
    boolean send(int ifIndex, MemorySegment seg, long offset, int length);

    /**
     * Queues a frame with the offload instructions for the kernel or the NIC: the fields of the
     * {@code struct virtio_net_hdr} ({@link io.jlvs.packet.VirtioNet}) to send before it, host byte order. Called
     * only for frames whose {@link Frame#txOffload} the caller set; the default refuses (a port without the
     * header cannot carry them).
     *
     * @param flags      {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: the checksum from {@code csumStart} to the end of the
     *                   packet is still to be computed and stored at {@code csumStart + csumOffset} (its field
     *                   holds the pseudo-header sum)
     * @param gsoType    {@code VIRTIO_NET_HDR_GSO_NONE}, {@code _TCPV4}, {@code _TCPV6} (with
     *                   {@code VIRTIO_NET_HDR_GSO_ECN} when the TCP header has CWR) or {@code _UDP_L4}: a
     *                   super-frame to cut into packets of {@code gsoSize} payload octets
     * @param hdrLen     octets of Ethernet, IP and TCP/UDP headers
     * @param gsoSize    payload octets per segment; 0 without GSO
     * @param csumStart  where checksumming starts, counted from {@code offset} (the Ethernet header)
     * @param csumOffset the checksum field, counted from {@code csumStart}
     * @return false when the frame could not be queued: the caller counts a drop
     */
    default boolean sendOffload(int ifIndex, MemorySegment seg, long offset, int length,
                                int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        return false;
    }

    /**
     * The longest frame {@link #sendOffload} takes (a TX ring's slot, less its headers): a GSO super-frame longer
     * than this is cut in software instead of being refused. Unbounded by default.
     */
    default int maxFrameLength() {
        return Integer.MAX_VALUE;
    }
}
