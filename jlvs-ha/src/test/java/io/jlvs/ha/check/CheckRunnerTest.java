package io.jlvs.ha.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The runner's timing and transitions, on a fake clock: every expectation is an exact time. */
class CheckRunnerTest {

    private final FakeScheduler clock = new FakeScheduler();
    private final List<String> events = new ArrayList<>();
    private final List<String> checkEvents = new ArrayList<>();
    private final CheckRunner.Listener listener = new CheckRunner.Listener() {
        @Override
        public void ownerChanged(Object owner, boolean up, int weight) {
            events.add(clock.elapsedMillis() + " " + owner + (up ? " up " : " down ") + weight);
        }

        @Override
        public void checkChanged(CheckKey check, boolean up, CheckResult result) {
            checkEvents.add(clock.elapsedMillis() + " " + check.spec().target() + (up ? " UP " : " DOWN ")
                    + result.detail());
        }
    };
    private final HeldExecutor held = new HeldExecutor();
    private long warmupDraw = 0;
    private final RandomGenerator random = new RandomGenerator() {
        @Override
        public long nextLong() {
            return warmupDraw;
        }

        @Override
        public long nextLong(long bound) {
            return Math.min(warmupDraw, bound - 1);
        }
    };
    private CheckRunner runner = new CheckRunner(clock, inline(), random, listener);

    private static AttemptExecutor inline() {
        return (name, attempt) -> {
            attempt.run();
            return CheckScheduler.Cancellable.NONE;
        };
    }

    private static CheckPolicy policy(int retry, boolean alpha, long warmupMs) {
        return new CheckPolicy(Duration.ofSeconds(10), retry, Duration.ofSeconds(3), Duration.ofMillis(warmupMs), alpha);
    }

    private ScriptedSpec spec(String name) {
        return ScriptedSpec.named(name, clock::elapsedMillis);
    }

    private static CheckRunner.Owner owner(String token, int weight, CheckKey... keys) {
        return new CheckRunner.Owner(token, weight, List.of(keys));
    }

    private static final CheckResult OK = CheckResult.up("ok");
    private static final CheckResult FAIL = CheckResult.down("refused");

    @Test
    void withoutAlphaAServerStartsUpAndTheFirstFailureTakesItDownWithoutRetries() {
        ScriptedSpec s = spec("rs1").always(FAIL);
        runner.update(List.of(owner("A", 1, new CheckKey(s, policy(2, false, 0)))));
        assertThat(events).containsExactly("0 A up 1");

        clock.advanceMillis(0);
        assertThat(events).containsExactly("0 A up 1", "0 A down 1");
        clock.advanceMillis(25_000);
        assertThat(s.attempts()).containsExactly(0L, 10_000L, 20_000L);
        assertThat(events).hasSize(2);
    }

    @Test
    void anUpServerFailsAfterRetryRetriesSpacedByDelayBeforeRetry() {
        ScriptedSpec s = spec("rs1").next(OK, FAIL, FAIL, FAIL).always(OK);
        CheckKey key = new CheckKey(s, policy(2, false, 0));
        runner.update(List.of(owner("A", 1, key)));
        clock.advanceMillis(11_000);
        assertThat(runner.checkState(key).orElseThrow().retries()).isEqualTo(1);
        assertThat(runner.ownerState("A").orElseThrow().up()).isTrue();
        clock.advanceMillis(24_000);
        // 0 ok, 10 s fail (retry 1), 13 s fail (retry 2), 16 s fail -> DOWN, 26 s ok -> UP
        assertThat(s.attempts()).containsExactly(0L, 10_000L, 13_000L, 16_000L, 26_000L);
        assertThat(events).containsExactly("0 A up 1", "16000 A down 1", "26000 A up 1");
        assertThat(checkEvents).containsExactly("0 rs1 UP ok", "16000 rs1 DOWN refused", "26000 rs1 UP ok");
    }

