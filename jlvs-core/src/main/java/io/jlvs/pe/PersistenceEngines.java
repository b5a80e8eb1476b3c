package io.jlvs.pe;

import java.util.List;

/**
 * The persistence engines by the name users type after {@code --pe}, as {@code ip_vs_pe_getbyname} finds them
 * ({@code ip_vs_pe.c}). The kernel has one: {@code sip}.
 */
public final class PersistenceEngines {
    private static final List<String> NAMES = List.of(SipPersistenceEngine.NAME);

    private PersistenceEngines() {}

    /** A new instance of the engine called {@code name}, or null if there is none. */
    public static PersistenceEngine create(String name) {
        return SipPersistenceEngine.NAME.equals(name) ? new SipPersistenceEngine() : null;
    }

    public static boolean exists(String name) { return NAMES.contains(name); }

    /** Every engine name. */
    public static List<String> names() { return NAMES; }
}
