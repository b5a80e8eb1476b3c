package io.jlvs.ctl.keepalived;

import io.jlvs.service.IpAddr;

import java.util.List;

/**
 * A {@code real_server} after keepalived's defaults ({@code validate_check_config}): what it did not set comes
 * from its virtual server (forwarding, {@code inhibit_on_failure}, {@code alpha}, {@code weight}, the checker
 * timings).
 *
 * @param id               its identity: virtual server, address, corrected port
 * @param weight           0..65535 ({@code weight}; the virtual server's {@code weight}, default 1)
 * @param forwarding       its method
 * @param uThreshold       {@code uthreshold} (0: none)
 * @param lThreshold       {@code lthreshold} (0: none)
 * @param notifyUp         {@code notify_up} script and arguments as written, or null
 * @param notifyDown       {@code notify_down}, or null
 * @param inhibitOnFailure a failed server stays in the table with weight 0 instead of being removed
 * @param alpha            its checkers start failed (the server is added only after they succeed)
 * @param virtualhost      {@code virtualhost} of this server or of its virtual server (HTTP_GET/SSL_GET default),
 *                         or null
 * @param checkDefaults    the checker timings, resolved (see {@link CheckDefaults})
 * @param checkers         the checker blocks (TCP_CHECK, HTTP_GET...) untouched, for the checker code
 * @param where            {@code file:line} of the {@code real_server} statement
 */
public record RealServerConf(RealServerId id, int weight, Forwarding forwarding, int uThreshold, int lThreshold,
                             String notifyUp, String notifyDown, boolean inhibitOnFailure, boolean alpha,
                             String virtualhost, CheckDefaults checkDefaults, List<ConfNode> checkers, String where) {
    public RealServerConf {
        checkers = List.copyOf(checkers);
    }

    public IpAddr addr() { return id.addr(); }

    public int port() { return id.port(); }

    /**
     * Whether the server is down until its checkers succeed: {@code alpha} with at least one checker (keepalived's
     * {@code num_failed_checkers} after {@code validate_check_config}). A checker block may set {@code alpha} for
     * itself; the checker code knows better and may say so through {@link LvsState}.
     */
    public boolean startsDown() { return alpha && !checkers.isEmpty(); }

    /** The same table entry and the same behaviour: everything but where it was written and the checkers. */
    public boolean sameSettings(RealServerConf o) {
        return id.equals(o.id) && weight == o.weight && forwarding.equals(o.forwarding) && uThreshold == o.uThreshold
                && lThreshold == o.lThreshold && inhibitOnFailure == o.inhibitOnFailure && alpha == o.alpha
                && java.util.Objects.equals(notifyUp, o.notifyUp) && java.util.Objects.equals(notifyDown, o.notifyDown)
                && java.util.Objects.equals(virtualhost, o.virtualhost) && checkDefaults.equals(o.checkDefaults);
    }

    /** The checker blocks are the same, wherever they were written. */
    public boolean sameCheckers(RealServerConf o) { return ConfNodes.sameContent(checkers, o.checkers); }
}
