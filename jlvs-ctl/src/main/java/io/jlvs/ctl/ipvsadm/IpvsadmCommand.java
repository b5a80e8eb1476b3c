package io.jlvs.ctl.ipvsadm;

import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One parsed, validated ipvsadm command line: what {@code process_options} holds when it is about to call the
 * kernel. Every default is filled in as ipvsadm fills it (scheduler wlc for -A/-E, weight 1, direct routing,
 * persistence 360 s, the real-server port taken from or forced to the virtual port).
 *
 * @param command     the command
 * @param program     the program name used in help texts ({@code argv[0]})
 * @param options     the options given, as ipvsadm records them for its checks
 * @param service     the virtual service named by -t/-u/--sctp-service/-f, or null if none was given; a
 *                    firewall-mark key has protocol 0 (as {@link io.jlvs.service.ServiceTable} keys it)
 * @param scheduler   the scheduler name ("" if not given and the command has no default)
 * @param serviceFlags {@link VirtualService#F_PERSISTENT}, {@link VirtualService#F_ONEPACKET} and the
 *                    {@link io.jlvs.sched.SchedFlags} bits
 * @param timeoutSec  the persistence timeout (0 without -p)
 * @param netmask     the persistence granularity: IPv4 mask as a host-order int, or the IPv6 prefix length
 * @param peName      the persistence engine ("" for none)
 * @param dest        the real server of -a/-e/-d (-r), or null
 * @param format      listing format (-n, --stats, ...)
 * @param timeouts    the three --set values (0 = unchanged), or null
 * @param daemon      the sync daemon request, or null
 */
public record IpvsadmCommand(Command command, String program, Set<Opt> options, ServiceKey service,
                             String scheduler, int serviceFlags, int timeoutSec, int netmask, String peName,
                             RealServerSpec dest, ListFormat format, Timeouts timeouts, SyncDaemonSpec daemon) {

    public IpvsadmCommand {
        options = Collections.unmodifiableSet(options.isEmpty() ? EnumSet.noneOf(Opt.class) : EnumSet.copyOf(options));
    }

    public boolean has(Opt o) { return options.contains(o); }

    public boolean isPersistent() { return (serviceFlags & VirtualService.F_PERSISTENT) != 0; }
}
