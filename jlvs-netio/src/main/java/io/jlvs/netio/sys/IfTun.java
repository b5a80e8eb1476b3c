package io.jlvs.netio.sys;

/** {@code <linux/if_tun.h>}: the TUN/TAP device's ioctl and flags. */
public final class IfTun {

    /** The clone device: open it, then {@link #TUNSETIFF} names and creates (or attaches to) the interface. */
    public static final String CLONE_DEVICE = "/dev/net/tun";

    /** {@code _IOW('T', 202, int)}. */
    public static final long TUNSETIFF = 0x400454caL;

    /** An IP-level device: each read/write is one IP packet. */
    public static final int IFF_TUN = 0x0001;
    /** No 4-byte packet information header before each packet. */
    public static final int IFF_NO_PI = 0x1000;

    private IfTun() {}
}
