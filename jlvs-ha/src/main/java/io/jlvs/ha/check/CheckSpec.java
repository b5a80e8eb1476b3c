package io.jlvs.ha.check;

import java.time.Duration;

/**
 * What to check and against which target, as an immutable value: every checker kind has a {@code Spec} record
 * ({@link TcpChecker.Spec}, {@link HttpChecker.Spec}...). Two equal specs are the same check, which
 * {@link CheckRunner} runs once however many real servers of however many virtual services use it.
 */
public interface CheckSpec {

    /** The keepalived.conf block name: {@code TCP_CHECK}, {@code HTTP_GET}, {@code SSL_GET}... */
    String kind();

    /** Where the check goes, for logs: {@code 192.0.2.10:80}, a script, a file. */
    String target();

    /** A checker for this spec; called once per distinct check. */
    Checker newChecker();

    /** The longest one attempt may take before the runner interrupts it and counts a failure. */
    Duration attemptTimeout();
}
