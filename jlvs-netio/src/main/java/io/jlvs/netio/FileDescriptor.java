package io.jlvs.netio;

import io.jlvs.netio.sys.Socket;
import io.jlvs.netio.sys.UnixSockets;
import java.io.IOException;
import java.net.SocketException;

/**
 * One socket descriptor and its lifecycle: idempotent close, and no close while a call is using the number.
 *
 * <p>Closing a descriptor that another thread is blocked on neither wakes that thread on Linux nor is safe
 * (the number can be reused by the next open before the blocked call returns). So every call brackets itself
 * with {@link #acquire(String)} / {@link #release()}; {@link #close()} with calls in flight only
 * {@code shutdown(SHUT_RDWR)}s the socket, which wakes a blocked accept (EINVAL) or recv (end of stream),
 * and the last call out closes the number. Model: Netty's {@code unix.FileDescriptor} state word, the JDK's
 * {@code NioSocketImpl} "pre-close then close when the last reader leaves".
 */
final class FileDescriptor {

    private final int fd;
    private final String label;
    private int inFlight;
    private boolean closed;
    private boolean released;

    FileDescriptor(int fd, String label) {
        this.fd = fd;
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The descriptor for one call, or the "socket closed" exception naming {@code call}. */
    synchronized int acquire(String call) throws SocketException {
        if (closed) {
            throw closedException(call);
        }
        inFlight++;
        return fd;
    }

    /** Ends the call {@link #acquire(String)} began; closes the number if a close came meanwhile. */
    void release() {
        synchronized (this) {
            inFlight--;
            if (!closed || inFlight > 0 || released) {
                return;
            }
            released = true;
        }
        closeQuietly();
    }

    synchronized boolean isOpen() {
        return !closed;
    }

    synchronized int inFlight() {
        return inFlight;
    }

    SocketException closedException(String call) {
        return new SocketException(call + "(" + label + "): socket closed");
    }

    /** Idempotent. With calls in flight, wakes them and leaves the final close(2) to the last one. */
    void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (inFlight > 0) {
                UnixSockets.shutdown(fd, Socket.SHUT_RDWR); // under the lock: fd cannot be released meanwhile
                return;
            }
            released = true;
        }
        UnixSockets.close(fd, label);
    }

    private void closeQuietly() {
        try {
            UnixSockets.close(fd, label);
        } catch (IOException ignored) {
            // the number is released whatever close(2) said; a caller blocked on it has its own exception
        }
    }
}
