package io.jlvs.ctl.metrics;

import io.jlvs.ctl.ipvsadm.IpvsadmParser;
import io.jlvs.ctl.ipvsadm.IpvsadmResult;
import io.jlvs.ctl.ipvsadm.NameResolver;
import io.jlvs.ctl.ipvsadm.Services;
import io.jlvs.ctl.offline.OfflineDirector;
import io.jlvs.ctl.offline.StaticNextHops;
import io.jlvs.director.Director;
import io.jlvs.packet.DropReason;
import io.jlvs.service.IpAddr;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exposition after traffic through a real director. The expected text is written out from node_exporter's
 * rules (collector/ipvs_linux.go, procfs's /proc/net/ip_vs reader, client_golang's sorting and expfmt), not taken
 * from a run: families by name, label pairs by name, samples by label values; FWM services with an empty
 * local_address, local_port "0" and the mark as %08X.
 */
class IpvsMetricsTest {
    static final String CLIENT = "198.51.100.7", VIP = "192.0.2.10", RS1 = "203.0.113.11", RS2 = "203.0.113.12";
    static final String CLIENT6 = "2001:db8::7", VIP6 = "2001:db8::10", RS6 = "2001:db8::20", RS6B = "2001:db8::21";
    static final String MAC = "02:00:00:00:00:99", DIRECTOR_MAC = "02:00:00:00:00:01";
    static final long SECOND = 1_000_000_000L;

    final OfflineDirector d = new OfflineDirector(new IpvsadmParser("ipvsadm", NameResolver.offline(Services.builtIn())),
            new StaticNextHops(), 1024, 256);

    @AfterEach
    void close() { d.close(); }

    void run(String line) {
        IpvsadmResult r = d.ipvsadm().run(Arrays.asList(line.split(" ")));
        d.syncStats();
        assertThat(r.err()).as(line).isEmpty();
        assertThat(r.exitStatus()).as(line).isZero();
    }

    int in(PacketBuilder b, int fwmark) { return d.ingress(b.build(), fwmark); }

    static PacketBuilder v4(String src, String dst) { return PacketBuilder.eth(MAC, DIRECTOR_MAC).ipv4(src, dst); }

    static PacketBuilder v6(String src, String dst) { return PacketBuilder.eth(MAC, DIRECTOR_MAC).ipv6(src, dst); }

    /** NAT, DR, IPv6 DR, fwmark v4 and v6, an empty service; then traffic, two drops and a pass. */
    void traffic() {
        run("-A -t " + VIP + ":80 -s rr");
        run("-a -t " + VIP + ":80 -r " + RS1 + ":8080 -m");
        run("-A -t " + VIP + ":443 -s rr");
        run("-a -t " + VIP + ":443 -r " + RS2 + " -g -w 3");
        run("-A -t [" + VIP6 + "]:80 -s rr");
        run("-a -t [" + VIP6 + "]:80 -r [" + RS6 + "]:80 -g -w 2");
        run("-A -f 5 -s rr");
        run("-a -f 5 -r " + RS1 + ":0 -g");
        run("-A -f 26 -6 -s rr");
        run("-a -f 26 -6 -r [" + RS6B + "]:0 -g -w 4");
        run("-A -t " + VIP + ":8443 -s rr");

        // NAT handshake: in 2 x 40, out 1 x 40; ESTABLISHED (active)
        assertThat(in(v4(CLIENT, VIP).tcp(40000, 80).syn(), 0)).isEqualTo(Verdict.TX);
        assertThat(in(v4(RS1, CLIENT).tcp(8080, 40000).syn().ack(), 0)).isEqualTo(Verdict.TX);
        assertThat(in(v4(CLIENT, VIP).tcp(40000, 80).ack(), 0)).isEqualTo(Verdict.TX);
        // DR: one ESTABLISHED (40 + 58 in), one SYN_RECV (40 in; active, as tcp_state_active_table has it)
        assertThat(in(v4(CLIENT, VIP).tcp(40001, 443).syn(), 0)).isEqualTo(Verdict.TX);
        assertThat(in(v4(CLIENT, VIP).tcp(40001, 443).ack().payload("GET / HTTP/1.0\r\n\r\n"), 0))
                .isEqualTo(Verdict.TX);
        assertThat(in(v4(CLIENT, VIP).tcp(40002, 443).syn(), 0)).isEqualTo(Verdict.TX);
        // IPv6 DR SYN: 60 in, SYN_RECV (active)
        assertThat(in(v6(CLIENT6, VIP6).tcp(40003, 80).syn(), 0)).isEqualTo(Verdict.TX);
        // fwmark 5 SYN: 40 in, SYN_RECV (active)
        assertThat(in(v4(CLIENT, "192.0.2.99").tcp(40004, 25).syn(), 5)).isEqualTo(Verdict.TX);
        // drops and a pass
        assertThat(in(v4(CLIENT, VIP).tcp(40005, 8443).syn(), 0)).isEqualTo(DropReason.NO_REAL_SERVER.code());
        assertThat(d.ingress(new byte[10], 0)).isEqualTo(DropReason.TRUNCATED_ETHERNET.code());
        assertThat(in(v4(CLIENT, "192.0.2.200").tcp(40006, 80).syn(), 0)).isEqualTo(Director.PASS);

        d.advanceTo(2 * SECOND);                 // one estimation: the totals as /proc/net/ip_vs_stats shows them
    }

