package io.jlvs.netio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.ErrnoException;
import io.jlvs.netio.sys.Libc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server and client in one JVM, each test on its own abstract name. */
class UnixSocketTest {

    private String name;

    @BeforeAll
    static void netioAvailable() {
        assumeTrue(NetioAvailability.isAvailable(),
                () -> "SKIPPED: jlvs-netio unavailable: " + NetioAvailability.unavailabilityCause().orElseThrow());
    }

    @BeforeEach
    void uniqueName() {
        name = "jlvs-test-" + ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    @Test
    void echoesAFrameBothWays() throws Exception {
        try (UnixServer server = UnixServer.bind(name)) {
            CompletableFuture<byte[]> seen = serve(server, conn -> {
                byte[] request = conn.readFrame();
                conn.writeFrame(("echo " + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                assertThat(conn.readFrame()).as("an empty frame").isEmpty();
                assertThat(conn.readFrame()).as("clean end of stream between frames").isNull();
                return request;
            });
            try (UnixConnection client = UnixConnection.connect(name)) {
                client.writeFrame("{\"cmd\":\"list\"}".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(client.readFrame(), StandardCharsets.UTF_8)).isEqualTo("echo {\"cmd\":\"list\"}");
                client.writeFrame(new byte[0]);
                client.shutdownOutput();
                assertThat(client.readFrame()).as("the server closed after our end of stream").isNull();
            }
            assertThat(new String(seen.join(), StandardCharsets.UTF_8)).isEqualTo("{\"cmd\":\"list\"}");
        }
    }

    @Test
    void echoesAFrameOfExactlyTheLimit() throws Exception {
        byte[] big = new byte[UnixConnection.MAX_FRAME_BYTES];
        new Random(42).nextBytes(big);
        try (UnixServer server = UnixServer.bind(name)) {
            CompletableFuture<byte[]> echo = serve(server, conn -> {
                byte[] frame = conn.readFrame();
                conn.writeFrame(frame);
                return frame;
            });
            try (UnixConnection client = UnixConnection.connect(name)) {
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> io(() -> client.writeFrame(big)));
                assertThat(client.readFrame()).isEqualTo(big);
                writer.join();
            }
            assertThat(echo.join()).hasSize(big.length);
        }
    }

    @Test
    void writerRefusesAnOversizedFrameAndSendsNothing() throws Exception {
        try (UnixServer server = UnixServer.bind(name);
             UnixConnection client = UnixConnection.connect(name);
             UnixConnection accepted = server.accept()) {
            assertThatThrownBy(() -> client.writeFrame(new byte[UnixConnection.MAX_FRAME_BYTES + 1]))
                    .isInstanceOf(FrameTooLargeException.class)
                    .hasMessageContaining("writeFrame(@" + name + "): a frame of 16777217 bytes exceeds the limit of 16777216 bytes; nothing was sent");
            assertThat(accepted.awaitReadable(Duration.ZERO)).as("nothing sent").isFalse();
            client.writeFrame(new byte[] {7});
            assertThat(accepted.readFrame()).containsExactly(7);
        }
    }

    @Test
    void readerRefusesAnOversizedOrNegativeLength() throws Exception {
        try (UnixServer server = UnixServer.bind(name);
             UnixConnection client = UnixConnection.connect(name);
             UnixConnection accepted = server.accept()) {
            client.write(new byte[] {0x01, 0x00, 0x00, 0x01});
            assertThatThrownBy(accepted::readFrame).isInstanceOf(FrameTooLargeException.class)
                    .hasMessage("readFrame(@" + name + "): the peer announced a frame of 16777217 bytes, over the limit "
                            + "of 16777216 bytes; close this connection");
            client.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertThatThrownBy(accepted::readFrame).isInstanceOf(FrameTooLargeException.class)
                    .hasMessageContaining("a frame of 4294967295 bytes");
        }
    }

    @Test
    void streamEndingInsideAFrameIsEof() throws Exception {
        try (UnixServer server = UnixServer.bind(name);
             UnixConnection accepted = acceptAfter(server, client -> client.write(new byte[] {0, 0, 0, 9, 1, 2}))) {
            assertThatThrownBy(accepted::readFrame).isInstanceOf(java.io.EOFException.class)
                    .hasMessage("recv(@" + name + "): end of stream after 2 of 9 bytes");
        }
    }

    @Test
    void peerCredentialsAreOurOwn() throws Exception {
        long pid = ProcessHandle.current().pid();
        int euid = statusField("Uid:", 1);
        int egid = statusField("Gid:", 1);
        try (UnixServer server = UnixServer.bind(name);
             UnixConnection client = UnixConnection.connect(name);
             UnixConnection accepted = server.accept()) {
            PeerCredentials expected = new PeerCredentials(pid, euid, egid);
            assertThat(accepted.peerCredentials()).isEqualTo(expected);
            assertThat(client.peerCredentials()).as("the listener's, seen by the client").isEqualTo(expected);
            assertThat(accepted.peerCredentials().uid()).isEqualTo(Libc.geteuid());
            assertThat(accepted.peerCredentials().isRoot()).isEqualTo(Libc.geteuid() == 0);
        }
    }

    @Test
    void connectingWhereNobodyListensIsEconnrefusedWithAHint() {
        assertThatThrownBy(() -> UnixConnection.connect(name))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ECONNREFUSED);
                    assertThat(e.call()).isEqualTo("connect(@" + name + ")");
                })
                .hasMessage("connect(@" + name + "): ECONNREFUSED (nothing listening on @" + name
                        + " in this network namespace)");
    }

    @Test
    void twoServersCannotBindOneName() throws Exception {
        try (UnixServer first = UnixServer.bind(name)) {
            assertThatThrownBy(() -> UnixServer.bind(name))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EADDRINUSE))
                    .hasMessage("bind(@" + name + "): EADDRINUSE (another socket in this network namespace is "
                            + "already bound to @" + name + ")");
            assertThat(first.isOpen()).isTrue();
        }
        try (UnixServer again = UnixServer.bind(name)) {
            assertThat(again.name()).as("the name is free once the first server closed").isEqualTo(name);
        }
    }

    @Test
    void closeIsIdempotentAndNoDescriptorLeaks() throws Exception {
        long before = openDescriptors();
        for (int i = 0; i < 20; i++) {
            UnixServer server = UnixServer.bind(name);
            UnixConnection client = UnixConnection.connect(name);
            UnixConnection accepted = server.accept();
            client.writeFrame(new byte[] {(byte) i});
            assertThat(accepted.readFrame()).containsExactly((byte) i);
            assertThatThrownBy(() -> UnixServer.bind(name)).isInstanceOf(ErrnoException.class);
            for (int twice = 0; twice < 2; twice++) {
                client.close();
                accepted.close();
                server.close();
            }
            assertThat(server.isOpen()).isFalse();
            assertThatThrownBy(() -> UnixConnection.connect(name)).isInstanceOf(ErrnoException.class);
        }
        assertThat(openDescriptors()).isEqualTo(before);
    }

    @Test
    void callsOnAClosedSocketSaySo() throws Exception {
        UnixServer server = UnixServer.bind(name);
        UnixConnection client = UnixConnection.connect(name);
        server.accept().close();
        client.close();
        server.close();
        assertThatThrownBy(() -> client.read(new byte[1])).isInstanceOf(SocketException.class)
                .hasMessage("recv(@" + name + "): socket closed");
        assertThatThrownBy(() -> client.writeFrame(new byte[1])).isInstanceOf(SocketException.class)
                .hasMessage("send(@" + name + "): socket closed");
        assertThatThrownBy(server::accept).isInstanceOf(SocketException.class)
                .hasMessage("accept(@" + name + "): socket closed");
    }

    /** No timing: the closer waits until accept is under way (in flight), whichever side of the syscall it is. */
    @Test
    void closingTheServerFromAnotherThreadUnblocksAccept() throws Exception {
        long before = openDescriptors();
        UnixServer server = UnixServer.bind(name);
        CompletableFuture<Throwable> acceptor = CompletableFuture.supplyAsync(() -> {
            try {
                server.accept().close();
                return null;
            } catch (Throwable t) {
                return t;
            }
        }, r -> Thread.ofPlatform().start(r));
        while (server.callsInFlight() == 0) {
            Thread.onSpinWait();
        }
        server.close();
        assertThat(acceptor.join()).isInstanceOf(SocketException.class)
                .hasMessage("accept(@" + name + "): socket closed");
        assertThat(server.callsInFlight()).isZero();
        assertThatThrownBy(() -> UnixConnection.connect(name)).isInstanceOf(ErrnoException.class);
        assertThat(openDescriptors()).as("the last call out closed the descriptor").isEqualTo(before);
    }

    @Test
    void closingAConnectionFromAnotherThreadUnblocksRead() throws Exception {
        try (UnixServer server = UnixServer.bind(name);
             UnixConnection client = UnixConnection.connect(name);
             UnixConnection accepted = server.accept()) {
            CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    accepted.readFrame();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }, r -> Thread.ofPlatform().start(r));
            while (!reader.isDone() && !readerInFlight(accepted)) {
                Thread.onSpinWait();
            }
            accepted.close();
            assertThat(reader.join()).isInstanceOf(SocketException.class)
                    .hasMessage("recv(@" + name + "): socket closed");
            assertThat(client.read(new byte[1])).as("the peer sees end of stream").isEqualTo(-1);
        }
    }

    @Test
    void peerGoneIsEndOfStreamForReadsAndEpipeForWrites() throws Exception {
        try (UnixServer server = UnixServer.bind(name);
             UnixConnection client = UnixConnection.connect(name)) {
            server.accept().close();
            assertThat(client.read(new byte[8])).isEqualTo(-1);
            assertThat(client.readFrame()).isNull();
            assertThatThrownBy(() -> client.writeFrame(new byte[10]))
                    .isInstanceOfSatisfying(ErrnoException.class,
                            e -> assertThat(e.errno()).isIn(Errno.EPIPE, Errno.ECONNRESET))
                    .hasMessageStartingWith("send(@" + name + "): ");
        }
    }

    @Test
    void awaitReadableSeesDataAndEndOfStream() throws Exception {
        try (UnixServer server = UnixServer.bind(name);
             UnixConnection client = UnixConnection.connect(name);
             UnixConnection accepted = server.accept()) {
            assertThat(accepted.awaitReadable(Duration.ZERO)).isFalse();
            client.writeFrame(new byte[] {1, 2});
            assertThat(accepted.awaitReadable(Duration.ofMinutes(1))).isTrue();
            assertThat(accepted.readFrame()).containsExactly(1, 2);
            client.shutdownOutput();
            assertThat(accepted.awaitReadable(Duration.ofMinutes(1))).isTrue();
            assertThat(accepted.readFrame()).isNull();
            accepted.writeFrame(new byte[] {3});
            assertThat(client.readFrame()).as("half-closed: still reads").containsExactly(3);
        }
    }

    @Test
    void namesAreCheckedBeforeAnySyscall() {
        assertThatThrownBy(() -> UnixServer.bind("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 1 to 107");
        assertThatThrownBy(() -> UnixConnection.connect("x".repeat(108))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 108 bytes");
        assertThatThrownBy(() -> UnixServer.bind("a\0b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void theLongestNameWorks() throws Exception {
        String longest = (name + "x".repeat(107)).substring(0, 107);
        try (UnixServer server = UnixServer.bind(longest);
             UnixConnection client = UnixConnection.connect(longest);
             UnixConnection accepted = server.accept()) {
            client.writeFrame(new byte[] {9});
            assertThat(accepted.readFrame()).containsExactly(9);
        }
        try (Stream<String> lines = Files.lines(Path.of("/proc/net/unix"))) {
            assertThat(lines.anyMatch(l -> l.endsWith("@" + longest))).as("gone from /proc/net/unix").isFalse();
        }
    }

    // ---- helpers

    interface ConnectionTask<T> {
        T run(UnixConnection conn) throws Exception;
    }

    interface IoAction {
        void run() throws IOException;
    }

    interface ClientAction {
        void run(UnixConnection client) throws IOException;
    }

    /** Accepts one connection on a platform thread and runs {@code task} on it. */
    private static <T> CompletableFuture<T> serve(UnixServer server, ConnectionTask<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name("test-server").start(() -> {
            try (UnixConnection conn = server.accept()) {
                result.complete(task.run(conn));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Connects, runs {@code action}, closes the client, and returns the server's side. */
    private UnixConnection acceptAfter(UnixServer server, ClientAction action) throws IOException {
        try (UnixConnection client = UnixConnection.connect(name)) {
            action.run(client);
        }
        return server.accept();
    }

    private static void io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean readerInFlight(UnixConnection conn) {
        return conn.callsInFlight() > 0;
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Field {@code index} (0 real, 1 effective) of a /proc/self/status line such as "Uid:\t0\t0\t0\t0". */
    private static int statusField(String key, int index) throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            String line = lines.filter(l -> l.startsWith(key)).findFirst().orElseThrow();
            return Integer.parseInt(line.substring(key.length()).trim().split("\\s+")[index]);
        }
    }
}
