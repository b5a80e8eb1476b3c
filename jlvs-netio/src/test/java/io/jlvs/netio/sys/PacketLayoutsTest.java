package io.jlvs.netio.sys;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The AF_PACKET, virtio-net, msghdr and ifreq layouts pinned to the kernel's sizes and offsets (as
 * {@code offsetof}/{@code sizeof} print them on x86_64 with linux/if_packet.h, linux/virtio_net.h,
 * sys/socket.h, net/if.h; aarch64 agrees).
 */
class PacketLayoutsTest {

    @Test
    void sockaddrLl() {
        assertThat(IfPacket.SOCKADDR_LL.byteSize()).isEqualTo(20);
        assertThat(IfPacket.SLL_FAMILY).isZero();
        assertThat(IfPacket.SLL_PROTOCOL).isEqualTo(2);
        assertThat(IfPacket.SLL_IFINDEX).isEqualTo(4);
        assertThat(IfPacket.SLL_HATYPE).isEqualTo(8);
        assertThat(IfPacket.SLL_PKTTYPE).isEqualTo(10);
        assertThat(IfPacket.SLL_HALEN).isEqualTo(11);
        assertThat(IfPacket.SLL_ADDR).isEqualTo(12);
    }

    @Test
    void tpacketReq3() {
        assertThat(IfPacket.TPACKET_REQ3.byteSize()).isEqualTo(28);
        assertThat(IfPacket.REQ3_BLOCK_SIZE).isZero();
        assertThat(IfPacket.REQ3_BLOCK_NR).isEqualTo(4);
        assertThat(IfPacket.REQ3_FRAME_SIZE).isEqualTo(8);
        assertThat(IfPacket.REQ3_FRAME_NR).isEqualTo(12);
        assertThat(IfPacket.REQ3_RETIRE_BLK_TOV).isEqualTo(16);
        assertThat(IfPacket.REQ3_SIZEOF_PRIV).isEqualTo(20);
        assertThat(IfPacket.REQ3_FEATURE_REQ_WORD).isEqualTo(24);
    }

    @Test
    void tpacketReq() {
        assertThat(IfPacket.TPACKET_REQ.byteSize()).isEqualTo(16);
        assertThat(IfPacket.REQ_BLOCK_SIZE).isZero();
        assertThat(IfPacket.REQ_BLOCK_NR).isEqualTo(4);
        assertThat(IfPacket.REQ_FRAME_SIZE).isEqualTo(8);
        assertThat(IfPacket.REQ_FRAME_NR).isEqualTo(12);
    }

    @Test
    void tpacket2Hdr() {
        assertThat(IfPacket.TPACKET2_HDR.byteSize()).isEqualTo(32);
        assertThat(IfPacket.TP2_STATUS).isZero();
        assertThat(IfPacket.TP2_LEN).isEqualTo(4);
        assertThat(IfPacket.TP2_SNAPLEN).isEqualTo(8);
        assertThat(IfPacket.TP2_MAC).isEqualTo(12);
        assertThat(IfPacket.TP2_NET).isEqualTo(14);
        assertThat(IfPacket.TP2_SEC).isEqualTo(16);
        assertThat(IfPacket.TP2_NSEC).isEqualTo(20);
        assertThat(IfPacket.TP2_VLAN_TCI).isEqualTo(24);
        assertThat(IfPacket.TP2_VLAN_TPID).isEqualTo(26);
        assertThat(IfPacket.TPACKET2_HDR.byteOffset(groupElement("tp_padding"))).isEqualTo(28);
        assertThat(IfPacket.TPACKET2_HDRLEN).isEqualTo(52);
        assertThat(IfPacket.TX2_DATA_OFFSET).isEqualTo(32);
    }

    @Test
    void tpacketStats() {
        assertThat(IfPacket.TPACKET_STATS.byteSize()).isEqualTo(8);
        assertThat(IfPacket.TPACKET_STATS.byteOffset(groupElement("tp_drops"))).isEqualTo(4);
        assertThat(IfPacket.TPACKET_STATS.byteOffset(groupElement("tp_drops"))).as("a prefix of tpacket_stats_v3")
                .isEqualTo(IfPacket.STATS_TP_DROPS);
    }

    @Test
    void blockDescriptorAndHdrV1() {
        assertThat(IfPacket.TPACKET_HDR_V1.byteSize()).isEqualTo(40);
        assertThat(IfPacket.TPACKET_HDR_V1.byteOffset(groupElement("num_pkts"))).isEqualTo(4);
        assertThat(IfPacket.TPACKET_HDR_V1.byteOffset(groupElement("offset_to_first_pkt"))).isEqualTo(8);
        assertThat(IfPacket.TPACKET_HDR_V1.byteOffset(groupElement("blk_len"))).isEqualTo(12);
        assertThat(IfPacket.TPACKET_HDR_V1.byteOffset(groupElement("seq_num"))).isEqualTo(16);
        assertThat(IfPacket.TPACKET_HDR_V1.byteOffset(groupElement("ts_first_pkt"))).isEqualTo(24);
        assertThat(IfPacket.TPACKET_HDR_V1.byteOffset(groupElement("ts_last_pkt"))).isEqualTo(32);
        assertThat(IfPacket.TPACKET_BLOCK_DESC.byteSize()).isEqualTo(48);
        assertThat(IfPacket.TPACKET_BLOCK_DESC.byteOffset(groupElement("offset_to_priv"))).isEqualTo(4);
        assertThat(IfPacket.TPACKET_BLOCK_DESC.byteOffset(groupElement("hdr"))).isEqualTo(8);
        assertThat(IfPacket.BD_BLOCK_STATUS).isEqualTo(8);
        assertThat(IfPacket.BD_NUM_PKTS).isEqualTo(12);
        assertThat(IfPacket.BD_OFFSET_TO_FIRST_PKT).isEqualTo(16);
        assertThat(IfPacket.BD_BLK_LEN).isEqualTo(20);
        assertThat(IfPacket.BD_SEQ_NUM).isEqualTo(24);
        assertThat(IfPacket.BLK_HDR_LEN).isEqualTo(48);
    }

