package io.jlvs.host;

import io.jlvs.service.IpAddr;

/**
 * One of the host's own addresses, as rtnetlink reports it ({@code RTM_NEWADDR}: {@code ifa_index},
 * {@code IFA_LOCAL}/{@code IFA_ADDRESS}, {@code ifa_prefixlen}): a plain input the daemon fills. The kernel
 * answers ARP and NDP for these itself; jlvs delivers packets to them to the local stack.
 */
public record HostAddress(int ifIndex, IpAddr addr, int prefixLength) {
    public HostAddress {
        if (ifIndex <= 0) throw new IllegalArgumentException("interface index " + ifIndex + " is not positive");
        int max = addr.isV6() ? 128 : 32;
        if (prefixLength < 0 || prefixLength > max) throw new IllegalArgumentException("prefix length " + prefixLength + " for " + addr);
    }
}
