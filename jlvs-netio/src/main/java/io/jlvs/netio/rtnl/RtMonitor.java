package io.jlvs.netio.rtnl;

import io.jlvs.netio.NetioAvailability;
import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.Netlink;
import io.jlvs.netio.sys.RouteNetlink;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows the kernel's rtnetlink notifications: a NETLINK_ROUTE socket bound to the link, address, route and
 * neighbour multicast groups of the namespace it was opened in. Either poll it with
 * {@link #readEvents(Consumer, int)} from a thread of your own, or {@link #start(Consumer, String)} a dedicated
 * thread that delivers to the listener until {@link #close()}.
 *
 * <p>When the kernel cannot queue a notification (the receive buffer is full) it drops it and reports ENOBUFS
 * once: the listener then gets {@link RtEvent.Resync}, and should dump everything again with
 * {@link Rtnetlink}. Typical start: open the monitor, then dump, then apply events (a change made between the
 * dump and the event is seen twice, never missed).
 */
public final class RtMonitor implements Closeable {

    /** Links, IPv4 and IPv6 addresses and routes, neighbours. */
    public static final int DEFAULT_GROUPS = RouteNetlink.RTMGRP_LINK | RouteNetlink.RTMGRP_IPV4_IFADDR
            | RouteNetlink.RTMGRP_IPV6_IFADDR | RouteNetlink.RTMGRP_IPV4_ROUTE | RouteNetlink.RTMGRP_IPV6_ROUTE
            | RouteNetlink.RTMGRP_NEIGH;
    /** The receive buffer asked for (SO_RCVBUFFORCE as root; else capped by net.core.rmem_max). */
    public static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
    /** Datagrams read per {@link #readEvents} call at most, so one call is bounded. */
    static final int MAX_DATAGRAMS_PER_READ = 256;
    /** How often a waiting reader looks whether {@link #close()} was called. */
    static final int CLOSE_CHECK_MS = 100;

    private static final System.Logger LOG = System.getLogger(RtMonitor.class.getName());

    private final NlSocket sock;
    private final RtnlParser parser = new RtnlParser();
    private final Object readLock = new Object();
    private volatile boolean closed;
    private Thread thread;
    private long listenerErrors;

    private RtMonitor(NlSocket sock) {
        this.sock = sock;
    }

    /** Subscribes to {@link #DEFAULT_GROUPS} in the calling thread's network namespace. */
    public static RtMonitor open() throws IOException {
        return open(DEFAULT_GROUPS);
    }

    /** Subscribes to the RTMGRP_* bits of {@code groups} ({@link RouteNetlink}). */
    public static RtMonitor open(int groups) throws IOException {
        return open(groups, RECEIVE_BUFFER_BYTES);
    }

    /**
     * As {@link #open(int)} with a receive buffer of {@code receiveBufferBytes} (the kernel doubles it for its
     * bookkeeping; without CAP_NET_ADMIN net.core.rmem_max caps it). A small one overruns sooner.
     */
    public static RtMonitor open(int groups, int receiveBufferBytes) throws IOException {
        if (groups == 0) {
            throw new IllegalArgumentException("no multicast group to follow");
        }
        if (receiveBufferBytes <= 0) {
            throw new IllegalArgumentException("receive buffer must be positive: " + receiveBufferBytes);
        }
        NetioAvailability.ensureAvailable();
        return new RtMonitor(NlSocket.open(groups, receiveBufferBytes, "rtnetlink monitor"));
    }

    /**
     * Waits up to {@code timeoutMs} (0 or less: not at all) for notifications, then delivers everything already queued
     * (at most {@value #MAX_DATAGRAMS_PER_READ} datagrams) to {@code listener} on the calling thread. Returns
     * the number of events delivered (0 on timeout). Calls are serialised; {@link #close()} ends a waiting one
     * within {@value #CLOSE_CHECK_MS} ms with a SocketException.
     */
    public int readEvents(Consumer<? super RtEvent> listener, int timeoutMs) throws IOException {
        Objects.requireNonNull(listener, "listener");
        synchronized (readLock) {
            try {
                return read(listener, timeoutMs);
            } finally {
                if (closed) {
                    sock.close(); // close() called by the listener itself leaves the socket to us
                }
            }
        }
    }

    private int read(Consumer<? super RtEvent> listener, int timeoutMs) throws IOException {
        long deadline = System.nanoTime() + Math.max(0, timeoutMs) * 1_000_000L;
        int delivered = 0;
        for (int datagrams = 0; datagrams < MAX_DATAGRAMS_PER_READ; datagrams++) {
            int n = NlSocket.TIMEOUT;
            while (true) {
                if (closed) {
                    if (delivered > 0) {
                        return delivered;
                    }
                    throw new SocketException("rtnetlink monitor: socket closed");
                }
                long leftMs = datagrams > 0 ? 0 : Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                n = sock.receive((int) Math.min(leftMs, CLOSE_CHECK_MS), parser);
                if (n != NlSocket.TIMEOUT || leftMs <= CLOSE_CHECK_MS) {
                    break;
                }
            }
            if (n == NlSocket.TIMEOUT) {
                break;
            }
            if (n == -Errno.ENOBUFS || n == -Errno.EMSGSIZE) {
                parser.overruns.incrementAndGet();
                delivered += deliver(listener, new RtEvent.Resync(n == -Errno.ENOBUFS
                        ? "ENOBUFS: the kernel dropped notifications (receive buffer full)"
                        : "a notification too large to read was dropped"));
                continue;
            }
            delivered += deliverDatagram(listener, n);
        }
        return delivered;
    }

    private int deliverDatagram(Consumer<? super RtEvent> listener, int length) {
        int[] count = {0};
        parser.forEachMessage(sock.buffer(), length, (type, flags, seq, pid, off, len) -> {
            if (type == Netlink.NLMSG_OVERRUN) {
                parser.overruns.incrementAndGet();
                count[0] += deliver(listener, new RtEvent.Resync("NLMSG_OVERRUN"));
                return true;
            }
            RtEvent event = parser.event(type, sock.buffer(), off, len);
            if (event != null) {
                count[0] += deliver(listener, event);
            }
            return !closed;
        });
        return count[0];
    }

    /** A listener that throws does not stop the monitor: logged, counted, next event. */
    private int deliver(Consumer<? super RtEvent> listener, RtEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            listenerErrors++;
            LOG.log(System.Logger.Level.WARNING, "rtnetlink listener failed on " + event, e);
        }
        return 1;
    }

    /**
     * Starts a daemon platform thread named {@code threadName} that delivers events to {@code listener} until
     * {@link #close()}. At most one per monitor.
     */
    public synchronized Thread start(Consumer<? super RtEvent> listener, String threadName) {
        Objects.requireNonNull(listener, "listener");
        if (thread != null) {
            throw new IllegalStateException("the monitor thread runs already: " + thread.getName());
        }
        if (closed) {
            throw new IllegalStateException("rtnetlink monitor: closed");
        }
        thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(() -> run(listener));
        thread.start();
        return thread;
    }

    private void run(Consumer<? super RtEvent> listener) {
        while (!closed) {
            try {
                readEvents(listener, CLOSE_CHECK_MS);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "rtnetlink monitor: " + e.getMessage() + "; asking for a resync");
                deliver(listener, new RtEvent.Resync(e.getMessage()));
                try {
                    TimeUnit.MILLISECONDS.sleep(CLOSE_CHECK_MS); // a persistent failure must not spin
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public RtnlStats stats() {
        return parser.stats();
    }

    /** Listener calls that threw (logged and skipped). */
    public long listenerErrors() {
        synchronized (readLock) {
            return listenerErrors;
        }
    }

    /**
     * Stops the thread (waiting for it, unless called from it) and closes the socket. Idempotent. A reader
     * blocked in {@link #readEvents} returns within {@value #CLOSE_CHECK_MS} ms.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
        }
        if (Thread.holdsLock(readLock)) {
            return; // called from the listener: readEvents closes the socket on its way out
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10L * CLOSE_CHECK_MS + 5_000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (readLock) {
            sock.close();
        }
    }
}
