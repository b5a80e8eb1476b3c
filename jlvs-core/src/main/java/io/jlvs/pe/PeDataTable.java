package io.jlvs.pe;

import org.agrona.collections.Int2ObjectHashMap;

import java.util.function.IntPredicate;

/**
 * The {@code pe_data} of persistence templates ({@code cp->pe_data}, {@code cp->pe_data_len}), kept beside the
 * connection table because its fixed-size records have no room for a variable-length key: an open-addressing map
 * from the template's connection index to a copy of the key, filled when a template is made and emptied when it
 * leaves the table. Only templates of services with a persistence engine have an entry, so the table holds as
 * many entries as there are such templates (about 16 + 16 octets of overhead each, plus the key).
 *
 * <p>It is also the {@code ct_match} test the connection table runs on each template candidate
 * ({@link #matcher}): the candidate's key must equal the engine's current key. Single writer: the data-plane
 * thread that owns the connection table. Lookups do not allocate.
 */
public final class PeDataTable implements IntPredicate {
    private final Int2ObjectHashMap<byte[]> byConn = new Int2ObjectHashMap<>();
    private PersistenceEngine current;

    /**
     * The {@code ct_match} predicate for the key {@code pe} just read with {@link PersistenceEngine#fillParam}:
     * true for a template whose stored key equals it. Valid until the next call.
     */
    public IntPredicate matcher(PersistenceEngine pe) {
        current = pe;
        return this;
    }

    @Override
    public boolean test(int conn) {
        byte[] d = byConn.get(conn);
        return d != null && current.matches(d);
    }

    /** The template {@code conn} was made for {@code pe}'s current key: keeps a copy ({@code kmemdup}). */
    public void bind(int conn, PersistenceEngine pe) { byConn.put(conn, pe.copyKey()); }

    /** The template left the table: its key goes with it. */
    public void release(int conn) { byConn.remove(conn); }

    /** The key of template {@code conn}, or null when it has none. Do not modify. */
    public byte[] get(int conn) { return byConn.get(conn); }

    /** Templates with a key. */
    public int size() { return byConn.size(); }
}