    static String lines(String... l) { return String.join("\n", l) + "\n"; }

    static final String LOCAL = "local_address=\"%s\",local_mark=\"%s\",local_port=\"%s\",proto=\"%s\","
            + "remote_address=\"%s\",remote_port=\"%s\"";

    static String backend(String family, long value, String... labels) {
        return family + "{" + LOCAL.formatted((Object[]) labels) + "} " + value;
    }

    static final String[] FWM5 = {"", "00000005", "0", "FWM", RS1, "0"};
    static final String[] FWM26 = {"", "0000001A", "0", "FWM", RS6B, "0"};
    static final String[] DR443 = {VIP, "", "443", "TCP", RS2, "443"};
    static final String[] NAT80 = {VIP, "", "80", "TCP", RS1, "8080"};
    static final String[] DR6 = {VIP6, "", "80", "TCP", RS6, "80"};

    static final String ACTIVE = "node_ipvs_backend_connections_active";
    static final String INACTIVE = "node_ipvs_backend_connections_inactive";
    static final String WEIGHT = "node_ipvs_backend_weight";

    static final String NODE_EXPORTER_FAMILIES = lines(
            "# HELP node_ipvs_backend_connections_active The current active connections by local and remote address.",
            "# TYPE node_ipvs_backend_connections_active gauge",
            backend(ACTIVE, 1, FWM5), backend(ACTIVE, 0, FWM26), backend(ACTIVE, 2, DR443),
            backend(ACTIVE, 1, NAT80), backend(ACTIVE, 1, DR6),
            "# HELP node_ipvs_backend_connections_inactive The current inactive connections by local and remote address.",
            "# TYPE node_ipvs_backend_connections_inactive gauge",
            backend(INACTIVE, 0, FWM5), backend(INACTIVE, 0, FWM26), backend(INACTIVE, 0, DR443),
            backend(INACTIVE, 0, NAT80), backend(INACTIVE, 0, DR6),
            "# HELP node_ipvs_backend_weight The current backend weight by local and remote address.",
            "# TYPE node_ipvs_backend_weight gauge",
            backend(WEIGHT, 1, FWM5), backend(WEIGHT, 4, FWM26), backend(WEIGHT, 3, DR443),
            backend(WEIGHT, 1, NAT80), backend(WEIGHT, 2, DR6),
            "# HELP node_ipvs_connections_total The total number of connections made.",
            "# TYPE node_ipvs_connections_total counter",
            "node_ipvs_connections_total 5",
            "# HELP node_ipvs_incoming_bytes_total The total amount of incoming data.",
            "# TYPE node_ipvs_incoming_bytes_total counter",
            "node_ipvs_incoming_bytes_total 318",                      // 80 + 98 + 40 + 60 + 40
            "# HELP node_ipvs_incoming_packets_total The total number of incoming packets.",
            "# TYPE node_ipvs_incoming_packets_total counter",
            "node_ipvs_incoming_packets_total 7",
            "# HELP node_ipvs_outgoing_bytes_total The total amount of outgoing data.",
            "# TYPE node_ipvs_outgoing_bytes_total counter",
            "node_ipvs_outgoing_bytes_total 40",
            "# HELP node_ipvs_outgoing_packets_total The total number of outgoing packets.",
            "# TYPE node_ipvs_outgoing_packets_total counter",
            "node_ipvs_outgoing_packets_total 1");

