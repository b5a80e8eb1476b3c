package io.jlvs.xmit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TxPort} that keeps a copy of every frame (the copy is the contract) and can be made to refuse. It
 * takes virtio-net headers ({@link #sendOffload}): {@link #offloads} holds each frame's, null for a plain send.
 */
public final class RecordingTxPort implements TxPort {
    public final List<byte[]> frames = new ArrayList<>();
    /** {@code {flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset}} of each frame, or null. */
    public final List<int[]> offloads = new ArrayList<>();
    public final List<Integer> ifIndexes = new ArrayList<>();
    /** Frames accepted before the port refuses (a full ring). */
    public int capacity = Integer.MAX_VALUE;
    /** {@link #maxFrameLength()}: the longest frame the port takes with a virtio-net header. */
    public int maxFrameLength = Integer.MAX_VALUE;

    @Override
    public boolean send(int ifIndex, MemorySegment seg, long offset, int length) {
        if (frames.size() >= capacity) return false;
        frames.add(seg.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        ifIndexes.add(ifIndex);
        offloads.add(null);
        return true;
    }

    @Override
    public boolean sendOffload(int ifIndex, MemorySegment seg, long offset, int length,
                               int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        if (!send(ifIndex, seg, offset, length)) return false;
        offloads.set(offloads.size() - 1, new int[] {flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset});
        return true;
    }

    @Override
    public int maxFrameLength() { return maxFrameLength; }

    public void clear() {
        frames.clear();
        ifIndexes.clear();
        offloads.clear();
    }
}