    @Test
    void aSuccessDuringRetriesResetsTheCount() {
        ScriptedSpec s = spec("rs1").next(OK, FAIL, OK, FAIL, FAIL).always(OK);
        runner.update(List.of(owner("A", 1, new CheckKey(s, policy(1, false, 0)))));
        clock.advanceMillis(40_000);
        // 0 ok, 10 fail (retry 1), 13 ok, 23 fail (retry 1 again), 26 fail -> DOWN, 36 ok
        assertThat(s.attempts()).containsExactly(0L, 10_000L, 13_000L, 23_000L, 26_000L, 36_000L);
        assertThat(events).containsExactly("0 A up 1", "26000 A down 1", "36000 A up 1");
    }

    @Test
    void aDownServerIsNotRetried() {
        ScriptedSpec s = spec("rs1").always(FAIL);
        runner.update(List.of(owner("A", 1, new CheckKey(s, policy(3, false, 0)))));
        clock.advanceMillis(30_000);
        assertThat(s.attempts()).containsExactly(0L, 10_000L, 20_000L, 30_000L);
    }

    @Test
    void warmupDelaysTheFirstAttemptByARandomDrawWithinIt() {
        warmupDraw = Duration.ofMillis(4_321).toNanos();
        ScriptedSpec s = spec("rs1");
        runner.update(List.of(owner("A", 1, new CheckKey(s, policy(1, false, 6_000)))));
        clock.advanceMillis(4_320);
        assertThat(s.attempts()).isEmpty();
        clock.advanceMillis(1);
        assertThat(s.attempts()).containsExactly(4_321L);
        clock.advanceMillis(10_000);
        assertThat(s.attempts()).containsExactly(4_321L, 14_321L);
    }

    @Test
    void warmupDrawIsBoundedByWarmup() {
        warmupDraw = Long.MAX_VALUE;
        ScriptedSpec s = spec("rs1");
        runner.update(List.of(owner("A", 1, new CheckKey(s, policy(1, false, 2_000)))));
        clock.advanceMillis(2_000);
        assertThat(s.attempts()).containsExactly(2_000L);
    }

    @Test
    void alphaStartsDownAndOneSuccessBringsItUp() {
        ScriptedSpec s = spec("rs1").next(OK);
        runner.update(List.of(owner("A", 1, new CheckKey(s, policy(1, true, 0)))));
        assertThat(events).containsExactly("0 A down 1");
        clock.advanceMillis(0);
        assertThat(events).containsExactly("0 A down 1", "0 A up 1");
    }

    @Test
    void alphaAndAFailingFirstAttemptStaysDown() {
        ScriptedSpec s = spec("rs1").always(FAIL);
        runner.update(List.of(owner("A", 1, new CheckKey(s, policy(2, true, 0)))));
        clock.advanceMillis(12_000);
        assertThat(events).containsExactly("0 A down 1");
        assertThat(s.attempts()).containsExactly(0L, 10_000L);
    }

    @Test
    void aServerIsUpOnlyWhenAllItsChecksAreUp() {
        ScriptedSpec tcp = spec("tcp").always(OK);
        ScriptedSpec http = spec("http").next(FAIL).always(OK);
        CheckPolicy p = policy(0, false, 0);
        runner.update(List.of(owner("A", 1, new CheckKey(tcp, p), new CheckKey(http, p))));
        clock.advanceMillis(0);
        assertThat(events).containsExactly("0 A up 1", "0 A down 1");
        clock.advanceMillis(10_000);
        assertThat(events).containsExactly("0 A up 1", "0 A down 1", "10000 A up 1");
    }

    @Test
    void anOwnerWithoutChecksIsUp() {
        runner.update(List.of(owner("A", 3)));
        assertThat(events).containsExactly("0 A up 3");
    }

