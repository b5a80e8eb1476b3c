package io.jlvs.netio.rtnl;

import java.net.InetAddress;

/**
 * One hop of a multipath route ({@code struct rtnexthop} inside {@code RTA_MULTIPATH}).
 *
 * @param gateway its {@code RTA_GATEWAY} or {@code RTA_VIA}; null for a hop on the link itself
 * @param oif     {@code rtnh_ifindex}
 * @param weight  {@code rtnh_hops + 1}, as {@code ip route} prints it
 * @param flags   {@code rtnh_flags}: RTNH_F_* (1 dead, 4 onlink, 16 linkdown)
 */
public record NextHop(InetAddress gateway, int oif, int weight, int flags) {}
