package io.jlvs.ctl.ipvsadm;

/**
 * The three connection timeouts {@code ipvsadm --set tcp tcpfin udp} sets and {@code ipvsadm -L --timeout}
 * shows, in seconds (the kernel's established TCP, TCP FIN_WAIT and UDP entries of its timeout tables).
 * As a {@code --set} request, 0 means "leave unchanged".
 */
public record Timeouts(int tcpSec, int tcpFinSec, int udpSec) {
    /** The kernel's defaults: 15 min, 2 min, 5 min. */
    public static final Timeouts DEFAULT = new Timeouts(900, 120, 300);

    /** {@code ip_vs_set_timeout}: each non-zero value of {@code request} replaces the current one. */
    public Timeouts apply(Timeouts request) {
        return new Timeouts(request.tcpSec != 0 ? request.tcpSec : tcpSec,
                request.tcpFinSec != 0 ? request.tcpFinSec : tcpFinSec,
                request.udpSec != 0 ? request.udpSec : udpSec);
    }
}
