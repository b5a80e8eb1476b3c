package io.jlvs.xmit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** A {@link TxPort} that keeps a copy of every frame (the copy is the contract) and can be made to refuse. */
public final class RecordingTxPort implements TxPort {
    public final List<byte[]> frames = new ArrayList<>();
    public final List<Integer> ifIndexes = new ArrayList<>();
    /** Frames accepted before the port refuses (a full ring). */
    public int capacity = Integer.MAX_VALUE;

    @Override
    public boolean send(int ifIndex, MemorySegment seg, long offset, int length) {
        if (frames.size() >= capacity) return false;
        frames.add(seg.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        ifIndexes.add(ifIndex);
        return true;
    }
}
