package io.jlvs.daemon.dataplane;

import io.jlvs.netio.ring.RingPoller;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * How the data-plane thread waits when a duty cycle found nothing to do (the default, {@code -Djlvs.idle=poll}):
 * a few spins, then poll(2) on every RX ring (and the local port's TUN device when local replies are read), for at
 * most {@code maxWaitMs}, so timers, commands and control changes still run that often. The kernel wakes the
 * thread with the first frame: no core is kept busy while idle, and no park period is added to a frame's latency.
 * A failed poll (a ring closed under it) parks for the period instead of spinning.
 */
final class PollIdleStrategy implements IdleStrategy {
    private final RingPorts rings;
    private final IntSupplier extraFd;
    private final int spins;
    private final int maxWaitMs;
    private final RingPoller poller = new RingPoller();
    private int idleCycles;
    /** Waits that ended by timeout, by a ready descriptor, by an error (racy reads from other threads are fine). */
    long timeouts, wakeups, errors;

    PollIdleStrategy(RingPorts rings, IntSupplier extraFd, int spins, int maxWaitMs) {
        this.rings = rings;
        this.extraFd = extraFd;
        this.spins = spins;
        this.maxWaitMs = maxWaitMs;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            idleCycles = 0;
            return;
        }
        idle();
    }

    @Override
    public void idle() {
        if (++idleCycles <= spins) {
            Thread.onSpinWait();
            return;
        }
        int r = poller.await(rings.rings(), extraFd.getAsInt(), maxWaitMs);
        if (r > 0) {
            wakeups++;
        } else if (r == 0) {
            timeouts++;
            if (rings.rings().length == 0 && extraFd.getAsInt() < 0) LockSupport.parkNanos(maxWaitMs * 1_000_000L);
        } else {
            errors++;
            LockSupport.parkNanos(maxWaitMs * 1_000_000L);
        }
    }

    @Override
    public void reset() {
        idleCycles = 0;
    }

    @Override
    public String alias() {
        return "poll";
    }
}
