package io.jlvs.packet;

/**
 * The {@code struct virtio_net_hdr} constants with their C names, from {@code include/uapi/linux/virtio_net.h}:
 * the header an AF_PACKET socket with {@code PACKET_VNET_HDR} puts before every frame it receives and expects
 * before every frame it sends (also TUN/TAP with {@code IFF_VNET_HDR}). The header, 10 octets, host byte
 * order ({@code vio_le()}: little-endian on every host jlvs runs on):
 *
 * <pre>
 *  0        1        2                 4                 6                 8                 10
 * +--------+--------+-----------------+-----------------+-----------------+-----------------+
 * | flags  |gso_type|    hdr_len      |    gso_size     |   csum_start    |   csum_offset   |
 * +--------+--------+-----------------+-----------------+-----------------+-----------------+
 * </pre>
 *
 * Only the values AF_PACKET accepts are here ({@code virtio_net_hdr_to_skb} / {@code virtio_net_hdr_from_skb}
 * in {@code include/linux/virtio_net.h}); the UDP tunnel GSO types are for TUN/TAP and virtio devices with the
 * longer {@code virtio_net_hdr_v1_hash_tunnel} header, which AF_PACKET does not parse.
 */
public final class VirtioNet {
    /** Octets of {@code struct virtio_net_hdr}. */
    public static final int VIRTIO_NET_HDR_LEN = 10;

    /** flags: the checksum from {@code csum_start} to the end is still to be computed and stored at {@code csum_start + csum_offset}. */
    public static final int VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
    /** flags (receive only): the checksum was verified ({@code CHECKSUM_UNNECESSARY}). */
    public static final int VIRTIO_NET_HDR_F_DATA_VALID = 2;

    public static final int VIRTIO_NET_HDR_GSO_NONE = 0;
    /** TCP over IPv4, segments of {@code gso_size} payload octets (TSO). */
    public static final int VIRTIO_NET_HDR_GSO_TCPV4 = 1;
    /** UDP fragmentation offload (UFO): no longer produced by Linux; refused here. */
    public static final int VIRTIO_NET_HDR_GSO_UDP = 3;
    /** TCP over IPv6. */
    public static final int VIRTIO_NET_HDR_GSO_TCPV6 = 4;
    /** UDP segmentation (USO, {@code UDP_SEGMENT}): datagrams of {@code gso_size} payload octets, each with its header. */
    public static final int VIRTIO_NET_HDR_GSO_UDP_L4 = 5;
    /** Bit or'ed into a TCP type: the first segment carries CWR ({@code SKB_GSO_TCP_ECN}). */
    public static final int VIRTIO_NET_HDR_GSO_ECN = 0x80;

    private VirtioNet() {}
}
