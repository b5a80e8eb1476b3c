package io.jlvs.xmit;

import io.jlvs.packet.NetworkOrder;
import io.jlvs.packet.IpProto;

import java.lang.foreign.MemorySegment;

/**
 * {@link FlowHash#seeded}: MurmurHash3's 32-bit block mixing over the source and destination addresses (all 32
 * bits of each word), the protocol and, for TCP, UDP and SCTP with their header present, the two ports; then
 * its finaliser. Zero is never returned ({@code udp_flow_src_port} falls back to a random value for 0).
 */
final class SeededFlowHash implements FlowHash {
    private final int seed;

    SeededFlowHash(int seed) { this.seed = seed; }

    @Override
    public int hash(Frame f) {
        MemorySegment seg = f.segment();
        long l3 = f.l3Offset();
        int h = seed;
        if (f.isV6()) {
            for (long p = l3 + 8; p < l3 + 40; p += 4) h = mix(h, NetworkOrder.i32(seg, p));
        } else {
            h = mix(h, NetworkOrder.i32(seg, l3 + 12));
            h = mix(h, NetworkOrder.i32(seg, l3 + 16));
        }
        int proto = f.protocol();
        h = mix(h, proto);
        if (f.l4HeaderPresent() && (proto == IpProto.IPPROTO_TCP || proto == IpProto.IPPROTO_UDP
                || proto == IpProto.IPPROTO_SCTP)) {
            h = mix(h, NetworkOrder.i32(seg, f.l4Offset()));
        }
        h ^= h >>> 16;
        h *= 0x85EB_CA6B;
        h ^= h >>> 13;
        h *= 0xC2B2_AE35;
        h ^= h >>> 16;
        return h != 0 ? h : seed | 1;
    }

    private static int mix(int h, int k) {
        k *= 0xCC9E_2D51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1B87_3593;
        h ^= k;
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xE654_6B64;
    }
}
