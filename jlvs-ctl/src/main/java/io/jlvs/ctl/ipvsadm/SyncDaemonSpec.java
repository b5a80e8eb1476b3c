package io.jlvs.ctl.ipvsadm;

import io.jlvs.service.IpAddr;

/**
 * {@code --start-daemon} / {@code --stop-daemon} and the daemon options ({@code ipvs_daemon_t}). Zero (or null)
 * means "not given": the kernel then picks its default (port 8848, ttl 1, group 224.0.0.81, maxlen from the MTU).
 */
public record SyncDaemonSpec(State state, String mcastInterface, int syncId, int syncMaxlen, IpAddr mcastGroup,
                             int mcastPort, int mcastTtl) {

    /** {@code IP_VS_STATE_MASTER} / {@code IP_VS_STATE_BACKUP}. */
    public enum State {
        MASTER(1, "master"), BACKUP(2, "backup");

        public final int code;
        public final String word;

        State(int code, String word) {
            this.code = code;
            this.word = word;
        }
    }
}
