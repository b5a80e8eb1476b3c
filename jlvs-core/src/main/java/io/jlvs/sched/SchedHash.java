package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/** Hashing pieces the hashing schedulers share ({@code include/linux/hash.h}, the IPVS address fold). */
final class SchedHash {
    private SchedHash() {}

    /** {@code GOLDEN_RATIO_32} of {@code include/linux/hash.h}. */
    static final int GOLDEN_RATIO_32 = 0x61C88647;

    /** {@code hash_32(val, bits)}: the top {@code bits} bits of {@code val * GOLDEN_RATIO_32} (mod 2^32). */
    static int hash32(int val, int bits) {
        return (val * GOLDEN_RATIO_32) >>> (32 - bits);
    }

    /**
     * {@code ntohl(addr_fold)} of an address read with the service's family, as the schedulers do with
     * {@code svc->af}: for an IPv4 service the first 32-bit word of the address union, for IPv6 the XOR of its four
     * words. (A mixed-family dest, e.g. an IPv4 tunnel endpoint of an IPv6 service, keeps zeros in the rest of the
     * union, so its fold is its IPv4 address.)
     */
    static int fold(int svcAf, IpAddr a) {
        if (a.af() == IpAddr.AF_INET) return a.v4();
        if (svcAf == IpAddr.AF_INET) return (int) (a.hi() >>> 32);
        return a.fold();
    }

    /**
     * The port the sh/mh schedulers mix in: with the sh-port/mh-port flag, the source port of TCP, UDP and SCTP
     * packets ({@code ip_vs_sh_get_port}); otherwise 0.
     */
    static int flowPort(VirtualService svc, Flow flow) {
        return svc.hasFlag(SchedFlags.PORT) && flow.hasPorts() ? flow.srcPort & 0xFFFF : 0;
    }

    /** sh/mh {@code is_unavailable}: weight <= 0 or OVERLOAD (the AVAILABLE flag is not consulted). */
    static boolean unavailable(RealServer d) {
        return d.weight() <= 0 || d.isOverloaded();
    }
}
