package io.jlvs.daemon.dataplane;

import io.jlvs.netio.ring.PacketRing;
import io.jlvs.netio.ring.VnetHdr;
import io.jlvs.xmit.TxPort;

import java.lang.foreign.MemorySegment;

/**
 * The interfaces a data-plane thread serves, by interface index: the transmit side of the director
 * ({@link TxPort}: a frame leaves on the ring of the interface the route chose) and the list the duty cycle walks.
 * Owned by one thread: rings are added and removed between duty cycles, on that thread.
 */
final class RingPorts implements TxPort {
    private PacketRing[] byIndex = new PacketRing[64];
    private PacketRing[] list = new PacketRing[0];
    private final VnetHdr hdr = new VnetHdr();
    /** Frames for an interface that has no ring (yet, or any more). */
    long noRing;

    void add(PacketRing ring) {
        int i = ring.ifIndex();
        if (i >= byIndex.length) {
            PacketRing[] grown = new PacketRing[Math.max(i + 1, byIndex.length * 2)];
            System.arraycopy(byIndex, 0, grown, 0, byIndex.length);
            byIndex = grown;
        }
        byIndex[i] = ring;
        rebuildList();
    }

    PacketRing remove(int ifIndex) {
        if (ifIndex >= byIndex.length || byIndex[ifIndex] == null) return null;
        PacketRing r = byIndex[ifIndex];
        byIndex[ifIndex] = null;
        rebuildList();
        return r;
    }

    PacketRing get(int ifIndex) { return ifIndex >= 0 && ifIndex < byIndex.length ? byIndex[ifIndex] : null; }

    private void rebuildList() {
        int n = 0;
        for (PacketRing r : byIndex) if (r != null) n++;
        PacketRing[] l = new PacketRing[n];
        n = 0;
        for (PacketRing r : byIndex) if (r != null) l[n++] = r;
        list = l;
    }

    /** The rings, in interface order (the array is replaced, never changed, when rings come and go). */
    PacketRing[] rings() { return list; }

    @Override
    public boolean send(int ifIndex, MemorySegment seg, long offset, int length) {
        PacketRing r = get(ifIndex);
        if (r == null) {
            noRing++;
            return false;
        }
        return r.send(seg, offset, length, null);
    }

    @Override
    public boolean sendOffload(int ifIndex, MemorySegment seg, long offset, int length,
                               int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        PacketRing r = get(ifIndex);
        if (r == null) {
            noRing++;
            return false;
        }
        if (!r.options().vnetHdr()) return false;
        hdr.set(flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
        return r.send(seg, offset, length, hdr);
    }

    /** A super-frame longer than a TX slot (less the ring's headers) is cut in software instead. */
    @Override
    public int maxFrameLength() { return 17 * PacketRing.Options.PAGE - 64; }

    /** Whether frames may leave on {@code ifIndex} with offloads (a virtio-net header). */
    boolean offloads(int ifIndex) {
        PacketRing r = get(ifIndex);
        return r != null && r.options().vnetHdr();
    }
}
