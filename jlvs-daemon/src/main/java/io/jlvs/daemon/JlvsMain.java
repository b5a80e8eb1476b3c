package io.jlvs.daemon;

import io.jlvs.ctl.ipvsadm.IpvsadmParser;
import io.jlvs.ctl.offline.StaticNextHops;
import io.jlvs.ctl.replay.Replay;
import io.jlvs.ctl.sim.FlowSimulator;
import io.jlvs.service.IpAddr;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** The {@code jlvs} launcher: one subcommand per mode ({@code sim}, {@code replay}, {@code daemon}, {@code decap}). */
@Command(name = "jlvs", mixinStandardHelpOptions = true, version = "jlvs 0.1.0",
        description = "The Linux Virtual Server in userspace Java.",
        subcommands = {JlvsMain.Sim.class, JlvsMain.ReplayCommand.class, JlvsMain.Daemon.class, DecapCommand.class})
public final class JlvsMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // jlvsadm/ipvsadm take ipvsadm's own command line: no picocli parsing in front of it
        if (args.length > 0 && (args[0].equals("jlvsadm") || args[0].equals("ipvsadm"))) {
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            System.exit(io.jlvs.cli.Jlvsadm.run(args[0], rest, System.getenv(io.jlvs.cli.Jlvsadm.SOCKET_ENV),
                    System.in, System.out, System.err));
        }
        System.exit(commandLine().execute(args));
    }

    @Command(name = "daemon", mixinStandardHelpOptions = true, usageHelpWidth = 120,
            description = "jlvsd, the director daemon, in the foreground in this network namespace: the service table, "
                    + "the connection engine and the control socket @jlvsd that jlvsadm (and ipvsadm scripts through it) "
                    + "talk to, and the native data plane: with no --interface (or 'interface' in --config) it serves every up, "
                    + "non-loopback interface of the namespace and follows new ones, answers ARP/NDP for the virtual "
                    + "addresses, follows the host's routes and neighbours, and keeps the host kernel off the frames it "
                    + "handles with an nftables 'netdev jlvs' table (removed at exit). Stops on SIGTERM/SIGINT. "
                    + "With -f, the virtual servers of a keepalived.conf are programmed at start, their health checkers "
                    + "run (a failed real server leaves the pool, the sorry server stands in when the quorum is lost) and "
                    + "the file is reloaded on SIGHUP (a file with errors is refused, the running configuration stays; "
                    + "unchanged checkers keep their state).")
    static final class Daemon implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Option(names = "--socket", defaultValue = Jlvsd.DEFAULT_SOCKET,
                description = "abstract control socket name (default: ${DEFAULT-VALUE}); jlvsadm reads $JLVSD_SOCKET")
        String socket;

        @picocli.CommandLine.Option(names = "--admin-group", defaultValue = "-1",
                description = "a group id whose members may change the configuration besides root")
        int adminGroup;

        @picocli.CommandLine.Option(names = "--metrics", arity = "0..1", fallbackValue = "127.0.0.1:9116",
                description = "serve Prometheus metrics on [HOST:]PORT (default when given bare: 127.0.0.1:9116)")
        String metrics;

        @picocli.CommandLine.Option(names = "--conn-table", defaultValue = "1048576",
                description = "IPv4 connection table capacity (default: ${DEFAULT-VALUE}); IPv6 gets a sixteenth")
        int connTable;

        @picocli.CommandLine.Option(names = "--config", paramLabel = "FILE",
                description = "jlvsd's configuration file (interfaces, addresses, threads, socket, metrics, table size; "
                        + "see docs/jlvsd.conf.example); command-line options override it")
        java.nio.file.Path config;

        @picocli.CommandLine.Option(names = {"-I", "--interface"}, paramLabel = "IF",
                description = "serve this interface (repeatable; default: every up, non-loopback interface)")
        java.util.List<String> interfaces = new java.util.ArrayList<>();

        @picocli.CommandLine.Option(names = "--address", paramLabel = "IP",
                description = "answer ARP/NDP for this address too, e.g. the real servers' NAT gateway when no interface "
                        + "has it (repeatable)")
        java.util.List<String> addresses = new java.util.ArrayList<>();

        @picocli.CommandLine.Option(names = "--threads", paramLabel = "N", description = "data-plane threads (default 1)")
        Integer threads;

        @picocli.CommandLine.Option(names = "--rx-ring", paramLabel = "v2|v3",
                description = "receive ring: v2 (default: each frame handed over at once, lowest latency) or v3 (blocks: "
                        + "fewer wake-ups at high packet rates, up to a jiffy of added latency)")
        String rxRing;

        @picocli.CommandLine.Option(names = "--no-data-plane",
                description = "run the control plane alone: no interface is touched (a configuration test bench)")
        boolean noDataPlane;


        /** The options, from --config with the command line on top, validated in one place. */
        Jlvsd.Options options() throws java.io.IOException {
            DaemonConfig c = config == null ? DaemonConfig.defaults() : DaemonConfig.read(config);
            var pr = spec.commandLine().getParseResult();
            String sock = pr.hasMatchedOption("--socket") || config == null ? socket : c.socket();
            int group = pr.hasMatchedOption("--admin-group") || config == null ? adminGroup : c.adminGroup();
            String met = metrics != null ? metrics : c.metrics();
            int table = pr.hasMatchedOption("--conn-table") || config == null ? connTable : c.connTable();
            java.util.List<String> ifs = interfaces.isEmpty() ? c.interfaces() : interfaces;
            java.util.List<io.jlvs.service.IpAddr> addrs = new java.util.ArrayList<>(c.addresses());
            for (String a : addresses) {
                io.jlvs.service.IpAddr ip = io.jlvs.service.IpAddr.parse(a);
                if (ip == null) throw new IllegalArgumentException("--address: bad address '" + a + "'");
                addrs.add(ip);
            }
            int n = threads != null ? threads : c.threads();
            Jlvsd.Options o = new Jlvsd.Options(sock, group, met, table, Math.max(1024, table / 16), null);
            if (noDataPlane) return o;
            var ring = io.jlvs.daemon.dataplane.DataPlane.ringDefaults();
            if (rxRing != null) {
                ring = switch (rxRing) {
                    case "v2" -> ring.withRxVersion(io.jlvs.netio.ring.PacketRing.RxVersion.V2);
                    case "v3" -> ring.withRxVersion(io.jlvs.netio.ring.PacketRing.RxVersion.V3);
                    default -> throw new IllegalArgumentException("--rx-ring: 'v2' or 'v3', not '" + rxRing + "'");
                };
            }
            return o.withDataPlane(new io.jlvs.daemon.dataplane.DataPlane.Options(ifs, addrs, n, ring));
        }

        @picocli.CommandLine.Option(names = {"-f", "--use-file"}, paramLabel = "FILE",
                description = "load this keepalived.conf at start (its LVS part and health checkers), reload it on SIGHUP")
        java.nio.file.Path keepalivedConf;

        @picocli.CommandLine.Option(names = {"-t", "--config-test"},
                description = "check the keepalived.conf (-f, default " + KeepalivedRunner.DEFAULT_FILE
                        + ") and exit: 0 if valid, 1 with the messages otherwise")
        boolean configTest;

        @picocli.CommandLine.Option(names = {"-i", "--config-id"}, paramLabel = "ID",
                description = "the config id for @ID conditional lines (default: the host name up to its first dot)")
        String configId;

        @Override
        public Integer call() throws Exception {
            if (configTest) {
                java.nio.file.Path f = keepalivedConf != null ? keepalivedConf : java.nio.file.Path.of(KeepalivedRunner.DEFAULT_FILE);
                return KeepalivedRunner.configTest(f, configId, spec.commandLine().getErr());
            }
            Jlvsd.Options o;
            try {
                o = options();
            } catch (IllegalArgumentException | java.io.IOException e) {
                System.err.println("jlvsd: " + e.getMessage());
                return 2;
            }
            Jlvsd d;
            try {
                d = Jlvsd.start(o);
            } catch (java.io.IOException e) {
                System.err.println("jlvsd: " + e.getMessage());
                return 1;
            }
            KeepalivedRunner keepalived = null;
            java.nio.file.Path kfile = keepalivedConf != null ? keepalivedConf
                    : config != null ? DaemonConfig.read(config).keepalived() : null;
            if (kfile != null) {
                try {
                    keepalived = KeepalivedRunner.start(d, kfile, configId, true);
                } catch (RuntimeException e) {
                    System.err.println("jlvsd: " + e.getMessage());
                    d.close();
                    return 1;
                }
            }
            KeepalivedRunner k = keepalived;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (k != null) k.close();
                d.close();
            }, "jlvsd-shutdown"));
            d.awaitStop();
            return 0;
        }
    }

    /** The command line with every subcommand, writing to System.out and System.err. */
    public static CommandLine commandLine() {
        return new CommandLine(new JlvsMain());
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    @Command(name = "sim", mixinStandardHelpOptions = true, usageHelpWidth = 120,
            description = "The flow simulator: ipvsadm command lines and flows from FILE (or stdin), the director's "
                    + "decisions on stdout.",
            footer = {"", FlowSimulator.SYNTAX, "Example: ./jlvs sim examples/demo.sim"})
    static final class Sim implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "the script; stdin when absent or '-'")
        String file;

        @picocli.CommandLine.Option(names = "--echo", description = "print each script line (commands as '> LINE') before its output")
        boolean echo;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            try (BufferedReader in = open(); FlowSimulator sim = new FlowSimulator(out, err)) {
                return sim.echo(echo).run(in);
            } catch (NoSuchFileException e) {
                err.println("sim: cannot read " + file + ": no such file");
                return 2;
            } finally {
                out.flush();
                err.flush();
            }
        }

        private BufferedReader open() throws IOException {
            if (file == null || file.equals("-")) {
                return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            }
            return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, usageHelpWidth = 120, sortOptions = false,
            description = "Replays a capture through the director: the services of RULES, every frame of IN.pcap in "
                    + "order, every frame the director sends written to OUT.pcap, a summary on stdout.",
            footer = {"",
                "RULES holds ipvsadm command lines without the program name (-A, -a, -E, -e, --set ...), read as",
                "./jlvs sim reads them: the same parser and checks; comments (#) and blank lines are skipped; flow lines",
                "(conn, close, time, list) are refused.",
                "",
                "IN.pcap is a classic pcap capture (Ethernet or Linux cooked; convert pcapng with editcap -F pcap). Its",
                "timestamps are the director's clock: between frames, connections and persistence templates expire and",
                "the 2 s estimator runs, as they would have. Every frame the director sends, forwarded or delivered to",
                "the local stack (ICMP errors it generates included), is written to OUT.pcap (nanosecond pcap, Ethernet)",
                "with the timestamp of the input frame that caused it. The summary: frames read; verdicts (transmitted,",
                "delivered locally, passed to host, dropped by reason); frames written; connections created; the",
                "connection table at the end.",
                "",
                "The network: the --director-ip addresses are the director's own (list the VIPs too); each --next-hop",
                "address is sent to its MAC; every other address (clients, real servers not listed) goes to",
                "--default-gw-mac, so no frame ever waits for ARP/NDP resolution.",
                "",
                "Exit status: 0; 2 when a file cannot be read or written, when the rules file has errors, or when the",
                "capture is malformed (the summary then covers the frames before the fault).",
                "",
                "Example: ./jlvs replay rules.txt in.pcap out.pcap --director-ip 192.0.2.10 \\",
                "           --next-hop 203.0.113.11=02:00:00:00:01:11"})
    static final class ReplayCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RULES", description = "ipvsadm command lines, one per line")
        Path rules;

        @Parameters(index = "1", paramLabel = "IN.pcap", description = "the capture to replay")
        Path in;

        @Parameters(index = "2", paramLabel = "OUT.pcap", description = "where the director's frames go (created or truncated)")
        Path out;

        @Option(names = "--director-mac", paramLabel = "MAC", defaultValue = "02:00:00:00:00:01",
                description = "the director's MAC: the source of the frames it sends (default: ${DEFAULT-VALUE})")
        String directorMac;

        @Option(names = "--director-ip", paramLabel = "IP",
                description = "one of the director's own addresses, VIPs included (repeatable): delivered locally; the "
                        + "first of each family is the source of tunnel headers and ICMP errors")
        List<String> directorIps = new ArrayList<>();

        @Option(names = "--next-hop", paramLabel = "IP=MAC",
                description = "a host with a MAC of its own, e.g. a real server (repeatable)")
        List<String> nextHops = new ArrayList<>();

        @Option(names = "--default-gw-mac", paramLabel = "MAC", defaultValue = "02:00:00:00:00:fe",
                description = "where every address without --next-hop is sent (default: ${DEFAULT-VALUE})")
        String gatewayMac;

        @Option(names = "--mtu", paramLabel = "N", defaultValue = "1500",
                description = "path MTU toward every destination, 68..65535 (default: ${DEFAULT-VALUE})")
        int mtu;

        @Option(names = "--fwmark", paramLabel = "N", defaultValue = "0",
                description = "the firewall mark every frame carries, for -f services (default: none)")
        long fwmark;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut(), stderr = spec.commandLine().getErr();
            Replay.Options options;
            try {
                options = options();
            } catch (IllegalArgumentException e) {
                stderr.println("replay: " + e.getMessage());
                stderr.flush();
                return Replay.EXIT_ERROR;
            }
            return new Replay(options, new IpvsadmParser(), stdout, stderr).run(rules, in, out);
        }

        private Replay.Options options() {
            List<IpAddr> ips = new ArrayList<>();
            for (String ip : directorIps) ips.add(address(ip, "--director-ip"));
            Map<IpAddr, Long> hops = new LinkedHashMap<>();
            for (String h : nextHops) {
                int eq = h.indexOf('=');
                if (eq < 0) throw new IllegalArgumentException("bad --next-hop '" + h + "' (expected IP=MAC)");
                hops.put(address(h.substring(0, eq), "--next-hop"), mac(h.substring(eq + 1), "--next-hop"));
            }
            if (mtu < 68 || mtu > 65535) throw new IllegalArgumentException("bad --mtu " + mtu + " (expected 68..65535)");
            if (fwmark < 0 || fwmark > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("bad --fwmark " + fwmark + " (expected 0..4294967295)");
            }
            return new Replay.Options(mac(directorMac, "--director-mac"), ips, hops, mac(gatewayMac, "--default-gw-mac"),
                    mtu, (int) fwmark);
        }

        private static IpAddr address(String s, String option) {
            IpAddr a = IpAddr.parse(s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s);
            if (a == null) throw new IllegalArgumentException("bad " + option + " address '" + s + "' (expected an IPv4 or IPv6 address)");
            return a;
        }

        private static long mac(String s, String option) {
            try {
                return StaticNextHops.parseMac(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage());
            }
        }
    }
}
