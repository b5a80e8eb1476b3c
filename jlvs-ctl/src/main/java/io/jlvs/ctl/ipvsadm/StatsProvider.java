package io.jlvs.ctl.ipvsadm;

import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

import java.util.Collection;

/**
 * Where listings read traffic counters from, and what {@code ipvsadm -Z} zeroes. {@link LiveStats} reads the
 * connection engine's counters through rate estimators; {@link #NONE} answers zeros.
 */
public interface StatsProvider {

    IpvsStats service(VirtualService svc);

    IpvsStats dest(VirtualService svc, RealServer dest);

    /** {@code ip_vs_zero_service}: the service's counters and its real servers' counters restart from zero. */
    default void zero(VirtualService svc) {}

    /** {@code ip_vs_zero_all} ({@code ipvsadm -Z} without a service): every service, then the total counters. */
    default void zeroAll(Collection<VirtualService> services) {
        for (VirtualService svc : services) zero(svc);
    }

    /** No counters yet: every value is 0. */
    StatsProvider NONE = new StatsProvider() {
        @Override public IpvsStats service(VirtualService svc) { return IpvsStats.ZERO; }
        @Override public IpvsStats dest(VirtualService svc, RealServer dest) { return IpvsStats.ZERO; }
    };
}
