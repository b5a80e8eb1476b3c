package io.jlvs.netio;

import io.jlvs.netio.sys.ErrnoException;
import io.jlvs.netio.sys.UnixSockets;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketException;

/**
 * A listening Unix stream socket in the Linux abstract namespace ({@code @name}): no file, no permissions to
 * manage, gone with the process, and private to the network namespace it was bound in. Who may talk to it is
 * decided per connection from {@link UnixConnection#peerCredentials()}.
 *
 * <p>{@link #accept()} blocks in a native call (it holds its carrier thread if called from a virtual thread:
 * run the accept loop on a platform thread). {@link #close()} from another thread wakes it with a
 * {@link SocketException} "accept(@name): socket closed".
 */
public final class UnixServer implements Closeable {

    /** The listen(2) backlog when none is given. */
    public static final int DEFAULT_BACKLOG = 64;

    private final String name;
    private final FileDescriptor fd;

    private UnixServer(String name, FileDescriptor fd) {
        this.name = name;
        this.fd = fd;
    }

    /** Binds and listens on {@code @name}; EADDRINUSE when another socket in this namespace has the name. */
    public static UnixServer bind(String name) throws IOException {
        return bind(name, DEFAULT_BACKLOG);
    }

    public static UnixServer bind(String name, int backlog) throws IOException {
        byte[] raw = AbstractName.encode(name);
        String label = AbstractName.label(name);
        NetioAvailability.ensureAvailable();
        int sock = UnixSockets.openStream(label);
        try {
            UnixSockets.bindAbstract(sock, raw, label);
            UnixSockets.listen(sock, backlog, label);
        } catch (ErrnoException | RuntimeException e) {
            closeAfterFailure(sock, label, e);
            throw e;
        }
        return new UnixServer(name, new FileDescriptor(sock, label));
    }

    /** Blocks until a client connects. */
    public UnixConnection accept() throws IOException {
        int sock = fd.acquire("accept");
        try {
            int conn;
            try {
                conn = UnixSockets.accept(sock, fd.label());
            } catch (ErrnoException e) {
                if (!fd.isOpen()) {
                    throw fd.closedException("accept"); // woken by close(): shutdown makes accept say EINVAL
                }
                throw e;
            }
            FileDescriptor connFd = new FileDescriptor(conn, fd.label());
            if (!fd.isOpen()) {
                connFd.close();
                throw fd.closedException("accept");
            }
            return new UnixConnection(name, connFd);
        } finally {
            fd.release();
        }
    }

    /** The abstract name, without the {@code @}. */
    public String name() {
        return name;
    }

    public boolean isOpen() {
        return fd.isOpen();
    }

    /** Idempotent; wakes a thread blocked in {@link #accept()}. The name is free again once this returns. */
    @Override
    public void close() throws IOException {
        fd.close();
    }

    /** Calls in flight on this socket: a test hook for "close while accept blocks". */
    int callsInFlight() {
        return fd.inFlight();
    }

    @Override
    public String toString() {
        return "UnixServer[" + fd.label() + (fd.isOpen() ? "" : ", closed") + "]";
    }

    static void closeAfterFailure(int sock, String label, Exception failure) {
        try {
            UnixSockets.close(sock, label);
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }
}
