package io.jlvs.daemon.dataplane;

import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reply path of NAT connections whose real server is the director itself (a masquerading real server with one
 * of the host's addresses, e.g. {@code -a -t VIP:80 -r 198.51.100.1:8080 -m}). jlvs delivers the client's packets,
 * rewritten to the real server, to the local stack through its TUN device; the stack's replies would leave by the
 * host's routes unrewritten (IPVS rewrites them on {@code LOCAL_OUT}, {@code ip_vs_local_reply4}). So they are
 * routed into the TUN device instead, where the data plane reads them and sends them through the engine like any
 * real server's reply:
 *
 * <ul>
 *   <li>an nftables table {@code inet jlvs} whose {@code route} chain on the output hook marks locally generated
 *       packets from {@code address . protocol . port} of a local NAT real server (sets {@code lrs4}, {@code lrs6})
 *       with {@link #MARK};</li>
 *   <li>a policy rule (IPv4 and IPv6, preference {@link #RULE_PREF}, after the {@code local} table's rule, so
 *       traffic to the host's own addresses stays local) sending marked packets to routing table
 *       {@link #ROUTE_TABLE}, whose default route is the TUN device.</li>
 * </ul>
 * Packets so routed that belong to no connection (the local server talking to someone directly) are written back
 * into the TUN device by the data plane, and the host forwards them by its routes (the device accepts local
 * sources).
 *
 * <p>{@link #install} removes the leftovers of a crashed run first; {@link #sync} rewrites the sets after a
 * configuration change (a no-op when nothing changed) and tells whether there is any local NAT real server (the
 * data plane reads the device only then); {@link #close} removes the table, the rules and the routes.
 */
final class LocalReplyRoute implements AutoCloseable {
    /** The nftables table's name (in the {@code inet} family; the ingress guard's is in {@code netdev}). */
    static final String TABLE = "jlvs";
    /** The packet mark of local NAT replies ("jl"): the policy rule's selector. */
    static final int MARK = 0x6a6c;
    /** The routing table of marked packets: a default route into the TUN device. */
    static final int ROUTE_TABLE = 27244;
    /** The policy rule's preference: after {@code local} (0), before {@code main} (32766). */
    static final int RULE_PREF = 27244;

    /** Runs a command line ({@code nft -f -} with a script, {@code ip ...}); a fake in tests. */
    @FunctionalInterface
    interface Runner {
        /** Runs {@code argv} with {@code stdin}; a non-zero exit is an IOException with the command's output. */
        void run(List<String> argv, String stdin) throws IOException;

        static Runner processes() {
            return (argv, stdin) -> {
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                try {
                    if (p.waitFor() != 0) throw new IOException(String.join(" ", argv) + ": " + out.strip());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while running " + argv.get(0), e);
                }
            };
        }
    }

    private final Runner run;
    private final String device;
    private String lastSets = "";
    private boolean installed;

    /** @param device the TUN device replies are routed into */
    LocalReplyRoute(Runner run, String device) {
        this.run = Objects.requireNonNull(run);
        this.device = Objects.requireNonNull(device);
    }

    /** Creates the table, the rules and the routes, after deleting those a crashed run left behind. */
    synchronized void install() throws IOException {
        removeAll();
        run.run(List.of("nft", "-f", "-"), tableScript());
        installed = true;
        for (String family : new String[] {"-4", "-6"}) {
            try {
                run.run(List.of("ip", family, "route", "replace", "default", "dev", device, "table", String.valueOf(ROUTE_TABLE)), "");
                run.run(List.of("ip", family, "rule", "add", "pref", String.valueOf(RULE_PREF), "fwmark", mark(),
                        "lookup", String.valueOf(ROUTE_TABLE)), "");
            } catch (IOException e) {
                if (family.equals("-4")) throw e;
                // no IPv6 on this host or device: IPv4 local NAT real servers still work
            }
        }
    }

    static String tableScript() {
        return "table inet " + TABLE + " {\n"
                + "  set lrs4 { type ipv4_addr . inet_proto . inet_service; }\n"
                + "  set lrs6 { type ipv6_addr . inet_proto . inet_service; }\n"
                + "  chain local_nat_replies {\n"
                + "    type route hook output priority mangle; policy accept;\n"
                + "    ip saddr . meta l4proto . th sport @lrs4 meta mark set " + mark() + "\n"
                + "    ip6 saddr . meta l4proto . th sport @lrs6 meta mark set " + mark() + "\n"
                + "  }\n"
                + "}\n";
    }

    private static String mark() { return "0x" + Integer.toHexString(MARK); }

    /**
     * Rewrites the sets for the masquerading real servers of {@code services} whose address is one of {@code local}
     * (the host's addresses).
     *
     * @return whether there is any such real server
     */
    synchronized boolean sync(Collection<VirtualService> services, Collection<IpAddr> local) throws IOException {
        List<String> v4 = new ArrayList<>(), v6 = new ArrayList<>();
        elements(services, local, v4, v6);
        String script = setsScript(v4, v6);
        if (installed && !script.equals(lastSets)) {
            run.run(List.of("nft", "-f", "-"), script);
            lastSets = script;
        }
        return !v4.isEmpty() || !v6.isEmpty();
    }

    /** {@code addr . proto . port} of every masquerading real server with a local address, per family, sorted. */
    static void elements(Collection<VirtualService> services, Collection<IpAddr> local, List<String> v4, List<String> v6) {
        Set<IpAddr> mine = new HashSet<>(local);
        Set<String> e4 = new TreeSet<>(), e6 = new TreeSet<>();
        for (VirtualService svc : services) {
            String proto = switch (svc.key().protocol()) {
                case VirtualService.IPPROTO_TCP -> "tcp";
                case VirtualService.IPPROTO_UDP -> "udp";
                case VirtualService.IPPROTO_SCTP -> "sctp";
                default -> null;                                       // a fwmark service: its protocol is the packet's
            };
            for (RealServer rs : IngressGuard.withTrash(svc)) {
                if (rs.fwdMethod() != FwdMethod.MASQ || rs.port() == 0 || !mine.contains(rs.addr())) continue;
                for (String p : proto != null ? List.of(proto) : List.of("tcp", "udp", "sctp")) {
                    (rs.addr().isV6() ? e6 : e4).add(rs.addr() + " . " + p + " . " + rs.port());
                }
            }
        }
        v4.addAll(e4);
        v6.addAll(e6);
    }

    static String setsScript(List<String> v4, List<String> v6) {
        StringBuilder sb = new StringBuilder();
        set(sb, "lrs4", v4);
        set(sb, "lrs6", v6);
        return sb.toString();
    }

    private static void set(StringBuilder sb, String name, List<String> elements) {
        sb.append("flush set inet ").append(TABLE).append(' ').append(name).append('\n');
        if (!elements.isEmpty()) {
            sb.append("add element inet ").append(TABLE).append(' ').append(name).append(" { ")
                    .append(String.join(", ", elements)).append(" }\n");
        }
    }

    /** Deletes the table, the rules and the routes (each may be absent). */
    private void removeAll() {
        quietly(List.of("nft", "delete", "table", "inet", TABLE));
        for (String family : new String[] {"-4", "-6"}) {
            quietly(List.of("ip", family, "rule", "del", "pref", String.valueOf(RULE_PREF)));
            quietly(List.of("ip", family, "route", "flush", "table", String.valueOf(ROUTE_TABLE)));
        }
    }

    private void quietly(List<String> argv) {
        try {
            run.run(argv, "");
        } catch (IOException absent) {
            // nothing to remove: the usual case
        }
    }

    @Override
    public synchronized void close() {
        if (!installed) return;
        installed = false;
        lastSets = "";
        removeAll();
    }
}
