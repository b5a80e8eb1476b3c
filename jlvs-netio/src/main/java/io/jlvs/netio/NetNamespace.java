package io.jlvs.netio;

import io.jlvs.netio.sys.ErrnoException;
import io.jlvs.netio.sys.Libc;
import io.jlvs.netio.sys.PacketSyscalls;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Moves the calling thread into a network namespace with {@code setns(fd, CLONE_NEWNET)}.
 *
 * <p>A network namespace is per thread (per kernel task): after {@link #enter} only this thread's new sockets,
 * its AF_PACKET rings included, belong to the namespace; the rest of the JVM stays where it was. That is what a
 * data-plane thread wants (jlvsd serving {@code ip netns} namespace X from a process started elsewhere, or a
 * test running director, client and server in namespaces of one JVM). Sockets opened before the move stay in
 * their namespace. Use platform threads: a virtual thread may run on any carrier.
 *
 * <p>Names are those of {@code ip netns} ({@code /run/netns/NAME}). Needs CAP_SYS_ADMIN.
 */
public final class NetNamespace {

    /** Where {@code ip netns add} bind-mounts named namespaces. */
    public static final Path RUN_NETNS = Path.of("/run/netns");

    private NetNamespace() {}

    /** Moves the calling thread into the namespace {@code ip netns} calls {@code name}. */
    public static void enter(String name) throws ErrnoException {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a network namespace name: '" + name + "'");
        }
        enter(RUN_NETNS.resolve(name));
    }

    /** Moves the calling thread into the namespace of {@code nsFile} (e.g. {@code /proc/PID/ns/net}). */
    public static void enter(Path nsFile) throws ErrnoException {
        NetioAvailability.ensureAvailable();
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) Libc.check("open(" + nsFile + ")",
                    PacketSyscalls.open(arena.allocateFrom(nsFile.toString()),
                            PacketSyscalls.O_RDONLY | PacketSyscalls.O_CLOEXEC));
            try {
                Libc.check("setns(" + nsFile + ", CLONE_NEWNET)", PacketSyscalls.setns(fd, PacketSyscalls.CLONE_NEWNET));
            } finally {
                Libc.close(fd);
            }
        }
    }
}
