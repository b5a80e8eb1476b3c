package io.jlvs.netio.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** {@code <sys/socket.h>} (Linux, asm-generic values: x86_64 and aarch64): constants and {@code struct ucred}. */
public final class Socket {

    public static final int AF_UNIX = 1;

    public static final int SOCK_STREAM = 1;
    /** {@code O_CLOEXEC}: a forked child (a MISC_CHECK script) never inherits the control socket. */
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int SOCK_NONBLOCK = 04000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_PASSCRED = 16;
    public static final int SO_PEERCRED = 17;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    /** No SIGPIPE on a peer that went away: EPIPE instead. */
    public static final int MSG_NOSIGNAL = 0x4000;

    /** {@code struct ucred { pid_t pid; uid_t uid; gid_t gid; }} from {@code SO_PEERCRED}: 12 bytes. */
    public static final StructLayout UCRED = MemoryLayout.structLayout(
            JAVA_INT.withName("pid"),
            JAVA_INT.withName("uid"),
            JAVA_INT.withName("gid")).withName("ucred");

    static final VarHandle UCRED_PID = field(UCRED, "pid");
    static final VarHandle UCRED_UID = field(UCRED, "uid");
    static final VarHandle UCRED_GID = field(UCRED, "gid");

    private Socket() {}

    static VarHandle field(StructLayout layout, String name) {
        return layout.varHandle(MemoryLayout.PathElement.groupElement(name));
    }
}
