package io.jlvs.daemon.dataplane;

import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalReplyRouteTest {
    static final IpAddr HOST4 = IpAddr.parse("198.51.100.1"), HOST6 = IpAddr.parse("2001:db8:1::1");
    private final List<String> commands = new ArrayList<>();

    private static List<VirtualService> services() {
        VirtualService web = VirtualService.of(ServiceKey.tcp("192.0.2.10", 80), SchedulerRegistry.create("rr"));
        web.addDest(RealServerSpec.nat(HOST4, 8080, 1));                           // local, NAT: its replies
        web.addDest(RealServerSpec.nat(IpAddr.parse("198.51.100.11"), 80, 1));      // remote
        web.addDest(RealServerSpec.dr(HOST4, 80, 1));                              // local, unchanged: replies from the VIP
        VirtualService dns = VirtualService.of(ServiceKey.udp("2001:db8:c::10", 53), SchedulerRegistry.create("rr"));
        dns.addDest(RealServerSpec.nat(HOST6, 5353, 1));
        VirtualService mark = VirtualService.of(ServiceKey.fwmark(IpAddr.AF_INET, 7), SchedulerRegistry.create("rr"));
        mark.addDest(RealServerSpec.nat(HOST4, 9000, 1));                          // fwmark: any protocol with ports
        return List.of(web, dns, mark);
    }

    private LocalReplyRoute recording() {
        return new LocalReplyRoute((argv, stdin) -> commands.add(String.join(" ", argv) + (stdin.isEmpty() ? "" : "\n" + stdin)),
                "jlvslocal0");
    }

    @Test
    void onlyMasqueradingRealServersWithTheHostsAddressesAreRouted() {
        List<String> v4 = new ArrayList<>(), v6 = new ArrayList<>();
        LocalReplyRoute.elements(services(), List.of(HOST4, HOST6), v4, v6);
        assertThat(v4).containsExactly("198.51.100.1 . sctp . 9000", "198.51.100.1 . tcp . 8080",
                "198.51.100.1 . tcp . 9000", "198.51.100.1 . udp . 9000");
        assertThat(v6).containsExactly("2001:db8:1::1 . udp . 5353");
        v4.clear();
        v6.clear();
        LocalReplyRoute.elements(services(), List.of(), v4, v6);                   // not the host's: nothing
        assertThat(v4).isEmpty();
        assertThat(v6).isEmpty();
    }

    @Test
    void installRemovesLeftoversThenMarksAndRoutesIntoTheDevice() throws IOException {
        LocalReplyRoute r = recording();
        r.install();
        assertThat(commands).containsExactly(
                "nft delete table inet jlvs",
                "ip -4 rule del pref 27244",
                "ip -4 route flush table 27244",
                "ip -6 rule del pref 27244",
                "ip -6 route flush table 27244",
                "nft -f -\n" + LocalReplyRoute.tableScript(),
                "ip -4 route replace default dev jlvslocal0 table 27244",
                "ip -4 rule add pref 27244 fwmark 0x6a6c lookup 27244",
                "ip -6 route replace default dev jlvslocal0 table 27244",
                "ip -6 rule add pref 27244 fwmark 0x6a6c lookup 27244");
        assertThat(LocalReplyRoute.tableScript())
                .contains("type route hook output priority mangle")
                .contains("ip saddr . meta l4proto . th sport @lrs4 meta mark set 0x6a6c")
                .contains("ip6 saddr . meta l4proto . th sport @lrs6 meta mark set 0x6a6c");
    }

    @Test
    void syncRewritesTheSetsOnlyWhenTheyChangeAndTellsWhetherAnyIsLocal() throws IOException {
        LocalReplyRoute r = recording();
        r.install();
        commands.clear();
        assertThat(r.sync(services(), List.of(HOST4, HOST6))).isTrue();
        assertThat(r.sync(services(), List.of(HOST4, HOST6))).isTrue();
        assertThat(commands).hasSize(1);
        assertThat(commands.getFirst()).contains("flush set inet jlvs lrs4", "add element inet jlvs lrs4 { 198.51.100.1 . sctp . 9000, ",
                "add element inet jlvs lrs6 { 2001:db8:1::1 . udp . 5353 }");
        assertThat(r.sync(services(), List.of())).isFalse();
        assertThat(commands).hasSize(2);
        assertThat(commands.getLast()).doesNotContain("add element");
        r.close();
        assertThat(commands.getLast()).isEqualTo("ip -6 route flush table 27244");
        assertThat(commands).contains("nft delete table inet jlvs");
    }

    @Test
    void withoutIpv6TheIpv4PathIsStillInstalledButAnIpv4FailureIsAnError() throws IOException {
        LocalReplyRoute noV6 = new LocalReplyRoute((argv, stdin) -> {
            if (argv.contains("-6") && argv.contains("add")) throw new IOException("ip: RTNETLINK answers: Permission denied");
            commands.add(String.join(" ", argv));
        }, "jlvslocal0");
        noV6.install();
        assertThat(commands).contains("ip -4 rule add pref 27244 fwmark 0x6a6c lookup 27244");
        LocalReplyRoute noTable = new LocalReplyRoute((argv, stdin) -> {
            if (argv.getFirst().equals("nft") && argv.contains("-f")) throw new IOException("nft: Operation not supported");
        }, "jlvslocal0");
        assertThatThrownBy(noTable::install).hasMessageContaining("Operation not supported");
    }

    /** The table, sets, rules and routes are accepted by the real nft and ip, in a namespace of our own. */
    @Test
    @Tag("netns")
    void realNftAndIpAcceptThem() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "SKIPPED: needs root (CI runs as root)");
        Assumptions.assumeTrue(run("nft", "--version") == 0, "SKIPPED: nft missing (./jlvs test installs nftables)");
        String ns = "jlvslr" + ProcessHandle.current().pid() % 100000;
        try {
            assertThat(run("ip", "netns", "add", ns)).isZero();
            assertThat(run("ip", "-n", ns, "link", "add", "jlvslr0", "type", "veth", "peer", "name", "jlvslr1")).isZero();
            assertThat(run("ip", "-n", ns, "link", "set", "jlvslr0", "up")).isZero();
            LocalReplyRoute r = new LocalReplyRoute((argv, stdin) -> {
                List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
                cmd.addAll(argv);
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                try (var in = p.getOutputStream()) { in.write(stdin.getBytes(StandardCharsets.UTF_8)); }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                try {
                    if (p.waitFor() != 0) throw new IOException(argv + ": " + out);
                } catch (InterruptedException e) { throw new IOException(e); }
            }, "jlvslr0");
            r.install();
            r.install();                                                   // leftovers of a crashed run are replaced
            assertThat(r.sync(services(), List.of(HOST4, HOST6))).isTrue();
            assertThat(output(ns, "nft", "list", "table", "inet", "jlvs")).contains("198.51.100.1 . tcp . 8080")
                    .contains("2001:db8:1::1 . udp . 5353");
            assertThat(output(ns, "ip", "-4", "rule")).containsOnlyOnce("27244:").contains("fwmark 0x6a6c lookup 27244");
            assertThat(output(ns, "ip", "-6", "rule")).containsOnlyOnce("27244:");
            assertThat(output(ns, "ip", "-4", "route", "show", "table", "27244")).contains("default dev jlvslr0");
            r.close();
            assertThat(output(ns, "nft", "list", "tables")).doesNotContain("jlvs");
            assertThat(output(ns, "ip", "-4", "rule")).doesNotContain("27244");
            assertThat(output(ns, "ip", "-6", "rule")).doesNotContain("27244");
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    private static String output(String ns, String... cmd) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }
}
