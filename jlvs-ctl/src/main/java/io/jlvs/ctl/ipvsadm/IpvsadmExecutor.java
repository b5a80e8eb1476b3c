package io.jlvs.ctl.ipvsadm;

import io.jlvs.ctl.ipvsadm.Libipvs.Call;
import io.jlvs.proto.ProtocolTimeouts;
import io.jlvs.sched.Scheduler;
import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.ServiceTable;
import io.jlvs.service.TunnelType;
import io.jlvs.service.VirtualService;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Applies ipvsadm commands to a {@link ServiceTable} with the kernel's semantics ({@code ip_vs_ctl.c}: the netlink
 * path ipvsadm 1.31 uses) and reports as ipvsadm does: libipvs's per-call error texts ({@link Libipvs}) on stderr
 * with exit status 255, listing failures with status 1, command-line errors with the parser's message and status.
 * Never throws on bad input.
 *
 * <p>Not thread-safe: one control thread applies commands (as the kernel serialises them under a mutex).
 */
public final class IpvsadmExecutor {
    /** {@code process_options} returns -1 when a kernel call fails: exit status 255. */
    public static final int EXIT_KERNEL = 255;
    /** {@code list_service} and friends {@code exit(1)} when they cannot read the table. */
    public static final int EXIT_LIST = 1;
    /** The connection table size the version line shows ({@code ip_vs_conn_tab_size}, 2^12 by default). */
    public static final int DEFAULT_CONN_TAB_SIZE = 4096;

    private static final int DEFAULT_MCAST_PORT = 8848, DEFAULT_MCAST_TTL = 1;
    private static final IpAddr DEFAULT_MCAST_GROUP = IpAddr.parseV4("224.0.0.81");
    /** The sync interface's MTU, assumed: the kernel sizes sync messages from the real device's MTU. */
    private static final int ASSUMED_MTU = 1500;

    private final ServiceTable table;
    private final IpvsadmParser parser;
    private final StatsProvider stats;
    private final Listing listing;
    private final ProtocolTimeouts timeouts;
    private final int connTabSize;
    private final Map<SyncDaemonSpec.State, Listing.DaemonStatus> daemons = new EnumMap<>(SyncDaemonSpec.State.class);
    private Supplier<List<Listing.ConnRow>> connections = List::of;

    /** An executor with ipvsadm's program name, the system resolver, no counters, timeouts of its own. */
    public IpvsadmExecutor(ServiceTable table) {
        this(table, new IpvsadmParser(), StatsProvider.NONE, DEFAULT_CONN_TAB_SIZE);
    }

    /** An executor with timeouts of its own (not read by any director). */
    public IpvsadmExecutor(ServiceTable table, IpvsadmParser parser, StatsProvider stats, int connTabSize) {
        this(table, parser, stats, connTabSize, new ProtocolTimeouts());
    }

    /**
     * @param timeouts the director's timeout tables: {@code --set} writes them and {@code -L --timeout} reads them
     */
    public IpvsadmExecutor(ServiceTable table, IpvsadmParser parser, StatsProvider stats, int connTabSize,
                           ProtocolTimeouts timeouts) {
        this.table = table;
        this.parser = parser;
        this.stats = stats;
        this.timeouts = timeouts;
        this.connTabSize = connTabSize;
        this.listing = new Listing(parser.resolver(), stats, connTabSize);
    }

    public ServiceTable table() { return table; }

    public IpvsadmParser parser() { return parser; }

    /**
     * What ipvsadm prints when the kernel refuses a change to an unprivileged caller: libipvs's EPERM text
     * ({@code ipvs_strerror}, any call) on stderr and exit status 255 ({@code process_options} returned -1).
     */
    public static IpvsadmResult permissionDenied() {
        return new IpvsadmResult("", Libipvs.strerror(Call.FLUSH, Errno.EPERM) + "\n", EXIT_KERNEL);
    }

    /** Where listings read counters from and what {@code -Z} zeroes. */
    public StatsProvider stats() { return stats; }

