package io.jlvs.netio.sys;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code <linux/virtio_net.h>}: {@code struct virtio_net_hdr}, the 10 bytes a PACKET_VNET_HDR socket reads
 * before each received frame and expects before each sent one. Its 16-bit fields are in the legacy virtio byte
 * order, which for packet sockets is the host's ({@code vio_le()} is {@code virtio_legacy_is_little_endian()}),
 * so they are read and written with native-order layouts.
 *
 * <p>{@code csum_start} and {@code hdr_len} count from the first byte of the Ethernet header.
 */
public final class VirtioNet {

    /** The L4 checksum is partial: sum from csum_start to the end and store at csum_start + csum_offset. */
    public static final int VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
    /** The checksums were verified (the receive side's CHECKSUM_UNNECESSARY). */
    public static final int VIRTIO_NET_HDR_F_DATA_VALID = 2;

    public static final int VIRTIO_NET_HDR_GSO_NONE = 0;
    public static final int VIRTIO_NET_HDR_GSO_TCPV4 = 1;
    public static final int VIRTIO_NET_HDR_GSO_UDP = 3;
    public static final int VIRTIO_NET_HDR_GSO_TCPV6 = 4;
    public static final int VIRTIO_NET_HDR_GSO_UDP_L4 = 5;
    public static final int VIRTIO_NET_HDR_GSO_ECN = 0x80;

    public static final StructLayout VIRTIO_NET_HDR = MemoryLayout.structLayout(
            JAVA_BYTE.withName("flags"),
            JAVA_BYTE.withName("gso_type"),
            JAVA_SHORT.withName("hdr_len").withByteAlignment(1),
            JAVA_SHORT.withName("gso_size").withByteAlignment(1),
            JAVA_SHORT.withName("csum_start").withByteAlignment(1),
            JAVA_SHORT.withName("csum_offset").withByteAlignment(1)).withName("virtio_net_hdr");

    public static final long FLAGS = VIRTIO_NET_HDR.byteOffset(groupElement("flags"));
    public static final long GSO_TYPE = VIRTIO_NET_HDR.byteOffset(groupElement("gso_type"));
    public static final long HDR_LEN = VIRTIO_NET_HDR.byteOffset(groupElement("hdr_len"));
    public static final long GSO_SIZE = VIRTIO_NET_HDR.byteOffset(groupElement("gso_size"));
    public static final long CSUM_START = VIRTIO_NET_HDR.byteOffset(groupElement("csum_start"));
    public static final long CSUM_OFFSET = VIRTIO_NET_HDR.byteOffset(groupElement("csum_offset"));

    /** {@code sizeof(struct virtio_net_hdr)}: 10. */
    public static final int HDR_SIZE = (int) VIRTIO_NET_HDR.byteSize();

    private VirtioNet() {}
}
