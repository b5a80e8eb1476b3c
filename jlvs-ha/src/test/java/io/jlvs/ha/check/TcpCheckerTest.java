package io.jlvs.ha.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class TcpCheckerTest {

    @Test
    void upWhenTheConnectionCompletesV4AndV6() throws Exception {
        try (ServerSocket s4 = new ServerSocket(0, 5, Servers.v4()); ServerSocket s6 = new ServerSocket(0, 5, Servers.v6())) {
            assertThat(new TcpChecker.Spec(Servers.to(s4.getLocalPort())).newChecker().check().up()).isTrue();
            assertThat(new TcpChecker.Spec(Servers.to(Servers.v6(), s6.getLocalPort())).newChecker().check().up())
                    .isTrue();
        }
    }

    @Test
    void downWhenRefused() throws Exception {
        CheckResult r = new TcpChecker.Spec(Servers.to(Servers.closedPort())).newChecker().check();
        assertThat(r.up()).isFalse();
        assertThat(r.detail()).isEqualTo("connection refused");
    }

    @Test
    void downWhenTheConnectTimesOut() throws Exception {
        try (Servers.Full full = Servers.Full.open()) {
            assumeThat(full).as("accept queue did not fill").isNotNull();
            long t0 = System.nanoTime();
            CheckResult r = new TcpChecker.Spec(Servers.to(full.port())).newChecker().check();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.up()).isFalse();
            assertThat(r.detail()).isEqualTo("timed out");
            assertThat(ms).isBetween(300L, 3_000L);
        }
    }

    @Test
    void bindsTheSourceAddressAndPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 5, Servers.v4())) {
            int port = Servers.closedPort();
            ConnectOptions co = new ConnectOptions(new InetSocketAddress(Servers.v4(), s.getLocalPort()),
                    new InetSocketAddress(Servers.v4(), port), Servers.SHORT, 0);
            assertThat(new TcpChecker.Spec(co).newChecker().check().up()).isTrue();
            try (var accepted = s.accept()) {
                assertThat(accepted.getPort()).isEqualTo(port);
            }
        }
    }
}