    @Test
    void nodeExporterFamiliesExactly() {
        traffic();
        String text = IpvsMetrics.of(d).render();
        assertThat(text.substring(text.indexOf("# HELP node_ipvs_"))).isEqualTo(NODE_EXPORTER_FAMILIES);
    }

    @Test
    void jlvsFamilies() {
        traffic();
        String text = IpvsMetrics.of(d).render();
        String jlvs = text.substring(0, text.indexOf("# HELP node_ipvs_"));
        assertThat(jlvs).startsWith(lines(
                "# HELP jlvs_conn_table_capacity Connections and templates the connection table can hold.",
                "# TYPE jlvs_conn_table_capacity gauge",
                "jlvs_conn_table_capacity 1280",
                "# HELP jlvs_conn_table_entries Connections and templates in the connection table.",
                "# TYPE jlvs_conn_table_entries gauge",
                "jlvs_conn_table_entries 5",
                "# HELP jlvs_conn_table_full_drops_total New connections refused because the connection table was full.",
                "# TYPE jlvs_conn_table_full_drops_total counter",
                "jlvs_conn_table_full_drops_total 0",
                "# HELP jlvs_drops_total Frames dropped by the director, by reason.",
                "# TYPE jlvs_drops_total counter"));
        assertThat(jlvs).endsWith(lines(
                "# HELP jlvs_frames_total Frames the director did not drop, by verdict: transmitted, delivered to the"
                        + " local stack, passed on.",
                "# TYPE jlvs_frames_total counter",
                "jlvs_frames_total{verdict=\"local\"} 0",
                "jlvs_frames_total{verdict=\"passed\"} 1",
                "jlvs_frames_total{verdict=\"transmitted\"} 8"));
        List<String> drops = jlvs.lines().filter(l -> l.startsWith("jlvs_drops_total{")).toList();
        assertThat(drops).hasSize(DropReason.COUNT).isSorted()
                .contains("jlvs_drops_total{reason=\"no_real_server\"} 1",
                        "jlvs_drops_total{reason=\"truncated_ethernet\"} 1",
                        "jlvs_drops_total{reason=\"conn_table_full\"} 0");
        assertThat(drops.stream().filter(l -> !l.endsWith(" 0"))).hasSize(2);
    }

    @Test
    void emptyModelHasNoBackendFamiliesAndZeroTotals() {
        String text = IpvsMetrics.of(d).render();
        assertThat(text).doesNotContain("node_ipvs_backend_")
                .contains(lines("# TYPE node_ipvs_connections_total counter", "node_ipvs_connections_total 0"))
                .contains("jlvs_conn_table_entries 0\n");
    }

    @Test
    void sameLabelsAreSummedAsTheCollectorDoes() {
        // the IPv4 and IPv6 services of one mark print the same FWM line; a tunnel dest of the IPv6 one may be IPv4
        run("-A -f 9 -s rr");
        run("-a -f 9 -r " + RS1 + ":0 -g -w 2");
        run("-A -f 9 -6 -s rr");
        run("-a -f 9 -6 -r " + RS1 + ":0 -i -w 5");                  // mixed family: tunnel only
        String text = IpvsMetrics.of(d).render();
        assertThat(text).contains(backend(WEIGHT, 7, "", "00000009", "0", "FWM", RS1, "0") + "\n");
    }

    @Test
    void addressesAsGoPrintsThem() {
        assertThat(IpvsMetrics.goIp(IpAddr.parse("192.0.2.1"))).isEqualTo("192.0.2.1");
        assertThat(IpvsMetrics.goIp(IpAddr.parse("2001:0db8:0000:0000:0000:0000:0000:0001"))).isEqualTo("2001:db8::1");
        assertThat(IpvsMetrics.goIp(IpAddr.parse("::ffff:192.0.2.1"))).isEqualTo("192.0.2.1");
        assertThat(IpvsMetrics.goIp(IpAddr.parse("::192.0.2.1"))).isEqualTo("::c000:201");
        assertThat(IpvsMetrics.goIp(IpAddr.parse("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");
        assertThat(IpvsMetrics.goIp(IpAddr.parse("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpvsMetrics.goIp(IpAddr.parse("2001:0:0:1:0:0:1:1"))).isEqualTo("2001::1:0:0:1:1");
        assertThat(IpvsMetrics.goIp(IpAddr.parse("::"))).isEqualTo("::");
        assertThat(IpvsMetrics.goIp(IpAddr.parse("fe80::"))).isEqualTo("fe80::");
    }
}
