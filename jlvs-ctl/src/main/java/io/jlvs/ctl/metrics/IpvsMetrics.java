package io.jlvs.ctl.metrics;

import io.jlvs.conn.ConnTable;
import io.jlvs.ctl.ipvsadm.IpvsStats;
import io.jlvs.ctl.offline.OfflineDirector;
import io.jlvs.director.Director;
import io.jlvs.packet.DropReason;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * The director's counters in the Prometheus text format (0.0.4), under the names node_exporter's IPVS collector
 * ({@code collector/ipvs_linux.go}) gives the kernel's, so its dashboards and alerts work unchanged, plus jlvs's own
 * counters under {@code jlvs_}.
 *
 * <p>The node_exporter families, with its help texts:
 * <ul>
 *   <li>{@code node_ipvs_connections_total}, {@code node_ipvs_incoming_packets_total},
 *       {@code node_ipvs_outgoing_packets_total}, {@code node_ipvs_incoming_bytes_total},
 *       {@code node_ipvs_outgoing_bytes_total}: counters, no labels; the director's total, as
 *       {@code /proc/net/ip_vs_stats} shows it: as of the last estimation (every 2 s), like the kernel's;
 *   <li>{@code node_ipvs_backend_connections_active}, {@code node_ipvs_backend_connections_inactive},
 *       {@code node_ipvs_backend_weight}: gauges, one sample per real server with labels {@code local_address},
 *       {@code local_mark}, {@code local_port}, {@code proto}, {@code remote_address}, {@code remote_port}, valued
 *       as procfs reads {@code /proc/net/ip_vs}: a {@code TCP}/{@code UDP}/{@code SCTP} service has its address
 *       and port and {@code local_mark=""}; a firewall-mark service has {@code proto="FWM"},
 *       {@code local_address=""}, {@code local_port="0"} and {@code local_mark} as the kernel prints it
 *       ({@code %08X}: mark 5 is {@code "00000005"}); addresses as Go prints a {@code net.IP} (IPv6 compressed,
 *       IPv4-mapped as a dotted quad). Samples with equal labels are summed, as the collector does (the IPv4 and
 *       IPv6 services of one mark).
 * </ul>
 * jlvs's families: {@code jlvs_drops_total{reason}} (every {@link DropReason}, lower case, zeros included),
 * {@code jlvs_frames_total{verdict="transmitted|local|passed"}}, {@code jlvs_conn_table_entries},
 * {@code jlvs_conn_table_capacity}, {@code jlvs_conn_table_full_drops_total}.
 *
 * <p>Families come sorted by name and samples by label values, as the Go registry sorts them; a family without
 * samples (no real servers) is left out, as there. Hand-written rather than through the Prometheus Java client:
 * eight fixed families and five counters need about a hundred lines, with no registry to keep in step with the
 * service table and no dependency for the control plane.
 *
 * <p>{@link #render} reads the live model without locking: call it with the control lock held (see
 * {@link #locked}), so that a scrape never sees a half-applied command.
 */
public final class IpvsMetrics {
    /** The Content-Type of a scrape answer. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    static final String COUNTER = "counter", GAUGE = "gauge";

    private final Director director;
    private final Supplier<IpvsStats> totals;

    /**
     * @param director the director whose services, connection table and counters are exported
     * @param totals   the director's total counters as the listings show them ({@code LiveStats::total})
     */
    public IpvsMetrics(Director director, Supplier<IpvsStats> totals) {
        this.director = director;
        this.totals = totals;
    }

    /** The metrics of an offline director (flow simulator, replays, tests). */
    public static IpvsMetrics of(OfflineDirector d) {
        return new IpvsMetrics(d.director(), d.stats()::total);
    }

    /** A scrape that renders with {@code controlLock} held: what {@link MetricsServer} should be given. */
    public Supplier<String> locked(Lock controlLock) {
        return () -> {
            controlLock.lock();
            try {
                return render();
            } finally {
                controlLock.unlock();
            }
        };
    }

    /** One scrape's text. Call with the control lock held. */
    public String render() {
        StringBuilder sb = new StringBuilder(4096);
        TextFormat t = new TextFormat(sb);
        ConnTable conns = director.connections();

        t.family("jlvs_conn_table_capacity", "Connections and templates the connection table can hold.", GAUGE)
                .sample(conns.capacity());
        t.family("jlvs_conn_table_entries", "Connections and templates in the connection table.", GAUGE)
                .sample(conns.size());
        t.family("jlvs_conn_table_full_drops_total",
                "New connections refused because the connection table was full.", COUNTER)
                .sample(TextFormat.unsigned(conns.fullDrops()));
        t.family("jlvs_drops_total", "Frames dropped by the director, by reason.", COUNTER);
        TreeMap<String, Long> drops = new TreeMap<>();
        for (DropReason r : DropReason.values()) drops.put(r.name().toLowerCase(Locale.ROOT), director.drops(r));
        for (Map.Entry<String, Long> e : drops.entrySet()) {
            t.sample(TextFormat.unsigned(e.getValue()), "reason", e.getKey());
        }
        t.family("jlvs_frames_total",
                "Frames the director did not drop, by verdict: transmitted, delivered to the local stack, passed on.",
                COUNTER)
                .sample(TextFormat.unsigned(director.delivered()), "verdict", "local")
                .sample(TextFormat.unsigned(director.passed()), "verdict", "passed")
                .sample(TextFormat.unsigned(director.transmitted()), "verdict", "transmitted");

        backends(t);

        IpvsStats tot = totals.get();
        t.family("node_ipvs_connections_total", "The total number of connections made.", COUNTER)
                .sample(TextFormat.unsigned(tot.conns()));
        t.family("node_ipvs_incoming_bytes_total", "The total amount of incoming data.", COUNTER)
                .sample(TextFormat.unsigned(tot.inBytes()));
        t.family("node_ipvs_incoming_packets_total", "The total number of incoming packets.", COUNTER)
                .sample(TextFormat.unsigned(tot.inPkts()));
        t.family("node_ipvs_outgoing_bytes_total", "The total amount of outgoing data.", COUNTER)
                .sample(TextFormat.unsigned(tot.outBytes()));
        t.family("node_ipvs_outgoing_packets_total", "The total number of outgoing packets.", COUNTER)
                .sample(TextFormat.unsigned(tot.outPkts()));
        return sb.toString();
    }

    /** Label names of the backend families, sorted (the Go client sorts label pairs by name). */
    static final String[] BACKEND_LABELS =
            {"local_address", "local_mark", "local_port", "proto", "remote_address", "remote_port"};

    private void backends(TextFormat t) {
        // key: label values in BACKEND_LABELS order; value: active, inactive, weight (summed, as the collector does)
        TreeMap<String[], long[]> sums = new TreeMap<>(Arrays::compare);
        for (VirtualService svc : director.services().snapshot()) {
            ServiceKey k = svc.key();
            boolean fwm = k.isFwmark();
            String localAddress = fwm ? "" : goIp(k.addr());
            String localMark = fwm ? String.format("%08X", k.fwmark()) : "";
            String localPort = fwm ? "0" : Integer.toString(k.port());
            String proto = fwm ? "FWM" : ServiceKey.protocolName(k.protocol());
            for (RealServer d : svc.dests()) {
                String[] key = {localAddress, localMark, localPort, proto, goIp(d.addr()), Integer.toString(d.port())};
                long[] s = sums.computeIfAbsent(key, x -> new long[3]);
                s[0] += d.activeConns();
                s[1] += d.inactConns();
                s[2] += d.weight();
            }
        }
        backendFamily(t, sums, 0, "node_ipvs_backend_connections_active",
                "The current active connections by local and remote address.");
        backendFamily(t, sums, 1, "node_ipvs_backend_connections_inactive",
                "The current inactive connections by local and remote address.");
        backendFamily(t, sums, 2, "node_ipvs_backend_weight",
                "The current backend weight by local and remote address.");
    }

    private static void backendFamily(TextFormat t, TreeMap<String[], long[]> sums, int which, String name,
                                      String help) {
        t.family(name, help, GAUGE);
        String[] labels = new String[2 * BACKEND_LABELS.length];
        for (Map.Entry<String[], long[]> e : sums.entrySet()) {
            for (int i = 0; i < BACKEND_LABELS.length; i++) {
                labels[2 * i] = BACKEND_LABELS[i];
                labels[2 * i + 1] = e.getKey()[i];
            }
            t.sample(TextFormat.unsigned(e.getValue()[which]), labels);
        }
    }

    /**
     * An address as Go's {@code net.IP.String()} prints it: IPv4 and IPv4-mapped IPv6 as a dotted quad, other IPv6
     * in RFC 5952 form (lower-case hex, the longest run of two or more zero groups, the first on a tie, as
     * {@code ::}; no dotted tail for the IPv4-compatible form).
     */
    static String goIp(IpAddr a) {
        if (!a.isV6()) return dotted((int) a.lo());
        if (a.hi() == 0 && (a.lo() >>> 32) == 0xFFFFL) return dotted((int) a.lo());
        return a.hexForm();
    }

    private static String dotted(int v) {
        return (v >>> 24) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
    }
}
