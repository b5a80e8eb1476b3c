package io.jlvs.netio;

/**
 * Who is at the other end of a Unix socket, as the kernel saw it at connect time ({@code SO_PEERCRED}):
 * process id, effective user id and effective group id. Not forgeable by the peer; the daemon authorises
 * control requests on {@link #uid()}.
 */
public record PeerCredentials(long pid, int uid, int gid) {

    public boolean isRoot() {
        return uid == 0;
    }
}
