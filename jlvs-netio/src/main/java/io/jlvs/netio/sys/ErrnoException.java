package io.jlvs.netio.sys;

import java.io.IOException;

/** A system call returned -1: names the call (with its target, e.g. {@code connect(@jlvsd)}) and errno. */
public class ErrnoException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        this(call, errno, Errno.describe(errno));
    }

    /** {@code detail} replaces the strerror text, for a hint more useful than "Connection refused". */
    public ErrnoException(String call, int errno, String detail) {
        super(call + ": " + Errno.name(errno) + " (" + detail + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The call as named in the message, e.g. {@code "bind(@jlvsd)"}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** {@code "EADDRINUSE"}, ... */
    public String errnoName() {
        return Errno.name(errno);
    }
}
