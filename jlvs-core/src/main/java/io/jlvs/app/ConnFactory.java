package io.jlvs.app;

/**
 * How a helper makes a connection for the traffic it announced (an FTP data connection): IPVS's
 * {@code ip_vs_conn_new(p, af, daddr, dport, flags, cp->dest, mark)} bound to the real server of the control
 * connection {@code ctl} (so with its forwarding method, counted in its inactive connections), then
 * {@code ip_vs_control_add(n_cp, cp)}. The director implements it; the family and protocol are {@code ctl}'s.
 * Addresses are two longs in network order, IPv4 in the low 32 bits of {@code lo}.
 */
@FunctionalInterface
public interface ConnFactory {
    /**
     * @param flags {@link io.jlvs.conn.ConnFlags} to add (NO_CPORT for a passive data connection)
     * @return the new connection, or {@link io.jlvs.conn.ConnTable#NONE} (table full, or {@code ctl} has no real
     *         server)
     */
    int create(int ctl, long caHi, long caLo, int cport, long vaHi, long vaLo, int vport,
               long daHi, long daLo, int dport, int flags);
}
