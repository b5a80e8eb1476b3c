package io.jlvs.ctl.ipvsadm;

import io.jlvs.service.IpAddr;
import io.jlvs.service.VirtualService;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The name lookups ipvsadm does: host names to IPv4 addresses ({@code gethostbyname}), addresses to host names
 * ({@code gethostbyaddr}, for listings without -n), and port names for TCP, UDP and SCTP
 * ({@code getservbyname}/{@code getservbyport}). Numeric forms never reach it; tests use {@link #offline}.
 */
public interface NameResolver {

    /** The first IPv4 address of a host name, or null (IPv6-only names fail, as with gethostbyname). */
    IpAddr hostToIpv4(String name);

    /** The host name of an address, or null when it has none. */
    String addrToHost(IpAddr addr);

    /** The port a service name has for this IP protocol (6, 17, 132), or -1. */
    int serviceToPort(String name, int protocol);

    /** The service name of a port for this IP protocol, or null. */
    String portToService(int port, int protocol);

    /** The protocol word /etc/services uses, or null for other protocols (ipvsadm then finds nothing). */
    static String protoWord(int protocol) {
        return switch (protocol) {
            case VirtualService.IPPROTO_TCP -> "tcp";
            case VirtualService.IPPROTO_UDP -> "udp";
            case VirtualService.IPPROTO_SCTP -> "sctp";
            default -> null;
        };
    }

    /** The system resolver (DNS, /etc/hosts) and the system's /etc/services. */
    static NameResolver system() { return withServices(Services.system(), true); }

    /** No host names at all; port names from {@code services}. Deterministic, for tests and offline use. */
    static NameResolver offline(Services services) { return withServices(services, false); }

    private static NameResolver withServices(Services services, boolean hosts) {
        return new NameResolver() {
            @Override
            public IpAddr hostToIpv4(String name) {
                if (!hosts || name.isEmpty()) return null;
                try {
                    for (InetAddress a : InetAddress.getAllByName(name)) {
                        if (a instanceof Inet4Address) return IpAddr.of(a.getAddress());
                    }
                } catch (UnknownHostException | SecurityException e) {
                    return null;
                }
                return null;
            }

            @Override
            public String addrToHost(IpAddr addr) {
                if (!hosts) return null;
                try {
                    InetAddress a = InetAddress.getByAddress(addr.bytes());
                    String name = a.getCanonicalHostName();
                    return name.equals(a.getHostAddress()) ? null : name;
                } catch (UnknownHostException | SecurityException e) {
                    return null;
                }
            }

            @Override
            public int serviceToPort(String name, int protocol) {
                String p = protoWord(protocol);
                return p == null ? -1 : services.port(name, p);
            }

            @Override
            public String portToService(int port, int protocol) {
                String p = protoWord(protocol);
                return p == null ? null : services.name(port, p);
            }
        };
    }
}
