package io.jlvs.xmit;

/**
 * The flow hash a GUE tunnel's UDP source port is drawn from ({@code skb_get_hash} in
 * {@code udp_flow_src_port}): equal for every packet of a connection, so the real server's NIC spreads
 * connections over its queues (RSS) without reordering any. {@link #seeded} hashes the inner packet's
 * addresses, protocol and ports; tests may pin the value.
 */
@FunctionalInterface
public interface FlowHash {
    /** A 32-bit hash of the parsed frame's flow (inner packet, before encapsulation). */
    int hash(Frame frame);

    /** Murmur3-style mixing of the addresses, protocol and ports with a per-process {@code seed}. */
    static FlowHash seeded(int seed) { return new SeededFlowHash(seed); }
}
