package io.jlvs.sched;

/** Service scheduler flags ({@code IP_VS_SVC_F_SCHED*} of {@code include/uapi/linux/ip_vs.h}) and their -b names. */
public final class SchedFlags {
    private SchedFlags() {}

    public static final int SCHED1 = 0x0008;
    public static final int SCHED2 = 0x0010;
    public static final int SCHED3 = 0x0020;
    /** sh/mh: {@code IP_VS_SVC_F_SCHED_SH_FALLBACK} / {@code MH_FALLBACK} = SCHED1. */
    public static final int FALLBACK = SCHED1;
    /** sh/mh: {@code IP_VS_SVC_F_SCHED_SH_PORT} / {@code MH_PORT} = SCHED2. */
    public static final int PORT = SCHED2;
}
