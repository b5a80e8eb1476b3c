package io.jlvs.netio.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * ICMP echo sockets for PING_CHECK, in Java types: {@code <netinet/in.h>} address layouts and constants, and the
 * thin wrappers that turn -1 into an {@link ErrnoException} naming the call and the peer. The libc calls
 * themselves are {@link Libc}'s (socket, setsockopt, bind, connect, send, recv, close).
 *
 * <p>Two kinds of socket, as keepalived's {@code check_ping.c} and iputils' ping use them:
 * <ul>
 *   <li>{@code socket(AF_INET[6], SOCK_DGRAM, IPPROTO_ICMP[V6])}, the unprivileged "ping socket": allowed when
 *       the caller's group is in {@code net.ipv4.ping_group_range}; the kernel picks the echo identifier, fills
 *       the checksum, and delivers only replies to this socket's identifier, without the IP header;</li>
 *   <li>{@code SOCK_RAW} with CAP_NET_RAW: every ICMP packet of the family; IPv4 reads start with the IP
 *       header, and the ICMPv4 checksum is ours to compute (the kernel computes ICMPv6's).</li>
 * </ul>
 * A connected socket of either kind only receives from its peer.
 */
public final class IcmpSockets {

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_ICMPV6 = 58;
    /** {@code <asm-generic/socket.h>}: mark outgoing packets (needs CAP_NET_ADMIN). */
    public static final int SO_MARK = 36;
    /** {@code <sys/socket.h>}: a non-blocking recv, whatever the socket's mode. */
    public static final int MSG_DONTWAIT = 0x40;

    /** {@code struct sockaddr_in}: 16 bytes; port and address in network order. */
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin_family"),
            JAVA_SHORT.withName("sin_port"),
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero")).withName("sockaddr_in");

    /** {@code struct sockaddr_in6}: 28 bytes. */
    public static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin6_family"),
            JAVA_SHORT.withName("sin6_port"),
            JAVA_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
            JAVA_INT.withName("sin6_scope_id")).withName("sockaddr_in6");

    private static final VarHandle SIN_FAMILY = Socket.field(SOCKADDR_IN, "sin_family");
    private static final VarHandle SIN6_FAMILY = Socket.field(SOCKADDR_IN6, "sin6_family");
    private static final VarHandle SIN6_SCOPE_ID = Socket.field(SOCKADDR_IN6, "sin6_scope_id");
    public static final long SIN_ADDR_OFFSET = SOCKADDR_IN.byteOffset(MemoryLayout.PathElement.groupElement("sin_addr"));
    public static final long SIN6_ADDR_OFFSET =
            SOCKADDR_IN6.byteOffset(MemoryLayout.PathElement.groupElement("sin6_addr"));

    private IcmpSockets() {}

    /** An open ICMP socket: its descriptor and whether it is raw (IP header on IPv4 reads, our identifier). */
    public record Opened(int fd, boolean raw) {}

    /**
     * A ping socket of {@code addr}'s family: {@code SOCK_DGRAM} first, {@code SOCK_RAW} when the ping group
     * range refuses us (EACCES) or the kernel has no ping sockets; close-on-exec either way.
     */
    public static Opened open(InetAddress addr) throws ErrnoException {
        int family = addr instanceof Inet6Address ? AF_INET6 : AF_INET;
        int proto = family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
        int fd = Libc.socket(family, SOCK_DGRAM | Socket.SOCK_CLOEXEC, proto);
        if (fd >= 0) {
            return new Opened(fd, false);
        }
        int dgramErrno = -fd;
        fd = Libc.socket(family, SOCK_RAW | Socket.SOCK_CLOEXEC, proto);
        if (fd >= 0) {
            return new Opened(fd, true);
        }
        throw new ErrnoException("socket(ICMP" + (family == AF_INET6 ? "v6" : "") + ")", -fd,
                "neither a ping socket (" + Errno.name(dgramErrno) + ": is the group in net.ipv4.ping_group_range?)"
                        + " nor a raw socket (needs CAP_NET_RAW)");
    }

    /** {@code setsockopt(SOL_SOCKET, SO_MARK)}. */
    public static void setMark(int fd, int mark) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(JAVA_INT, mark);
            Libc.check("setsockopt(SO_MARK " + Integer.toUnsignedString(mark) + ")",
                    Libc.setsockopt(fd, Socket.SOL_SOCKET, SO_MARK, v, (int) JAVA_INT.byteSize()));
        }
    }

    public static void bind(int fd, InetAddress local) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr(arena, local);
            Libc.check("bind(" + local.getHostAddress() + ")", Libc.bind(fd, sa, (int) sa.byteSize()));
        }
    }

    /** Fixes the peer: sends go to it, and only its packets are received. */
    public static void connect(int fd, InetAddress peer) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr(arena, peer);
            Libc.check("connect(" + peer.getHostAddress() + ")", Libc.connect(fd, sa, (int) sa.byteSize()));
        }
    }

    public static void send(int fd, byte[] packet, String label) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(packet.length);
            MemorySegment.copy(packet, 0, buf, JAVA_BYTE, 0, packet.length);
            long res;
            do {
                res = Libc.send(fd, buf, packet.length, Socket.MSG_NOSIGNAL);
            } while (res == -Errno.EINTR);
            Libc.check("send(" + label + ")", res);
        }
    }

    /**
     * Reads one datagram without blocking: its length, 0 when none is queued, or the negated errno of an error
     * the kernel queued for the socket (EHOSTUNREACH, ECONNREFUSED...: the caller decides what it means).
     */
    public static int recvNow(int fd, byte[] into) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(into.length);
            long res;
            do {
                res = Libc.recv(fd, buf, into.length, MSG_DONTWAIT);
            } while (res == -Errno.EINTR);
            if (res == -Errno.EAGAIN) {
                return 0;
            }
            if (res > 0) {
                MemorySegment.copy(buf, JAVA_BYTE, 0, into, 0, (int) res);
            }
            return (int) res;
        }
    }

    public static void closeQuietly(int fd) {
        Libc.close(fd);
    }

    private static MemorySegment sockaddr(Arena arena, InetAddress addr) {
        byte[] raw = addr.getAddress();
        if (addr instanceof Inet4Address) {
            MemorySegment sa = arena.allocate(SOCKADDR_IN);
            SIN_FAMILY.set(sa, 0L, (short) AF_INET);
            MemorySegment.copy(raw, 0, sa, JAVA_BYTE, SIN_ADDR_OFFSET, 4);
            return sa;
        }
        MemorySegment sa = arena.allocate(SOCKADDR_IN6);
        SIN6_FAMILY.set(sa, 0L, (short) AF_INET6);
        MemorySegment.copy(raw, 0, sa, JAVA_BYTE, SIN6_ADDR_OFFSET, 16);
        SIN6_SCOPE_ID.set(sa, 0L, ((Inet6Address) addr).getScopeId());
        return sa;
    }
}
