package io.jlvs.netio.ring;

import static io.jlvs.netio.sys.IfPacket.BD_BLOCK_STATUS;
import static io.jlvs.netio.sys.IfPacket.BD_NUM_PKTS;
import static io.jlvs.netio.sys.IfPacket.BD_OFFSET_TO_FIRST_PKT;
import static io.jlvs.netio.sys.IfPacket.TPACKET3_HDRLEN;
import static io.jlvs.netio.sys.IfPacket.TP_LEN;
import static io.jlvs.netio.sys.IfPacket.TP_MAC;
import static io.jlvs.netio.sys.IfPacket.TP_NEXT_OFFSET;
import static io.jlvs.netio.sys.IfPacket.TP_NSEC;
import static io.jlvs.netio.sys.IfPacket.TP_SEC;
import static io.jlvs.netio.sys.IfPacket.TP_SNAPLEN;
import static io.jlvs.netio.sys.IfPacket.TP_STATUS;
import static io.jlvs.netio.sys.IfPacket.TP_VLAN_TCI;
import static io.jlvs.netio.sys.IfPacket.TP_VLAN_TPID;

import io.jlvs.netio.sys.IfPacket;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Walks a TPACKET_V3 RX ring: the user side of {@code net/packet/af_packet.c}'s block protocol, kept apart from
 * the socket so tests can run it over a ring laid out by hand.
 *
 * <pre>
 *  block k:  [tpacket_block_desc: block_status, num_pkts, offset_to_first_pkt ...]
 *            frame: [tpacket3_hdr 48][sockaddr_ll 20][ free ... ][reserve][virtio_net_hdr 10][Ethernet frame]
 *                   ^hdr            ^hdr+68 = bufferStart                                   ^hdr+tp_mac
 *            next frame at hdr + tp_next_offset (8-aligned), ...
 * </pre>
 *
 * Blocks are taken in ring order once {@code block_status} has {@code TP_STATUS_USER} (read with acquire
 * semantics); a walked block stays held (the caller may still transmit from it) until {@link #releaseHeld()}
 * writes {@code TP_STATUS_KERNEL} back with release semantics. A block cut by the budget is resumed at the next
 * {@link #walk}.
 */
final class RxRing extends Rx {

    private static final long SLL = IfPacket.tpacketAlign(IfPacket.TPACKET3_HDR.byteSize());

    private final long base;
    private final int blockSize;
    private final int blockCount;

    private int nextBlock;       // the block being walked, or the next one to look at
    private boolean walking;
    private long blockOff;
    private int blockStatus;
    private int framesLeft;
    private long frameOff;
    private int held;            // walked blocks before nextBlock, not yet handed back

    RxRing(MemorySegment map, long base, int blockSize, int blockCount, int vnetLen, RxMeta meta,
           RingCounters counters) {
        super(map, vnetLen, meta, counters);
        this.base = base;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
    }

    @Override
    int walk(RxHandler h, int budget) {
        int n = 0;
        int looked = 0;
        while (n < budget && looked < budget) {
            if (!walking && !openBlock()) {
                break;
            }
            if (framesLeft == 0) {
                finishBlock();
                continue;
            }
            looked++;
            if (frame(h)) {
                n++;
            }
            if (framesLeft == 0) {
                finishBlock();
            }
        }
        return n;
    }

    /** Hands every walked block back to the kernel; call only after the frames sent from them were flushed. */
    @Override
    void releaseHeld() {
        int b = nextBlock - held;
        if (b < 0) {
            b += blockCount;
        }
        for (int i = 0; i < held; i++) {
            INT.setRelease(map, base + (long) b * blockSize + BD_BLOCK_STATUS, IfPacket.TP_STATUS_KERNEL);
            if (++b == blockCount) {
                b = 0;
            }
        }
        counters.rxBlocks += held;
        held = 0;
    }

    /** Whether the next block is ready (a frame is waiting) without walking it. */
    @Override
    boolean ready() {
        if (walking) {
            return true;
        }
        long b = base + (long) nextBlock * blockSize;
        return held < blockCount && ((int) INT.getAcquire(map, b + BD_BLOCK_STATUS) & IfPacket.TP_STATUS_USER) != 0;
    }

    private boolean openBlock() {
        if (held == blockCount) {
            return false;   // every block is walked and held: the next one "ready" is one we hold
        }
        long b = base + (long) nextBlock * blockSize;
        int st = (int) INT.getAcquire(map, b + BD_BLOCK_STATUS);
        if ((st & IfPacket.TP_STATUS_USER) == 0) {
            return false;
        }
        walking = true;
        blockOff = b;
        blockStatus = st;
        framesLeft = map.get(ValueLayout.JAVA_INT, b + BD_NUM_PKTS);
        int first = map.get(ValueLayout.JAVA_INT, b + BD_OFFSET_TO_FIRST_PKT);
        frameOff = b + first;
        if (framesLeft < 0 || first < IfPacket.BLK_HDR_LEN || first >= blockSize) {
            counters.rxCorrupt++;
            framesLeft = 0;
        }
        return true;
    }

    private void finishBlock() {
        walking = false;
        held++;
        if (++nextBlock == blockCount) {
            nextBlock = 0;
        }
    }

    /** Reads the frame at {@link #frameOff}, advances past it; true if it was handed to {@code h}. */
    private boolean frame(RxHandler h) {
        long hdr = frameOff;
        long blockEnd = blockOff + blockSize;
        if (hdr + TPACKET3_HDRLEN > blockEnd) {
            return corrupt();
        }
        int next = map.get(ValueLayout.JAVA_INT, hdr + TP_NEXT_OFFSET);
        int snaplen = map.get(ValueLayout.JAVA_INT, hdr + TP_SNAPLEN);
        int len = map.get(ValueLayout.JAVA_INT, hdr + TP_LEN);
        int status = map.get(ValueLayout.JAVA_INT, hdr + TP_STATUS);
        int mac = map.get(ValueLayout.JAVA_SHORT, hdr + TP_MAC) & 0xFFFF;
        long frameStart = hdr + mac;
        if (mac < TPACKET3_HDRLEN + vnetLen || snaplen < 0 || frameStart + snaplen > blockEnd) {
            return corrupt();
        }
        long bufferEnd;
        if (framesLeft > 1) {
            bufferEnd = hdr + next;
            if (next <= 0 || bufferEnd > blockEnd || bufferEnd < frameStart + snaplen) {
                return corrupt();
            }
        } else {
            bufferEnd = blockEnd;
        }
        framesLeft--;
        frameOff = hdr + next;
        if (snaplen < len) {
            counters.rxTruncated++;
            return false;
        }
        int tci = 0;
        int tpid = 0;
        if ((status & IfPacket.TP_STATUS_VLAN_VALID) != 0) {
            tci = map.get(ValueLayout.JAVA_INT, hdr + TP_VLAN_TCI) & 0xFFFF;
            tpid = map.get(ValueLayout.JAVA_SHORT, hdr + TP_VLAN_TPID) & 0xFFFF;
        }
        deliver(h, frameStart, snaplen, len, status | (blockStatus & IfPacket.TP_STATUS_LOSING), tci, tpid, hdr + SLL,
                map.get(ValueLayout.JAVA_INT, hdr + TP_SEC), map.get(ValueLayout.JAVA_INT, hdr + TP_NSEC),
                hdr + TPACKET3_HDRLEN, bufferEnd);
        return true;
    }

    private boolean corrupt() {
        counters.rxCorrupt++;
        framesLeft = 0;
        return false;
    }
}
