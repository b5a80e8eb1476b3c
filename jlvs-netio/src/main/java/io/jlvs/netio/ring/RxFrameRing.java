package io.jlvs.netio.ring;

import static io.jlvs.netio.sys.IfPacket.TP2_LEN;
import static io.jlvs.netio.sys.IfPacket.TP2_MAC;
import static io.jlvs.netio.sys.IfPacket.TP2_NSEC;
import static io.jlvs.netio.sys.IfPacket.TP2_SEC;
import static io.jlvs.netio.sys.IfPacket.TP2_SNAPLEN;
import static io.jlvs.netio.sys.IfPacket.TP2_STATUS;
import static io.jlvs.netio.sys.IfPacket.TP2_VLAN_TCI;
import static io.jlvs.netio.sys.IfPacket.TP2_VLAN_TPID;
import static io.jlvs.netio.sys.IfPacket.TPACKET2_HDRLEN;

import io.jlvs.netio.sys.IfPacket;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Walks a TPACKET_V2 RX ring: fixed-size frame slots, each handed over by the kernel on its own the moment its
 * bytes are copied (no block to fill, no retire timeout: the receive latency is the wake-up's). The user side of
 * {@code tpacket_rcv}'s V2 path in {@code net/packet/af_packet.c}, kept apart from the socket so tests can run it
 * over a ring laid out by hand.
 *
 * <pre>
 *  block b:  [slot 0][slot 1] ... [slot fpb-1][unused tail]      (fpb = blockSize / frameSize)
 *  slot:     [tpacket2_hdr 32][sockaddr_ll 20][ free ... ][reserve][virtio_net_hdr 10][Ethernet frame][tail]
 *            ^hdr             ^hdr+52 = bufferStart                                   ^hdr+tp_mac     ^hdr+frameSize
 *                                                                                                     = bufferEnd
 * </pre>
 *
 * Slots are taken in ring order (the kernel fills them in that order: {@code rx_ring.head}) once
 * {@code tp_status} has {@code TP_STATUS_USER} (read with acquire semantics); a walked slot stays held (the
 * caller may still transmit from it) until {@link #releaseHeld()} writes {@code TP_STATUS_KERNEL} back to each,
 * in order, with release semantics. A slot whose header makes no sense is counted and skipped alone.
 */
final class RxFrameRing extends Rx {

    private static final long SLL = IfPacket.tpacketAlign(IfPacket.TPACKET2_HDR.byteSize());

    private final long[] slots;   // offset of every slot in the mapping, in ring order
    private final int frameSize;
    private final int minMac;

    private int next;             // the next slot to look at
    private int held;             // walked slots before next, not yet handed back

    /**
     * @param base       offset of the RX ring in {@code map}
     * @param blockSize  the ring's tp_block_size (a page multiple holding whole slots)
     * @param blockCount tp_block_nr
     * @param frameSize  tp_frame_size (a TPACKET_ALIGNMENT multiple)
     */
    RxFrameRing(MemorySegment map, long base, int blockSize, int blockCount, int frameSize, int vnetLen, RxMeta meta,
                RingCounters counters) {
        super(map, vnetLen, meta, counters);
        int perBlock = blockSize / frameSize;
        if (perBlock <= 0 || (long) blockSize * blockCount > map.byteSize() - base) {
            throw new IllegalArgumentException("V2 ring of " + blockCount + " blocks of " + blockSize + " bytes, "
                    + "frames of " + frameSize + " bytes does not fit a mapping of " + map.byteSize() + " bytes");
        }
        this.slots = new long[perBlock * blockCount];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = base + (long) (i / perBlock) * blockSize + (long) (i % perBlock) * frameSize;
        }
        this.frameSize = frameSize;
        // room for the virtio-net header and for a re-inserted VLAN tag between the header and the frame
        this.minMac = (int) TPACKET2_HDRLEN + Math.max(vnetLen, VLAN_HLEN);
    }

    /** Frame slots in the ring. */
    int slots() {
        return slots.length;
    }

    @Override
    int walk(RxHandler h, int budget) {
        int n = 0;
        int looked = 0;
        long[] s = slots;
        while (looked < budget && held < s.length) {
            long hdr = s[next];
            int status = (int) INT.getAcquire(map, hdr + TP2_STATUS);
            if ((status & IfPacket.TP_STATUS_USER) == 0) {
                break;
            }
            looked++;
            held++;
            if (++next == s.length) {
                next = 0;
            }
            if (frame(h, hdr, status)) {
                n++;
            }
        }
        return n;
    }

    /** Hands every walked slot back to the kernel, in ring order; call only after their frames were flushed. */
    @Override
    void releaseHeld() {
        long[] s = slots;
        int i = next - held;
        if (i < 0) {
            i += s.length;
        }
        for (int k = 0; k < held; k++) {
            INT.setRelease(map, s[i] + TP2_STATUS, IfPacket.TP_STATUS_KERNEL);
            if (++i == s.length) {
                i = 0;
            }
        }
        counters.rxBlocks += held;
        held = 0;
    }

    /** Whether the next slot holds a frame, without walking it. */
    @Override
    boolean ready() {
        return held < slots.length
                && ((int) INT.getAcquire(map, slots[next] + TP2_STATUS) & IfPacket.TP_STATUS_USER) != 0;
    }

    /** Validates the slot at {@code hdr} and hands its frame over; false if it was skipped (counted). */
    private boolean frame(RxHandler h, long hdr, int status) {
        int snaplen = map.get(ValueLayout.JAVA_INT, hdr + TP2_SNAPLEN);
        int len = map.get(ValueLayout.JAVA_INT, hdr + TP2_LEN);
        int mac = map.get(ValueLayout.JAVA_SHORT, hdr + TP2_MAC) & 0xFFFF;
        if (mac < minMac || mac >= frameSize || snaplen < 0 || snaplen > frameSize - mac) {
            counters.rxCorrupt++;
            return false;
        }
        if (snaplen < len) {
            counters.rxTruncated++;
            return false;
        }
        int tci = 0;
        int tpid = 0;
        if ((status & IfPacket.TP_STATUS_VLAN_VALID) != 0) {
            tci = map.get(ValueLayout.JAVA_SHORT, hdr + TP2_VLAN_TCI) & 0xFFFF;
            tpid = map.get(ValueLayout.JAVA_SHORT, hdr + TP2_VLAN_TPID) & 0xFFFF;
        }
        deliver(h, hdr + mac, snaplen, len, status, tci, tpid, hdr + SLL,
                map.get(ValueLayout.JAVA_INT, hdr + TP2_SEC), map.get(ValueLayout.JAVA_INT, hdr + TP2_NSEC),
                hdr + TPACKET2_HDRLEN, hdr + frameSize);
        return true;
    }
}
