package io.jlvs.netio.ring;

import io.jlvs.netio.sys.IfPacket;
import io.jlvs.netio.sys.VirtioNet;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One way to receive: a TPACKET_V3 ring of blocks ({@link RxRing}) or a TPACKET_V2 ring of frames
 * ({@link RxFrameRing}). Both walk in ring order, keep what they walked out of the kernel's hands until
 * {@link #releaseHeld()}, and hand each frame over through {@link #deliver}, which fills the same {@link RxMeta}.
 */
abstract sealed class Rx permits RxRing, RxFrameRing {

    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    static final ValueLayout.OfShort U16_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final int VLAN_HLEN = 4;
    static final int MAC_ADDRS = 12;

    final MemorySegment map;
    final int vnetLen;
    final RxMeta meta;
    final RingCounters counters;

    Rx(MemorySegment map, int vnetLen, RxMeta meta, RingCounters counters) {
        this.map = map;
        this.vnetLen = vnetLen;
        this.meta = meta;
        this.counters = counters;
    }

    /** Hands up to {@code budget} frames to {@code h}; returns how many it handed over. */
    abstract int walk(RxHandler h, int budget);

    /** Hands everything walked back to the kernel; call only after the frames sent from it were flushed. */
    abstract void releaseHeld();

    /** Whether a frame is waiting (without walking it). */
    abstract boolean ready();

    /**
     * Fills the meta for one validated, complete frame, puts a tag the kernel took out back in front of the
     * ethertype ({@code tci}/{@code tpid} are read only when {@code status} has TP_STATUS_VLAN_VALID; tpid 0: the
     * kernel did not say, 0x8100), counts it and calls {@code h}.
     */
    final void deliver(RxHandler h, long frameStart, int snaplen, int len, int status, int tci, int tpid,
                       long sll, int tsSec, int tsNsec, long bufferStart, long bufferEnd) {
        RxMeta m = meta;
        m.status = status;
        m.ifIndex = map.get(ValueLayout.JAVA_INT, sll + IfPacket.SLL_IFINDEX);
        m.pktType = map.get(ValueLayout.JAVA_BYTE, sll + IfPacket.SLL_PKTTYPE) & 0xFF;
        m.tsSec = tsSec;
        m.tsNsec = tsNsec;
        m.hasVnet = vnetLen != 0;
        VnetHdr v = m.vnet();
        if (vnetLen != 0) {
            v.read(map, frameStart - VirtioNet.HDR_SIZE);   // before a VLAN move can overwrite it
        } else {
            v.clear();
        }
        if ((status & IfPacket.TP_STATUS_VLAN_VALID) != 0 && snaplen >= MAC_ADDRS) {
            if ((status & IfPacket.TP_STATUS_VLAN_TPID_VALID) == 0 || tpid == 0) {
                tpid = 0x8100;
            }
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
        h.onFrame(map, frameStart, snaplen, bufferStart, bufferEnd, m);
    }
}