    /**
     * An executor over a deep copy of this one's configuration, for validating a batch before it touches the live
     * table: every service with its key, options and real servers (list order, method, weight, thresholds,
     * tunnel), the sync daemons and the timeouts. What the copy does not need is left out: counters
     * ({@link StatsProvider#NONE}; {@code -Z} cannot fail on them) and scheduler state: an existing service keeps
     * only its scheduler's name (a stand-in that schedules nothing), which is all a command's outcome depends on
     * ({@code -E} compares names); schedulers named by the batch itself are created for real, so an unknown name
     * or a failing {@code init_service} shows in the dry run. Connections are not copied ({@code -L -c} lists none).
     */
    public IpvsadmExecutor dryRunCopy() {
        ServiceTable copy = new ServiceTable();
        copy.deferPublish();
        for (VirtualService svc : table.services()) {
            VirtualService c = new VirtualService(svc.key(), new ShadowScheduler(svc.scheduler().name()), svc.flags(),
                    svc.timeoutSec(), svc.netmask(), svc.peName());
            RealServer[] dests = svc.dests();
            for (int i = dests.length - 1; i >= 0; i--) {       // addDest puts each at the head: oldest first
                RealServer d = dests[i];
                c.addDest(new RealServerSpec(d.addr(), d.port(), d.fwdMethod(), d.weight(), d.uThreshold(),
                        d.lThreshold(), d.tunType(), d.tunPort(), d.tunFlags()));
            }
            copy.add(c);
        }
        copy.publishDeferred();
        ProtocolTimeouts t = new ProtocolTimeouts();
        t.set(timeouts.tcpTimeout(), timeouts.tcpFinTimeout(), timeouts.udpTimeout());
        IpvsadmExecutor e = new IpvsadmExecutor(copy, parser, StatsProvider.NONE, connTabSize, t);
        e.daemons.putAll(daemons);
        return e;
    }

    /** A copied service's scheduler in a dry run: its name only. */
    private record ShadowScheduler(String name) implements Scheduler {
        @Override public void init(VirtualService svc) {}
        @Override public void destsChanged(VirtualService svc) {}
        @Override public RealServer schedule(VirtualService svc, io.jlvs.packet.Flow flow) { return null; }
    }

    /** The connection timeouts in force ({@code --set}, {@code -L --timeout}), read from {@link #protocolTimeouts}. */
    public Timeouts timeouts() { return Timeouts.of(timeouts); }

    /** The timeout tables {@code --set} writes. */
    public ProtocolTimeouts protocolTimeouts() { return timeouts; }

    /** Where {@code -L -c} reads connections from (none unless a connection table is attached). */
    public void connectionSource(Supplier<List<Listing.ConnRow>> source) { this.connections = source; }

    /** Parses and applies one command line (no program name); {@code -R} reads nothing. */
    public IpvsadmResult run(List<String> args) { return run(args, NO_INPUT); }

    /** Parses and applies one command line; {@code -R} reads its rules from {@code stdin}. */
    public IpvsadmResult run(List<String> args, BufferedReader stdin) {
        Out o = new Out();
        try {
            IpvsadmCommand cmd = parser.parse(args);
            apply(cmd, stdin, o, false);
        } catch (IpvsadmException e) {
            o.fail(e.getMessage(), e.exitStatus());
        }
        return o.result();
    }

    /** Applies one parsed command. */
    public IpvsadmResult execute(IpvsadmCommand cmd) { return execute(cmd, NO_INPUT); }

    /** Empty standard input, shared: a BufferedReader per call would allocate 16 KB for every command of a batch. */
    private static final BufferedReader NO_INPUT = new BufferedReader(Reader.nullReader(), 1);

    public IpvsadmResult execute(IpvsadmCommand cmd, BufferedReader stdin) {
        Out o = new Out();
        apply(cmd, stdin, o, false);
        return o.result();
    }

    /** Output collected for one invocation; {@code stop} is ipvsadm calling exit() in the middle of -R. */
    private static final class Out {
        final StringBuilder out = new StringBuilder(), err = new StringBuilder();
        int status;
        boolean stop;

        void fail(String message, int exitStatus) {
            err.append(message).append('\n');
            status = exitStatus;
            stop = true;
        }

        IpvsadmResult result() { return new IpvsadmResult(out.toString(), err.toString(), status); }
    }

