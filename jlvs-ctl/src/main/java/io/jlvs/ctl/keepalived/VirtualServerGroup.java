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
        /** How many addresses ({@code last - first + 1}). */
        public long size() {
            if (!first.isV6()) return (last.lo() - first.lo()) + 1;
            return last.hi() == first.hi() ? (last.lo() - first.lo()) + 1 : Long.MAX_VALUE;
        }
    }

    /** {@code fwmark N [inet|inet6]}; {@code af} 0 when no family was given. */
    public record Fwmark(int mark, int af) implements Entry {}

    public boolean hasAddresses() { return entries.stream().anyMatch(e -> e instanceof Range); }
}
