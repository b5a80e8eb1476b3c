package io.jlvs.netio.sys;

/** {@link Socket#UCRED} read into Java: the peer's pid, effective uid and effective gid when it connected. */
public record Ucred(int pid, int uid, int gid) {}
