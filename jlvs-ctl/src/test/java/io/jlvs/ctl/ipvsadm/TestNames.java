package io.jlvs.ctl.ipvsadm;

import io.jlvs.service.IpAddr;

import java.util.Map;

/** A resolver with a fixed host table and the built-in services table: the same answers on every machine. */
final class TestNames implements NameResolver {
    private final Map<String, IpAddr> hosts;
    private final Map<IpAddr, String> reverse;
    private final NameResolver ports = NameResolver.offline(Services.builtIn());

    TestNames(Map<String, IpAddr> hosts, Map<IpAddr, String> reverse) {
        this.hosts = hosts;
        this.reverse = reverse;
    }

    static TestNames none() { return new TestNames(Map.of(), Map.of()); }

    @Override public IpAddr hostToIpv4(String name) { return hosts.get(name); }
    @Override public String addrToHost(IpAddr addr) { return reverse.get(addr); }
    @Override public int serviceToPort(String name, int protocol) { return ports.serviceToPort(name, protocol); }
    @Override public String portToService(int port, int protocol) { return ports.portToService(port, protocol); }

    static IpvsadmParser parser() { return new IpvsadmParser("ipvsadm", none()); }
}
