package io.jlvs.ctl.keepalived;

import io.jlvs.service.IpAddr;
import io.jlvs.service.ServiceKey;

/**
 * The identity of a {@code virtual_server} block, as keepalived's {@code vs_iseq} compares them across a reload:
 * by address ({@code <af, protocol, address, port>}), by firewall mark ({@code <af, mark>}) or by group
 * ({@code <group name, protocol>}: the same group may serve TCP and UDP). A group's members may change across a
 * reload while the key stays the same.
 *
 * @param kind     which of the three forms
 * @param af       {@link IpAddr#AF_INET} or {@link IpAddr#AF_INET6} (a group: the family of its first member)
 * @param protocol {@code IPPROTO_TCP/UDP/SCTP}; 0 for a firewall mark
 * @param addr     the address (ADDRESS only)
 * @param port     the port (ADDRESS only; 0 when the service is persistent without a port)
 * @param fwmark   the mark (FWMARK only)
 * @param group    the group name (GROUP only)
 */
public record VsKey(Kind kind, int af, int protocol, IpAddr addr, int port, int fwmark, String group) {
    public enum Kind { ADDRESS, FWMARK, GROUP }

    public static VsKey address(int protocol, IpAddr addr, int port) {
        return new VsKey(Kind.ADDRESS, addr.af(), protocol, addr, port, 0, null);
    }

    public static VsKey fwmark(int af, int mark) { return new VsKey(Kind.FWMARK, af, 0, null, 0, mark, null); }

    public static VsKey group(String name, int af, int protocol) { return new VsKey(Kind.GROUP, af, protocol, null, 0, 0, name); }

    @Override
    public String toString() {
        return switch (kind) {
            case ADDRESS -> ServiceKey.of(protocol, addr, port).toString();
            case FWMARK -> "FWM " + fwmark + (af == IpAddr.AF_INET6 ? " IPv6" : "");
            case GROUP -> "group " + group + (protocol != 0 ? " " + ServiceKey.protocolName(protocol) : "");
        };
    }
}
