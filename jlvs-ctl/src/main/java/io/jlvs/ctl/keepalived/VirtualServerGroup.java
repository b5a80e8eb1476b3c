package io.jlvs.ctl.keepalived;

import io.jlvs.service.IpAddr;

import java.util.List;

/**
 * {@code virtual_server_group NAME { ... }}: addresses, ranges ({@code a.b.c.d-e}, {@code a.b.c.d-e.f.g.h}, CIDR)
 * with an optional port, and firewall marks with an optional family.
 */
public record VirtualServerGroup(String name, List<Entry> entries, String where) {
    public VirtualServerGroup {
        entries = List.copyOf(entries);
    }

    /** One member. */
    public sealed interface Entry permits Range, Fwmark {}

    /**
     * Addresses {@code first..last} (one address when equal) on {@code port} (0: none given).
     */
    public record Range(IpAddr first, IpAddr last, int port) implements Entry {
        /** How many addresses ({@code last - first + 1}), {@link Long#MAX_VALUE} beyond 2^62. */
        public long size() {
            if (last.hi() != first.hi()) return Long.MAX_VALUE;
            long d = last.lo() - first.lo();                     // unsigned difference
            return Long.compareUnsigned(d, 1L << 62) > 0 ? Long.MAX_VALUE : d + 1;
        }
    }

    /** {@code fwmark N [inet|inet6]}; {@code af} 0 when no family was given. */
    public record Fwmark(int mark, int af) implements Entry {}

    public boolean hasAddresses() { return entries.stream().anyMatch(e -> e instanceof Range); }
}
