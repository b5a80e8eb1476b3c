/**
 * keepalived.conf's checker blocks ({@code HTTP_GET}, {@code SSL_GET}, {@code TCP_CHECK}, {@code SMTP_CHECK},
 * {@code DNS_CHECK}, {@code UDP_CHECK}, {@code PING_CHECK}, {@code MISC_CHECK}, {@code FILE_CHECK};
 * {@code BFD_CHECK} skipped) and the top-level {@code track_file} block, turned into
 * {@link io.jlvs.ha.check.CheckKey}s: {@link io.jlvs.ctl.keepalived.check.CheckerBlocks#parse} takes one block
 * and what its real_server/virtual_server give it ({@link io.jlvs.ctl.keepalived.check.CheckerContext});
 * {@link io.jlvs.ctl.keepalived.check.TrackFileBlocks#parse} takes one {@code track_file} declaration.
 */
package io.jlvs.ctl.keepalived.check;
