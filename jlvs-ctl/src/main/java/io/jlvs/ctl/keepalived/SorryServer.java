package io.jlvs.ctl.keepalived;

import io.jlvs.service.IpAddr;

/**
 * {@code sorry_server IP [PORT]} with {@code sorry_server_inhibit} and {@code sorry_server_lvs_method}: the server
 * put in (weight 1) when the virtual server loses its quorum, all real servers being taken out.
 *
 * @param addr               its address
 * @param port               its port after keepalived's corrections (as for real servers)
 * @param forwarding         its method (default: the virtual server's)
 * @param inhibit            it stays in the table with weight 0 while not needed
 * @param duplicatesRealServer it is also one of the real servers (same address and port)
 * @param where              {@code file:line}
 */
public record SorryServer(IpAddr addr, int port, Forwarding forwarding, boolean inhibit, boolean duplicatesRealServer,
                          String where) {
    public boolean sameSettings(SorryServer o) {
        return o != null && addr.equals(o.addr) && port == o.port && forwarding.equals(o.forwarding) && inhibit == o.inhibit;
    }
}
