package io.jlvs.ctl.keepalived;

import io.jlvs.service.IpAddr;

/**
 * What jlvs reads from {@code global_defs}; every other keyword there is reported as skipped.
 *
 * @param routerId       {@code router_id}, or null
 * @param lvsTimeouts    {@code lvs_timeouts}, or null
 * @param lvsFlush       {@code lvs_flush}: clear the table before programming it
 * @param lvsFlushOnStop {@code lvs_flush_on_stop [VS]}
 * @param syncDaemon     {@code lvs_sync_daemon}, parsed and checked (connection sync is not implemented yet), or null
 */
public record GlobalDefs(String routerId, LvsTimeouts lvsTimeouts, boolean lvsFlush, FlushOnStop lvsFlushOnStop,
                         SyncDaemon syncDaemon) {
    public static final GlobalDefs DEFAULT = new GlobalDefs(null, null, false, FlushOnStop.NO, null);

    /** {@code lvs_timeouts [tcp S] [tcpfin S] [udp S]}; 0 leaves a timeout as it is (as {@code ipvsadm --set}). */
    public record LvsTimeouts(int tcpSec, int tcpFinSec, int udpSec) {}

    /** {@code lvs_flush_on_stop}: NO (remove each service keepalived made), FULL (flush), VS (services only). */
    public enum FlushOnStop { NO, FULL, VS }

    /**
     * {@code lvs_sync_daemon IFNAME [[inst] VRRP_INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group IP]}; 0 or null
     * where not given.
     */
    public record SyncDaemon(String ifname, String vrrpInstance, int syncId, int maxLen, int port, int ttl, IpAddr group) {}
}
