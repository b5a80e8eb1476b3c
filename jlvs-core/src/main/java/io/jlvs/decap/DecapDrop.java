package io.jlvs.decap;

/**
 * Why {@link Decapsulator} refused a tunnelled packet. Each reason has a stable {@link #code()} (its ordinal) so
 * per-reason counters are a {@code long[COUNT]} indexed by the code {@link Decapsulator#decap} returns.
 *
 * <p>Append new reasons at the end, never reorder or remove: codes are exported in counters.
 */
public enum DecapDrop {
    // the outer IPv4 header (IPv4 raw sockets deliver it; IPv6 raw and UDP sockets do not)
    TRUNCATED_OUTER("fewer octets than the outer IPv4 header (20 octets, or IHL * 4)"),
    BAD_OUTER_HEADER("outer IPv4 header: version not 4, IHL below 5, or total length past the octets received"),
    UNSUPPORTED_OUTER_PROTOCOL("outer protocol is not IPIP (4), IPv6 (41) or GRE (47)"),
    // GUE (draft-ietf-intarea-gue)
    TRUNCATED_GUE("UDP payload shorter than the GUE header and its options (4 + Hlen * 4 octets)"),
    GUE_CONTROL("GUE control message (C bit): not a data packet"),
    BAD_GUE_VERSION("GUE version 2 or 3, or version 1 whose first nibble is not IP version 4 or 6"),
    GUE_UNKNOWN_FLAGS("GUE flags or private flags this decapsulator does not know, or options longer than Hlen"),
    GUE_UNSUPPORTED_PROTOCOL("GUE Proto/ctype is not IPIP (4) or IPv6 (41)"),
    BAD_REMCSUM("GUE remote checksum offload option points outside the inner packet or at an odd offset"),
    // GRE (RFC 2784, RFC 2890)
    TRUNCATED_GRE("fewer octets than the GRE header with its checksum, key and sequence fields"),
    BAD_GRE_HEADER("GRE version not 0, or the routing bit (RFC 1701) set"),
    BAD_GRE_CHECKSUM("GRE checksum (C bit) does not verify"),
    GRE_UNSUPPORTED_PROTOCOL("GRE protocol type is not IPv4 (0x0800) or IPv6 (0x86DD)"),
    // the inner packet
    TRUNCATED_INNER("fewer octets left than the inner IP header (20 or 40 octets)"),
    BAD_INNER_VERSION("inner IP version differs from the one the encapsulation announces"),
    BAD_INNER_HEADER("inner IPv4 IHL below 5, or total length below the header length"),
    BAD_INNER_LENGTH("inner IP total (or 40 + payload) length past the octets received, or an IPv6 jumbogram"),
    BAD_INNER_CHECKSUM("inner IPv4 header checksum does not verify"),
    ECN_CE_NOT_ECT("outer IPv4 header marked CE (congestion experienced) but the inner packet is not ECN-capable (RFC 6040)");

    /** Number of reasons: the length of a counter array indexed by {@link #code()}. */
    public static final int COUNT = values().length;
    private static final DecapDrop[] BY_CODE = values();

    private final String description;

    DecapDrop(String description) {
        this.description = description;
    }

    /** Stable counter index. */
    public int code() { return ordinal(); }

    /** One line for an operator: what was wrong with the packet. */
    public String description() { return description; }

    /** The reason with {@code code}, or null if there is none. */
    public static DecapDrop of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
