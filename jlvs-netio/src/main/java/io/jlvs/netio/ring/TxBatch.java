package io.jlvs.netio.ring;

import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.Msg;
import io.jlvs.netio.sys.PacketSyscalls;
import io.jlvs.netio.sys.VirtioNet;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Batched transmit with {@code sendmmsg(2)}: each queued frame is one {@code mmsghdr} whose iovecs point at a
 * 10-byte virtio-net header in scratch memory (when the socket has PACKET_VNET_HDR) and at the caller's bytes,
 * which are not copied until {@link #flush()} (so they must stay unchanged until then). The kernel copies each
 * frame into an skb ({@code packet_snd}); after flush the caller's memory is free again.
 *
 * <p>All structures are allocated once; {@link #send} writes two iovec fields and the header, {@link #flush}
 * makes one system call in the common case. Errors are counted, never thrown: EAGAIN/ENOBUFS (queue full) drop
 * the rest of the batch, any other errno drops the one frame the kernel refused and the batch goes on.
 */
final class TxBatch extends Tx {

    private static final long MSG = Msg.MMSGHDR.byteSize();
    private static final long IOV = Msg.IOVEC.byteSize();
    private static final long VNET_SLOT = 16;
    static final int MAX_FRAME = 256 * 1024;

    private final int fd;
    private final int capacity;
    private final int vnetLen;
    private final RingCounters counters;
    private final MemorySegment msgs;
    private final MemorySegment iovs;
    private final MemorySegment vnets;
    private final MemorySegment[] msgAt;   // msgs from message i on, for the call after a refused frame
    private final int[] lens;
    private final int iovPerMsg;
    private int count;

    TxBatch(int fd, Arena arena, int capacity, int vnetLen, RingCounters counters) {
        this.fd = fd;
        this.capacity = capacity;
        this.vnetLen = vnetLen;
        this.counters = counters;
        this.iovPerMsg = vnetLen != 0 ? 2 : 1;
        this.msgs = arena.allocate(MSG * capacity, 8);
        this.iovs = arena.allocate(IOV * iovPerMsg * capacity, 8);
        this.vnets = arena.allocate(VNET_SLOT * capacity, 8);
        this.msgAt = new MemorySegment[capacity];
        this.lens = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            long m = MSG * i;
            long iov = IOV * iovPerMsg * i;
            msgs.set(ValueLayout.ADDRESS, m + Msg.MSG_NAME, MemorySegment.NULL);
            msgs.set(ValueLayout.JAVA_INT, m + Msg.MSG_NAMELEN, 0);
            msgs.set(ValueLayout.ADDRESS, m + Msg.MSG_IOV, iovs.asSlice(iov));
            msgs.set(ValueLayout.JAVA_LONG, m + Msg.MSG_IOVLEN, iovPerMsg);
            msgs.set(ValueLayout.ADDRESS, m + Msg.MSG_CONTROL, MemorySegment.NULL);
            msgs.set(ValueLayout.JAVA_LONG, m + Msg.MSG_CONTROLLEN, 0L);
            msgs.set(ValueLayout.JAVA_INT, m + Msg.MSG_FLAGS, 0);
            if (vnetLen != 0) {
                iovs.set(ValueLayout.ADDRESS, iov + Msg.IOV_BASE, vnets.asSlice(VNET_SLOT * i));
                iovs.set(ValueLayout.JAVA_LONG, iov + Msg.IOV_LEN, VirtioNet.HDR_SIZE);
            }
            msgAt[i] = msgs.asSlice(m);
        }
    }

    @Override
    boolean send(MemorySegment seg, long off, int len, VnetHdr hdr) {
        if (len <= 0 || len > MAX_FRAME || !seg.isNative() || off < 0 || off > seg.byteSize() - len) {
            counters.txDroppedInvalid++;
            return false;
        }
        if (count == capacity) {
            flush();
        }
        int i = count++;
        long data = IOV * iovPerMsg * i + (vnetLen != 0 ? IOV : 0);
        iovs.set(ValueLayout.JAVA_LONG, data + Msg.IOV_BASE, seg.address() + off);
        iovs.set(ValueLayout.JAVA_LONG, data + Msg.IOV_LEN, len);
        if (vnetLen != 0) {
            if (hdr == null) {
                VnetHdr.writeNone(vnets, VNET_SLOT * i);
            } else {
                hdr.write(vnets, VNET_SLOT * i);
            }
        }
        lens[i] = len;
        return true;
    }

    @Override
    int flush() {
        int n = count;
        if (n == 0) {
            return 0;
        }
        count = 0;
        int pos = 0;
        int sent = 0;
        int interrupts = 0;
        while (pos < n) {
            int r = PacketSyscalls.sendmmsg(fd, msgAt[pos], n - pos, Msg.MSG_DONTWAIT);
            counters.txSyscalls++;
            if (r > 0) {
                for (int i = pos; i < pos + r; i++) {
                    counters.txBytes += lens[i];
                }
                counters.txFrames += r;
                sent += r;
                pos += r;
            } else if (r == -Errno.EINTR && interrupts++ < 3) {
                continue;
            } else if (r == -Errno.EAGAIN || r == -Errno.ENOBUFS || r == 0) {
                counters.txDroppedFull += n - pos;
                counters.lastTxErrno = -r;
                break;
            } else {
                counters.txDroppedError++;
                counters.lastTxErrno = -r;
                pos++;
            }
        }
        return sent;
    }

    @Override
    int pending() {
        return count;
    }
}
