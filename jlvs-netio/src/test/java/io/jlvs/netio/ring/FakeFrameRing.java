package io.jlvs.netio.ring;

import io.jlvs.netio.sys.IfPacket;
import io.jlvs.netio.sys.VirtioNet;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A TPACKET_V2 RX ring laid out by hand the way {@code tpacket_rcv} fills it: the "kernel" writes frame slots in
 * ring order ({@code rx_ring.head}), each with its {@code tpacket2_hdr}, {@code sockaddr_ll}, the virtio-net header
 * right before {@code tp_mac} (from {@link IfPacket#rxMacOffset(long, int, int, int)}), and publishes it by setting
 * {@code tp_status} to USER; a slot still USER is full ring (the frame is dropped, as the kernel does).
 */
final class FakeFrameRing implements AutoCloseable {

    final Arena arena = Arena.ofConfined();
    final MemorySegment map;
    final int blockSize;
    final int blockCount;
    final int frameSize;
    final int perBlock;
    final int frames;
    final int reserve;
    final int vnetLen;
    int head;
    int dropped;

    FakeFrameRing(int blockSize, int blockCount, int frameSize, int reserve, int vnetLen) {
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.frameSize = frameSize;
        this.perBlock = blockSize / frameSize;
        this.frames = perBlock * blockCount;
        this.reserve = reserve;
        this.vnetLen = vnetLen;
        this.map = arena.allocate((long) blockSize * blockCount, 4096);
    }

    RxFrameRing walker(RingCounters c) {
        return new RxFrameRing(map, 0, blockSize, blockCount, frameSize, vnetLen, new RxMeta(), c);
    }

    /** Offset of slot {@code i}. */
    long slot(int i) {
        return (long) (i / perBlock) * blockSize + (long) (i % perBlock) * frameSize;
    }

    int mac() {
        return (int) IfPacket.rxMacOffset(IfPacket.TPACKET2_HDRLEN, 14, reserve, vnetLen);
    }

    /**
     * Writes a frame into the head slot and publishes it; returns the slot's offset, or -1 if the head slot is
     * still the user's (ring full: dropped). A frame longer than the slot is cut as the kernel cuts it
     * ({@code tp_snaplen = frame_size - tp_mac}, {@code tp_len} the wire length).
     */
    long add(byte[] frame, int wireLen, int status, int tci, int tpid, VnetHdr vnet, int ifIndex) {
        long hdr = slot(head);
        if (map.get(ValueLayout.JAVA_INT, hdr + IfPacket.TP2_STATUS) != IfPacket.TP_STATUS_KERNEL) {
            dropped++;
            return -1;
        }
        int mac = mac();
        int snap = Math.min(frame.length, frameSize - mac);
        map.set(ValueLayout.JAVA_INT, hdr + IfPacket.TP2_LEN, wireLen);
        map.set(ValueLayout.JAVA_INT, hdr + IfPacket.TP2_SNAPLEN, snap);
        map.set(ValueLayout.JAVA_SHORT, hdr + IfPacket.TP2_MAC, (short) mac);
        map.set(ValueLayout.JAVA_SHORT, hdr + IfPacket.TP2_NET, (short) (mac + 14));
        map.set(ValueLayout.JAVA_INT, hdr + IfPacket.TP2_SEC, 1_700_000_000);
        map.set(ValueLayout.JAVA_INT, hdr + IfPacket.TP2_NSEC, 456);
        map.set(ValueLayout.JAVA_SHORT, hdr + IfPacket.TP2_VLAN_TCI, (short) tci);
        map.set(ValueLayout.JAVA_SHORT, hdr + IfPacket.TP2_VLAN_TPID, (short) tpid);
        long sll = hdr + IfPacket.tpacketAlign(IfPacket.TPACKET2_HDR.byteSize());
        map.set(ValueLayout.JAVA_SHORT, sll + IfPacket.SLL_FAMILY, (short) IfPacket.AF_PACKET);
        map.set(ValueLayout.JAVA_INT, sll + IfPacket.SLL_IFINDEX, ifIndex);
        map.set(ValueLayout.JAVA_BYTE, sll + IfPacket.SLL_PKTTYPE, (byte) IfPacket.PACKET_OTHERHOST);
        if (vnetLen != 0 && vnet != null) {
            vnet.write(map, hdr + mac - VirtioNet.HDR_SIZE);
        }
        MemorySegment.copy(frame, 0, map, ValueLayout.JAVA_BYTE, hdr + mac, snap);
        map.set(ValueLayout.JAVA_INT, hdr + IfPacket.TP2_STATUS, status | IfPacket.TP_STATUS_USER);
        if (++head == frames) {
            head = 0;
        }
        return hdr;
    }

    long add(byte[] frame) {
        return add(frame, frame.length, 0, 0, 0, null, 7);
    }

    int status(int i) {
        return map.get(ValueLayout.JAVA_INT, slot(i) + IfPacket.TP2_STATUS);
    }

    @Override
    public void close() {
        arena.close();
    }
}
