package io.jlvs.netio.sys;

import static io.jlvs.netio.sys.LinkerHelper.result;
import static io.jlvs.netio.sys.LinkerHelper.rethrow;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls jlvs makes, one {@code private static final MethodHandle} each, called with
 * {@code invokeExact}. Each wrapper returns what the call returns, or the <em>negated errno</em> when it
 * returned -1 (the kernel's own convention, so EINTR and EAGAIN can be looped on without an exception);
 * {@link #check(String, long)} turns a negative result into an {@link ErrnoException} naming the call.
 *
 * <p>No handle is {@code Linker.Option.critical}: accept, recv, send, connect and poll all block.
 * {@code size_t}/{@code ssize_t} are {@code long}: {@link io.jlvs.netio.NetioAvailability} refuses a
 * non-64-bit platform.
 */
public final class Libc {

    private static final MethodHandle SOCKET = LinkerHelper.downcallWithErrno("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = LinkerHelper.downcallWithErrno("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = LinkerHelper.downcallWithErrno("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = LinkerHelper.downcallWithErrno("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = LinkerHelper.downcallWithErrno("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = LinkerHelper.downcallWithErrno("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SEND = LinkerHelper.downcallWithErrno("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = LinkerHelper.downcallWithErrno("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = LinkerHelper.downcallWithErrno("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SETSOCKOPT = LinkerHelper.downcallWithErrno("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN = LinkerHelper.downcallWithErrno("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle POLL = LinkerHelper.downcallWithErrno("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETUID = LinkerHelper.downcall("getuid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETEUID = LinkerHelper.downcall("geteuid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETPID = LinkerHelper.downcall("getpid", FunctionDescriptor.of(JAVA_INT));

    private Libc() {}

    /** {@code res} if it is not negative; otherwise an exception naming {@code call} and errno {@code -res}. */
    public static long check(String call, long res) throws ErrnoException {
        if (res < 0) {
            throw new ErrnoException(call, (int) -res);
        }
        return res;
    }

    public static int socket(int domain, int type, int protocol) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) SOCKET.invokeExact(st, domain, type, protocol));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int bind(int fd, MemorySegment addr, int addrLen) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) BIND.invokeExact(st, fd, addr, addrLen));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int listen(int fd, int backlog) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) LISTEN.invokeExact(st, fd, backlog));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code addr}/{@code addrLen} may be {@link MemorySegment#NULL}. Blocks. */
    public static int accept4(int fd, MemorySegment addr, MemorySegment addrLen, int flags) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) ACCEPT4.invokeExact(st, fd, addr, addrLen, flags));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int connect(int fd, MemorySegment addr, int addrLen) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) CONNECT.invokeExact(st, fd, addr, addrLen));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Bytes received, 0 at end of stream. Blocks. */
    public static long recv(int fd, MemorySegment buf, long len, int flags) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (long) RECV.invokeExact(st, fd, buf, len, flags));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Bytes sent (possibly fewer than {@code len}). Blocks. */
    public static long send(int fd, MemorySegment buf, long len, int flags) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (long) SEND.invokeExact(st, fd, buf, len, flags));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Never retried on EINTR: on Linux the descriptor is released whatever close returns. */
    public static int close(int fd) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) CLOSE.invokeExact(st, fd));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment valueLen) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) GETSOCKOPT.invokeExact(st, fd, level, name, value, valueLen));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int valueLen) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) SETSOCKOPT.invokeExact(st, fd, level, name, value, valueLen));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int shutdown(int fd, int how) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) SHUTDOWN.invokeExact(st, fd, how));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Ready descriptors, 0 on timeout; {@code timeoutMillis} -1 waits forever. Blocks. */
    public static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) POLL.invokeExact(st, fds, nfds, timeoutMillis));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getuid() {
        try {
            return (int) GETUID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

}
