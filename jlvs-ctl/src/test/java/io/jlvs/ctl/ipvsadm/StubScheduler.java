package io.jlvs.ctl.ipvsadm;

import io.jlvs.packet.Flow;
import io.jlvs.sched.Scheduler;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

/** A scheduler that only has a name: for listing services whose scheduler is not under test. */
record StubScheduler(String name) implements Scheduler {
    @Override
    public RealServer schedule(VirtualService svc, Flow flow) { return null; }
}
