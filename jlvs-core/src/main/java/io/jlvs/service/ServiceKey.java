package io.jlvs.service;

/**
 * The identity of a virtual service: {@code <af, protocol, address, port>}, or a firewall mark per family
 * ({@code fwmark > 0}, protocol, address and port then unused, as in IPVS).
 */
public record ServiceKey(int af, int protocol, IpAddr addr, int port, int fwmark) {

    public static ServiceKey of(int protocol, IpAddr addr, int port) {
        return new ServiceKey(addr.af(), protocol, addr, port, 0);
    }

    public static ServiceKey tcp(String addr, int port) { return of(VirtualService.IPPROTO_TCP, IpAddr.parse(addr), port); }

    public static ServiceKey udp(String addr, int port) { return of(VirtualService.IPPROTO_UDP, IpAddr.parse(addr), port); }

    public static ServiceKey fwmark(int af, int mark) {
        if (mark <= 0) throw new IllegalArgumentException("fwmark must be > 0");
        return new ServiceKey(af, 0, null, 0, mark);
    }

    public boolean isFwmark() { return fwmark != 0; }

    public static String protocolName(int protocol) {
        return switch (protocol) {
            case VirtualService.IPPROTO_TCP -> "TCP";
            case VirtualService.IPPROTO_UDP -> "UDP";
            case VirtualService.IPPROTO_SCTP -> "SCTP";
            default -> "IP";
        };
    }

    @Override
    public String toString() {
        if (isFwmark()) return "FWM " + fwmark + (af == IpAddr.AF_INET6 ? " IPv6" : "");
        return protocolName(protocol) + " " + (addr.isV6() ? "[" + addr + "]:" + port : addr + ":" + port);
    }
}
