package io.jlvs.netio;

import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.ErrnoException;
import io.jlvs.netio.sys.IfTun;
import io.jlvs.netio.sys.Ifreq;
import io.jlvs.netio.sys.Inet;
import io.jlvs.netio.sys.IoSyscalls;
import io.jlvs.netio.sys.Libc;
import io.jlvs.netio.sys.Poll;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A TUN device ({@code IFF_TUN | IFF_NO_PI}): each {@link #write} hands one IP packet to the local stack as if
 * it had arrived on the interface. The interface exists while this object is open (not persistent): closing it
 * removes the interface, also when the process dies.
 *
 * <p>{@link #read} is for tests and tools that play the other side (the stack's packets routed to the
 * interface); {@link #readNow} for a duty cycle polling a device opened non-blocking (jlvsd's LocalNode port
 * reads the replies of local NAT real servers); {@code jlvs decap} only writes. {@link #write} may be called from several threads at once (each write is one packet); {@link #close()}
 * only after they stopped.
 */
public final class Tun implements AutoCloseable {

    private final int fd;
    private final String name;
    private final boolean nonBlocking;
    private boolean closed;

    private Tun(int fd, String name, boolean nonBlocking) {
        this.fd = fd;
        this.name = name;
        this.nonBlocking = nonBlocking;
    }

    /**
     * Opens {@code /dev/net/tun} and creates the interface {@code name} (1 to 15 bytes). Errors say what to do:
     * no TUN driver, not root (CAP_NET_ADMIN), a name in use by another kind of interface or another process.
     */
    public static Tun open(String name) throws IOException {
        return open(name, false);
    }

    /**
     * As {@link #open(String)}; with {@code nonBlocking} the device is opened {@code O_NONBLOCK}, for
     * {@link #readNow} on a duty cycle (writes never wait for a TUN device either way).
     */
    public static Tun open(String name, boolean nonBlocking) throws IOException {
        NetioAvailability.ensureAvailable();
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length < 1 || bytes.length >= Ifreq.IFNAMSIZ || name.contains("/") || name.isBlank()) {
            throw new IllegalArgumentException("bad interface name '" + name + "' (1 to 15 characters, no '/')");
        }
        if (!Files.exists(Path.of(IfTun.CLONE_DEVICE))) {
            throw new IOException(IfTun.CLONE_DEVICE + " does not exist: no TUN driver (modprobe tun, or in a container "
                    + "pass the device: --device /dev/net/tun)");
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = IoSyscalls.open(arena.allocateFrom(IfTun.CLONE_DEVICE),
                    IoSyscalls.O_RDWR | IoSyscalls.O_CLOEXEC | (nonBlocking ? IoSyscalls.O_NONBLOCK : 0));
            if (fd == -Errno.EACCES || fd == -Errno.EPERM) {
                throw new ErrnoException("open(" + IfTun.CLONE_DEVICE + ")", -fd, "needs root (CAP_NET_ADMIN)");
            }
            Libc.check("open(" + IfTun.CLONE_DEVICE + ")", fd);
            MemorySegment ifr = ifreq(arena, bytes);
            ifr.set(ValueLayout.JAVA_SHORT, Ifreq.IFR_IFRU, (short) (IfTun.IFF_TUN | IfTun.IFF_NO_PI));
            int res = IoSyscalls.ioctl(fd, IfTun.TUNSETIFF, ifr);
            if (res < 0) {
                Libc.close(fd);
                String detail = switch (-res) {
                    case Errno.EPERM, Errno.EACCES -> "needs root (CAP_NET_ADMIN)";
                    case Errno.EBUSY -> "another process holds the TUN device " + name;
                    case Errno.EINVAL -> name + " exists and is not a TUN device of these flags";
                    default -> Errno.describe(-res);
                };
                throw new ErrnoException("ioctl(TUNSETIFF, " + name + ")", -res, detail);
            }
            return new Tun(fd, ifr.getString(0, StandardCharsets.US_ASCII), nonBlocking);
        }
    }

    /** The interface's name, as the kernel created it. */
    /** The device's descriptor (to wait on with poll(2); the device stays its owner's to close). */
    public int fd() {
        return fd;
    }

    public String name() {
        return name;
    }

    /** Sets IFF_UP ({@code ip link set NAME up}) through SIOCGIFFLAGS / SIOCSIFFLAGS. */
    public void bringUp() throws ErrnoException {
        int sock = (int) Libc.check("socket(AF_INET, SOCK_DGRAM)", Libc.socket(Inet.AF_INET, Inet.SOCK_DGRAM, 0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = ifreq(arena, name.getBytes(StandardCharsets.US_ASCII));
            Libc.check("ioctl(SIOCGIFFLAGS, " + name + ")", IoSyscalls.ioctl(sock, Ifreq.SIOCGIFFLAGS, ifr));
            short flags = ifr.get(ValueLayout.JAVA_SHORT, Ifreq.IFR_IFRU);
            ifr.set(ValueLayout.JAVA_SHORT, Ifreq.IFR_IFRU, (short) (flags | Ifreq.IFF_UP));
            Libc.check("ioctl(SIOCSIFFLAGS, " + name + ")", IoSyscalls.ioctl(sock, Ifreq.SIOCSIFFLAGS, ifr));
        } finally {
            Libc.close(sock);
        }
    }

    /**
     * Hands the IP packet of {@code length} bytes at {@code offset} of the native segment {@code buf} to the stack.
     *
     * @return the bytes written, or the negated errno (EINVAL for a packet the kernel refuses; EIO when down)
     */
    public int write(MemorySegment buf, long offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.byteSize() || !buf.isNative()) {
            throw new IndexOutOfBoundsException("a packet outside the native buffer");
        }
        long res;
        do {
            res = IoSyscalls.write(fd, buf.address() + offset, length);
        } while (res == -Errno.EINTR);
        return (int) res;
    }

    /**
     * Reads the next packet the stack routed to this interface into the native segment {@code buf} at
     * {@code offset}, waiting at most {@code timeoutMs}.
     *
     * @return its length (cut to {@code capacity}), 0 when none came in time, or the negated errno
     */
    public int read(MemorySegment buf, long offset, int capacity, int timeoutMs) {
        if (offset < 0 || capacity < 0 || offset + capacity > buf.byteSize() || !buf.isNative()) {
            throw new IndexOutOfBoundsException("a read area outside the native buffer");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(Poll.POLLFD);
            pfd.set(ValueLayout.JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, Poll.POLLIN);
            int ready = Libc.poll(pfd, 1, timeoutMs);
            if (ready == -Errno.EINTR || ready == 0) return 0;
            if (ready < 0) return ready;
        }
        return (int) IoSyscalls.read(fd, buf.address() + offset, capacity);
    }

    /**
     * Reads the next packet the stack routed to this interface, if one is there, without waiting and without
     * allocating (a device opened non-blocking only).
     *
     * @return its length (cut to {@code capacity}), {@code -EAGAIN} when none is queued, or another negated errno
     */
    public int readNow(MemorySegment buf, long offset, int capacity) {
        if (!nonBlocking) throw new IllegalStateException(name + " was not opened non-blocking");
        if (offset < 0 || capacity < 0 || offset + capacity > buf.byteSize() || !buf.isNative()) {
            throw new IndexOutOfBoundsException("a read area outside the native buffer");
        }
        long res;
        do {
            res = IoSyscalls.read(fd, buf.address() + offset, capacity);
        } while (res == -Errno.EINTR);
        return (int) res;
    }

    /** Removes the interface. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Libc.close(fd);
    }

    private static MemorySegment ifreq(Arena arena, byte[] name) {
        MemorySegment ifr = arena.allocate(Ifreq.IFREQ);          // zeroed: the name is NUL-terminated
        MemorySegment.copy(name, 0, ifr, ValueLayout.JAVA_BYTE, 0, name.length);
        return ifr;
    }
}
