package io.jlvs.ha.check;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Loopback servers for checker tests: every one binds a random port and is closed by the test. */
final class Servers {

    static final Duration SHORT = Duration.ofMillis(400);

    private Servers() {}

    static InetAddress v4() {
        return InetAddress.getLoopbackAddress();
    }

    static InetAddress v6() {
        try {
            return InetAddress.getByName("::1");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ConnectOptions to(InetAddress a, int port) {
        return ConnectOptions.to(new InetSocketAddress(a, port), SHORT);
    }

    static ConnectOptions to(int port) {
        return to(v4(), port);
    }

    /** A port nothing listens on (bound then closed; the kernel does not hand it out again at once). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, v4())) {
            return s.getLocalPort();
        }
    }

    /** Accepts connections and never says a word: a hung server. */
    static final class Silent implements AutoCloseable {
        final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread thread;

        Silent(InetAddress addr) throws IOException {
            server = new ServerSocket(0, 50, addr);
            thread = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                    }
                } catch (IOException closed) {
                    // closed by the test
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
            thread.interrupt();
        }
    }

    /**
     * A listener that never accepts and whose accept queue is full: the kernel drops further SYNs, so a new
     * connect times out. Returns null (the caller skips) if the queue does not fill within a few attempts.
     */
    static final class Full implements AutoCloseable {
        final ServerSocket server;
        private final List<Socket> fillers = new CopyOnWriteArrayList<>();

        private Full(ServerSocket server) {
            this.server = server;
        }

        static Full open() throws IOException {
            Full f = new Full(new ServerSocket(0, 1, v4()));
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket();
                try {
                    s.connect(f.server.getLocalSocketAddress(), 200);
                    f.fillers.add(s);
                } catch (SocketTimeoutException e) {
                    s.close();
                    return f;
                }
            }
            f.close();
            return null;
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket s : fillers) {
                s.close();
            }
            server.close();
        }
    }
}
