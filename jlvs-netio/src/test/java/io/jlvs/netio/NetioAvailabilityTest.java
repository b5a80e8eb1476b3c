package io.jlvs.netio;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlvs.netio.sys.Libc;
import org.junit.jupiter.api.Test;

class NetioAvailabilityTest {

    /** The build runs tests on Linux with --enable-native-access=ALL-UNNAMED: netio must be there. */
    @Test
    void availableUnderTheBuildsJvmFlags() {
        assertThat(NetioAvailability.unavailabilityCause()).isEmpty();
        assertThat(NetioAvailability.isAvailable()).isTrue();
        NetioAvailability.ensureAvailable();
        assertThat((long) Libc.getpid()).isEqualTo(ProcessHandle.current().pid());
    }
}
