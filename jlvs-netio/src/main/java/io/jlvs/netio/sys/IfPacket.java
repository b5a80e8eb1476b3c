package io.jlvs.netio.sys;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code <linux/if_packet.h>}: AF_PACKET socket options, TPACKET_V2 and TPACKET_V3 ring structures and status
 * bits, with their C names. Every offset below is computed from a layout ({@code byteOffset(groupElement(..))}),
 * never counted by hand; {@code LayoutsTest} pins sizes and offsets to the kernel header (x86_64 and aarch64 agree).
 *
 * <p>The RX ring (TPACKET_V3) is a sequence of blocks; each block starts with a {@code tpacket_block_desc}
 * whose {@code block_status} is {@link #TP_STATUS_KERNEL} while the kernel fills it and {@link #TP_STATUS_USER}
 * once it is closed (full or timed out); the user walks its {@code num_pkts} frames (each a
 * {@code tpacket3_hdr}, then a {@code sockaddr_ll}, then [reserve][virtio_net_hdr] and the frame at
 * {@code tp_mac}), then hands the block back by writing {@link #TP_STATUS_KERNEL}.
 *
 * <p>A TPACKET_V2 ring is a sequence of fixed-size frames ({@code tp_frame_size}, whole frames per block); each
 * starts with a {@code tpacket2_hdr} whose {@code tp_status} turns {@link #TP_STATUS_USER} as soon as the kernel
 * has copied that one frame, then a {@code sockaddr_ll}, then [reserve][virtio_net_hdr] and the frame at
 * {@code tp_mac}; the user hands each frame back by writing {@link #TP_STATUS_KERNEL}.
 */
public final class IfPacket {

    // <linux/socket.h> / <linux/if_ether.h> values packet sockets need
    public static final int AF_PACKET = 17;
    public static final int SOCK_RAW = 3;
    public static final int SOL_PACKET = 263;
    /** Every protocol ({@code <linux/if_ether.h>}); on the wire (sll_protocol) it is {@code htons(ETH_P_ALL)}. */
    public static final int ETH_P_ALL = 0x0003;

    // packet types (sll_pkttype)
    public static final int PACKET_HOST = 0;
    public static final int PACKET_BROADCAST = 1;
    public static final int PACKET_MULTICAST = 2;
    public static final int PACKET_OTHERHOST = 3;
    public static final int PACKET_OUTGOING = 4;

    // socket options (level SOL_PACKET)
    public static final int PACKET_ADD_MEMBERSHIP = 1;
    public static final int PACKET_DROP_MEMBERSHIP = 2;
    public static final int PACKET_RX_RING = 5;
    public static final int PACKET_STATISTICS = 6;
    public static final int PACKET_AUXDATA = 8;
    public static final int PACKET_VERSION = 10;
    public static final int PACKET_HDRLEN = 11;
    public static final int PACKET_RESERVE = 12;
    public static final int PACKET_TX_RING = 13;
    public static final int PACKET_LOSS = 14;
    public static final int PACKET_VNET_HDR = 15;
    public static final int PACKET_FANOUT = 18;
    public static final int PACKET_QDISC_BYPASS = 20;
    public static final int PACKET_IGNORE_OUTGOING = 23;
    public static final int PACKET_VNET_HDR_SZ = 24;

    // fanout modes and flags (PACKET_FANOUT value: group id | (mode | flags) << 16)
    public static final int PACKET_FANOUT_HASH = 0;
    public static final int PACKET_FANOUT_LB = 1;
    public static final int PACKET_FANOUT_CPU = 2;
    public static final int PACKET_FANOUT_ROLLOVER = 3;
    public static final int PACKET_FANOUT_RND = 4;
    public static final int PACKET_FANOUT_QM = 5;
    public static final int PACKET_FANOUT_FLAG_ROLLOVER = 0x1000;
    public static final int PACKET_FANOUT_FLAG_UNIQUEID = 0x2000;
    public static final int PACKET_FANOUT_FLAG_DEFRAG = 0x8000;

    // PACKET_MR_* (packet_mreq.mr_type)
    public static final int PACKET_MR_MULTICAST = 0;
    public static final int PACKET_MR_PROMISC = 1;
    public static final int PACKET_MR_ALLMULTI = 2;

    // enum tpacket_versions
    public static final int TPACKET_V1 = 0;
    public static final int TPACKET_V2 = 1;
    public static final int TPACKET_V3 = 2;

    // RX ring status (block_status, tp_status)
    public static final int TP_STATUS_KERNEL = 0;
    public static final int TP_STATUS_USER = 1;
    public static final int TP_STATUS_COPY = 1 << 1;
    public static final int TP_STATUS_LOSING = 1 << 2;
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    public static final int TP_STATUS_BLK_TMO = 1 << 5;
    public static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    public static final int TP_STATUS_CSUM_VALID = 1 << 7;
    /** Since Linux 6.3: the frame is a TCP GSO super-frame. */
    public static final int TP_STATUS_GSO_TCP = 1 << 8;

    // TX ring status (tp_status)
    public static final int TP_STATUS_AVAILABLE = 0;
    public static final int TP_STATUS_SEND_REQUEST = 1;
    public static final int TP_STATUS_SENDING = 1 << 1;
    public static final int TP_STATUS_WRONG_FORMAT = 1 << 2;

    public static final int TPACKET_ALIGNMENT = 16;

    /** {@code struct sockaddr_ll}: 20 bytes; {@code sll_protocol} is big-endian. */
    public static final StructLayout SOCKADDR_LL = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sll_family"),
            JAVA_SHORT.withName("sll_protocol"),
            JAVA_INT.withName("sll_ifindex"),
            JAVA_SHORT.withName("sll_hatype"),
            JAVA_BYTE.withName("sll_pkttype"),
            JAVA_BYTE.withName("sll_halen"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr")).withName("sockaddr_ll");

    /** {@code struct tpacket_req3}: 28 bytes, the argument of PACKET_RX_RING / PACKET_TX_RING under TPACKET_V3. */
    public static final StructLayout TPACKET_REQ3 = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_block_size"),
            JAVA_INT.withName("tp_block_nr"),
            JAVA_INT.withName("tp_frame_size"),
            JAVA_INT.withName("tp_frame_nr"),
            JAVA_INT.withName("tp_retire_blk_tov"),
            JAVA_INT.withName("tp_sizeof_priv"),
            JAVA_INT.withName("tp_feature_req_word")).withName("tpacket_req3");

    /**
     * {@code struct tpacket_req}: 16 bytes, the argument of PACKET_RX_RING / PACKET_TX_RING under TPACKET_V1/V2
     * ({@code tp_frame_nr} must be {@code tp_block_nr * (tp_block_size / tp_frame_size)}).
     */
    public static final StructLayout TPACKET_REQ = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_block_size"),
            JAVA_INT.withName("tp_block_nr"),
            JAVA_INT.withName("tp_frame_size"),
            JAVA_INT.withName("tp_frame_nr")).withName("tpacket_req");

    /** {@code struct tpacket2_hdr}: 32 bytes at the start of every frame slot of a V2 ring (RX and TX). */
    public static final StructLayout TPACKET2_HDR = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_status"),
            JAVA_INT.withName("tp_len"),
            JAVA_INT.withName("tp_snaplen"),
            JAVA_SHORT.withName("tp_mac"),
            JAVA_SHORT.withName("tp_net"),
            JAVA_INT.withName("tp_sec"),
            JAVA_INT.withName("tp_nsec"),
            JAVA_SHORT.withName("tp_vlan_tci"),
            JAVA_SHORT.withName("tp_vlan_tpid"),
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("tp_padding")).withName("tpacket2_hdr");

    /** {@code struct tpacket_bd_ts}: seconds and a (nano|micro)second union. */
    public static final StructLayout TPACKET_BD_TS = MemoryLayout.structLayout(
            JAVA_INT.withName("ts_sec"),
            JAVA_INT.withName("ts_nsec")).withName("tpacket_bd_ts");

    /** {@code struct tpacket_hdr_v1}: 40 bytes, the V3 block header proper. */
    public static final StructLayout TPACKET_HDR_V1 = MemoryLayout.structLayout(
            JAVA_INT.withName("block_status"),
            JAVA_INT.withName("num_pkts"),
            JAVA_INT.withName("offset_to_first_pkt"),
            JAVA_INT.withName("blk_len"),
            JAVA_LONG.withName("seq_num"),
            TPACKET_BD_TS.withName("ts_first_pkt"),
            TPACKET_BD_TS.withName("ts_last_pkt")).withName("tpacket_hdr_v1");

    /** {@code struct tpacket_block_desc}: 48 bytes at the start of every V3 block. */
    public static final StructLayout TPACKET_BLOCK_DESC = MemoryLayout.structLayout(
            JAVA_INT.withName("version"),
            JAVA_INT.withName("offset_to_priv"),
            TPACKET_HDR_V1.withName("hdr")).withName("tpacket_block_desc");

    /** {@code struct tpacket_hdr_variant1}: 12 bytes. */
    public static final StructLayout TPACKET_HDR_VARIANT1 = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_rxhash"),
            JAVA_INT.withName("tp_vlan_tci"),
            JAVA_SHORT.withName("tp_vlan_tpid"),
            JAVA_SHORT.withName("tp_padding")).withName("tpacket_hdr_variant1");

    /** {@code struct tpacket3_hdr}: 48 bytes before each frame of a V3 ring (RX and TX). */
    public static final StructLayout TPACKET3_HDR = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_next_offset"),
            JAVA_INT.withName("tp_sec"),
            JAVA_INT.withName("tp_nsec"),
            JAVA_INT.withName("tp_snaplen"),
            JAVA_INT.withName("tp_len"),
            JAVA_INT.withName("tp_status"),
            JAVA_SHORT.withName("tp_mac"),
            JAVA_SHORT.withName("tp_net"),
            TPACKET_HDR_VARIANT1.withName("hv1"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("tp_padding")).withName("tpacket3_hdr");

    /** {@code struct tpacket_stats_v3}: PACKET_STATISTICS under TPACKET_V3 (clear on read). */
    public static final StructLayout TPACKET_STATS_V3 = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_packets"),
            JAVA_INT.withName("tp_drops"),
            JAVA_INT.withName("tp_freeze_q_cnt")).withName("tpacket_stats_v3");

    /** {@code struct tpacket_stats}: PACKET_STATISTICS under TPACKET_V1/V2 (clear on read). */
    public static final StructLayout TPACKET_STATS = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_packets"),
            JAVA_INT.withName("tp_drops")).withName("tpacket_stats");

    // sockaddr_ll
    public static final long SLL_FAMILY = SOCKADDR_LL.byteOffset(groupElement("sll_family"));
    public static final long SLL_PROTOCOL = SOCKADDR_LL.byteOffset(groupElement("sll_protocol"));
    public static final long SLL_IFINDEX = SOCKADDR_LL.byteOffset(groupElement("sll_ifindex"));
    public static final long SLL_HATYPE = SOCKADDR_LL.byteOffset(groupElement("sll_hatype"));
    public static final long SLL_PKTTYPE = SOCKADDR_LL.byteOffset(groupElement("sll_pkttype"));
    public static final long SLL_HALEN = SOCKADDR_LL.byteOffset(groupElement("sll_halen"));
    public static final long SLL_ADDR = SOCKADDR_LL.byteOffset(groupElement("sll_addr"));

    // tpacket_req3
    public static final long REQ3_BLOCK_SIZE = TPACKET_REQ3.byteOffset(groupElement("tp_block_size"));
    public static final long REQ3_BLOCK_NR = TPACKET_REQ3.byteOffset(groupElement("tp_block_nr"));
    public static final long REQ3_FRAME_SIZE = TPACKET_REQ3.byteOffset(groupElement("tp_frame_size"));
    public static final long REQ3_FRAME_NR = TPACKET_REQ3.byteOffset(groupElement("tp_frame_nr"));
    public static final long REQ3_RETIRE_BLK_TOV = TPACKET_REQ3.byteOffset(groupElement("tp_retire_blk_tov"));
    public static final long REQ3_SIZEOF_PRIV = TPACKET_REQ3.byteOffset(groupElement("tp_sizeof_priv"));
    public static final long REQ3_FEATURE_REQ_WORD = TPACKET_REQ3.byteOffset(groupElement("tp_feature_req_word"));

    // tpacket_req
    public static final long REQ_BLOCK_SIZE = TPACKET_REQ.byteOffset(groupElement("tp_block_size"));
    public static final long REQ_BLOCK_NR = TPACKET_REQ.byteOffset(groupElement("tp_block_nr"));
    public static final long REQ_FRAME_SIZE = TPACKET_REQ.byteOffset(groupElement("tp_frame_size"));
    public static final long REQ_FRAME_NR = TPACKET_REQ.byteOffset(groupElement("tp_frame_nr"));

    // tpacket2_hdr (offsets from the frame slot)
    public static final long TP2_STATUS = TPACKET2_HDR.byteOffset(groupElement("tp_status"));
    public static final long TP2_LEN = TPACKET2_HDR.byteOffset(groupElement("tp_len"));
    public static final long TP2_SNAPLEN = TPACKET2_HDR.byteOffset(groupElement("tp_snaplen"));
    public static final long TP2_MAC = TPACKET2_HDR.byteOffset(groupElement("tp_mac"));
    public static final long TP2_NET = TPACKET2_HDR.byteOffset(groupElement("tp_net"));
    public static final long TP2_SEC = TPACKET2_HDR.byteOffset(groupElement("tp_sec"));
    public static final long TP2_NSEC = TPACKET2_HDR.byteOffset(groupElement("tp_nsec"));
    public static final long TP2_VLAN_TCI = TPACKET2_HDR.byteOffset(groupElement("tp_vlan_tci"));
    public static final long TP2_VLAN_TPID = TPACKET2_HDR.byteOffset(groupElement("tp_vlan_tpid"));

    // tpacket_block_desc (offsets from the block start)
    public static final long BD_VERSION = TPACKET_BLOCK_DESC.byteOffset(groupElement("version"));
    public static final long BD_BLOCK_STATUS =
            TPACKET_BLOCK_DESC.byteOffset(groupElement("hdr"), groupElement("block_status"));
    public static final long BD_NUM_PKTS = TPACKET_BLOCK_DESC.byteOffset(groupElement("hdr"), groupElement("num_pkts"));
    public static final long BD_OFFSET_TO_FIRST_PKT =
            TPACKET_BLOCK_DESC.byteOffset(groupElement("hdr"), groupElement("offset_to_first_pkt"));
    public static final long BD_BLK_LEN = TPACKET_BLOCK_DESC.byteOffset(groupElement("hdr"), groupElement("blk_len"));
    public static final long BD_SEQ_NUM = TPACKET_BLOCK_DESC.byteOffset(groupElement("hdr"), groupElement("seq_num"));

    // tpacket3_hdr (offsets from the frame header)
    public static final long TP_NEXT_OFFSET = TPACKET3_HDR.byteOffset(groupElement("tp_next_offset"));
    public static final long TP_SEC = TPACKET3_HDR.byteOffset(groupElement("tp_sec"));
    public static final long TP_NSEC = TPACKET3_HDR.byteOffset(groupElement("tp_nsec"));
    public static final long TP_SNAPLEN = TPACKET3_HDR.byteOffset(groupElement("tp_snaplen"));
    public static final long TP_LEN = TPACKET3_HDR.byteOffset(groupElement("tp_len"));
    public static final long TP_STATUS = TPACKET3_HDR.byteOffset(groupElement("tp_status"));
    public static final long TP_MAC = TPACKET3_HDR.byteOffset(groupElement("tp_mac"));
    public static final long TP_NET = TPACKET3_HDR.byteOffset(groupElement("tp_net"));
    public static final long TP_VLAN_TCI = TPACKET3_HDR.byteOffset(groupElement("hv1"), groupElement("tp_vlan_tci"));
    public static final long TP_VLAN_TPID = TPACKET3_HDR.byteOffset(groupElement("hv1"), groupElement("tp_vlan_tpid"));

    // tpacket_stats_v3
    public static final long STATS_TP_PACKETS = TPACKET_STATS_V3.byteOffset(groupElement("tp_packets"));
    public static final long STATS_TP_DROPS = TPACKET_STATS_V3.byteOffset(groupElement("tp_drops"));
    public static final long STATS_TP_FREEZE_Q_CNT = TPACKET_STATS_V3.byteOffset(groupElement("tp_freeze_q_cnt"));

    /** {@code TPACKET_ALIGN(x)}. */
    public static long tpacketAlign(long x) {
        return (x + TPACKET_ALIGNMENT - 1) & ~(long) (TPACKET_ALIGNMENT - 1);
    }

    /** {@code TPACKET3_HDRLEN}: 68, the aligned frame header plus the sockaddr_ll the kernel writes after it. */
    public static final long TPACKET3_HDRLEN = tpacketAlign(TPACKET3_HDR.byteSize()) + SOCKADDR_LL.byteSize();

    /** {@code TPACKET2_HDRLEN}: 52, the aligned V2 frame header plus the sockaddr_ll the kernel writes after it. */
    public static final long TPACKET2_HDRLEN = tpacketAlign(TPACKET2_HDR.byteSize()) + SOCKADDR_LL.byteSize();

    /**
     * Where the kernel puts the MAC header of a received frame ({@code tp_mac}) on a SOCK_RAW TPACKET_V3 socket,
     * as {@code tpacket_rcv} computes it: {@code netoff = TPACKET_ALIGN(hdrlen + max(16, maclen)) + reserve +
     * vnet_hdr_sz}, {@code macoff = netoff - maclen}.
     */
    public static long rxMacOffset(int macLength, int reserve, int vnetHdrLength) {
        return rxMacOffset(TPACKET3_HDRLEN, macLength, reserve, vnetHdrLength);
    }

    /** {@link #rxMacOffset(int, int, int)} for a ring whose {@code tp_hdrlen} is {@code hdrLen} (V2: 52, V3: 68). */
    public static long rxMacOffset(long hdrLen, int macLength, int reserve, int vnetHdrLength) {
        long netoff = tpacketAlign(hdrLen + Math.max(16, macLength)) + reserve + vnetHdrLength;
        return netoff - macLength;
    }

    /** V3 block header length as the kernel aligns it ({@code BLK_HDR_LEN}, 8-byte aligned): 48. */
    public static final long BLK_HDR_LEN = (TPACKET_BLOCK_DESC.byteSize() + 7) & ~7L;

    /**
     * Where a TX ring frame's data starts ({@code tp_hdrlen - sizeof(struct sockaddr_ll)}): 48, right after the
     * tpacket3_hdr; with PACKET_VNET_HDR the virtio_net_hdr comes first, then the frame.
     */
    public static final long TX_DATA_OFFSET = TPACKET3_HDRLEN - SOCKADDR_LL.byteSize();

    /** {@link #TX_DATA_OFFSET} of a TPACKET_V2 TX ring: 32, right after the tpacket2_hdr. */
    public static final long TX2_DATA_OFFSET = TPACKET2_HDRLEN - SOCKADDR_LL.byteSize();

    private IfPacket() {}
}
