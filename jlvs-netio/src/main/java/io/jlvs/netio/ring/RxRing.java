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
import io.jlvs.netio.sys.VirtioNet;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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
final class RxRing {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfShort U16_BE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long SLL = IfPacket.tpacketAlign(IfPacket.TPACKET3_HDR.byteSize());
    private static final int VLAN_HLEN = 4;
    private static final int MAC_ADDRS = 12;

    private final MemorySegment map;
    private final long base;
    private final int blockSize;
    private final int blockCount;
    private final int vnetLen;
    private final RxMeta meta;
    private final RingCounters counters;

    private int nextBlock;       // the block being walked, or the next one to look at
    private boolean walking;
    private long blockOff;
    private int blockStatus;
    private int framesLeft;
    private long frameOff;
    private int held;            // walked blocks before nextBlock, not yet handed back

    RxRing(MemorySegment map, long base, int blockSize, int blockCount, int vnetLen, RxMeta meta,
           RingCounters counters) {
        this.map = map;
        this.base = base;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.vnetLen = vnetLen;
        this.meta = meta;
        this.counters = counters;
    }

    /** Hands up to {@code budget} frames to {@code h}; returns how many it handed over. */
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
        RxMeta m = meta;
        m.status = status | (blockStatus & IfPacket.TP_STATUS_LOSING);
        m.ifIndex = map.get(ValueLayout.JAVA_INT, hdr + SLL + IfPacket.SLL_IFINDEX);
        m.pktType = map.get(ValueLayout.JAVA_BYTE, hdr + SLL + IfPacket.SLL_PKTTYPE) & 0xFF;
        m.tsSec = map.get(ValueLayout.JAVA_INT, hdr + TP_SEC);
        m.tsNsec = map.get(ValueLayout.JAVA_INT, hdr + TP_NSEC);
        m.hasVnet = vnetLen != 0;
        VnetHdr v = m.vnet();
        if (vnetLen != 0) {
            v.read(map, frameStart - VirtioNet.HDR_SIZE);   // before a VLAN move can overwrite it
        } else {
            v.clear();
        }
        if ((status & IfPacket.TP_STATUS_VLAN_VALID) != 0 && snaplen >= MAC_ADDRS) {
            int tci = map.get(ValueLayout.JAVA_INT, hdr + TP_VLAN_TCI) & 0xFFFF;
            int tpid = (status & IfPacket.TP_STATUS_VLAN_TPID_VALID) != 0
                    ? map.get(ValueLayout.JAVA_SHORT, hdr + TP_VLAN_TPID) & 0xFFFF : 0x8100;
            long macs = map.get(ValueLayout.JAVA_LONG_UNALIGNED, frameStart);
            int macsTail = map.get(ValueLayout.JAVA_INT_UNALIGNED, frameStart + 8);
            frameStart -= VLAN_HLEN;
            map.set(ValueLayout.JAVA_LONG_UNALIGNED, frameStart, macs);
            map.set(ValueLayout.JAVA_INT_UNALIGNED, frameStart + 8, macsTail);
            map.set(U16_BE, frameStart + MAC_ADDRS, (short) tpid);
            map.set(U16_BE, frameStart + MAC_ADDRS + 2, (short) tci);
            snaplen += VLAN_HLEN;
            len += VLAN_HLEN;
            if (v.needsCsum()) {
                v.csumStart(v.csumStart() + VLAN_HLEN);
            }
            if (v.hdrLen() != 0) {
                v.hdrLen(v.hdrLen() + VLAN_HLEN);
            }
            m.vlanTci = tci;
            m.vlanTpid = tpid;
            m.vlanReinserted = true;
            counters.rxVlanReinserted++;
        } else {
            m.vlanTci = 0;
            m.vlanTpid = 0;
            m.vlanReinserted = false;
        }
        m.length = snaplen;
        m.wireLength = len;
        counters.rxFrames++;
        counters.rxBytes += snaplen;
        h.onFrame(map, frameStart, snaplen, hdr + TPACKET3_HDRLEN, bufferEnd, m);
        return true;
    }

    private boolean corrupt() {
        counters.rxCorrupt++;
        framesLeft = 0;
        return false;
    }
}
