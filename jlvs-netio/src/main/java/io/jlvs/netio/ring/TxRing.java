package io.jlvs.netio.ring;

import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.IfPacket;
import io.jlvs.netio.sys.Msg;
import io.jlvs.netio.sys.PacketSyscalls;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Transmit through a TPACKET TX ring (one slot per block, laid out as the socket's version says: a
 * {@code tpacket3_hdr} or a {@code tpacket2_hdr} first, the data right after it): {@link #send} copies the frame (after
 * its virtio-net header) into the next slot whose {@code tp_status} is {@code TP_STATUS_AVAILABLE}, sets
 * {@code tp_len} and publishes {@code TP_STATUS_SEND_REQUEST} with release semantics; {@link #flush} is one
 * {@code send(fd, NULL, 0, MSG_DONTWAIT)} that makes the kernel ({@code tpacket_snd}) transmit every requested
 * slot. The kernel gives a slot back ({@code TP_STATUS_AVAILABLE}) when its skb is freed; a slot still busy is
 * a full ring: the frame is dropped and counted. The socket has PACKET_LOSS set, so a frame the kernel finds
 * malformed is skipped rather than stopping the ring.
 *
 * <p>Unlike {@link TxBatch}, the caller's memory is free as soon as {@code send} returns (the copy happened).
 */
final class TxRing extends Tx {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final int fd;
    private final MemorySegment map;
    private final long base;
    private final int frameSize;
    private final int frameCount;
    private final int vnetLen;
    private final RingCounters counters;
    private final boolean v3;
    private final long statusOff;
    private final long lenOff;
    private final long dataOff;
    private int head;
    private int pending;

    /** @param version the socket's {@code IfPacket.TPACKET_V2} or {@code TPACKET_V3} */
    TxRing(int fd, MemorySegment map, long base, int frameSize, int frameCount, int vnetLen, int version,
           RingCounters counters) {
        this.fd = fd;
        this.v3 = version == IfPacket.TPACKET_V3;
        this.statusOff = v3 ? IfPacket.TP_STATUS : IfPacket.TP2_STATUS;
        this.lenOff = v3 ? IfPacket.TP_LEN : IfPacket.TP2_LEN;
        this.dataOff = v3 ? IfPacket.TX_DATA_OFFSET : IfPacket.TX2_DATA_OFFSET;
        this.map = map;
        this.base = base;
        this.frameSize = frameSize;
        this.frameCount = frameCount;
        this.vnetLen = vnetLen;
        this.counters = counters;
    }

    /** The largest frame a slot holds. */
    int maxFrame() {
        return (int) (frameSize - dataOff - vnetLen);
    }

    @Override
    boolean send(MemorySegment seg, long off, int len, VnetHdr hdr) {
        if (len <= 0 || len > maxFrame() || off < 0 || off > seg.byteSize() - len) {
            counters.txDroppedInvalid++;
            return false;
        }
        long slot = base + (long) head * frameSize;
        int st = (int) INT.getAcquire(map, slot + statusOff);
        if (st != IfPacket.TP_STATUS_AVAILABLE && st != IfPacket.TP_STATUS_WRONG_FORMAT) {
            if (pending > 0) {
                flush();
                st = (int) INT.getAcquire(map, slot + statusOff);
            }
            if (st != IfPacket.TP_STATUS_AVAILABLE && st != IfPacket.TP_STATUS_WRONG_FORMAT) {
                counters.txDroppedFull++;
                return false;
            }
        }
        long data = slot + dataOff;
        if (vnetLen != 0) {
            if (hdr == null) {
                VnetHdr.writeNone(map, data);
            } else {
                hdr.write(map, data);
            }
        }
        MemorySegment.copy(seg, off, map, data + vnetLen, len);
        if (v3) {
            map.set(ValueLayout.JAVA_INT, slot + IfPacket.TP_NEXT_OFFSET, 0);   // V2: tp_status is there
        }
        map.set(ValueLayout.JAVA_INT, slot + lenOff, len + vnetLen);
        INT.setRelease(map, slot + statusOff, IfPacket.TP_STATUS_SEND_REQUEST);
        if (++head == frameCount) {
            head = 0;
        }
        pending++;
        counters.txFrames++;
        counters.txBytes += len;
        return true;
    }

    @Override
    int flush() {
        int n = pending;
        if (n == 0) {
            return 0;
        }
        pending = 0;
        long r;
        int interrupts = 0;
        do {
            r = PacketSyscalls.send(fd, MemorySegment.NULL, 0, Msg.MSG_DONTWAIT);
            counters.txSyscalls++;
        } while (r == -Errno.EINTR && interrupts++ < 3);
        if (r < 0) {
            // the slots stay SEND_REQUEST and go with the next kick; record why this one failed
            counters.txDroppedError++;
            counters.lastTxErrno = (int) -r;
            pending = n;
            return 0;
        }
        return n;
    }

    @Override
    int pending() {
        return pending;
    }
}