    private void apply(IpvsadmCommand cmd, BufferedReader stdin, Out o, boolean readingStdin) {
        switch (cmd.command()) {
            case HELP -> {
                o.out.append(Usage.help(cmd.program()));
                o.status = 0;
                o.stop = true;
            }
            case VERSION -> {
                o.out.append(Usage.version());
                o.status = 0;
                o.stop = true;
            }
            case LIST -> list(cmd, o);
            case SAVE -> {
                o.out.append(listing.save(table.services(), cmd.format()));
                o.status = 0;
            }
            case RESTORE -> restore(cmd, stdin, o, readingStdin);
            default -> {
                KernelError e = kernel(cmd);
                if (e == null) {
                    o.status = 0;
                } else {
                    o.err.append(Libipvs.strerror(e.call, e.errno)).append('\n');
                    o.status = EXIT_KERNEL;
                }
            }
        }
    }

    private void list(IpvsadmCommand cmd, Out o) {
        ListFormat fmt = cmd.format();
        if (cmd.has(Opt.CONNECTION)) {
            o.out.append(listing.connections(connections.get(), fmt));
        } else if (cmd.has(Opt.SERVICE)) {
            VirtualService svc = table.get(cmd.service());
            if (svc == null) {
                o.fail(Libipvs.strerror(Call.GET_SERVICE, Errno.ESRCH), EXIT_LIST);
                return;
            }
            o.out.append(listing.listService(svc, fmt));
        } else if (cmd.has(Opt.TIMEOUT)) {
            o.out.append(Listing.timeouts(timeouts()));
        } else if (cmd.has(Opt.DAEMON)) {
            o.out.append(Listing.daemons(new ArrayList<>(daemons.values())));
        } else {
            o.out.append(listing.listAll(table.services(), fmt));
        }
        o.status = 0;
    }

