package io.jlvs.ha.check;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A test check: its results come from a script the test edits ({@link #next}, {@link #always}); it records the
 * (fake) time of each attempt. Specs are equal by name, so two owners listing the same name share the check.
 */
record ScriptedSpec(String name, Script script) implements CheckSpec {

    static ScriptedSpec named(String name, LongSupplier clockMillis) {
        return new ScriptedSpec(name, new Script(clockMillis));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScriptedSpec s && s.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String kind() {
        return "SCRIPTED";
    }

    @Override
    public String target() {
        return name;
    }

    @Override
    public Checker newChecker() {
        script.created++;
        return () -> {
            script.attempts.add(script.clock.getAsLong());
            if (Thread.currentThread().isInterrupted()) {
                Thread.interrupted();
                throw new InterruptedException();
            }
            CheckResult r = script.queue.isEmpty() ? script.fallback : script.queue.poll();
            return r;
        };
    }

    @Override
    public Duration attemptTimeout() {
        return Duration.ofSeconds(2);
    }

    /** The results to hand out and what happened. */
    static final class Script {
        final LongSupplier clock;
        final Deque<CheckResult> queue = new ArrayDeque<>();
        final List<Long> attempts = new ArrayList<>();
        CheckResult fallback = CheckResult.up("ok");
        int created;

        Script(LongSupplier clock) {
            this.clock = clock;
        }
    }

    ScriptedSpec next(CheckResult... results) {
        for (CheckResult r : results) {
            script.queue.add(r);
        }
        return this;
    }

    ScriptedSpec always(CheckResult r) {
        script.fallback = r;
        return this;
    }

    List<Long> attempts() {
        return script.attempts;
    }
}
