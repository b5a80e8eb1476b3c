package io.jlvs.ctl.ipvsadm;

import io.jlvs.packet.Flow;
import io.jlvs.sched.Scheduler;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/**
 * {@code -s none}: the kernel binds no scheduler ({@code ip_vs_add_service} skips the lookup for "none") and lists
 * the service with scheduler "none"; new connections find no real server.
 */
final class NoneScheduler implements Scheduler {
    static final String NAME = "none";

    @Override public String name() { return NAME; }

    @Override public RealServer schedule(VirtualService svc, Flow flow) { return null; }
}
