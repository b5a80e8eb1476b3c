package io.jlvs.netio.ring;

import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.Libc;
import io.jlvs.netio.sys.Poll;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Sleeps until one of a set of rings, or one more descriptor (a TUN device), has something to read: poll(2) over
 * their descriptors. For an idle duty cycle: the thread gives its core back and wakes on the first frame, where a
 * spin keeps the core busy and a timed park adds up to its period to the latency of the next frame. Not
 * thread-safe: one per thread.
 */
public final class RingPoller {
    /** Descriptors one call waits on at most (rings beyond it are still checked for frames before sleeping). */
    public static final int MAX = 64;
    private static final long SIZE = Poll.POLLFD.byteSize();

    private final MemorySegment fds = Arena.ofAuto().allocate(SIZE * (MAX + 1), 8);

    /**
     * Returns at once if a ring already holds a frame, else waits up to {@code timeoutMs} for one of the rings or
     * {@code extraFd} (-1: none) to become readable.
     *
     * @return 1 when something is (or became) ready, 0 on timeout, on a signal, or with nothing to wait on; or the
     *         negated errno of poll(2)
     */
    public int await(PacketRing[] rings, int extraFd, int timeoutMs) {
        int n = 0;
        for (PacketRing r : rings) {
            if (r.rxReady()) {
                return 1;
            }
            if (n < MAX) {
                set(n++, r.fd());
            }
        }
        if (extraFd >= 0) {
            set(n++, extraFd);
        }
        if (n == 0) {
            return 0;
        }
        int r = Libc.poll(fds, n, timeoutMs);
        if (r == -Errno.EINTR) {
            return 0;
        }
        return r > 0 ? 1 : r;
    }

    private void set(int i, int fd) {
        long at = i * SIZE;
        fds.set(ValueLayout.JAVA_INT, at, fd);
        fds.set(ValueLayout.JAVA_SHORT, at + 4, Poll.POLLIN);
        fds.set(ValueLayout.JAVA_SHORT, at + 6, (short) 0);
    }
}