    /**
     * {@code restore_table}: one command per line ({@code ipvsadm} words dropped, blank lines skipped). A line
     * ipvsadm rejects ends the restore with its status; a kernel error is reported and the next line runs; the
     * status is the last line's. {@code -R} inside the input is refused.
     */
    private void restore(IpvsadmCommand cmd, BufferedReader stdin, Out o, boolean readingStdin) {
        if (readingStdin) {
            o.fail("Try `" + cmd.program() + " -h' or '" + cmd.program() + " --help' for more information.",
                    IpvsadmException.EXIT_POPT);
            return;
        }
        o.status = 0;
        try {
            for (String line; (line = stdin.readLine()) != null; ) {
                List<String> words = new ArrayList<>();
                for (String w : line.split("[ \t\r]+")) if (!w.isEmpty() && !w.equals("ipvsadm")) words.add(w);
                if (words.isEmpty()) continue;
                try {
                    apply(parser.parse(words), stdin, o, true);
                } catch (IpvsadmException e) {
                    o.fail(e.getMessage(), e.exitStatus());
                }
                if (o.stop) return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the kernel side (ip_vs_ctl.c, netlink path) ----

    private record KernelError(Call call, Errno errno) {}

    private KernelError kernel(IpvsadmCommand cmd) {
        return switch (cmd.command()) {
            case FLUSH -> {
                table.clear();
                yield null;
            }
            case ADD_SERVICE -> addService(cmd);
            case EDIT_SERVICE -> editService(cmd);
            case DELETE_SERVICE -> table.remove(cmd.service()) == null ? new KernelError(Call.DEL_SERVICE, Errno.ESRCH) : null;
            case ZERO -> zero(cmd);
            case ADD_SERVER -> addDest(cmd);
            case EDIT_SERVER -> editDest(cmd);
            case DELETE_SERVER -> delDest(cmd);
            case SET_TIMEOUT -> {
                Timeouts t = cmd.timeouts();
                try {
                    timeouts.set(t.tcpSec(), t.tcpFinSec(), t.udpSec());
                } catch (IllegalArgumentException e) {
                    yield new KernelError(Call.SET_TIMEOUT, Errno.EINVAL);   // beyond INT_MAX / HZ
                }
                yield null;
            }
            case START_DAEMON -> startDaemon(cmd.daemon());
            case STOP_DAEMON -> daemons.remove(cmd.daemon().state()) == null
                    ? new KernelError(Call.STOP_DAEMON, Errno.ESRCH) : null;
            default -> throw new IllegalStateException("not a kernel command: " + cmd.command());
        };
    }

    /** The scheduler for a name: "none" binds none, else a fresh instance, or null (ENOENT). */
    private static Scheduler scheduler(String name) {
        return NoneScheduler.NAME.equals(name) ? new NoneScheduler() : SchedulerRegistry.create(name);
    }

    /** {@code ip_vs_pe_getbyname}: only the SIP engine exists. */
    private static boolean peExists(String pe) { return pe.isEmpty() || pe.equals("sip"); }

    private KernelError addService(IpvsadmCommand cmd) {
        ServiceKey key = cmd.service();
        if (table.get(key) != null) return new KernelError(Call.ADD_SERVICE, Errno.EEXIST);
        Scheduler sched = scheduler(cmd.scheduler());
        if (sched == null || !peExists(cmd.peName())) return new KernelError(Call.ADD_SERVICE, Errno.ENOENT);
        if (key.af() == IpAddr.AF_INET6 && (cmd.netmask() < 1 || cmd.netmask() > 128)) {
            return new KernelError(Call.ADD_SERVICE, Errno.EINVAL);
        }
        VirtualService svc;
        try {
            svc = new VirtualService(key, sched, cmd.serviceFlags(), cmd.timeoutSec(), cmd.netmask(),
                    cmd.peName().isEmpty() ? null : cmd.peName());
        } catch (RuntimeException e) {
            return new KernelError(Call.ADD_SERVICE, Errno.ENOMEM);        // init_service failed
        }
        table.add(svc);
        return null;
    }

    private KernelError editService(IpvsadmCommand cmd) {
        VirtualService svc = table.get(cmd.service());
        if (svc == null) return new KernelError(Call.UPDATE_SERVICE, Errno.ESRCH);
        // the same name is the same scheduler: the kernel keeps it bound, with its state
        boolean same = svc.scheduler().name().equals(cmd.scheduler());
        Scheduler sched = same ? svc.scheduler() : scheduler(cmd.scheduler());
        if (sched == null || !peExists(cmd.peName())) return new KernelError(Call.UPDATE_SERVICE, Errno.ENOENT);
        if (svc.af() == IpAddr.AF_INET6 && (cmd.netmask() < 1 || cmd.netmask() > 128)) {
            return new KernelError(Call.UPDATE_SERVICE, Errno.EINVAL);
        }
        try {
            svc.edit(same ? null : sched, cmd.serviceFlags(), cmd.timeoutSec(), cmd.netmask(),
                    cmd.peName().isEmpty() ? null : cmd.peName());
        } catch (RuntimeException e) {
            return new KernelError(Call.UPDATE_SERVICE, Errno.ENOMEM);
        }
        return null;
    }

    private KernelError zero(IpvsadmCommand cmd) {
        ServiceKey k = cmd.service();
        // libipvs sends no service when fwmark, address and port are all zero: the kernel then zeroes everything
        if (k == null || (!k.isFwmark() && k.port() == 0 && k.addr().hi() == 0 && k.addr().lo() == 0)) {
            stats.zeroAll(table.services());
            return null;
        }
        VirtualService svc = table.get(cmd.service());
        if (svc == null) return new KernelError(Call.ZERO_SERVICE, Errno.ESRCH);
        stats.zero(svc);
        return null;
    }

    /** The checks {@code ip_vs_genl_set_cmd} makes on a dest before the command itself. */
    private Errno destPreamble(VirtualService svc, RealServerSpec d) {
        if (d.addr().af() != svc.af()) {
            if (!daemons.isEmpty()) return Errno.EINVAL;            // sync cannot carry mixed families
            if (d.fwdMethod() != FwdMethod.TUNNEL) return Errno.EINVAL;
        }
        return null;
    }

    /** The value checks {@code ip_vs_add_dest} and {@code ip_vs_edit_dest} start with. */
    private static Errno destValues(RealServerSpec d) {
        if (d.weight() < 0) return Errno.ERANGE;
        if (Integer.compareUnsigned(d.lThreshold(), d.uThreshold()) > 0) return Errno.ERANGE;   // -y 5 without -x too
        if (d.tunType() == TunnelType.GUE && d.tunPort() == 0) return Errno.EINVAL;
        return null;
    }

    private KernelError addDest(IpvsadmCommand cmd) {
        VirtualService svc = table.get(cmd.service());
        if (svc == null) return new KernelError(Call.ADD_DEST, Errno.ESRCH);
        RealServerSpec d = cmd.dest();
        Errno e = destPreamble(svc, d);
        if (e == null) e = destValues(d);
        if (e == null && svc.findDest(d.addr(), d.port()) != null) e = Errno.EEXIST;
        if (e == null && !isUnicast(d.addr())) e = Errno.EINVAL;     // ip_vs_new_dest
        if (e != null) return new KernelError(Call.ADD_DEST, e);
        try {
            svc.addDest(d);
        } catch (RuntimeException ex) {
            return new KernelError(Call.ADD_DEST, Errno.ENOMEM);
        }
        return null;
    }

    private KernelError editDest(IpvsadmCommand cmd) {
        VirtualService svc = table.get(cmd.service());
        if (svc == null) return new KernelError(Call.UPDATE_DEST, Errno.ESRCH);
        RealServerSpec d = cmd.dest();
        Errno e = destPreamble(svc, d);
        if (e == null) e = destValues(d);
        RealServer rs = e == null ? svc.findDest(d.addr(), d.port()) : null;
        if (e == null && rs == null) e = Errno.ENOENT;
        if (e != null) return new KernelError(Call.UPDATE_DEST, e);
        svc.editDest(rs, d);
        return null;
    }

    private KernelError delDest(IpvsadmCommand cmd) {
        VirtualService svc = table.get(cmd.service());
        if (svc == null) return new KernelError(Call.DEL_DEST, Errno.ESRCH);
        RealServer rs = svc.findDest(cmd.dest().addr(), cmd.dest().port());
        if (rs == null) return new KernelError(Call.DEL_DEST, Errno.ENOENT);
        svc.removeDest(rs);
        return null;
    }

    /**
     * The kernel accepts only unicast real servers: IPv4 not in 0.0.0.0/8, not 255.255.255.255, not multicast
     * ({@code inet_addr_type}); IPv6 not ::, not multicast, not link-local, not v4-mapped ({@code ipv6_addr_type}).
     * Local subnet broadcasts need the host's interfaces and are not checked.
     */
    static boolean isUnicast(IpAddr a) {
        if (!a.isV6()) {
            int v = a.v4();
            return (v >>> 24) != 0 && v != -1 && (v >>> 28) != 0xE;
        }
        long hi = a.hi(), lo = a.lo();
        if (hi == 0 && lo == 0) return false;                                   // ::
        if ((hi >>> 56) == 0xFF) return false;                                  // ff00::/8
        if ((hi >>> 54) == (0xFE80L >>> 6)) return false;                       // fe80::/10
        return !(hi == 0 && (lo >>> 32) == 0xFFFFL);                            // ::ffff:0:0/96
    }

    private KernelError startDaemon(SyncDaemonSpec d) {
        if (daemons.containsKey(d.state())) return new KernelError(Call.START_DAEMON, Errno.EEXIST);
        IpAddr group = d.mcastGroup() != null ? d.mcastGroup() : DEFAULT_MCAST_GROUP;
        int hlen = group.isV6() ? 40 + 8 : 20 + 8;
        int maxlen = d.syncMaxlen() != 0 ? Math.min(d.syncMaxlen(), ASSUMED_MTU - hlen) : ASSUMED_MTU - hlen;
        daemons.put(d.state(), new Listing.DaemonStatus(d.state(), d.mcastInterface(), d.syncId(), maxlen, group,
                d.mcastPort() != 0 ? d.mcastPort() : DEFAULT_MCAST_PORT, d.mcastTtl() != 0 ? d.mcastTtl() : DEFAULT_MCAST_TTL));
        return null;
    }
}
