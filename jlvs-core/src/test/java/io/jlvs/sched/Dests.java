package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;

import java.util.ArrayList;
import java.util.List;

/** Test fixture: services whose dest list is in a given order, as a user would build it with ipvsadm. */
final class Dests {
    private Dests() {}

    static final ServiceKey VS = ServiceKey.tcp("198.51.100.10", 80);

    /** Real server i is 192.0.2.(i+1):80. */
    static IpAddr addr(int i) { return IpAddr.v4(0xC0000200 | (i + 1)); }

    /**
     * A service with one dest per weight, in list order as given (they are added last-first, since IPVS puts each
     * new dest at the head of the list).
     */
    static VirtualService service(String sched, int... weightsInListOrder) {
        VirtualService svc = VirtualService.of(VS, SchedulerRegistry.create(sched));
        for (int i = weightsInListOrder.length - 1; i >= 0; i--) {
            svc.addDest(RealServerSpec.dr(addr(i), 80, weightsInListOrder[i]));
        }
        return svc;
    }

    static VirtualService service(Scheduler sched, int... weightsInListOrder) {
        VirtualService svc = VirtualService.of(VS, sched);
        for (int i = weightsInListOrder.length - 1; i >= 0; i--) {
            svc.addDest(RealServerSpec.dr(addr(i), 80, weightsInListOrder[i]));
        }
        return svc;
    }

    /** Index (0-based, as given to {@link #service}) of a dest, or -1 for null. */
    static int index(RealServer d) { return d == null ? -1 : (d.addr().v4() & 0xFF) - 1; }

    static Flow flow() { return new Flow().v4(6, 0xCB007107, 40000, 0xC6336400 | 10, 80); }

    /** n decisions in a row, as dest indexes. */
    static List<Integer> picks(VirtualService svc, int n) {
        List<Integer> out = new ArrayList<>();
        Flow f = flow();
        for (int k = 0; k < n; k++) out.add(index(svc.scheduler().schedule(svc, f)));
        return out;
    }

    static String letters(List<Integer> picks) {
        StringBuilder sb = new StringBuilder();
        for (int p : picks) sb.append(p < 0 ? '-' : (char) ('A' + p));
        return sb.toString();
    }
}
