package io.jlvs.ha.check;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** Socket plumbing shared by the network checkers: bounded steps, bind, and failure texts for the log. */
final class Net {

    private Net() {}

    /** The end of one attempt: every step gets the step timeout, but never beyond the attempt's end. */
    static final class Deadline {
        private final long endNanos;

        private Deadline(long endNanos) {
            this.endNanos = endNanos;
        }

        static Deadline after(Duration d) {
            return new Deadline(System.nanoTime() + d.toNanos());
        }

        /** Milliseconds for the next step (at least 1), or a timeout when the attempt is already over. */
        int stepMillis(Duration step) throws SocketTimeoutException {
            long left = endNanos - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("attempt time used up");
            }
            long ms = Math.min(step.toMillis(), Math.max(1, left / 1_000_000));
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
        }
    }

    /** A TCP connection per {@code co}: bound first when bindto/bind_port are set, connect bounded by the step. */
    static Socket connect(ConnectOptions co, Deadline deadline) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            if (co.bindTo() != null) {
                s.setReuseAddress(true);
                s.bind(co.bindTo());
            }
            s.connect(co.target(), deadline.stepMillis(co.connectTimeout()));
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A short reason for a failed attempt: "connection refused", "timed out"... */
    static String describe(IOException e) {
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return "timed out";
        }
        if (e instanceof ConnectException) {
            String m = e.getMessage();
            return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("refused") ? "connection refused"
                    : "connect failed: " + m;
        }
        if (e instanceof PortUnreachableException) {
            return "port unreachable";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** An interrupt that arrived as a socket error (a virtual thread's socket is closed by the interrupt). */
    static void rethrowIfInterrupted(IOException e) throws InterruptedException {
        if (Thread.currentThread().isInterrupted() || e instanceof java.nio.channels.ClosedByInterruptException) {
            Thread.interrupted();
            InterruptedException ie = new InterruptedException("check interrupted");
            ie.initCause(e);
            throw ie;
        }
    }
}
