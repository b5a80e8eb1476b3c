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
 * The libc calls the AF_PACKET data plane makes beyond {@link Libc}'s: {@code mmap}/{@code munmap} for the
 * rings, {@code sendmmsg} and {@code sendto} for transmit, interface lookups through {@link IoSyscalls#ioctl}, and
 * (entering a namespace is {@link NetlinkSyscalls}'s). Same conventions as {@link Libc}: one
 * handle per function, {@code invokeExact}, the negated errno on failure, errno captured per thread.
 *
 * <p>No handle is {@code critical}: even with MSG_DONTWAIT, one sendmmsg of 64 super-frames copies megabytes,
 * and a critical call holds off safepoints for that long.
 */
public final class PacketSyscalls {

    // <sys/mman.h>
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_LOCKED = 0x2000;
    public static final int MAP_POPULATE = 0x8000;

    // <linux/sockios.h>
    public static final long SIOCGIFHWADDR = 0x8927;
    public static final long SIOCGIFMTU = 0x8921;
    public static final long SIOCGIFINDEX = 0x8933;
    public static final long SIOCETHTOOL = 0x8946;

    // <sched.h>, <fcntl.h>
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 02000000;

    // <sys/socket.h>
    public static final int AF_INET = 2;
    public static final int SOCK_DGRAM = 2;

    private static final MethodHandle MMAP = LinkerHelper.downcallWithErrno("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = LinkerHelper.downcallWithErrno("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SENDMMSG = LinkerHelper.downcallWithErrno("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle SENDTO = LinkerHelper.downcallWithErrno("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

    private PacketSyscalls() {}

    /** The mapping's address, or the negated errno ({@code MAP_FAILED}). */
    public static long mmap(long length, int prot, int flags, int fd, long offset) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            MemorySegment p = (MemorySegment) MMAP.invokeExact(st, MemorySegment.NULL, length, prot, flags, fd, offset);
            return p.address() == -1L ? -LinkerHelper.errno(st) : p.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int munmap(long address, long length) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) MUNMAP.invokeExact(st, MemorySegment.ofAddress(address), length));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Messages sent (the first {@code n} of {@code vlen}), or the negated errno of the first one. */
    public static int sendmmsg(int fd, MemorySegment msgvec, int vlen, int flags) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) SENDMMSG.invokeExact(st, fd, msgvec, vlen, flags));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code sendto(fd, buf, len, flags, NULL, 0)}: with a TX ring and len 0, the "send what is queued" kick. */
    public static long send(int fd, MemorySegment buf, long len, int flags) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (long) SENDTO.invokeExact(st, fd, buf, len, flags, MemorySegment.NULL, 0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@link IoSyscalls#ioctl}: one binding of {@code ioctl} for the whole module. */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        return IoSyscalls.ioctl(fd, request, arg);
    }


}
