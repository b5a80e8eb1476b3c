package io.jlvs.ctl.ipvsadm;

import io.jlvs.proto.ProtocolTimeouts;

/**
 * The three connection timeouts {@code ipvsadm --set tcp tcpfin udp} sets and {@code ipvsadm -L --timeout}
 * shows, in seconds (the kernel's established TCP, TCP FIN_WAIT and UDP entries of its timeout tables). As a
 * {@code --set} request (what the parser produces), 0 means "leave unchanged"; the values in force live in the
 * director's {@link ProtocolTimeouts}, the one source of truth, and {@link #of} reads them.
 */
public record Timeouts(int tcpSec, int tcpFinSec, int udpSec) {

    /** The three values currently in force in {@code t}. */
    public static Timeouts of(ProtocolTimeouts t) {
        return new Timeouts(t.tcpTimeout(), t.tcpFinTimeout(), t.udpTimeout());
    }
}
