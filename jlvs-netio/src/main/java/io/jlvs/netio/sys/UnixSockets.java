package io.jlvs.netio.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * AF_UNIX stream sockets in the Linux abstract namespace, in Java types: the control-path wrapper that turns
 * -1 into an {@link ErrnoException} naming the call and the socket ({@code "connect(@jlvsd)"}), and retries
 * EINTR where that is safe. Every native struct lives in a confined arena for the length of one call.
 *
 * <p>{@code name} is the abstract name without its leading NUL (1 to {@value Un#MAX_ABSTRACT_NAME} bytes);
 * {@code label} is how messages show the socket, conventionally {@code "@" + name}.
 */
public final class UnixSockets {

    /** The native bounce buffer for one recv or one slice of a send: the control path's frames are small. */
    private static final int CHUNK = 64 * 1024;

    private UnixSockets() {}

    /** {@code socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)}. */
    public static int openStream(String label) throws ErrnoException {
        return (int) Libc.check("socket(" + label + ")",
                Libc.socket(Socket.AF_UNIX, Socket.SOCK_STREAM | Socket.SOCK_CLOEXEC, 0));
    }

    public static void bindAbstract(int fd, byte[] name, String label) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            int res = Libc.bind(fd, abstractAddress(arena, name), Un.abstractAddressLength(name.length));
            if (res == -Errno.EADDRINUSE) {
                throw new ErrnoException("bind(" + label + ")", Errno.EADDRINUSE,
                        "another socket in this network namespace is already bound to " + label);
            }
            Libc.check("bind(" + label + ")", res);
        }
    }

    public static void listen(int fd, int backlog, String label) throws ErrnoException {
        Libc.check("listen(" + label + ")", Libc.listen(fd, backlog));
    }

    /** Blocks for the next connection; the new descriptor is close-on-exec. */
    public static int accept(int fd, String label) throws ErrnoException {
        int res;
        do {
            res = Libc.accept4(fd, MemorySegment.NULL, MemorySegment.NULL, Socket.SOCK_CLOEXEC);
        } while (res == -Errno.EINTR);
        return (int) Libc.check("accept(" + label + ")", res);
    }

    public static void connectAbstract(int fd, byte[] name, String label) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            int res = Libc.connect(fd, abstractAddress(arena, name), Un.abstractAddressLength(name.length));
            if (res == -Errno.ECONNREFUSED) {
                throw new ErrnoException("connect(" + label + ")", Errno.ECONNREFUSED,
                        "nothing listening on " + label + " in this network namespace");
            }
            Libc.check("connect(" + label + ")", res);
        }
    }

    /** Reads at most {@code len} bytes (and at most 64 KiB) into {@code b}; 0 at end of stream. Blocks. */
    public static int recv(int fd, byte[] b, int off, int len, String label) throws ErrnoException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int want = Math.min(len, CHUNK);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(want);
            long res;
            do {
                res = Libc.recv(fd, buf, want, 0);
            } while (res == -Errno.EINTR);
            int n = (int) Libc.check("recv(" + label + ")", res);
            MemorySegment.copy(buf, JAVA_BYTE, 0, b, off, n);
            return n;
        }
    }

    /** Sends all {@code len} bytes, without SIGPIPE (a vanished peer is EPIPE). Blocks. */
    public static void sendAll(int fd, byte[] b, int off, int len, String label) throws ErrnoException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.min(len, CHUNK));
            int done = 0;
            while (done < len) {
                int slice = (int) Math.min(len - done, buf.byteSize());
                MemorySegment.copy(b, off + done, buf, JAVA_BYTE, 0, slice);
                int sent = 0;
                while (sent < slice) {
                    long res = Libc.send(fd, buf.asSlice(sent), slice - sent, Socket.MSG_NOSIGNAL);
                    if (res == -Errno.EINTR) {
                        continue;
                    }
                    sent += (int) Libc.check("send(" + label + ")", res);
                }
                done += slice;
            }
        }
    }

    /** {@code getsockopt(SOL_SOCKET, SO_PEERCRED)}: who connected (or who listens, on a client socket). */
    public static Ucred peerCredentials(int fd, String label) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cred = arena.allocate(Socket.UCRED);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, (int) Socket.UCRED.byteSize());
            Libc.check("getsockopt(" + label + ", SO_PEERCRED)",
                    Libc.getsockopt(fd, Socket.SOL_SOCKET, Socket.SO_PEERCRED, cred, len));
            return new Ucred((int) Socket.UCRED_PID.get(cred, 0L), (int) Socket.UCRED_UID.get(cred, 0L),
                    (int) Socket.UCRED_GID.get(cred, 0L));
        }
    }

    /** An int socket option ({@code SO_RCVBUF}, ...). */
    public static void setIntOption(int fd, int level, int option, int value, String label) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(JAVA_INT, value);
            Libc.check("setsockopt(" + label + ")", Libc.setsockopt(fd, level, option, v, (int) JAVA_INT.byteSize()));
        }
    }

    /**
     * Waits until {@code fd} has data, end of stream or an error to read, for at most {@code timeoutMillis}
     * (-1: forever). Returns the {@code revents} bits, 0 on timeout. An EINTR returns 0 early, as a timeout.
     */
    public static int pollIn(int fd, int timeoutMillis, String label) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(Poll.POLLFD);
            Poll.POLLFD_FD.set(pfd, 0L, fd);
            Poll.POLLFD_EVENTS.set(pfd, 0L, Poll.POLLIN);
            int res = Libc.poll(pfd, 1, timeoutMillis);
            if (res == -Errno.EINTR) {
                return 0;
            }
            Libc.check("poll(" + label + ")", res);
            return res == 0 ? 0 : Short.toUnsignedInt((short) Poll.POLLFD_REVENTS.get(pfd, 0L));
        }
    }

    /** Returns 0 or the negated errno: shutdown is a wake-up on the close path, and its failure is not news. */
    public static int shutdown(int fd, int how) {
        return Libc.shutdown(fd, how);
    }

    /** Closes {@code fd} once; the descriptor is gone whatever close(2) says. */
    public static void close(int fd, String label) throws ErrnoException {
        Libc.check("close(" + label + ")", Libc.close(fd));
    }

    private static MemorySegment abstractAddress(Arena arena, byte[] name) {
        if (name.length < 1 || name.length > Un.MAX_ABSTRACT_NAME) {
            throw new IllegalArgumentException("an abstract socket name has 1 to " + Un.MAX_ABSTRACT_NAME
                    + " bytes, not " + name.length);
        }
        MemorySegment sa = arena.allocate(Un.SOCKADDR_UN); // zeroed: sun_path[0] = 0 marks the abstract namespace
        Un.SUN_FAMILY.set(sa, 0L, (short) Socket.AF_UNIX);
        MemorySegment.copy(name, 0, sa, JAVA_BYTE, Un.SUN_PATH_OFFSET + 1, name.length);
        return sa;
    }
}
