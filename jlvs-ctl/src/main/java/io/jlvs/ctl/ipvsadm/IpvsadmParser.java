package io.jlvs.ctl.ipvsadm;

import io.jlvs.ctl.ipvsadm.Popt.Arg;
import io.jlvs.ctl.ipvsadm.Popt.Def;
import io.jlvs.sched.SchedFlags;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.TunnelType;
import io.jlvs.service.VirtualService;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * THE parser of ipvsadm 1.31's command line, shared by jlvsadm, {@code jlvs sim} and {@code jlvs replay}: the
 * grammar of {@code parse_options} (popt, see {@link Popt}) and every check {@code process_options} makes before
 * it calls the kernel, with ipvsadm's messages and exit statuses. Rules worth knowing:
 * <ul>
 *   <li>the first option must be the command ({@code ipvsadm -n -L} is "Try `ipvsadm -h' ..."); a second
 *       command is "invalid option `-D'" (ipvsadm's "multiple commands specified" cannot be reached with popt);</li>
 *   <li>options are read left to right and some depend on what came before: {@code -r host} without a port
 *       takes the port of a service given earlier, {@code -M} is an IPv6 prefix only after an IPv6 service,
 *       {@code -6} must follow {@code -f};</li>
 *   <li>addresses are {@code inet_pton} IPv6 (bare, or {@code [addr]:port}), then {@code inet_aton} IPv4
 *       ("10.1" is 10.0.0.1), then an IPv4 host name; ports are numbers or service names of the protocol.</li>
 * </ul>
 * Thread-safe: a parser holds no per-call state.
 */
public final class IpvsadmParser {
    public static final String PROGRAM = "ipvsadm";

    /** {@code MAX_TIMEOUT}: 31 days. */
    static final int MAX_TIMEOUT = 86400 * 31;
    /** {@code IPVS_SVC_PERSISTENT_TIMEOUT}: -p without a value. */
    static final int DEFAULT_PERSISTENCE_SEC = 360;
    static final String DEFAULT_SCHEDULER = "wlc";
    static final String DEFAULT_MCAST_IFN = "eth0";
    /** {@code IP_VS_SCHEDNAME_MAXLEN - 1}, {@code IP_VS_PENAME_MAXLEN}, {@code IP_VS_IFNAME_MAXLEN - 1}. */
    private static final int SCHED_NAME_MAX = 15, PE_NAME_MAX = 16, IFNAME_MAX = 15;

    private static final int TAG_SET = 128, TAG_START_DAEMON = 129, TAG_STOP_DAEMON = 130, TAG_MCAST_INTERFACE = 131,
            TAG_TIMEOUT = 132, TAG_DAEMON = 133, TAG_STATS = 134, TAG_RATE = 135, TAG_THRESHOLDS = 136,
            TAG_PERSISTENTCONN = 137, TAG_SORT = 138, TAG_NO_SORT = 139, TAG_PERSISTENCE_ENGINE = 140,
            TAG_SCTP_SERVICE = 141, TAG_MCAST_GROUP = 142, TAG_MCAST_PORT = 143, TAG_MCAST_TTL = 144,
            TAG_SYNC_MAXLEN = 145, TAG_TUN_INFO = 146, TAG_TUN_TYPE = 147, TAG_TUN_PORT = 148,
            TAG_TUN_NOCSUM = 149, TAG_TUN_CSUM = 150, TAG_TUN_REMCSUM = 151, TAG_SYNCID = 'I';

    /** ipvsadm's popt table (--syncid has no short form; -X is --exact). */
    private static final Def[] TABLE = {
            flag("add-service", 'A'), flag("edit-service", 'E'), flag("delete-service", 'D'), flag("clear", 'C'),
            flag("list", 'L'), flag("list", 'l'), flag("zero", 'Z'), flag("add-server", 'a'),
            flag("edit-server", 'e'), flag("delete-server", 'd'), new Def("set", '\0', Arg.NONE, TAG_SET),
            flag("help", 'h'), flag("version", 'v'), flag("restore", 'R'), flag("save", 'S'),
            new Def("start-daemon", '\0', Arg.REQUIRED, TAG_START_DAEMON),
            new Def("stop-daemon", '\0', Arg.REQUIRED, TAG_STOP_DAEMON),
            value("tcp-service", 't'), value("udp-service", 'u'),
            new Def("sctp-service", '\0', Arg.REQUIRED, TAG_SCTP_SERVICE),
            value("fwmark-service", 'f'), value("scheduler", 's'),
            new Def("persistent", 'p', Arg.OPTIONAL, 'p'), value("netmask", 'M'), value("real-server", 'r'),
            flag("masquerading", 'm'), flag("ipip", 'i'), flag("gatewaying", 'g'), value("weight", 'w'),
            value("u-threshold", 'x'), value("l-threshold", 'y'), flag("numeric", 'n'), flag("connection", 'c'),
            new Def("mcast-interface", '\0', Arg.REQUIRED, TAG_MCAST_INTERFACE),
            new Def("syncid", '\0', Arg.REQUIRED, TAG_SYNCID),
            new Def("timeout", '\0', Arg.NONE, TAG_TIMEOUT), new Def("daemon", '\0', Arg.NONE, TAG_DAEMON),
            new Def("stats", '\0', Arg.NONE, TAG_STATS), new Def("rate", '\0', Arg.NONE, TAG_RATE),
            new Def("thresholds", '\0', Arg.NONE, TAG_THRESHOLDS),
            new Def("persistent-conn", '\0', Arg.NONE, TAG_PERSISTENTCONN),
            new Def("nosort", '\0', Arg.NONE, TAG_NO_SORT), new Def("sort", '\0', Arg.NONE, TAG_SORT),
            flag("exact", 'X'), flag("ipv6", '6'), flag("ops", 'o'),
            new Def("pe", '\0', Arg.REQUIRED, TAG_PERSISTENCE_ENGINE), value("sched-flags", 'b'),
            new Def("mcast-group", '\0', Arg.REQUIRED, TAG_MCAST_GROUP),
            new Def("mcast-port", '\0', Arg.REQUIRED, TAG_MCAST_PORT),
            new Def("mcast-ttl", '\0', Arg.REQUIRED, TAG_MCAST_TTL),
            new Def("sync-maxlen", '\0', Arg.REQUIRED, TAG_SYNC_MAXLEN),
            new Def("tun-info", '\0', Arg.NONE, TAG_TUN_INFO),
            new Def("tun-type", '\0', Arg.REQUIRED, TAG_TUN_TYPE),
            new Def("tun-port", '\0', Arg.REQUIRED, TAG_TUN_PORT),
            new Def("tun-nocsum", '\0', Arg.NONE, TAG_TUN_NOCSUM),
            new Def("tun-csum", '\0', Arg.NONE, TAG_TUN_CSUM),
            new Def("tun-remcsum", '\0', Arg.NONE, TAG_TUN_REMCSUM),
    };

    private static Def flag(String name, char c) { return new Def(name, c, Arg.NONE, c); }

    private static Def value(String name, char c) { return new Def(name, c, Arg.REQUIRED, c); }

    private final String program;
    private final NameResolver resolver;

    /** Program name "ipvsadm", the system's resolver and /etc/services. */
    public IpvsadmParser() { this(PROGRAM, NameResolver.system()); }

    public IpvsadmParser(String program, NameResolver resolver) {
        this.program = program;
        this.resolver = resolver;
    }

    public String program() { return program; }

    public NameResolver resolver() { return resolver; }

    /**
     * Parses one command line, without the program name ({@code ["-A", "-t", "10.0.0.1:80", "-s", "rr"]}). An
     * empty line is {@code ipvsadm} alone: list everything, with names.
     */
    public IpvsadmCommand parse(List<String> args) throws IpvsadmException {
        if (args.isEmpty()) {
            return new IpvsadmCommand(Command.LIST, program, Set.of(), null, "", 0, 0, 0, "", null,
                    ListFormat.DEFAULT, null, null);
        }
        return new Run(args).parse();
    }

    /** ipvsadm's {@code struct ipvs_command_entry} while options are read, then its checks. */
    private final class Run {
        private final Popt popt;
        private final Set<Opt> options = EnumSet.noneOf(Opt.class);
        private Command command;

        // ce.svc
        private int svcAf, svcProtocol, svcPort, svcFwmark = 0;
        private IpAddr svcAddr;
        private int svcFlags, svcTimeout;
        private int svcNetmask = 0xFFFF_FFFF;               // the /32 default granularity
        private String schedName = "", peName = "";
        private String schedFlagsArg = "";

        // ce.dest
        private IpAddr destAddr;
        private int destPort;
        private FwdMethod fwd = FwdMethod.DROUTE;
        private int weight = 1, uThreshold, lThreshold;
        private TunnelType tunType = TunnelType.IPIP;
        private int tunPort, tunFlags;

        // ce.timeout, ce.daemon
        private Timeouts timeouts;
        private SyncDaemonSpec.State daemonState;
        private String mcastIfn = "";
        private int syncId, syncMaxlen, mcastPort, mcastTtl;
        private IpAddr mcastGroup;

        // ListFormat
        private boolean numeric, stats, rate, thresholds, persistentConn, noSort, exact, tunInfo;

        Run(List<String> args) { popt = new Popt(TABLE, args); }

        IpvsadmCommand parse() throws IpvsadmException {
            int c = popt.nextOpt();
            if (c < 0) throw tryHelp();
            switch (c) {
                case 'A' -> command = Command.ADD_SERVICE;
                case 'E' -> command = Command.EDIT_SERVICE;
                case 'D' -> command = Command.DELETE_SERVICE;
                case 'a' -> command = Command.ADD_SERVER;
                case 'e' -> command = Command.EDIT_SERVER;
                case 'd' -> command = Command.DELETE_SERVER;
                case 'C' -> command = Command.FLUSH;
                case 'L', 'l' -> command = Command.LIST;
                case 'Z' -> command = Command.ZERO;
                case TAG_SET -> command = Command.SET_TIMEOUT;
                case 'R' -> command = Command.RESTORE;
                case 'S' -> command = Command.SAVE;
                case TAG_START_DAEMON -> {
                    command = Command.START_DAEMON;
                    daemonState = daemonState(popt.optArg(), "illegal start-daemon parameter specified");
                }
                case TAG_STOP_DAEMON -> {
                    command = Command.STOP_DAEMON;
                    daemonState = daemonState(popt.optArg(), "illegal start_daemon specified");
                }
                case 'h' -> { return simple(Command.HELP); }
                case 'v' -> { return simple(Command.VERSION); }
                default -> throw tryHelp();
            }

            while ((c = popt.nextOpt()) >= 0) option(c, popt.optArg());
            if (c < Popt.END) {
                throw new IpvsadmException(popt.badOption() + ": " + Popt.strerror(c), IpvsadmException.EXIT_POPT);
            }

            if (command == Command.SET_TIMEOUT) {
                String a = popt.nextArg(), b = a == null ? null : popt.nextArg(), d = b == null ? null : popt.nextArg();
                if (d == null) throw IpvsadmException.usage("--set option requires 3 timeout values");
                timeouts = new Timeouts(parseTimeout(a, 0, MAX_TIMEOUT), parseTimeout(b, 0, MAX_TIMEOUT),
                        parseTimeout(d, 0, MAX_TIMEOUT));
            }
            String extra = popt.nextArg();
            if (extra != null) throw IpvsadmException.usage("unexpected argument " + extra);

            if (!schedFlagsArg.isEmpty()) {
                svcFlags &= ~(SchedFlags.SCHED1 | SchedFlags.SCHED2 | SchedFlags.SCHED3);
                svcFlags |= parseSchedFlags(schedName, schedFlagsArg);
            }
            return check();
        }

        /** The checks of {@code process_options}, in its order. */
        private IpvsadmCommand check() throws IpvsadmException {
            OptionMatrix.check(command, options);

            if (command == Command.ADD_SERVICE || command == Command.EDIT_SERVICE) {
                if (svcFwmark == 0 && svcPort == 0 && (svcFlags & VirtualService.F_PERSISTENT) == 0) {
                    throw IpvsadmException.usage("Zero port specified for non-persistent service");
                }
                if ((svcFlags & VirtualService.F_ONEPACKET) != 0 && svcFwmark == 0
                        && svcProtocol != VirtualService.IPPROTO_UDP) {
                    throw IpvsadmException.usage("One-Packet Scheduling is only for UDP virtual services");
                }
                if (schedName.isEmpty()) schedName = DEFAULT_SCHEDULER;
            }
            if (command == Command.START_DAEMON && mcastIfn.isEmpty()) mcastIfn = DEFAULT_MCAST_IFN;

            if (command == Command.ADD_SERVER || command == Command.EDIT_SERVER) {
                // the real port must be the virtual port for DR and tunnels, unless the service is a fwmark
                if (svcFwmark == 0 && (fwd == FwdMethod.TUNNEL || fwd == FwdMethod.DROUTE)) destPort = svcPort;
                if (destAddr.af() != svcAf && fwd != FwdMethod.TUNNEL) {
                    throw IpvsadmException.usage("Different address family is allowed only for tunneling servers");
                }
                boolean tunnelOptions = options.contains(Opt.TUN_TYPE) || options.contains(Opt.TUN_PORT)
                        || options.contains(Opt.TUN_NOCSUM) || options.contains(Opt.TUN_CSUM)
                        || options.contains(Opt.TUN_REMCSUM);
                if (tunnelOptions && fwd != FwdMethod.TUNNEL) {
                    throw IpvsadmException.usage("Tunnel options conflict with forward method");
                }
                OptionMatrix.checkTunnel(tunType, options);
            }

            if (command == Command.LIST) {
                boolean special = options.contains(Opt.CONNECTION) || options.contains(Opt.TIMEOUT) || options.contains(Opt.DAEMON);
                boolean columns = options.contains(Opt.STATS) || options.contains(Opt.RATE) || options.contains(Opt.THRESHOLDS);
                boolean timeoutOrDaemon = options.contains(Opt.TIMEOUT) || options.contains(Opt.DAEMON);
                if ((special && columns) || (timeoutOrDaemon && options.contains(Opt.PERSISTENT_CONN))) {
                    throw IpvsadmException.usage("options conflicts in the list command");
                }
            }
            return build();
        }

        private IpvsadmCommand build() {
            ServiceKey key = null;
            if (options.contains(Opt.SERVICE)) {
                key = svcFwmark != 0
                        ? new ServiceKey(svcAf, 0, null, 0, svcFwmark)
                        : new ServiceKey(svcAf, svcProtocol, svcAddr, svcPort, 0);
            }
            RealServerSpec dest = destAddr == null ? null
                    : new RealServerSpec(destAddr, destPort, fwd, weight, uThreshold, lThreshold, tunType, tunPort, tunFlags);
            SyncDaemonSpec daemon = daemonState == null ? null
                    : new SyncDaemonSpec(daemonState, mcastIfn, syncId, syncMaxlen, mcastGroup, mcastPort, mcastTtl);
            ListFormat format = new ListFormat(numeric, stats, rate, thresholds, persistentConn, noSort, exact, tunInfo);
            return new IpvsadmCommand(command, program, options, key, schedName, svcFlags, svcTimeout, svcNetmask,
                    peName, dest, format, timeouts, daemon);
        }

        private IpvsadmCommand simple(Command cmd) {
            return new IpvsadmCommand(cmd, program, Set.of(), null, "", 0, 0, 0, "", null, ListFormat.DEFAULT, null, null);
        }

        private void set(Opt o) throws IpvsadmException {
            if (!options.add(o)) throw IpvsadmException.usage("multiple '" + o.ipvsadmName + "' options specified");
        }

        /** One option after the command, as the {@code while (poptGetNextOpt())} switch of parse_options. */
        private void option(int c, String arg) throws IpvsadmException {
            switch (c) {
                case 't', 'u', TAG_SCTP_SERVICE -> {
                    set(Opt.SERVICE);
                    svcProtocol = c == 't' ? VirtualService.IPPROTO_TCP
                            : c == 'u' ? VirtualService.IPPROTO_UDP : VirtualService.IPPROTO_SCTP;
                    Svc s = new Svc(svcAf, svcProtocol, svcAddr, svcPort, svcNetmask);
                    if ((parseService(arg, s) & SERVICE_ADDR) == 0) {
                        throw IpvsadmException.usage("illegal virtual server address[:port] specified");
                    }
                    svcAf = s.af;
                    svcAddr = s.addr;
                    svcPort = s.port;
                    svcNetmask = s.netmask;
                }
                case 'f' -> {
                    set(Opt.SERVICE);
                    svcAf = IpAddr.AF_INET;
                    svcProtocol = VirtualService.IPPROTO_TCP;    // "a sane value, even though it is not used"
                    svcFwmark = parseFwmark(arg);
                }
                case 's' -> {
                    set(Opt.SCHEDULER);
                    schedName = truncate(arg, SCHED_NAME_MAX);
                }
                case 'p' -> {
                    set(Opt.PERSISTENT);
                    svcFlags |= VirtualService.F_PERSISTENT;
                    svcTimeout = arg == null ? DEFAULT_PERSISTENCE_SEC : parseTimeout(arg, 1, MAX_TIMEOUT);
                }
                case 'M' -> {
                    set(Opt.NETMASK);
                    if (svcAf != IpAddr.AF_INET6) {
                        IpAddr mask = CText.inetAton(arg);
                        if (mask == null) mask = resolver.hostToIpv4(arg);
                        if (mask == null) throw IpvsadmException.usage("illegal virtual server persistent mask specified");
                        svcNetmask = mask.v4();
                    } else {
                        svcNetmask = atoi(arg);
                        if (svcNetmask < 1 || svcNetmask > 128) throw IpvsadmException.usage("illegal ipv6 netmask specified");
                    }
                }
                case 'r' -> {
                    set(Opt.SERVER);
                    Svc s = new Svc(svcAf, svcProtocol, svcAddr, svcPort, svcNetmask);   // a copy of ce.svc
                    int parsed = parseService(arg, s);
                    destAddr = s.addr;
                    destPort = s.port;
                    if ((parsed & SERVICE_ADDR) == 0) throw IpvsadmException.usage("illegal real server address[:port] specified");
                    if (parsed == SERVICE_ADDR) destPort = svcPort;                  // no port: the virtual one
                }
                case 'i' -> { set(Opt.FORWARD); fwd = FwdMethod.TUNNEL; }
                case 'g' -> { set(Opt.FORWARD); fwd = FwdMethod.DROUTE; }
                case 'm' -> { set(Opt.FORWARD); fwd = FwdMethod.MASQ; }
                case 'w' -> {
                    set(Opt.WEIGHT);
                    weight = (int) number(arg, 0, 65535, "illegal weight specified");
                }
                case 'x' -> {
                    set(Opt.U_THRESHOLD);
                    uThreshold = (int) number(arg, 0, Integer.MAX_VALUE, "illegal u_threshold specified");
                }
                case 'y' -> {
                    set(Opt.L_THRESHOLD);
                    lThreshold = (int) number(arg, 0, Integer.MAX_VALUE, "illegal l_threshold specified");
                }
                case 'c' -> set(Opt.CONNECTION);
                case 'n' -> { set(Opt.NUMERIC); numeric = true; }
                case TAG_MCAST_INTERFACE -> {
                    set(Opt.MCAST_INTERFACE);
                    mcastIfn = truncate(arg, IFNAME_MAX);
                }
                case TAG_SYNCID -> {
                    set(Opt.SYNCID);
                    syncId = (int) number(arg, 0, 255, "illegal syncid specified");
                }
                case TAG_TIMEOUT -> set(Opt.TIMEOUT);
                case TAG_DAEMON -> set(Opt.DAEMON);
                case TAG_STATS -> { set(Opt.STATS); stats = true; }
                case TAG_RATE -> { set(Opt.RATE); rate = true; }
                case TAG_THRESHOLDS -> { set(Opt.THRESHOLDS); thresholds = true; }
                case TAG_PERSISTENTCONN -> { set(Opt.PERSISTENT_CONN); persistentConn = true; }
                case TAG_NO_SORT -> { set(Opt.NOSORT); noSort = true; }
                case TAG_SORT -> { /* sorting is the default: a no-op kept for compatibility */ }
                case 'X' -> { set(Opt.EXACT); exact = true; }
                case '6' -> {
                    if (svcFwmark == 0) throw IpvsadmException.usage("-6 used before -f\n");
                    svcAf = IpAddr.AF_INET6;
                    svcNetmask = 128;
                }
                case 'o' -> { set(Opt.ONEPACKET); svcFlags |= VirtualService.F_ONEPACKET; }
                case TAG_PERSISTENCE_ENGINE -> {
                    set(Opt.PERSISTENCE_ENGINE);
                    peName = truncate(arg, PE_NAME_MAX);
                }
                case 'b' -> {
                    set(Opt.SCHED_FLAGS);
                    schedFlagsArg = truncate(arg, 127);                  // char sched_flags_arg[128]
                }
                case TAG_MCAST_GROUP -> {
                    set(Opt.MCAST_GROUP);
                    mcastGroup = parseMcastGroup(arg);
                }
                case TAG_MCAST_PORT -> {
                    set(Opt.MCAST_PORT);
                    mcastPort = (int) number(arg, 1, 65535, "illegal mcast-port specified");
                }
                case TAG_MCAST_TTL -> {
                    set(Opt.MCAST_TTL);
                    mcastTtl = (int) number(arg, 1, 255, "illegal mcast-ttl specified");
                }
                case TAG_SYNC_MAXLEN -> {
                    set(Opt.SYNC_MAXLEN);
                    syncMaxlen = (int) number(arg, 1, 65535 - 20 - 8, "illegal sync-maxlen specified");
                }
                case TAG_TUN_INFO -> { set(Opt.TUN_INFO); tunInfo = true; }
                case TAG_TUN_TYPE -> {
                    set(Opt.TUN_TYPE);
                    tunType = TunnelType.byName(arg);
                    if (tunType == null) throw IpvsadmException.usage("illegal tunnel type specified");
                }
                case TAG_TUN_PORT -> {
                    set(Opt.TUN_PORT);
                    tunPort = (int) number(arg, 1, 65535, "illegal tunnel port specified");
                }
                case TAG_TUN_NOCSUM -> { set(Opt.TUN_NOCSUM); tunFlags |= TunnelType.FLAG_NOCSUM; }
                case TAG_TUN_CSUM -> { set(Opt.TUN_CSUM); tunFlags |= TunnelType.FLAG_CSUM; }
                case TAG_TUN_REMCSUM -> { set(Opt.TUN_REMCSUM); tunFlags |= TunnelType.FLAG_REMCSUM; }
                // a second command (or -h/-v) after the first
                default -> throw IpvsadmException.usage("invalid option `" + popt.badOption() + "'");
            }
        }

        private IpvsadmException tryHelp() {
            return new IpvsadmException("Try `" + program + " -h' or '" + program + " --help' for more information.",
                    IpvsadmException.EXIT_POPT);
        }

        private SyncDaemonSpec.State daemonState(String arg, String error) throws IpvsadmException {
            if ("master".equals(arg)) return SyncDaemonSpec.State.MASTER;
            if ("backup".equals(arg)) return SyncDaemonSpec.State.BACKUP;
            throw IpvsadmException.usage(error);
        }

        private IpAddr parseMcastGroup(String arg) throws IpvsadmException {
            if (arg.indexOf(':') >= 0) {
                IpAddr a = IpAddr.parseV6(arg);
                if (a == null || (a.hi() >>> 56) != 0xFF) throw IpvsadmException.usage("invalid IPv6 mcast-group `" + arg + "'");
                return a;
            }
            IpAddr a = IpAddr.parseV4(arg);
            if (a == null || (a.v4() >>> 28) != 0xE) throw IpvsadmException.usage("invalid IPv4 mcast-group `" + arg + "'");
            return a;
        }
    }

    // ---- ipvsadm's parsing helpers ----

    static final int SERVICE_NONE = 0, SERVICE_ADDR = 1, SERVICE_PORT = 2;

    /** The fields of {@code ipvs_service_t} that {@code parse_service} reads and writes. */
    static final class Svc {
        int af, protocol, port, netmask;
        IpAddr addr;

        Svc(int af, int protocol, IpAddr addr, int port, int netmask) {
            this.af = af;
            this.protocol = protocol;
            this.addr = addr;
            this.port = port;
            this.netmask = netmask;
        }
    }

    /**
     * ipvsadm's {@code parse_service}: "[v6]:port", bare IPv6 (no port), "v4-or-host[:port]"; the port a number
     * or a service name of {@code svc.protocol}. Returns {@link #SERVICE_ADDR} | {@link #SERVICE_PORT} or
     * {@link #SERVICE_NONE}.
     */
    int parseService(String buf, Svc svc) {
        if (buf == null || CText.isAllDigits(buf)) return SERVICE_NONE;
        String host = buf;
        String port = null;
        if (host.startsWith("[")) {
            host = host.substring(1);
            int close = host.indexOf(']');
            if (close < 0) return SERVICE_NONE;
            String rest = host.substring(close + 1);
            host = host.substring(0, close);
            if (!rest.startsWith(":")) return SERVICE_NONE;
            port = rest.substring(1);
        }
        IpAddr v6 = IpAddr.parseV6(host);
        if (v6 != null) {
            svc.addr = v6;
            svc.af = IpAddr.AF_INET6;
            svc.netmask = 128;
        } else {
            int colon = host.lastIndexOf(':');
            port = colon < 0 ? null : host.substring(colon + 1);
            if (colon >= 0) host = host.substring(0, colon);
            IpAddr v4 = CText.inetAton(host);
            if (v4 == null) v4 = resolver.hostToIpv4(host);
            if (v4 == null) return SERVICE_NONE;
            svc.addr = v4;
            svc.af = IpAddr.AF_INET;
        }
        int result = SERVICE_ADDR;
        if (port != null) {
            result |= SERVICE_PORT;
            long n = CText.stringToNumber(port, 0, 65535);
            if (n == CText.NONE) n = resolver.serviceToPort(port, svc.protocol);
            if (n < 0) return SERVICE_NONE;
            svc.port = (int) n;
        }
        return result;
    }

    /** ipvsadm's {@code parse_timeout} for a given value. */
    static int parseTimeout(String buf, int min, int max) throws IpvsadmException {
        long v = CText.stringToNumber(buf, min, max);
        if (v == CText.NONE) throw IpvsadmException.usage("invalid timeout value `" + buf + "' specified");
        return (int) v;
    }

    /** ipvsadm's {@code parse_fwmark}: 1 .. 2^32-1, as an unsigned int. */
    static int parseFwmark(String buf) throws IpvsadmException {
        long v = CText.strtol10(buf);
        if (v == CText.NONE || v <= 0 || v > 0xFFFF_FFFFL) {
            throw IpvsadmException.usage("invalid fwmark value `" + buf + "' specified");
        }
        return (int) v;
    }

    /** ipvsadm's {@code parse_sched_flags}: a comma list; sh-* only with sh, mh-* only with mh. */
    static int parseSchedFlags(String sched, String arg) throws IpvsadmException {
        String s = sched.isEmpty() ? DEFAULT_SCHEDULER : sched;
        int flags = 0;
        for (String flag : arg.split(",")) {
            if (flag.isEmpty()) continue;                          // strtok skips empty fields
            switch (flag) {
                case "flag-1" -> flags |= SchedFlags.SCHED1;
                case "flag-2" -> flags |= SchedFlags.SCHED2;
                case "flag-3" -> flags |= SchedFlags.SCHED3;
                case "sh-fallback", "mh-fallback" -> {
                    flags |= SchedFlags.FALLBACK;
                    if (!s.equals(flag.substring(0, 2))) throw IpvsadmException.usage("incompatible scheduler flag `" + flag + "'");
                }
                case "sh-port", "mh-port" -> {
                    flags |= SchedFlags.PORT;
                    if (!s.equals(flag.substring(0, 2))) throw IpvsadmException.usage("incompatible scheduler flag `" + flag + "'");
                }
                default -> throw IpvsadmException.usage("invalid scheduler flag `" + flag + "'");
            }
        }
        return flags;
    }

    private static long number(String arg, long min, long max, String error) throws IpvsadmException {
        long v = CText.stringToNumber(arg, min, max);
        if (v == CText.NONE) throw IpvsadmException.usage(error);
        return v;
    }

    /** C {@code atoi} as glibc does it: {@code (int) strtol(s, NULL, 10)}, saturating, then truncated to int. */
    static int atoi(String s) {
        int i = 0, n = s.length();
        while (i < n && CText.isSpace(s.charAt(i))) i++;
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) neg = s.charAt(i++) == '-';
        long v = 0;
        boolean saturated = false;
        for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            int d = s.charAt(i) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) saturated = true;
            else v = v * 10 + d;
        }
        if (saturated) v = neg ? Long.MIN_VALUE : Long.MAX_VALUE;
        else if (neg) v = -v;
        return (int) v;
    }

    private static String truncate(String s, int max) { return s.length() <= max ? s : s.substring(0, max); }
}
