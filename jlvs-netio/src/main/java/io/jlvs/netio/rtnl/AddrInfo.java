package io.jlvs.netio.rtnl;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One interface address as RTM_NEWADDR describes it ({@code ip addr show}).
 *
 * @param ifIndex   {@code ifa_index}
 * @param family    {@code ifa_family}: 2 (AF_INET) or 10 (AF_INET6)
 * @param address   the interface's own address: {@code IFA_LOCAL} if present (IPv4), else {@code IFA_ADDRESS};
 *                  an {@code Inet4Address} for AF_INET, an {@code Inet6Address} for AF_INET6
 * @param prefixLen {@code ifa_prefixlen}
 * @param scope     {@code ifa_scope}: RT_SCOPE_* (0 universe, 253 link, 254 host)
 * @param flags     IFA_F_* bits: the 32-bit {@code IFA_FLAGS} attribute if present, else {@code ifa_flags}
 * @param label     {@code IFA_LABEL} (IPv4 aliases such as "eth0:1"), "" if absent
 */
public record AddrInfo(int ifIndex, int family, InetAddress address, int prefixLen, int scope, int flags,
        String label) {

    public AddrInfo {
        Objects.requireNonNull(address, "address");
        label = label == null ? "" : label;
    }

    /** {@code "192.0.2.1/24"}. */
    public String cidr() {
        return IpText.format(address) + "/" + prefixLen;
    }
}
