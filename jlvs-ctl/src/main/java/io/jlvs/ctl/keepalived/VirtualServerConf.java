package io.jlvs.ctl.keepalived;

import io.jlvs.service.ServiceKey;

import java.util.List;
import java.util.Objects;

/**
 * A {@code virtual_server} after keepalived's corrections and defaults ({@code validate_check_config}).
 *
 * @param key              its identity
 * @param services         the IPVS services it programs: one, or for a group one per address of each range and
 *                         one per mark, in keepalived's order (ranges, then marks)
 * @param scheduler        {@code lvs_sched}/{@code lb_algo} (default "wlc", as keepalived's IPVS_DEF_SCHED)
 * @param flags            IPVS service flags: {@code IP_VS_SVC_F_ONEPACKET} and {@code SCHED1..3}
 *                         (flag-N, sh-/mh-port, sh-/mh-fallback); persistence is {@code persistenceSec}
 * @param persistenceSec   {@code persistence_timeout} (0: not persistent; 360 when given bare)
 * @param netmask          {@code persistence_granularity}: an IPv4 mask as an int, an IPv6 prefix length; -1 when
 *                         not given (the full mask)
 * @param persistenceEngine {@code persistence_engine}, or null
 * @param forwarding       the default method of its servers ({@code lvs_method}/{@code lb_kind}, default NAT)
 * @param quorum           minimum total weight of live servers (default 1, reduced to the total weight)
 * @param hysteresis       flap damping (default 0, below the quorum)
 * @param quorumUp         {@code quorum_up} script, or null
 * @param quorumDown       {@code quorum_down} script, or null
 * @param alpha            {@code alpha}: servers start down
 * @param omega            {@code omega}
 * @param inhibitOnFailure the default of its servers
 * @param virtualhost      {@code virtualhost}, or null
 * @param checkDefaults    the checker timings it sets (delay_loop default 60 s, connect_timeout 5 s)
 * @param sorryServer      {@code sorry_server}, or null
 * @param realServers      its servers in order (duplicates removed)
 * @param where            {@code file:line} of the {@code virtual_server} statement
 */
public record VirtualServerConf(VsKey key, List<ServiceKey> services, String scheduler, int flags, int persistenceSec,
                                int netmask, String persistenceEngine, Forwarding forwarding, int quorum, int hysteresis,
                                String quorumUp, String quorumDown, boolean alpha, boolean omega,
                                boolean inhibitOnFailure, String virtualhost, CheckDefaults checkDefaults,
                                SorryServer sorryServer, List<RealServerConf> realServers, String where) {
    public VirtualServerConf {
        services = List.copyOf(services);
        realServers = List.copyOf(realServers);
    }

    /** The options {@code ipvsadm -E} would change: scheduler, flags, persistence, granularity, engine. */
    public boolean sameServiceOptions(VirtualServerConf o) {
        return scheduler.equals(o.scheduler) && flags == o.flags && persistenceSec == o.persistenceSec
                && netmask == o.netmask && Objects.equals(persistenceEngine, o.persistenceEngine);
    }

    /** The real server with this id, or null. */
    public RealServerConf realServer(RealServerId id) {
        for (RealServerConf r : realServers) if (r.id().equals(id)) return r;
        return null;
    }
}
