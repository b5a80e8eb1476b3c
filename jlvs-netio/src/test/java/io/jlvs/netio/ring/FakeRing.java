package io.jlvs.netio.ring;

import io.jlvs.netio.sys.IfPacket;
import io.jlvs.netio.sys.VirtioNet;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A TPACKET_V3 RX ring laid out by hand the way {@code tpacket_rcv} and {@code prb_*} fill it: block descriptor,
 * frames at 8-aligned offsets, {@code tp_mac} from {@link IfPacket#rxMacOffset}, the virtio-net header right
 * before the frame, {@code tp_next_offset} 0 on a block's last frame, {@code block_status} USER once closed.
 */
final class FakeRing implements AutoCloseable {

    final Arena arena = Arena.ofConfined();
    final MemorySegment map;
    final int blockSize;
    final int blockCount;
    final int reserve;
    final int vnetLen;
    private final long[] fill;
    private final long[] last;

    FakeRing(int blockSize, int blockCount, int reserve, int vnetLen) {
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.reserve = reserve;
        this.vnetLen = vnetLen;
        this.map = arena.allocate((long) blockSize * blockCount, 4096);
        this.fill = new long[blockCount];
        this.last = new long[blockCount];
        for (int b = 0; b < blockCount; b++) {
            open(b);
        }
    }

    long block(int b) {
        return (long) b * blockSize;
    }

    /** Empties block {@code b} and gives it to the "kernel". */
    void open(int b) {
        long off = block(b);
        map.asSlice(off, blockSize).fill((byte) 0);
        map.set(ValueLayout.JAVA_INT, off + IfPacket.BD_VERSION, IfPacket.TPACKET_V3);
        map.set(ValueLayout.JAVA_INT, off + IfPacket.BD_BLOCK_STATUS, IfPacket.TP_STATUS_KERNEL);
        map.set(ValueLayout.JAVA_INT, off + IfPacket.BD_OFFSET_TO_FIRST_PKT, (int) IfPacket.BLK_HDR_LEN);
        fill[b] = off + IfPacket.BLK_HDR_LEN;
        last[b] = -1;
    }

    /** Appends a frame to block {@code b}; returns the offset of its tpacket3_hdr. */
    long add(int b, byte[] frame, int wireLen, int status, int tci, int tpid, VnetHdr vnet, int ifIndex) {
        long hdr = fill[b];
        int mac = (int) IfPacket.rxMacOffset(14, reserve, vnetLen);
        int next = (mac + frame.length + 7) & ~7;
        map.set(ValueLayout.JAVA_INT, hdr + IfPacket.TP_NEXT_OFFSET, next);
        map.set(ValueLayout.JAVA_INT, hdr + IfPacket.TP_SEC, 1_700_000_000);
        map.set(ValueLayout.JAVA_INT, hdr + IfPacket.TP_NSEC, 123);
        map.set(ValueLayout.JAVA_INT, hdr + IfPacket.TP_SNAPLEN, frame.length);
        map.set(ValueLayout.JAVA_INT, hdr + IfPacket.TP_LEN, wireLen);
        map.set(ValueLayout.JAVA_INT, hdr + IfPacket.TP_STATUS, status | IfPacket.TP_STATUS_USER);
        map.set(ValueLayout.JAVA_SHORT, hdr + IfPacket.TP_MAC, (short) mac);
        map.set(ValueLayout.JAVA_SHORT, hdr + IfPacket.TP_NET, (short) (mac + 14));
        map.set(ValueLayout.JAVA_INT, hdr + IfPacket.TP_VLAN_TCI, tci);
        map.set(ValueLayout.JAVA_SHORT, hdr + IfPacket.TP_VLAN_TPID, (short) tpid);
        long sll = hdr + IfPacket.tpacketAlign(IfPacket.TPACKET3_HDR.byteSize());
        map.set(ValueLayout.JAVA_SHORT, sll + IfPacket.SLL_FAMILY, (short) IfPacket.AF_PACKET);
        map.set(ValueLayout.JAVA_INT, sll + IfPacket.SLL_IFINDEX, ifIndex);
        map.set(ValueLayout.JAVA_BYTE, sll + IfPacket.SLL_PKTTYPE, (byte) IfPacket.PACKET_OTHERHOST);
        if (vnetLen != 0 && vnet != null) {
            vnet.write(map, hdr + mac - VirtioNet.HDR_SIZE);
        }
        MemorySegment.copy(frame, 0, map, ValueLayout.JAVA_BYTE, hdr + mac, frame.length);
        long bd = block(b);
        map.set(ValueLayout.JAVA_INT, bd + IfPacket.BD_NUM_PKTS, map.get(ValueLayout.JAVA_INT, bd + IfPacket.BD_NUM_PKTS) + 1);
        fill[b] = hdr + next;
        last[b] = hdr;
        return hdr;
    }

    long add(int b, byte[] frame) {
        return add(b, frame, frame.length, 0, 0, 0, null, 7);
    }

    /** Closes block {@code b} as {@code prb_close_block} does: last frame's next offset 0, status USER. */
    void close(int b) {
        if (last[b] >= 0) {
            map.set(ValueLayout.JAVA_INT, last[b] + IfPacket.TP_NEXT_OFFSET, 0);
        }
        map.set(ValueLayout.JAVA_INT, block(b) + IfPacket.BD_BLOCK_STATUS, IfPacket.TP_STATUS_USER);
    }

    int status(int b) {
        return map.get(ValueLayout.JAVA_INT, block(b) + IfPacket.BD_BLOCK_STATUS);
    }

    void status(int b, int st) {
        map.set(ValueLayout.JAVA_INT, block(b) + IfPacket.BD_BLOCK_STATUS, st);
    }

    @Override
    public void close() {
        arena.close();
    }
}
