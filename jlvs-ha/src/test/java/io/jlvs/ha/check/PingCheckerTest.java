package io.jlvs.ha.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.jlvs.netio.NetioAvailability;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** PING_CHECK to loopback, IPv4 and IPv6. */
class PingCheckerTest {

    private static PingChecker.Spec spec(java.net.InetAddress a) {
        return new PingChecker.Spec(ConnectOptions.to(new InetSocketAddress(a, 0), Duration.ofSeconds(2)));
    }

    @Test
    void loopbackAnswersV4AndV6() throws Exception {
        assumeThat(NetioAvailability.isAvailable()).as(NetioAvailability.unavailabilityCause().orElse("")).isTrue();
        CheckResult v4 = spec(Servers.v4()).newChecker().check();
        assertThat(v4.up()).as(v4.detail()).isTrue();
        CheckResult v6 = spec(Servers.v6()).newChecker().check();
        assertThat(v6.up()).as(v6.detail()).isTrue();
        assertThat(spec(Servers.v6()).target()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void aSourceAddressOfTheOtherFamilyIsAFailureNotACrash() throws Exception {
        assumeThat(NetioAvailability.isAvailable()).isTrue();
        ConnectOptions co = new ConnectOptions(new InetSocketAddress(Servers.v4(), 0),
                new InetSocketAddress(Servers.v6(), 0), Duration.ofMillis(300), 0);
        CheckResult r = new PingChecker.Spec(co).newChecker().check();
        assertThat(r.up()).isFalse();
        assertThat(r.detail()).startsWith("cannot ping");
    }
}
