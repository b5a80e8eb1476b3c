/**
 * Health checkers, as keepalived's {@code check_*.c}: one small interface, one class per kind, and one runner
 * that owns intervals, timeouts, retries, delay_before_retry, warmup, alpha and the up/down transitions (not each
 * checker: that is the keepalived shape we avoid).
 *
 * <ul>
 *   <li>{@link io.jlvs.ha.check.Checker}: one blocking, bounded, interruptible attempt against one target.</li>
 *   <li>One class per kind, each with its value {@code Spec} record ({@link io.jlvs.ha.check.CheckSpec}):
 *       {@link io.jlvs.ha.check.TcpChecker} (TCP_CHECK), {@link io.jlvs.ha.check.HttpChecker} (HTTP_GET and
 *       SSL_GET), {@link io.jlvs.ha.check.SmtpChecker}, {@link io.jlvs.ha.check.DnsChecker},
 *       {@link io.jlvs.ha.check.UdpChecker}, {@link io.jlvs.ha.check.PingChecker} (through
 *       {@link io.jlvs.netio.Ping}), {@link io.jlvs.ha.check.MiscChecker}, {@link io.jlvs.ha.check.FileChecker}.
 *       Connection keywords are {@link io.jlvs.ha.check.ConnectOptions}.</li>
 *   <li>{@link io.jlvs.ha.check.CheckKey} = spec + {@link io.jlvs.ha.check.CheckPolicy} (timing): the identity
 *       under which {@link io.jlvs.ha.check.CheckRunner} runs a check once for all the real servers that list it
 *       and keeps its state across {@link io.jlvs.ha.check.CheckRunner#update reloads}.</li>
 *   <li>Time is injected ({@link io.jlvs.ha.check.CheckScheduler}) and attempts run where
 *       {@link io.jlvs.ha.check.AttemptExecutor} says (virtual threads in production), so the runner's rules are
 *       tested on a fake clock.</li>
 * </ul>
 * The keepalived.conf blocks map to these types in {@code io.jlvs.ctl.keepalived.check.CheckerBlocks}.
 */
package io.jlvs.ha.check;
