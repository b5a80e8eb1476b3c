package io.jlvs.sched;

import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static io.jlvs.sched.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class DestinationHashingSchedulerProperties {

    @Property
    void bucketOwnerIsListPositionModuloSizeAndUnavailableGivesNull(
            @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 5) Integer> weights,
            @ForAll long overloadMask, @ForAll int dst) {
        DestinationHashingScheduler dh = new DestinationHashingScheduler();
        VirtualService svc = SourceHashingSchedulerProperties.build(dh, 0, weights, overloadMask);
        RealServer[] list = svc.dests();
        RealServer owner = list[hash32(dst & 0xFFFF_FFFFL, 8) % list.length];
        RealServer got = dh.schedule(svc, to(dst));
        if (owner.weight() > 0 && !owner.isOverloaded()) assertThat(got).isSameAs(owner);
        else assertThat(got).isNull();
        assertThat(dh.schedule(svc, to(dst))).isSameAs(got);
    }
}
