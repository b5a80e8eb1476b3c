package io.jlvs.daemon.dataplane;

import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Keeps the host kernel off the frames jlvs handles. jlvs reads frames from AF_PACKET taps, which see every frame
 * before the netfilter {@code netdev} ingress hook does; an nftables table {@code netdev jlvs} with one ingress
 * chain per served interface then drops the kernel's copy of:
 *
 * <ul>
 *   <li>packets to a virtual address (so a host that also has the VIP on {@code lo} never answers with its own
 *       RST or port unreachable, and never forwards them);</li>
 *   <li>ARP requests for a virtual address (jlvs answers them);</li>
 *   <li>replies of NAT real servers ({@code saddr . protocol . sport} of a masquerading real server, also of one
 *       removed while connections still name it) that are not
 *       addressed to the host itself (health checks are), so an {@code ip_forward=1} host does not forward
 *       them a second time, unrewritten; and ICMP errors from those real servers likewise (only errors:
 *       neighbour discovery and echo must reach the host).</li>
 * </ul>
 *
 * <p>The sets are rewritten as a whole in one {@code nft -f} transaction after each configuration change
 * ({@link #sync}); interfaces get their chain when they are served ({@link #serve}). {@link #install} removes the
 * leftovers of a crashed run first; {@link #close} removes the table. Firewall-mark services match no address:
 * their traffic is not hidden from the host (the mark is set by netfilter, after the tap).
 */
public final class IngressGuard implements AutoCloseable {
    /** The table's name in the {@code netdev} family. */
    public static final String TABLE = "jlvs";
    /** Before anything else on the hook (tc and other ingress chains run later). */
    static final int PRIORITY = -500;
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

    /** Runs an nftables script (a fake in tests; {@code nft -f -} on a host). */
    @FunctionalInterface
    public interface Nft {
        void run(String script) throws IOException;

        /** {@code nft -f -}, the script on stdin; a non-zero exit is an IOException with nft's message. */
        static Nft command() {
            return script -> {
                Process p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
                try (var in = p.getOutputStream()) {
                    in.write(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                try {
                    if (p.waitFor() != 0) throw new IOException("nft: " + out.strip());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while running nft", e);
                }
            };
        }
    }

    private final Nft nft;
    private final Set<String> served = new TreeSet<>();
    private String lastSets = "";
    private boolean installed;

    public IngressGuard(Nft nft) { this.nft = Objects.requireNonNull(nft); }

    /** Creates the table with empty sets, deleting a table a crashed run left behind. */
    public synchronized void install() throws IOException {
        try {
            nft.run("delete table netdev " + TABLE + "\n");
        } catch (IOException absent) {
            // no leftover: the usual case
        }
        nft.run(tableScript());
        installed = true;
    }

    static String tableScript() {
        return "table netdev " + TABLE + " {\n"
                + "  set vip4 { type ipv4_addr; }\n"
                + "  set vip6 { type ipv6_addr; }\n"
                + "  set rs4 { type ipv4_addr . inet_proto . inet_service; }\n"
                + "  set rs6 { type ipv6_addr . inet_proto . inet_service; }\n"
                + "  set rsaddr4 { type ipv4_addr; }\n"
                + "  set rsaddr6 { type ipv6_addr; }\n"
                + "  set local4 { type ipv4_addr; }\n"
                + "  set local6 { type ipv6_addr; }\n"
                + "}\n";
    }

    /** Adds the ingress chain of interface {@code ifName} (idempotent). */
    public synchronized void serve(String ifName) throws IOException {
        if (!IFNAME.matcher(ifName).matches()) throw new IOException("bad interface name: '" + ifName + "'");
        if (!served.add(ifName)) return;
        try {
            nft.run(chainScript(ifName));
        } catch (IOException e) {
            served.remove(ifName);
            throw e;
        }
    }

    static String chainScript(String ifName) {
        String c = "table netdev " + TABLE + " ";
        return "add chain netdev " + TABLE + " " + chainName(ifName) + " { type filter hook ingress device \"" + ifName
                + "\" priority " + PRIORITY + "; policy accept; }\n"
                + rule(c, ifName, "ip daddr @vip4 counter drop")
                + rule(c, ifName, "ip6 daddr @vip6 counter drop")
                + rule(c, ifName, "arp operation request arp daddr ip @vip4 counter drop")
                + rule(c, ifName, "ip daddr != @local4 ip saddr . ip protocol . th sport @rs4 counter drop")
                + rule(c, ifName, "ip6 daddr != @local6 ip6 saddr . ip6 nexthdr . th sport @rs6 counter drop")
                + rule(c, ifName, "ip daddr != @local4 ip saddr @rsaddr4 icmp type { destination-unreachable, source-quench, time-exceeded, parameter-problem } counter drop")
                + rule(c, ifName, "ip6 daddr != @local6 ip6 saddr @rsaddr6 icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } counter drop");
    }

    private static String rule(String prefix, String ifName, String body) {
        return "add rule netdev " + TABLE + " " + chainName(ifName) + " " + body + "\n";
    }

    /** The chain of an interface: {@code in_} and the name with characters nft does not take in names replaced. */
    static String chainName(String ifName) { return "in_" + ifName.replaceAll("[^A-Za-z0-9_]", "_"); }

    /** Removes the chain of an interface that went away (its hook went with it). */
    public synchronized void unserve(String ifName) {
        if (!served.remove(ifName)) return;
        try {
            nft.run("delete chain netdev " + TABLE + " " + chainName(ifName) + "\n");
        } catch (IOException gone) {
            // the kernel removed the chain with the device
        }
    }

    /**
     * Rewrites the sets for {@code services} and the host's own addresses {@code local} in one transaction; a
     * no-op when nothing changed.
     */
    public synchronized void sync(Collection<VirtualService> services, Collection<IpAddr> local) throws IOException {
        String script = setsScript(services, local);
        if (script.equals(lastSets)) return;
        nft.run(script);
        lastSets = script;
    }

    static String setsScript(Collection<VirtualService> services, Collection<IpAddr> local) {
        Set<String> vip4 = new TreeSet<>(), vip6 = new TreeSet<>(), rs4 = new TreeSet<>(), rs6 = new TreeSet<>();
        Set<String> rsaddr4 = new TreeSet<>(), rsaddr6 = new TreeSet<>(), local4 = new TreeSet<>(), local6 = new TreeSet<>();
        for (VirtualService svc : services) {
            if (svc.key().isFwmark()) continue;
            (svc.key().addr().isV6() ? vip6 : vip4).add(svc.key().addr().toString());
            String proto = protoName(svc.key().protocol());
            for (RealServer rs : withTrash(svc)) {
                if (rs.fwdMethod() != FwdMethod.MASQ) continue;
                boolean v6 = rs.addr().isV6();
                (v6 ? rsaddr6 : rsaddr4).add(rs.addr().toString());
                if (proto != null && rs.port() != 0) (v6 ? rs6 : rs4).add(rs.addr() + " . " + proto + " . " + rs.port());
            }
        }
        for (IpAddr a : local) (a.isV6() ? local6 : local4).add(a.toString());
        StringBuilder sb = new StringBuilder();
        set(sb, "vip4", vip4);
        set(sb, "vip6", vip6);
        set(sb, "rs4", rs4);
        set(sb, "rs6", rs6);
        set(sb, "rsaddr4", rsaddr4);
        set(sb, "rsaddr6", rsaddr6);
        set(sb, "local4", local4);
        set(sb, "local6", local6);
        return sb.toString();
    }

    /**
     * The real servers of {@code svc} and the removed ones its connections still name: the replies on those
     * connections still come (jlvs rewrites them, as IPVS's {@code ip_vs_out} does); the host must not forward a
     * second, unrewritten copy (the client would answer it with a RST that resets the real server's connection).
     */
    static List<RealServer> withTrash(VirtualService svc) {
        List<RealServer> all = new java.util.ArrayList<>(List.of(svc.dests()));
        all.addAll(List.of(svc.trash()));
        return all;
    }

    private static String protoName(int protocol) {
        return switch (protocol) {
            case VirtualService.IPPROTO_TCP -> "tcp";
            case VirtualService.IPPROTO_UDP -> "udp";
            case VirtualService.IPPROTO_SCTP -> "sctp";
            default -> null;
        };
    }

    private static void set(StringBuilder sb, String name, Set<String> elements) {
        sb.append("flush set netdev ").append(TABLE).append(' ').append(name).append('\n');
        if (!elements.isEmpty()) {
            sb.append("add element netdev ").append(TABLE).append(' ').append(name).append(" { ")
                    .append(String.join(", ", elements)).append(" }\n");
        }
    }

    /** The interfaces with a chain. */
    public synchronized List<String> served() { return List.copyOf(served); }

    /** Removes the table (and with it every chain and set). */
    @Override
    public synchronized void close() {
        if (!installed) return;
        installed = false;
        served.clear();
        lastSets = "";
        try {
            nft.run("delete table netdev " + TABLE + "\n");
        } catch (IOException e) {
            // already gone (the namespace is going away, or someone deleted it)
        }
    }
}