    @Test
    void tpacket3Hdr() {
        assertThat(IfPacket.TPACKET3_HDR.byteSize()).isEqualTo(48);
        assertThat(IfPacket.TPACKET_HDR_VARIANT1.byteSize()).isEqualTo(12);
        assertThat(IfPacket.TP_NEXT_OFFSET).isZero();
        assertThat(IfPacket.TP_SEC).isEqualTo(4);
        assertThat(IfPacket.TP_NSEC).isEqualTo(8);
        assertThat(IfPacket.TP_SNAPLEN).isEqualTo(12);
        assertThat(IfPacket.TP_LEN).isEqualTo(16);
        assertThat(IfPacket.TP_STATUS).isEqualTo(20);
        assertThat(IfPacket.TP_MAC).isEqualTo(24);
        assertThat(IfPacket.TP_NET).isEqualTo(26);
        assertThat(IfPacket.TPACKET3_HDR.byteOffset(groupElement("hv1"))).isEqualTo(28);
        assertThat(IfPacket.TP_VLAN_TCI).isEqualTo(32);
        assertThat(IfPacket.TP_VLAN_TPID).isEqualTo(36);
        assertThat(IfPacket.TPACKET3_HDR.byteOffset(groupElement("tp_padding"))).isEqualTo(40);
        assertThat(IfPacket.TPACKET3_HDRLEN).isEqualTo(68);
        assertThat(IfPacket.TX_DATA_OFFSET).isEqualTo(48);
    }

    @Test
    void macOffsetAsTpacketRcvComputesIt() {
        // netoff = TPACKET_ALIGN(68 + 16) + reserve + vnet = 96 + 128 + 10; macoff = netoff - 14
        assertThat(IfPacket.rxMacOffset(14, 128, 10)).isEqualTo(220);
        assertThat(IfPacket.rxMacOffset(14, 0, 0)).isEqualTo(82);
        assertThat(IfPacket.rxMacOffset(14, 0, 10)).isEqualTo(92);
        // V2: TPACKET_ALIGN(52 + 16) = 80; + 128 + 10 - 14
        assertThat(IfPacket.rxMacOffset(IfPacket.TPACKET2_HDRLEN, 14, 128, 10)).isEqualTo(204);
        assertThat(IfPacket.rxMacOffset(IfPacket.TPACKET2_HDRLEN, 14, 0, 0)).isEqualTo(66);
    }

    @Test
    void tpacketStatsV3() {
        assertThat(IfPacket.TPACKET_STATS_V3.byteSize()).isEqualTo(12);
        assertThat(IfPacket.STATS_TP_DROPS).isEqualTo(4);
        assertThat(IfPacket.STATS_TP_FREEZE_Q_CNT).isEqualTo(8);
    }

    @Test
    void virtioNetHdr() {
        assertThat(VirtioNet.VIRTIO_NET_HDR.byteSize()).isEqualTo(10);
        assertThat(VirtioNet.HDR_SIZE).isEqualTo(10);
        assertThat(VirtioNet.FLAGS).isZero();
        assertThat(VirtioNet.GSO_TYPE).isEqualTo(1);
        assertThat(VirtioNet.HDR_LEN).isEqualTo(2);
        assertThat(VirtioNet.GSO_SIZE).isEqualTo(4);
        assertThat(VirtioNet.CSUM_START).isEqualTo(6);
        assertThat(VirtioNet.CSUM_OFFSET).isEqualTo(8);
    }

    @Test
    void iovecMsghdrMmsghdr() {
        assertThat(Msg.IOVEC.byteSize()).isEqualTo(16);
        assertThat(Msg.IOV_LEN).isEqualTo(8);
        assertThat(Msg.MSGHDR.byteSize()).isEqualTo(56);
        assertThat(Msg.MSG_NAMELEN).isEqualTo(8);
        assertThat(Msg.MSG_IOV).isEqualTo(16);
        assertThat(Msg.MSG_IOVLEN).isEqualTo(24);
        assertThat(Msg.MSG_CONTROL).isEqualTo(32);
        assertThat(Msg.MSG_CONTROLLEN).isEqualTo(40);
        assertThat(Msg.MSG_FLAGS).isEqualTo(48);
        assertThat(Msg.MMSGHDR.byteSize()).isEqualTo(64);
        assertThat(Msg.MMSG_LEN).isEqualTo(56);
    }

    @Test
    void ifreq() {
        assertThat(IfReq.IFREQ.byteSize()).isEqualTo(40);
        assertThat(IfReq.IFR_IFINDEX).isEqualTo(16);
        assertThat(IfReq.IFR_MTU).isEqualTo(16);
        assertThat(IfReq.IFR_HWADDR_DATA).isEqualTo(18);
    }
}
