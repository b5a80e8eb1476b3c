package io.jlvs.packet;

/** Ethernet constants with their C names, from {@code include/uapi/linux/if_ether.h}. */
public final class IfEther {
    /** Octets in one Ethernet address. */
    public static final int ETH_ALEN = 6;
    /** Octets in an untagged Ethernet header. */
    public static final int ETH_HLEN = 14;
    /** Octets in one 802.1Q / 802.1ad tag ({@code VLAN_HLEN}, include/linux/if_vlan.h). */
    public static final int VLAN_HLEN = 4;

    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_ARP = 0x0806;
    public static final int ETH_P_8021Q = 0x8100;
    public static final int ETH_P_IPV6 = 0x86DD;
    public static final int ETH_P_8021AD = 0x88A8;

    private IfEther() {}
}
