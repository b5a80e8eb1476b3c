package io.jlvs.ha.check;

import java.util.Objects;

/**
 * One distinct check: what ({@link CheckSpec}, the target included) and when ({@link CheckPolicy}). The runner
 * keeps one running check per distinct key, shared by every real server (of every virtual service) that lists
 * it; a key that survives a reload keeps its state.
 */
public record CheckKey(CheckSpec spec, CheckPolicy policy) {
    public CheckKey {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(policy, "policy");
    }

    @Override
    public String toString() {
        return spec.kind() + " " + spec.target();
    }
}
