package io.jlvs.host;

/**
 * One network interface as rtnetlink describes it ({@code RTM_NEWLINK}: {@code ifi_index}, {@code IFLA_IFNAME},
 * {@code IFLA_ADDRESS}, {@code IFLA_MTU}, {@code IFF_UP}): a plain input the daemon fills.
 *
 * @param mac the interface's Ethernet address, 48 bits in the low bits, first octet most significant
 * @param mtu octets of IP packet the link carries
 * @param up  administratively up and running: routes through a down link are unreachable
 */
public record Link(int ifIndex, String name, long mac, int mtu, boolean up) {
    public Link {
        if (ifIndex <= 0) throw new IllegalArgumentException("interface index " + ifIndex + " is not positive");
        if ((mac >>> 48) != 0) throw new IllegalArgumentException("MAC wider than 48 bits: " + Long.toHexString(mac));
        if (mtu < 68) throw new IllegalArgumentException("interface " + name + ": MTU " + mtu + " below 68");
    }
}
