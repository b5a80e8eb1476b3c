package io.jlvs.netio;

import io.jlvs.netio.sys.ErrnoException;
import io.jlvs.netio.sys.Socket;
import io.jlvs.netio.sys.Ucred;
import io.jlvs.netio.sys.UnixSockets;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * A connected abstract-namespace Unix stream socket: the client side from {@link #connect(String)}, the
 * server side from {@link UnixServer#accept()}. Blocking reads and writes, plus the control API's framing:
 * {@link #writeFrame(byte[])} / {@link #readFrame()} send a 4-byte big-endian length and that many bytes,
 * at most {@link #MAX_FRAME_BYTES}.
 *
 * <p>One reader and one writer may work at once (frames are never interleaved: each direction has its lock).
 * Reads and writes block in native calls; {@link #close()} from another thread wakes them with a
 * {@link java.net.SocketException} "... socket closed". Thread interruption does not.
 */
public final class UnixConnection implements Closeable {

    /** The largest frame either side accepts: 16 MiB. A larger length is refused before anything is read or sent. */
    public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final String name;
    private final FileDescriptor fd;
    private final Object readLock = new Object();
    private final Object writeLock = new Object();
    private volatile PeerCredentials peer;

    UnixConnection(String name, FileDescriptor fd) {
        this.name = name;
        this.fd = fd;
    }

    /**
     * Connects to {@code @name} in this network namespace. Nobody listening is an {@link ErrnoException}
     * "connect(@name): ECONNREFUSED (nothing listening on @name in this network namespace)".
     */
    public static UnixConnection connect(String name) throws IOException {
        byte[] raw = AbstractName.encode(name);
        String label = AbstractName.label(name);
        NetioAvailability.ensureAvailable();
        int sock = UnixSockets.openStream(label);
        try {
            UnixSockets.connectAbstract(sock, raw, label);
        } catch (ErrnoException | RuntimeException e) {
            UnixServer.closeAfterFailure(sock, label, e);
            throw e;
        }
        return new UnixConnection(name, new FileDescriptor(sock, label));
    }

    /** The abstract name connected to (or accepted on), without the {@code @}. */
    public String name() {
        return name;
    }

    /**
     * The peer's pid, effective uid and gid (SO_PEERCRED): on the server side the client at connect time, on
     * the client side the server at listen time. Read once, then cached.
     */
    public PeerCredentials peerCredentials() throws IOException {
        PeerCredentials p = peer;
        if (p == null) {
            int sock = fd.acquire("getsockopt");
            try {
                Ucred c = UnixSockets.peerCredentials(sock, fd.label());
                p = new PeerCredentials(c.pid(), c.uid(), c.gid());
                peer = p;
            } finally {
                fd.release();
            }
        }
        return p;
    }

    /** Reads what is there (blocking until something is): the count, or -1 at end of stream. */
    public int read(byte[] b) throws IOException {
        return read(b, 0, b.length);
    }

    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int sock = fd.acquire("recv");
        try {
            int n;
            try {
                n = UnixSockets.recv(sock, b, off, len, fd.label());
            } catch (ErrnoException e) {
                throw fd.isOpen() ? e : fd.closedException("recv");
            }
            if (n == 0 && !fd.isOpen()) {
                throw fd.closedException("recv"); // woken by our own close(): shutdown reads as end of stream
            }
            return n == 0 ? -1 : n;
        } finally {
            fd.release();
        }
    }

    /** Fills {@code b} exactly, or {@link EOFException} naming how much came before the end of stream. */
    public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
    }

    public void readFully(byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = read(b, off + done, len - done);
            if (n < 0) {
                throw new EOFException("recv(" + fd.label() + "): end of stream after " + done + " of " + len
                        + " bytes");
            }
            done += n;
        }
    }

    /** Writes all of {@code b}; a peer that went away is EPIPE or ECONNRESET, never SIGPIPE. */
    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    public void write(byte[] b, int off, int len) throws IOException {
        int sock = fd.acquire("send");
        try {
            UnixSockets.sendAll(sock, b, off, len, fd.label());
        } catch (ErrnoException e) {
            throw fd.isOpen() ? e : fd.closedException("send");
        } finally {
            fd.release();
        }
    }

    /** Sends a 4-byte big-endian length, then {@code payload}; refused before sending if over 16 MiB. */
    public void writeFrame(byte[] payload) throws IOException {
        if (payload.length > MAX_FRAME_BYTES) {
            throw new FrameTooLargeException("writeFrame(" + fd.label() + "): a frame of " + payload.length
                    + " bytes exceeds the limit of " + MAX_FRAME_BYTES + " bytes; nothing was sent");
        }
        byte[] header = {
            (byte) (payload.length >>> 24), (byte) (payload.length >>> 16),
            (byte) (payload.length >>> 8), (byte) payload.length
        };
        synchronized (writeLock) {
            write(header);
            write(payload);
        }
    }

    /**
     * The next frame's payload, or {@code null} at a clean end of stream (the peer closed between frames).
     * A stream that ends inside a frame is an {@link EOFException}; a length over 16 MiB (or negative) is a
     * {@link FrameTooLargeException}, after which the stream is out of step and the connection must be closed.
     */
    public byte[] readFrame() throws IOException {
        synchronized (readLock) {
            byte[] header = new byte[4];
            int first = read(header, 0, 4);
            if (first < 0) {
                return null;
            }
            readFully(header, first, 4 - first);
            int length = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16)
                    | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
            if (length < 0 || length > MAX_FRAME_BYTES) {
                throw new FrameTooLargeException("readFrame(" + fd.label() + "): the peer announced a frame of "
                        + Integer.toUnsignedLong(length) + " bytes, over the limit of " + MAX_FRAME_BYTES
                        + " bytes; close this connection");
            }
            byte[] payload = new byte[length];
            readFully(payload);
            return payload;
        }
    }

    /**
     * Waits up to {@code timeout} for something to read (data, end of stream or an error), with poll(2):
     * the way to bound a blocking {@link #readFrame()}. False on timeout.
     */
    public boolean awaitReadable(Duration timeout) throws IOException {
        long ms = Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
        int sock = fd.acquire("poll");
        try {
            return UnixSockets.pollIn(sock, (int) ms, fd.label()) != 0;
        } finally {
            fd.release();
        }
    }

    /** Half-close: the peer reads end of stream; this side can still read its answer. */
    public void shutdownOutput() throws IOException {
        int sock = fd.acquire("shutdown");
        try {
            int res = UnixSockets.shutdown(sock, Socket.SHUT_WR);
            if (res < 0) {
                throw new ErrnoException("shutdown(" + fd.label() + ", SHUT_WR)", -res);
            }
        } finally {
            fd.release();
        }
    }

    public boolean isOpen() {
        return fd.isOpen();
    }

    /** Idempotent; wakes a thread blocked in a read or write on this connection. */
    @Override
    public void close() throws IOException {
        fd.close();
    }

    /** Calls in flight on this socket: a test hook for "close while a read blocks". */
    int callsInFlight() {
        return fd.inFlight();
    }

    @Override
    public String toString() {
        return "UnixConnection[" + fd.label() + (fd.isOpen() ? "" : ", closed") + "]";
    }
}
