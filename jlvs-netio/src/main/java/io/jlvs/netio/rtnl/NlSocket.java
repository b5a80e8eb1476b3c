package io.jlvs.netio.rtnl;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.ErrnoException;
import io.jlvs.netio.sys.Libc;
import io.jlvs.netio.sys.Netlink;
import io.jlvs.netio.sys.NetlinkSyscalls;
import io.jlvs.netio.sys.Poll;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;

/**
 * One NETLINK_ROUTE socket with its receive buffer. Not thread-safe: its owner serialises calls.
 *
 * <p>Each datagram is first peeked with {@code MSG_PEEK | MSG_TRUNC}, which tells its real length without
 * consuming it, and the buffer grows to fit before the real read: a datagram is never truncated (a lost part
 * of a dump would otherwise have to be detected and redumped). Datagrams not sent by the kernel (a
 * {@code nl_pid} other than 0 in the source address) are dropped and counted as stale.
 */
final class NlSocket implements AutoCloseable {

    /** The first receive buffer; the kernel's dump datagrams are at most 32 KiB. */
    static final int INITIAL_BUFFER = 64 * 1024;
    /** The largest datagram accepted; a bigger one (never seen) is dropped and reported as lost. */
    static final int MAX_BUFFER = 16 * 1024 * 1024;
    static final int REQUEST_BUFFER = 4096;

    /** {@link #receive} result: nothing arrived within the timeout. */
    static final int TIMEOUT = 0;

    private static final long POLL_EVENTS = Poll.POLLFD.byteOffset(PathElement.groupElement("events"));
    private static final long POLL_REVENTS = Poll.POLLFD.byteOffset(PathElement.groupElement("revents"));

    final int fd;
    final int portId;
    final String label;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sockaddr;
    private final MemorySegment sockaddrLen;
    private final MemorySegment pollfd;
    private final MemorySegment request;
    private Arena bufferArena;
    private MemorySegment buffer;
    private boolean closed;

    private NlSocket(int fd, int portId, String label) {
        this.fd = fd;
        this.portId = portId;
        this.label = label;
        this.sockaddr = arena.allocate(Netlink.SOCKADDR_NL);
        this.sockaddrLen = arena.allocate(JAVA_INT);
        this.pollfd = arena.allocate(Poll.POLLFD);
        this.request = arena.allocate(REQUEST_BUFFER, 8);
        this.bufferArena = Arena.ofShared();
        this.buffer = bufferArena.allocate(INITIAL_BUFFER, 8);
    }

    /** A socket bound to the RTMGRP_* {@code groups} (0: requests only), with a receive buffer of {@code rcvbuf} if > 0. */
    static NlSocket open(int groups, int rcvbuf, String label) throws ErrnoException {
        int fd = NetlinkSyscalls.openRoute(groups, label);
        try {
            if (rcvbuf > 0) {
                NetlinkSyscalls.setReceiveBuffer(fd, rcvbuf); // best effort: rmem_max caps it without CAP_NET_ADMIN
            }
            return new NlSocket(fd, NetlinkSyscalls.portId(fd, label), label);
        } catch (ErrnoException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** The scratch segment requests are built in (4 KiB). */
    MemorySegment requestBuffer() {
        return request;
    }

    /** The buffer the last {@link #receive} filled. */
    MemorySegment buffer() {
        return buffer;
    }

    /** Sends {@code len} bytes of {@link #requestBuffer()} to the kernel. */
    void send(int len, String call) throws ErrnoException {
        long res;
        do {
            res = Libc.send(fd, request, len, 0);
        } while (res == -Errno.EINTR);
        Libc.check(call, res);
        if (res != len) {
            throw new ErrnoException(call, Errno.EMSGSIZE, "sent " + res + " of " + len + " bytes");
        }
    }

    /**
     * Waits up to {@code timeoutMs} (0: do not wait) for a datagram from the kernel and reads it into
     * {@link #buffer()}. Returns its length; {@link #TIMEOUT} if none came; {@code -ENOBUFS} when the kernel
     * reports it dropped messages for this socket; {@code -EMSGSIZE} when one too big to read was dropped.
     */
    int receive(int timeoutMs, RtnlParser counters) throws ErrnoException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            long peeked = NetlinkSyscalls.recvfrom(fd, buffer, buffer.byteSize(),
                    Netlink.MSG_PEEK | Netlink.MSG_TRUNC | Netlink.MSG_DONTWAIT, MemorySegment.NULL, MemorySegment.NULL);
            if (peeked == -Errno.EAGAIN || peeked == -Errno.EINTR) {
                long leftMs = (deadline - System.nanoTime() + 999_999L) / 1_000_000L;
                if (leftMs <= 0) {
                    return TIMEOUT;
                }
                pollIn((int) Math.min(leftMs, Integer.MAX_VALUE)); // data, timeout or EINTR: the peek decides
                continue;
            }
            if (peeked == -Errno.ENOBUFS) {
                return -Errno.ENOBUFS;
            }
            Libc.check("recv(" + label + ")", peeked);
            if (peeked > buffer.byteSize()) {
                if (peeked > MAX_BUFFER) {
                    drop();
                    return -Errno.EMSGSIZE;
                }
                grow(peeked);
            }
            sockaddrLen.set(JAVA_INT, 0, (int) Netlink.SOCKADDR_NL.byteSize());
            long n = NetlinkSyscalls.recvfrom(fd, buffer, buffer.byteSize(), Netlink.MSG_DONTWAIT, sockaddr,
                    sockaddrLen);
            if (n == -Errno.EAGAIN || n == -Errno.EINTR) {
                continue;
            }
            if (n == -Errno.ENOBUFS) {
                return -Errno.ENOBUFS;
            }
            Libc.check("recv(" + label + ")", n);
            if (n == 0) {
                continue;
            }
            if (sockaddr.get(JAVA_INT, Netlink.NL_PID) != 0) {
                counters.stale.incrementAndGet(); // not from the kernel: another process wrote to our port
                continue;
            }
            return (int) n;
        }
    }

    /** Waits until the socket is readable or {@code timeoutMs} passed; false on timeout or EINTR. */
    private boolean pollIn(int timeoutMs) throws ErrnoException {
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, POLL_EVENTS, Poll.POLLIN);
        pollfd.set(JAVA_SHORT, POLL_REVENTS, (short) 0);
        int res = Libc.poll(pollfd, 1, timeoutMs);
        if (res == -Errno.EINTR) {
            return false;
        }
        Libc.check("poll(" + label + ")", res);
        return res > 0;
    }

    private void grow(long atLeast) {
        long size = buffer.byteSize();
        while (size < atLeast) {
            size *= 2;
        }
        bufferArena.close();
        bufferArena = Arena.ofShared();
        buffer = bufferArena.allocate(size, 8);
    }

    /** Consumes the datagram at the head of the queue unread. */
    private void drop() {
        NetlinkSyscalls.recvfrom(fd, buffer, 0, Netlink.MSG_DONTWAIT | Netlink.MSG_TRUNC, MemorySegment.NULL,
                MemorySegment.NULL);
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc.close(fd);
        bufferArena.close();
        arena.close();
    }

    boolean isClosed() {
        return closed;
    }
}
