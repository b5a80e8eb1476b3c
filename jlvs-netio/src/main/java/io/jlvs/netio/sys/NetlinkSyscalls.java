package io.jlvs.netio.sys;

import static io.jlvs.netio.sys.LinkerHelper.result;
import static io.jlvs.netio.sys.LinkerHelper.rethrow;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls of rtnetlink and network namespaces that {@link Libc} does not have: {@code recvfrom}
 * (to see who sent a datagram), {@code getsockname} (our netlink port id) and {@code setns} ({@code open} is {@link IoSyscalls}').
 * As in {@link Libc}, each wrapper returns the result or the negated errno; none is {@code critical}
 * (recvfrom blocks). Plus the control-path helpers that open, bind and configure a NETLINK_ROUTE socket
 * and throw {@link ErrnoException} naming the call.
 */
public final class NetlinkSyscalls {

    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 02000000;
    /** {@code CLONE_NEWNET} of {@code <sched.h>}: setns joins the network namespace. */
    public static final int CLONE_NEWNET = 0x40000000;

    private static final MethodHandle RECVFROM = LinkerHelper.downcallWithErrno("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKNAME = LinkerHelper.downcallWithErrno("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SETNS = LinkerHelper.downcallWithErrno("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private NetlinkSyscalls() {}

    /** Bytes received (with {@link Netlink#MSG_TRUNC}: the datagram's real length). {@code addr} may be NULL. */
    public static long recvfrom(int fd, MemorySegment buf, long len, int flags, MemorySegment addr,
            MemorySegment addrLen) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (long) RECVFROM.invokeExact(st, fd, buf, len, flags, addr, addrLen));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getsockname(int fd, MemorySegment addr, MemorySegment addrLen) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) GETSOCKNAME.invokeExact(st, fd, addr, addrLen));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Moves the <em>calling thread</em> into the namespace {@code fd} refers to. */
    public static int setns(int fd, int nstype) {
        MemorySegment st = LinkerHelper.errnoState();
        try {
            return result(st, (int) SETNS.invokeExact(st, fd, nstype));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }


    // ---- control-path helpers ----

    /** {@code open(path, O_RDONLY | O_CLOEXEC)}. */
    public static int openReadOnly(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Libc.check("open(" + path + ")", IoSyscalls.open(arena.allocateFrom(path), O_RDONLY | O_CLOEXEC));
        }
    }

    /** {@code setns(fd, CLONE_NEWNET)} on the calling thread. */
    public static void setNetns(int fd, String label) throws ErrnoException {
        Libc.check("setns(" + label + ", CLONE_NEWNET)", setns(fd, CLONE_NEWNET));
    }

    /**
     * {@code socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)} bound to {@code groups} (the legacy
     * RTMGRP_* bitmask, 0 for a request socket), with extended acks on. Returns the descriptor.
     */
    public static int openRoute(int groups, String label) throws ErrnoException {
        int fd = (int) Libc.check("socket(" + label + ")",
                Libc.socket(Netlink.AF_NETLINK, Netlink.SOCK_RAW | Socket.SOCK_CLOEXEC, Netlink.NETLINK_ROUTE));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(Netlink.SOCKADDR_NL);
            sa.set(JAVA_SHORT, Netlink.NL_FAMILY, (short) Netlink.AF_NETLINK);
            sa.set(JAVA_INT, Netlink.NL_GROUPS, groups);
            Libc.check("bind(" + label + ")", Libc.bind(fd, sa, (int) Netlink.SOCKADDR_NL.byteSize()));
            // best effort: older kernels lack them, and the socket works without
            setIntOptionQuietly(fd, Netlink.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, 1);
            setIntOptionQuietly(fd, Netlink.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, 1);
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** The port id the kernel gave the socket at bind ({@code nl_pid} of getsockname). */
    public static int portId(int fd, String label) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(Netlink.SOCKADDR_NL);
            MemorySegment len = arena.allocateFrom(JAVA_INT, (int) Netlink.SOCKADDR_NL.byteSize());
            Libc.check("getsockname(" + label + ")", getsockname(fd, sa, len));
            return sa.get(JAVA_INT, Netlink.NL_PID);
        }
    }

    /**
     * Asks for a receive buffer of {@code bytes}: SO_RCVBUFFORCE (CAP_NET_ADMIN, beyond rmem_max) first, then
     * SO_RCVBUF (capped by rmem_max). Returns 0 or the negated errno of the last attempt.
     */
    public static int setReceiveBuffer(int fd, int bytes) {
        int res = setIntOptionQuietly(fd, Socket.SOL_SOCKET, Netlink.SO_RCVBUFFORCE, bytes);
        return res == 0 ? 0 : setIntOptionQuietly(fd, Socket.SOL_SOCKET, Socket.SO_RCVBUF, bytes);
    }

    /** 0 or the negated errno. */
    public static int setIntOptionQuietly(int fd, int level, int option, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(JAVA_INT, value);
            return Libc.setsockopt(fd, level, option, v, (int) JAVA_INT.byteSize());
        }
    }

}
