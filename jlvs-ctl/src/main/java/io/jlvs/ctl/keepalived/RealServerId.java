package io.jlvs.ctl.keepalived;

import io.jlvs.service.IpAddr;

/**
 * A real server of one virtual server, as configured: what a reload compares (keepalived's {@code rs_iseq}
 * within the same {@code vs_iseq}), what the checker runner keys its state on, what {@code LvsState} takes to
 * bring a server up or down. A server listed under two virtual servers has two ids (and two sets of checkers, as
 * in keepalived).
 *
 * @param vs   the virtual server
 * @param addr the real server's address
 * @param port its port after keepalived's corrections (the virtual server's port for DR/TUN and for NAT without
 *             a port; 0 for DR/TUN under a firewall mark; as written under a group, whose entries give the port
 *             of DR/TUN servers)
 */
public record RealServerId(VsKey vs, IpAddr addr, int port) {
    @Override
    public String toString() {
        return (addr.isV6() ? "[" + addr + "]" : addr.toString()) + ":" + port + " of " + vs;
    }
}
