package io.jlvs.conn;

/**
 * Told when a connection's timer runs out ({@code ip_vs_conn_expire}): the connection is still in the table
 * and every field can be read. Return true to let the table remove it (unbind it from its dest first), false to
 * keep it: IPVS keeps a connection that still controls others ({@code n_control > 0}) and retries 60 s later,
 * which a handler does with {@code table.timeout(conn, 60_000); return false;}. A kept connection is re-armed at
 * its {@code expiresAt} if the handler moved it into the future, else at now + its timeout.
 *
 * <p>Called on the table's owner thread from {@link ConnTable#expire}; it may read and write the table
 * (remove other connections too) but must not allocate on the data path.
 */
@FunctionalInterface
public interface ExpiryHandler {
    boolean onExpire(int conn);
}
