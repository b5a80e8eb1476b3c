package io.jlvs.ctl.keepalived;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * keepalived's own documentation samples ({@code doc/samples/}, copied under src/test/resources): each loads
 * without error, names what it skips, and programs the table keepalived would (golden {@code ipvsadm -Sn}).
 */
class KeepalivedSamplesTest {
    static final List<String> MAIL = List.of("notification_email", "notification_email_from", "smtp_server",
            "smtp_connect_timeout");

    /** Sample file, the -Sn text after start, the keywords reported as skipped. */
    record Golden(String save, List<String> skipped) {}

    static final Map<String, Golden> GOLDEN = new TreeMap<>(Map.ofEntries(
            Map.entry("keepalived.conf.sample", new Golden("""
                    -A -t 10.10.10.2:1358 -s rr -p 50
                    -a -t 10.10.10.2:1358 -r 192.168.200.2:1358 -m -w 1
                    """, plus(MAIL, "vrrp_instance"))),
            Map.entry("keepalived.conf.virtual_server_group", new Golden(groupSave(), MAIL)),
            Map.entry("keepalived.conf.quorum", new Golden("""
                    -A -t 10.0.1.1:80 -s wrr -p 900
                    """, List.of())),
            Map.entry("keepalived.conf.inhibit", new Golden("""
                    -A -t 10.10.10.2:1358 -s rr -p 50
                    -a -t 10.10.10.2:1358 -r 192.168.200.2:1358 -m -w 1
                    """, MAIL)),
            Map.entry("keepalived.conf.fwmark", new Golden("""
                    -A -f 1 -s rr -p 900
                    -a -f 1 -r 192.168.201.100:0 -m -w 1
                    -a -f 1 -r 192.168.201.101:0 -m -w 1
                    """, List.of())),
            Map.entry("keepalived.conf.IPv6", new Golden("""
                    -A -t [ae00::1]:80 -s rr -p 50
                    -a -t [ae00::1]:80 -r [ae00::10]:25 -m -w 1
                    """, List.of())),
            Map.entry("keepalived.conf.SSL_GET", new Golden("""
                    -A -t 192.168.200.100:80 -s rr -p 50
                    -a -t 192.168.200.100:80 -r 192.168.201.100:80 -m -w 1
                    -A -t 192.168.200.100:443 -s rr -p 50
                    -a -t 192.168.200.100:443 -r 192.168.201.100:443 -m -w 1
                    """, plus(MAIL, "vrrp_instance"))),
            Map.entry("keepalived.conf.misc_check", new Golden("""
                    -A -t 10.10.10.2:1358 -s rr -p 50
                    -a -t 10.10.10.2:1358 -r 192.168.200.6:1358 -m -w 1
                    """, MAIL)),
            Map.entry("keepalived.conf.UDP_CHECK", new Golden("""
                    -A -u 10.10.10.2:1358 -s rr -p 50
                    -a -u 10.10.10.2:1358 -r 192.168.200.6:1358 -m -w 1
                    """, MAIL)),
            Map.entry("keepalived.conf.status_code", new Golden("""
                    -A -t 192.168.200.100:443 -s rr -p 50
                    -a -t 192.168.200.100:443 -r 192.168.201.100:443 -m -w 1
                    """, MAIL)),
            Map.entry("keepalived.conf.HTTP_GET.port", new Golden("""
                    -A -t 192.168.200.100:443 -s rr -p 50
                    -a -t 192.168.200.100:443 -r 192.168.201.100:443 -m -w 1
                    """, MAIL)),
            Map.entry("keepalived.conf.vrrp", new Golden("", plus(MAIL, "vrrp_instance", "vrrp_instance", "vrrp_instance",
                    "vrrp_instance"))),
            Map.entry("keepalived.conf.vrrp.lvs_syncd", new Golden("""
                    -A -t 192.168.200.19:80 -s rr -p 50
                    -a -t 192.168.200.19:80 -r 192.168.201.100:80 -m -w 1
                    """, List.of("vrrp_sync_group", "vrrp_instance", "vrrp_instance", "vrrp_instance"))),
            Map.entry("keepalived.conf.conditional_conf", new Golden("", List.of("net_namespace", "vrrp_script", "vrrp_instance")))));

    static List<String> plus(List<String> a, String... more) {
        return Stream.concat(a.stream(), Stream.of(more)).toList();
    }