    @Test
    void identicalChecksOfSeveralServicesRunOnceAndFanOut() {
        ScriptedSpec forVs1 = spec("rs1:80").next(OK, FAIL);
        ScriptedSpec forVs2 = spec("rs1:80"); // equal spec, another instance
        CheckPolicy p = policy(0, false, 0);
        runner.update(List.of(owner("vs1/rs1", 1, new CheckKey(forVs1, p)), owner("vs2/rs1", 2, new CheckKey(forVs2, p))));
        assertThat(runner.checks()).hasSize(1);
        clock.advanceMillis(10_000);
        assertThat(forVs1.attempts()).containsExactly(0L, 10_000L);
        assertThat(forVs1.script().created + forVs2.script().created).isEqualTo(1);
        assertThat(events).containsExactly("0 vs1/rs1 up 1", "0 vs2/rs1 up 2",
                "10000 vs1/rs1 down 1", "10000 vs2/rs1 down 2");
    }

    @Test
    void updateKeepsTheStateOfChecksThatStay() {
        ScriptedSpec s = spec("rs1").always(FAIL);
        CheckKey key = new CheckKey(s, policy(0, false, 0));
        runner.update(List.of(owner("A", 1, key)));
        clock.advanceMillis(5_000);
        assertThat(events).containsExactly("0 A up 1", "0 A down 1");

        // reload: A unchanged, B added on the same check -> B inherits its DOWN state, A is not re-reported
        runner.update(List.of(owner("A", 1, new CheckKey(spec("rs1"), policy(0, false, 0))), owner("B", 4, key)));
        assertThat(events).containsExactly("0 A up 1", "0 A down 1", "5000 B down 4");
        clock.advanceMillis(5_000);
        assertThat(s.attempts()).as("the timer survived the reload").containsExactly(0L, 10_000L);
        assertThat(s.script().created).isEqualTo(1);

        // reload: A's weight changes -> reported; B goes -> silently forgotten, the check runs on for A
        runner.update(List.of(owner("A", 7, key)));
        assertThat(events).last().isEqualTo("10000 A down 7");
        assertThat(runner.checkState(key).orElseThrow().owners()).containsExactly("A");
        assertThat(runner.ownerState("B")).isEmpty();

        // reload without it: the check stops, no timer left
        runner.update(List.of());
        assertThat(runner.checks()).isEmpty();
        clock.advanceMillis(60_000);
        assertThat(s.attempts()).containsExactly(0L, 10_000L);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void aChangedPolicyIsANewCheckWithFreshState() {
        ScriptedSpec s = spec("rs1").always(FAIL);
        runner.update(List.of(owner("A", 1, new CheckKey(s, policy(0, false, 0)))));
        clock.advanceMillis(1_000);
        runner.update(List.of(owner("A", 1, new CheckKey(s, policy(0, true, 0)))));
        assertThat(s.script().created).isEqualTo(2);
        assertThat(runner.checks()).hasSize(1);
    }

    @Test
    void anOverrunningAttemptIsInterruptedAndCountsAsAFailure() {
        runner = new CheckRunner(clock, held, random, listener);
        ScriptedSpec s = spec("rs1");
        CheckKey key = new CheckKey(s, policy(0, false, 0));
        runner.update(List.of(owner("A", 1, key)));
        clock.advanceMillis(1_999);
        assertThat(held.pending()).isEqualTo(1);
        assertThat(events).containsExactly("0 A up 1");
        clock.advanceMillis(1);
        assertThat(events).containsExactly("0 A up 1", "2000 A down 1");
        assertThat(runner.checkState(key).orElseThrow().last().detail()).contains("timed out");
        assertThat(held.interrupted()).isEqualTo(1);
        // the next attempt comes delay_loop after the timeout, and a result in time counts
        clock.advanceMillis(10_000);
        held.runAll();
        assertThat(events).containsExactly("0 A up 1", "2000 A down 1", "12000 A up 1");
    }

    @Test
    void dynamicWeightsAreAbsoluteOrAddedToTheConfiguredWeight() {
        ScriptedSpec misc = spec("misc").next(CheckResult.upWithWeight("exit 9", 7), CheckResult.up("exit 0"));
        ScriptedSpec file = spec("file").next(CheckResult.upAdding("value -2", -2), CheckResult.upAdding("v", -50));
        CheckPolicy p = policy(0, false, 0);
        runner.update(List.of(owner("A", 3, new CheckKey(misc, p)), owner("B", 3, new CheckKey(file, p))));
        clock.advanceMillis(0);
        assertThat(events).containsExactly("0 A up 3", "0 B up 3", "0 A up 7", "0 B up 1");
        clock.advanceMillis(10_000);
        assertThat(events).containsExactly("0 A up 3", "0 B up 3", "0 A up 7", "0 B up 1", "10000 A up 3",
                "10000 B up 0");
    }

    @Test
    void aCheckerThatThrowsFails() {
        CheckSpec broken = new ThrowingSpec();
        runner.update(List.of(owner("A", 1, new CheckKey(broken, policy(0, false, 0)))));
        clock.advanceMillis(0);
        assertThat(events).containsExactly("0 A up 1", "0 A down 1");
    }

    @Test
    void ownersAreDistinctAndTheRunnerCloses() {
        CheckKey key = new CheckKey(spec("x"), policy(0, false, 0));
        assertThatThrownBy(() -> runner.update(List.of(owner("A", 1, key), owner("A", 2, key))))
                .isInstanceOf(IllegalArgumentException.class);
        runner.update(List.of(owner("A", 1, key)));
        runner.close();
        clock.advanceMillis(30_000);
        assertThat(events).containsExactly("0 A up 1");
        assertThatThrownBy(() -> runner.update(List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void productionRunnerRunsAttemptsOnVirtualThreads() throws Exception {
        java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(2);
        List<Boolean> virtual = new java.util.concurrent.CopyOnWriteArrayList<>();
        CheckSpec spec = new ThreadSpec(virtual);
        try (CheckRunner real = CheckRunner.create((owner, up, weight) -> seen.countDown())) {
            real.update(List.of(owner("A", 1, new CheckKey(spec, new CheckPolicy(Duration.ofMillis(50), 0,
                    Duration.ofMillis(10), Duration.ZERO, true)))));
            assertThat(seen.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        assertThat(virtual).isNotEmpty().allMatch(v -> v);
    }

    private record ThrowingSpec() implements CheckSpec {
        @Override
        public String kind() {
            return "THROWING";
        }

        @Override
        public String target() {
            return "boom";
        }

        @Override
        public Checker newChecker() {
            return () -> {
                throw new IllegalStateException("bug");
            };
        }

        @Override
        public Duration attemptTimeout() {
            return Duration.ofSeconds(1);
        }
    }

    private record ThreadSpec(List<Boolean> virtual) implements CheckSpec {
        @Override
        public String kind() {
            return "THREAD";
        }

        @Override
        public String target() {
            return "t";
        }

        @Override
        public Checker newChecker() {
            return () -> {
                virtual.add(Thread.currentThread().isVirtual());
                return CheckResult.up("ok");
            };
        }

        @Override
        public Duration attemptTimeout() {
            return Duration.ofSeconds(1);
        }
    }

    /** Holds attempts until {@link #runAll()}; a cancel runs the attempt with its thread interrupted. */
    private static final class HeldExecutor implements AttemptExecutor {
        private final List<Runnable> pending = new ArrayList<>();
        private int interrupted;

        @Override
        public CheckScheduler.Cancellable start(String name, Runnable attempt) {
            pending.add(attempt);
            return () -> {
                if (pending.remove(attempt)) {
                    interrupted++;
                    Thread.currentThread().interrupt();
                    attempt.run();
                    Thread.interrupted();
                }
            };
        }

        int pending() {
            return pending.size();
        }

        int interrupted() {
            return interrupted;
        }

        void runAll() {
            List<Runnable> now = List.copyOf(pending);
            pending.clear();
            now.forEach(Runnable::run);
        }
    }
}
