package io.jlvs.netio.rtnl;

import io.jlvs.netio.sys.RouteNetlink;

/**
 * One network interface as RTM_NEWLINK describes it ({@code ip link show}).
 *
 * @param ifIndex   {@code ifi_index}
 * @param name      {@code IFLA_IFNAME} ("" if the kernel sent none)
 * @param type      {@code ifi_type}: ARPHRD_* (1 Ethernet, 772 loopback, 65534 none, e.g. tun)
 * @param flags     {@code ifi_flags}: IFF_* bits ({@link #isUp()}, {@link #isRunning()}, {@link #isLoopback()})
 * @param mac       {@code IFLA_ADDRESS} when it is 6 bytes, as 48 bits in the low end of the long (first byte
 *                  most significant); {@link #NO_MAC} when the link has no 6-byte hardware address
 * @param mtu       {@code IFLA_MTU}, 0 if absent
 * @param kind      the {@code IFLA_INFO_KIND} inside {@code IFLA_LINKINFO} ("veth", "bridge", "tun", "vxlan"...),
 *                  "" for links without one (physical NICs, lo)
 * @param master    {@code IFLA_MASTER}: the bridge/bond this link is enslaved to, 0 for none
 * @param link      {@code IFLA_LINK}: the peer (veth) or parent (vlan, macvlan) ifindex, 0 for none; it may live
 *                  in another namespace
 * @param operState {@code IFLA_OPERSTATE}: IF_OPER_* (0 unknown, 2 down, 6 up)
 */
public record LinkInfo(int ifIndex, String name, int type, int flags, long mac, int mtu, String kind, int master,
        int link, int operState) {

    public static final long NO_MAC = -1L;

    public static final int IF_OPER_UNKNOWN = 0;
    public static final int IF_OPER_DOWN = 2;
    public static final int IF_OPER_UP = 6;

    public LinkInfo {
        name = name == null ? "" : name;
        kind = kind == null ? "" : kind;
    }

    /** IFF_UP: administratively up. */
    public boolean isUp() {
        return (flags & RouteNetlink.IFF_UP) != 0;
    }

    /** IFF_RUNNING: operationally up (carrier). */
    public boolean isRunning() {
        return (flags & RouteNetlink.IFF_RUNNING) != 0;
    }

    public boolean isLoopback() {
        return (flags & RouteNetlink.IFF_LOOPBACK) != 0;
    }

    public boolean hasMac() {
        return mac != NO_MAC;
    }

    /** {@code "02:00:00:00:00:01"}, or "" without one. */
    public String macString() {
        return formatMac(mac);
    }

    /** Formats a 48-bit MAC as {@code aa:bb:cc:dd:ee:ff}; "" for a negative value (none). */
    public static String formatMac(long mac) {
        if (mac < 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