    static String groupSave() {
        StringBuilder sb = new StringBuilder();
        for (String svc : List.of("192.168.200.1:1358", "192.168.200.3:80", "192.168.200.4:80", "192.168.200.5:80",
                "192.168.200.6:80", "192.168.200.7:80", "192.168.200.8:80", "192.168.200.9:80", "192.168.200.10:80",
                "10.0.0.1:8080", "10.0.0.2:80")) {
            sb.append("-A -t ").append(svc).append(" -s rr -p 50\n");
            sb.append("-a -t ").append(svc).append(" -r 192.168.200.1:1358 -m -w 1\n");
            sb.append("-a -t ").append(svc).append(" -r 192.168.200.2:1358 -m -w 1\n");
        }
        for (int mark = 1; mark <= 2; mark++) {
            sb.append("-A -f ").append(mark).append(" -s rr -p 50\n");
            sb.append("-a -f ").append(mark).append(" -r 192.168.200.1:1358 -m -w 1\n");
            sb.append("-a -f ").append(mark).append(" -r 192.168.200.2:1358 -m -w 1\n");
        }
        return sb.toString();
    }

    @Test
    void everySampleIsCovered() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/keepalived/samples"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".md")))
                    .containsExactlyInAnyOrderElementsOf(GOLDEN.keySet());
        }
    }

    @Test
    void everySampleLoadsProgramsTheTableAndNamesWhatItSkips() {
        for (Map.Entry<String, Golden> e : GOLDEN.entrySet()) {
            KeepalivedLoader.Result r = KeepalivedLoader.load(Table.sample(e.getKey()), "high");
            assertThat(r.valid()).as(e.getKey() + "\n" + r.messages().report()).isTrue();
            assertThat(Table.saveOf(r.conf())).as(e.getKey()).isEqualTo(e.getValue().save());
            assertThat(r.messages().of(ConfMessages.Kind.SKIPPED)).as(e.getKey())
                    .extracting(m -> m.text().substring(0, m.text().indexOf(':')))
                    .containsExactlyElementsOf(e.getValue().skipped());
            for (ConfMessages.Message m : r.messages().messages()) {
                assertThat(m.file()).endsWith(e.getKey());
                assertThat(m.line()).isPositive();
            }
        }
    }

    @Test
    void theFwmarkSampleSaysItsProtocolIsIgnored() {
        KeepalivedLoader.Result r = KeepalivedLoader.load(Table.sample("keepalived.conf.fwmark"), "h");
        assertThat(r.messages().of(ConfMessages.Kind.WARNING)).extracting(Object::toString).singleElement().asString()
                .endsWith("keepalived.conf.fwmark:7: warning: virtual server FWM 1: protocol specified for fwmark - protocol will be ignored");
    }

    @Test
    void theQuorumSampleIsDownUntilNineServersAreUp() {
        KeepalivedConf c = KeepalivedLoader.load(Table.sample("keepalived.conf.quorum"), "h").conf();
        VirtualServerConf v = c.virtualServers().getFirst();
        assertThat(v.quorum()).isEqualTo(7);
        assertThat(v.hysteresis()).isEqualTo(2);
        assertThat(v.quorumUp()).isEqualTo("/usr/local/sbin/quorum-up.sh");
        assertThat(v.realServers()).hasSize(10).allSatisfy(rs -> {
            assertThat(rs.startsDown()).isTrue();
            assertThat(rs.port()).isEqualTo(8080);
            assertThat(rs.checkers()).singleElement().extracting(ConfNode::keyword).isEqualTo("TCP_CHECK");
        });
    }

    @Test
    void theConditionalSampleFollowsTheConfigId() {
        for (String id : List.of("high", "low")) {
            KeepalivedLoader.Result r = KeepalivedLoader.load(Table.sample("keepalived.conf.conditional_conf"), id);
            ConfNode script = r.tree().stream().filter(n -> n.keyword().equals("vrrp_script")).findFirst().orElseThrow();
            assertThat(script.children().getFirst().args()).containsExactly("/etc/keepalived/scripts/check_" + id + "_VI_0.sh");
            ConfNode ns = r.tree().getFirst();
            assertThat(ns.keyword()).isEqualTo("net_namespace");
            assertThat(ns.args()).containsExactly(id);
        }
        KeepalivedLoader.Result none = KeepalivedLoader.load(Table.sample("keepalived.conf.conditional_conf"), "other");
        assertThat(none.tree()).extracting(ConfNode::keyword).containsExactly("vrrp_script", "vrrp_instance");
    }
}
