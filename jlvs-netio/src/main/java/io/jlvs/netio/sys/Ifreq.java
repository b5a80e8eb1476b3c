package io.jlvs.netio.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code <net/if.h>} and {@code <linux/sockios.h>}: {@code struct ifreq} (a name, then a 24-byte union of which
 * jlvs uses {@code ifr_flags} and {@code ifr_ifindex}; 40 bytes) and the ioctls on it.
 */
public final class Ifreq {

    public static final int IFNAMSIZ = 16;

    public static final int IFF_UP = 0x1;

    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCSIFFLAGS = 0x8914;
    public static final long SIOCGIFINDEX = 0x8933;

    public static final StructLayout IFREQ = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(IFNAMSIZ, JAVA_BYTE).withName("ifr_name"),
            MemoryLayout.unionLayout(
                    JAVA_SHORT.withName("ifr_flags"),
                    JAVA_INT.withName("ifr_ifindex"),
                    MemoryLayout.sequenceLayout(24, JAVA_BYTE).withName("ifru_pad")).withName("ifr_ifru")).withName("ifreq");

    /** {@code offsetof(struct ifreq, ifr_flags)} and {@code ifr_ifindex}: the union after the name, 16. */
    public static final long IFR_IFRU = Inet.offset(IFREQ, "ifr_ifru");

    private Ifreq() {}
}
