package io.jlvs.netio.sys;

import static io.jlvs.netio.sys.LinkerHelper.result;
import static io.jlvs.netio.sys.LinkerHelper.rethrow;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * open, ioctl, read, write and recv for the TUN device and the tunnel sockets of {@code jlvs decap}, one
 * {@code private static final MethodHandle} each, as {@link Libc}: the result, or the negated errno.
 *
 * <p>The packet calls ({@link #write}, {@link #recv}) take a native address and a length instead of a
 * segment, so a packet at any offset of a receive buffer is passed without making a slice per packet.
 * {@code open} and {@code ioctl} are variadic in C and linked as such ({@code firstVariadicArg(2)}).
 * Nothing is {@code critical}: recv and write block.
 */
public final class IoSyscalls {

    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 02000000;
    /** {@code <fcntl.h>}: reads return EAGAIN instead of waiting. */
    public static final int O_NONBLOCK = 04000;

    private static final MethodHandle OPEN = LinkerHelper.downcallWithErrno("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL = LinkerHelper.downcallWithErrno("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle WRITE = LinkerHelper.downcallWithErrno("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle READ = LinkerHelper.downcallWithErrno("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle RECV = LinkerHelper.downcallWithErrno("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));

    private IoSyscalls() {}

    /** {@code path} a NUL-terminated native string. */
    public static int open(MemorySegment path, int flags) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) OPEN.invokeExact(st, path, flags, 0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int ioctl(int fd, long request, MemorySegment arg) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) IOCTL.invokeExact(st, fd, request, arg));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Writes {@code len} bytes at native address {@code address}. */
    public static long write(int fd, long address, long len) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (long) WRITE.invokeExact(st, fd, address, len));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Reads at most {@code len} bytes to native address {@code address}. Blocks, unless opened O_NONBLOCK. */
    public static long read(int fd, long address, long len) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (long) READ.invokeExact(st, fd, address, len));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Receives at most {@code len} bytes at native address {@code address}. Blocks (up to SO_RCVTIMEO). The same
     * call as {@link Libc#recv}, bound with a raw address so a per-packet receive at an offset needs no slice.
     */
    public static long recv(int fd, long address, long len, int flags) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (long) RECV.invokeExact(st, fd, address, len, flags));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

}
