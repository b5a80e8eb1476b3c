/**
 * Health checkers, as keepalived's {@code check_*.c}: one small interface, one class per kind (TCP_CHECK,
 * HTTP_GET, SSL_GET, SMTP_CHECK, DNS_CHECK, UDP_CHECK, PING_CHECK, MISC_CHECK, FILE_CHECK), and one runner that
 * owns intervals, timeouts, retries, delay_before_retry, warmup, alpha and the up/down transitions (not each
 * checker: that is the keepalived shape we avoid).
 */
package io.jlvs.ha.check;
