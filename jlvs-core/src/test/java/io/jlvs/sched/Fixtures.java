package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;

/** Small builders shared by the scheduler tests. */
final class Fixtures {
    private Fixtures() {}

    static final int TCP = 6, UDP = 17, SCTP = 132, ICMP = 1;

    static VirtualService tcpService(Scheduler s, int flags) {
        return new VirtualService(ServiceKey.tcp("192.0.2.10", 80), s, flags, 0, -1, null);
    }

    static VirtualService v6Service(Scheduler s, int flags) {
        return new VirtualService(ServiceKey.tcp("2001:db8::10", 80), s, flags, 0, 128, null);
    }

    /** -a ... -w weight: the new dest goes to the head of the list. */
    static RealServer add(VirtualService svc, String addr, int port, int weight) {
        return svc.addDest(RealServerSpec.dr(IpAddr.parse(addr), port, weight));
    }

    /** -e ... -w weight, other options kept as DR defaults. */
    static void edit(VirtualService svc, RealServer d, int weight) {
        svc.editDest(d, RealServerSpec.dr(d.addr(), d.port(), weight));
    }

    static Flow from(int protocol, int srcAddr, int srcPort) {
        return new Flow().v4(protocol, srcAddr, srcPort, 0xC000020A, 80);
    }

    static Flow to(int dstAddr) {
        return new Flow().v4(TCP, 0xC6336407, 40000, dstAddr, 80);
    }

    /** hash_32(v, bits) computed independently of the main code: in 64-bit arithmetic, then truncated. */
    static int hash32(long v, int bits) {
        return (int) ((((v & 0xFFFF_FFFFL) * 0x61C88647L) & 0xFFFF_FFFFL) >>> (32 - bits));
    }
}
