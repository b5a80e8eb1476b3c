package io.jlvs.pe;

import java.lang.foreign.MemorySegment;

/**
 * A persistence engine ({@code struct ip_vs_pe} in {@code include/net/ip_vs.h}, registered by name in
 * {@code ip_vs_pe.c}): for a persistent service with {@code --pe NAME}, the engine adds a key read from the packet
 * ({@code pe_data}) to the persistence template's key, so templates follow that key (SIP: the Call-ID) rather
 * than the client network alone.
 *
 * <p>The data path calls {@link #fillParam} once per packet that a persistent service schedules; the key it found
 * stays in the engine (a per-thread scratch, like the kernel's {@code struct ip_vs_conn_param} on the stack) until
 * the next call, and {@link #hashKey}, {@link #matches} and {@link #copyKey} read it. One instance per data-plane
 * thread; nothing here allocates except {@link #copyKey}, which the director calls once per new template (the
 * kernel's {@code kmemdup} of {@code pe_data}).
 */
public interface PersistenceEngine {
    /** The name users give to {@code --pe}: "sip". */
    String name();

    /**
     * {@code fill_param}: reads the engine's key from the packet whose upper-layer header starts at {@code l4Offset}
     * and whose IP datagram ends at {@code l3End} in {@code seg}.
     *
     * @param protocol the packet's IPPROTO_* (not the template's: IPPROTO_IP for fwmark services)
     * @return true when the key was found; false when it was not, and IPVS drops the packet without ICMP
     *         ({@code ip_vs_sched_persist} sets {@code *ignored = -1})
     */
    boolean fillParam(int protocol, MemorySegment seg, long l4Offset, long l3End);

    /**
     * {@code hashkey_raw} of the current key, folded to 16 bits and never 0: jlvs stores it in the template's
     * client-port slot (always 0 in a template otherwise) so templates with different keys hash apart in the
     * connection table, as the kernel hashes them by {@code jhash(pe_data)}.
     */
    int hashKey();

    /** {@code ct_match}'s {@code memcmp}: does a template's {@code pe_data} equal the current key? */
    boolean matches(byte[] peData);

    /** A copy of the current key, for the template being created ({@code kmemdup}). */
    byte[] copyKey();

    /** {@code show_pe_data}: the key as {@code ipvsadm -Lc --persistent-conn} prints it. */
    String show(byte[] peData);
}
