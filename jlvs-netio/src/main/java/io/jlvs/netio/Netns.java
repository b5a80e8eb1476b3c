package io.jlvs.netio;

import io.jlvs.netio.sys.ErrnoException;
import io.jlvs.netio.sys.Libc;
import io.jlvs.netio.sys.NetlinkSyscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code in a named network namespace (one {@code ip netns add NAME} made: {@code /var/run/netns/NAME}).
 * {@code setns(2)} moves only the calling thread; a socket opened meanwhile belongs to the namespace for its
 * whole life, whichever thread later uses it. So the pattern is: enter, open the sockets, leave:
 *
 * <pre>{@code
 * try (Netns.Scope in = Netns.enter("jlvs-dir")) {
 *     rtnl = Rtnetlink.open();
 * }
 * // or, on a fresh platform thread that never leaks into the caller's namespace:
 * List<LinkInfo> links = Netns.call("jlvs-dir", () -> { try (var r = Rtnetlink.open()) { return r.dumpLinks(); } });
 * }</pre>
 *
 * Threads that already exist stay where they are; a thread <em>started</em> while inside inherits the
 * namespace (Linux copies the creator's namespaces), so start long-lived threads outside a scope.
 * Needs CAP_SYS_ADMIN (root). Refused on virtual threads: setns would move their carrier thread.
 */
public final class Netns {

    /** Where {@code ip netns} keeps its namespaces. */
    public static final Path NETNS_DIR = Path.of("/var/run/netns");
    /** The calling thread's own network namespace. */
    private static final String SELF = "/proc/thread-self/ns/net";

    private Netns() {}

    /** Moves the calling (platform) thread into namespace {@code name}; close the scope to come back. */
    public static Scope enter(String name) throws IOException {
        return enterPath(NETNS_DIR.resolve(checkName(name)), name);
    }

    /** As {@link #enter(String)} for any namespace file ({@code /proc/PID/ns/net}, a bind mount). */
    public static Scope enterPath(Path nsFile) throws IOException {
        return enterPath(nsFile, nsFile.toString());
    }

    private static Scope enterPath(Path nsFile, String label) throws IOException {
        Objects.requireNonNull(nsFile, "nsFile");
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("Netns.enter on a virtual thread would move its carrier thread; "
                    + "use a platform thread or Netns.call");
        }
        NetioAvailability.ensureAvailable();
        int target = NetlinkSyscalls.openReadOnly(nsFile.toString());
        int original = -1;
        try {
            original = NetlinkSyscalls.openReadOnly(SELF);
            NetlinkSyscalls.setNetns(target, "netns " + label);
        } catch (ErrnoException | RuntimeException e) {
            if (original >= 0) {
                Libc.close(original);
            }
            Libc.close(target);
            throw e;
        }
        Libc.close(target);
        return new Scope(original, label);
    }

    /**
     * Runs {@code task} on a new platform thread inside namespace {@code name} and returns its result; the
     * calling thread stays where it is. The task's exception is rethrown as is.
     */
    public static <T> T call(String name, Callable<T> task) throws Exception {
        checkName(name);
        Objects.requireNonNull(task, "task");
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("netns-" + name).unstarted(() -> {
            try (Scope _ = enter(name)) {
                result.set(task.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        Throwable e = failure.get();
        if (e instanceof Exception ex) {
            throw ex;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return result.get();
    }

    /**
     * The identity of the calling thread's network namespace, as the kernel names it: {@code "net:[4026531840]"}.
     * Two threads are in the same namespace exactly when they see the same string.
     */
    public static String currentId() throws IOException {
        return Files.readSymbolicLink(Path.of(SELF)).toString();
    }

    /** The names {@code ip netns} accepts: no '/', not "." or "..", 1 to 255 bytes, no NUL. */
    static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 255 || name.equals(".") || name.equals("..")
                || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a network namespace name: \"" + name + "\"");
        }
        return name;
    }

    /** The time a thread spends in another namespace; {@link #close()} takes it back, on the same thread. */
    public static final class Scope implements AutoCloseable {
        private final int original;
        private final String label;
        private final Thread owner = Thread.currentThread();
        private boolean closed;

        private Scope(int original, String label) {
            this.original = original;
            this.label = label;
        }

        /** The namespace entered, as given. */
        public String name() {
            return label;
        }

        /**
         * Moves the thread back to the namespace it was in before {@link #enter}. Idempotent. Failing to (which
         * needs the original namespace to have lost its last reference, impossible while we hold its fd) is an
         * {@link UncheckedIOException}: the thread must not go on in the wrong namespace unnoticed.
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a Netns.Scope is closed by the thread that entered it ("
                        + owner.getName() + "), not " + Thread.currentThread().getName());
            }
            closed = true;
            try {
                NetlinkSyscalls.setNetns(original, "back from netns " + label);
            } catch (ErrnoException e) {
                throw new UncheckedIOException(e);
            } finally {
                Libc.close(original);
            }
        }
    }
}
