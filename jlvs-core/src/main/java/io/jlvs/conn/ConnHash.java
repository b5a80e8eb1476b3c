package io.jlvs.conn;

/**
 * The connection table's keyed hash: SipHash-1-3 (64-bit output) of the client side of a connection,
 * {@code (af, protocol, caddr, cport)}, under a 128-bit key drawn at random when the table is built (IPVS draws
 * {@code ip_vs_conn_rnd} once at start).
 *
 * <p>Why a keyed PRF and not a seeded multiply-xorshift: the client address and port are chosen by whoever sends
 * the packets, and linear probing punishes collisions with long clusters (a flood of keys that land next to each
 * other turns every probe into a scan). A mix whose collisions do not depend on the seed (the murmur/xxhash
 * family has seed-independent multicollisions) or whose seed can be recovered (IPVS's 32-bit {@code jhash}
 * seed) leaves that door open. SipHash-1-3 is what the kernel uses as {@code hsiphash} on 64-bit machines and
 * what Rust's {@code HashMap} uses for the same reason; it costs 5 SipRounds for an IPv4 key and 7 for IPv6.
 *
 * <p>Message, as little-endian 64-bit words: IPv4 {@code caddr | cport << 32 | protocol << 48 | af << 56}
 * (8 bytes); IPv6 {@code caddrHi, caddrLo, cport | protocol << 16 | af << 24} (24 bytes). The result is the
 * standard SipHash-1-3 of those bytes, so it can be checked against any reference implementation.
 */
final class ConnHash {
    private ConnHash() {}

    // "somepseudorandomlygeneratedbytes"
    private static final long IV0 = 0x736f6d6570736575L, IV1 = 0x646f72616e646f6dL;
    private static final long IV2 = 0x6c7967656e657261L, IV3 = 0x7465646279746573L;

    private static final int AF_INET6 = 10;

    /** The hash of a connection key; IPv4 addresses are in the low 32 bits of {@code lo} ({@code hi} ignored). */
    static long hash(long k0, long k1, int af, int protocol, long hi, long lo, int port) {
        if (af == AF_INET6) {
            return sip24(k0, k1, hi, lo, (port & 0xFFFFL) | (protocol & 0xFFL) << 16 | (af & 0xFFL) << 24);
        }
        return sip8(k0, k1, (lo & 0xFFFF_FFFFL) | (port & 0xFFFFL) << 32 | (protocol & 0xFFL) << 48 | (af & 0xFFL) << 56);
    }

    /** SipHash-1-3 of one 8-byte word. */
    static long sip8(long k0, long k1, long m) {
        long v0 = IV0 ^ k0, v1 = IV1 ^ k1, v2 = IV2 ^ k0, v3 = IV3 ^ k1;
        // compression of m
        v3 ^= m;
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= m;
        return tail(v0, v1, v2, v3, 8L << 56);
    }

    /** SipHash-1-3 of three 8-byte words. */
    static long sip24(long k0, long k1, long m0, long m1, long m2) {
        long v0 = IV0 ^ k0, v1 = IV1 ^ k1, v2 = IV2 ^ k0, v3 = IV3 ^ k1;
        v3 ^= m0;
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= m0;
        v3 ^= m1;
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= m1;
        v3 ^= m2;
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= m2;
        return tail(v0, v1, v2, v3, 24L << 56);
    }

    /** The length block (one compression round), then finalization (three rounds). */
    private static long tail(long v0, long v1, long v2, long v3, long b) {
        v3 ^= b;
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= b;
        v2 ^= 0xff;
        for (int r = 0; r < 3; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
