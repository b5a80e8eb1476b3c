package io.jlvs.netio;

import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.ErrnoException;
import io.jlvs.netio.sys.Inet;
import io.jlvs.netio.sys.IoSyscalls;
import io.jlvs.netio.sys.Libc;
import io.jlvs.netio.sys.Socket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A socket that receives tunnelled packets addressed to this host, for {@code jlvs decap}:
 * <ul>
 * <li>{@link #raw(int, int, int)}: {@code SOCK_RAW} of an IP protocol (4, 41, 47). An {@code AF_INET} one
 *     receives each whole IPv4 packet, outer header first; an {@code AF_INET6} one only what follows the IPv6
 *     header and its extension headers. Both receive reassembled packets, and every packet of that protocol
 *     for this host (a copy: the kernel's own handler, if any, also gets it).</li>
 * <li>{@link #udp(int, boolean, int)}: a UDP socket on a port (GUE), receiving UDP payloads; dual-stack unless
 *     IPv4 only, and accepting zero-checksum IPv6 datagrams (RFC 6935) as tunnels send them.</li>
 * </ul>
 * Receives wake at least every {@code timeoutMs} ({@code SO_RCVTIMEO}) with EAGAIN, so the owning thread can
 * check whether to stop; one thread owns a socket, receives on it and closes it.
 */
public final class TunnelSocket implements AutoCloseable {
    private static final int RCVBUF = 4 << 20;

    private final int fd;
    private final String label;
    private boolean closed;

    private TunnelSocket(int fd, String label) {
        this.fd = fd;
        this.label = label;
    }

    /** {@code socket(family, SOCK_RAW, protocol)}; needs CAP_NET_RAW. */
    public static TunnelSocket raw(int family, int protocol, int timeoutMs) throws ErrnoException {
        NetioAvailability.ensureAvailable();
        String label = (family == Inet.AF_INET6 ? "raw6" : "raw4") + "/" + protocol;
        int fd = Libc.socket(family, Inet.SOCK_RAW | Socket.SOCK_CLOEXEC, protocol);
        if (fd == -Errno.EPERM || fd == -Errno.EACCES) {
            throw new ErrnoException("socket(" + label + ")", -fd, "needs root (CAP_NET_RAW)");
        }
        Libc.check("socket(" + label + ")", fd);
        return configured(fd, label, timeoutMs);
    }

    /** A UDP socket bound to {@code port} on every address: dual-stack when {@code ipv6}, else IPv4 only. */
    public static TunnelSocket udp(int port, boolean ipv6, int timeoutMs) throws ErrnoException {
        NetioAvailability.ensureAvailable();
        if (port < 1 || port > 65535) throw new IllegalArgumentException("bad UDP port " + port);
        String label = "udp" + (ipv6 ? "" : "4") + "/" + port;
        int fd = (int) Libc.check("socket(" + label + ")",
                Libc.socket(ipv6 ? Inet.AF_INET6 : Inet.AF_INET, Inet.SOCK_DGRAM | Socket.SOCK_CLOEXEC, 0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr;
            if (ipv6) {
                setInt(fd, Inet.SOL_IPV6, Inet.IPV6_V6ONLY, 0, label, arena);
                setInt(fd, Inet.SOL_UDP, Inet.UDP_NO_CHECK6_RX, 1, label, arena);
                addr = arena.allocate(Inet.SOCKADDR_IN6);                        // zeroed: in6addr_any
                addr.set(ValueLayout.JAVA_SHORT, 0, (short) Inet.AF_INET6);
                addr.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN),
                        Inet.SIN6_PORT, (short) port);
            } else {
                addr = arena.allocate(Inet.SOCKADDR_IN);                         // zeroed: INADDR_ANY
                addr.set(ValueLayout.JAVA_SHORT, 0, (short) Inet.AF_INET);
                addr.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN),
                        Inet.SIN_PORT, (short) port);
            }
            int res = Libc.bind(fd, addr, (int) addr.byteSize());
            if (res == -Errno.EADDRINUSE) {
                throw new ErrnoException("bind(" + label + ")", Errno.EADDRINUSE, "UDP port " + port + " is in use");
            }
            Libc.check("bind(" + label + ")", res);
        } catch (ErrnoException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        return configured(fd, label, timeoutMs);
    }

    private static TunnelSocket configured(int fd, String label, int timeoutMs) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment tv = arena.allocate(Inet.TIMEVAL);
            tv.set(ValueLayout.JAVA_LONG, 0, timeoutMs / 1000);
            tv.set(ValueLayout.JAVA_LONG, 8, (timeoutMs % 1000) * 1000L);
            Libc.check("setsockopt(" + label + ", SO_RCVTIMEO)",
                    Libc.setsockopt(fd, Socket.SOL_SOCKET, Inet.SO_RCVTIMEO, tv, (int) tv.byteSize()));
            // a larger receive queue rides out bursts; the kernel caps it at rmem_max, which is fine
            MemorySegment v = arena.allocateFrom(ValueLayout.JAVA_INT, RCVBUF);
            Libc.setsockopt(fd, Socket.SOL_SOCKET, Socket.SO_RCVBUF, v, 4);
        } catch (ErrnoException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        return new TunnelSocket(fd, label);
    }

    private static void setInt(int fd, int level, int option, int value, String label, Arena arena) throws ErrnoException {
        MemorySegment v = arena.allocateFrom(ValueLayout.JAVA_INT, value);
        Libc.check("setsockopt(" + label + ", " + level + "/" + option + ")", Libc.setsockopt(fd, level, option, v, 4));
    }

    /** {@code "raw4/4"}, {@code "raw6/47"}, {@code "udp/6080"}: how counters and messages name it. */
    public String label() {
        return label;
    }

    /**
     * Receives one packet into the native segment {@code buf} at {@code offset}, at most {@code capacity} bytes
     * (a longer packet is cut, and its full length returned: a result over {@code capacity} means cut).
     *
     * @return the packet's length, or the negated errno: EAGAIN when the timeout passed, EINTR
     */
    public int receive(MemorySegment buf, long offset, int capacity) {
        if (offset < 0 || capacity < 0 || offset + capacity > buf.byteSize() || !buf.isNative()) {
            throw new IndexOutOfBoundsException("receive area outside the native buffer");
        }
        return (int) IoSyscalls.recv(fd, buf.address() + offset, capacity, Inet.MSG_TRUNC);
    }

    /** Idempotent; by the owning thread. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Libc.close(fd);
    }
}
