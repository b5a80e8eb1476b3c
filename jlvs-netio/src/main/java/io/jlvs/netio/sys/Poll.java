package io.jlvs.netio.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** {@code <poll.h>}: {@code struct pollfd { int fd; short events; short revents; }}, 8 bytes, and the event bits. */
public final class Poll {

    public static final short POLLIN = 0x001;
    public static final short POLLPRI = 0x002;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    public static final short POLLNVAL = 0x020;

    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"),
            JAVA_SHORT.withName("events"),
            JAVA_SHORT.withName("revents")).withName("pollfd");

    static final VarHandle POLLFD_FD = Socket.field(POLLFD, "fd");
    static final VarHandle POLLFD_EVENTS = Socket.field(POLLFD, "events");
    static final VarHandle POLLFD_REVENTS = Socket.field(POLLFD, "revents");

    private Poll() {}
}
