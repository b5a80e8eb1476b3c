package io.jlvs.ha.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The runner driving a real TCP_CHECK against a loopback server that goes away and comes back: the fake clock
 * decides when attempts happen, the real socket decides their outcome.
 */
class RunnerWithRealServersTest {

    @Test
    void aServerThatStopsIsDownAfterItsRetriesAndUpAgainWhenItReturns() throws Exception {
        FakeScheduler clock = new FakeScheduler();
        List<String> events = new ArrayList<>();
        AttemptExecutor inline = (name, attempt) -> {
            attempt.run();
            return CheckScheduler.Cancellable.NONE;
        };
        CheckRunner runner = new CheckRunner(clock, inline, RandomGenerator.getDefault(),
                (owner, up, weight) -> events.add(clock.elapsedMillis() + " " + owner + (up ? " up" : " down")));
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(Servers.v4(), 0), 50);
        int port = server.getLocalPort();
        CheckKey key = new CheckKey(new TcpChecker.Spec(Servers.to(port)),
                new CheckPolicy(Duration.ofSeconds(6), 2, Duration.ofSeconds(1), Duration.ZERO, true));
        // the same check for the real server in two virtual services: one connection per attempt
        runner.update(List.of(new CheckRunner.Owner("vs80/rs", 1, List.of(key)),
                new CheckRunner.Owner("vs8080/rs", 1, List.of(key))));
        clock.advanceMillis(0);
        assertThat(events).containsExactly("0 vs80/rs down", "0 vs8080/rs down", "0 vs80/rs up", "0 vs8080/rs up");

        server.close();
        clock.advanceMillis(6_000 + 1_000 + 1_000);
        assertThat(events).containsExactly("0 vs80/rs down", "0 vs8080/rs down", "0 vs80/rs up", "0 vs8080/rs up",
                "8000 vs80/rs down", "8000 vs8080/rs down");

        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(Servers.v4(), port), 50);
            clock.advanceMillis(6_000);
            assertThat(events).last().isEqualTo("14000 vs8080/rs up");
        }
        runner.close();
    }
}
