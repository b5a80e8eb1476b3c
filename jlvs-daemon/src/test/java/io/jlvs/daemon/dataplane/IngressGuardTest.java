package io.jlvs.daemon.dataplane;

import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
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

class IngressGuardTest {
    private final List<String> scripts = new ArrayList<>();

    private static List<VirtualService> services() {
        VirtualService nat = VirtualService.of(ServiceKey.tcp("192.0.2.10", 80), SchedulerRegistry.create("rr"));
        nat.addDest(RealServerSpec.nat(IpAddr.parse("198.51.100.11"), 8080, 1));
        nat.addDest(RealServerSpec.dr(IpAddr.parse("198.51.100.12"), 80, 1));
        VirtualService v6 = VirtualService.of(ServiceKey.udp("2001:db8::10", 53), SchedulerRegistry.create("rr"));
        v6.addDest(RealServerSpec.nat(IpAddr.parse("2001:db8:1::11"), 53, 1));
        VirtualService mark = VirtualService.of(ServiceKey.fwmark(IpAddr.AF_INET, 7), SchedulerRegistry.create("rr"));
        return List.of(nat, v6, mark);
    }

    @Test
    void setsHoldVipsNatRealServersAndLocalAddresses() {
        String s = IngressGuard.setsScript(services(), List.of(IpAddr.parse("198.51.100.1")));
        assertThat(s).contains("add element netdev jlvs vip4 { 192.0.2.10 }")
                .contains("add element netdev jlvs vip6 { 2001:db8::10 }")
                .contains("add element netdev jlvs rs4 { 198.51.100.11 . tcp . 8080 }")
                .contains("add element netdev jlvs rs6 { 2001:db8:1::11 . udp . 53 }")
                .contains("add element netdev jlvs rsaddr4 { 198.51.100.11 }")
                .contains("add element netdev jlvs local4 { 198.51.100.1 }")
                .doesNotContain("198.51.100.12");   // a DR real server's packets never come back through the director
        assertThat(s.lines().filter(l -> l.startsWith("flush set"))).hasSize(8);
    }

    @Test
    void aRemovedNatRealServerWhoseConnectionsLiveOnStaysHidden() {
        VirtualService nat = VirtualService.of(ServiceKey.tcp("192.0.2.10", 80), SchedulerRegistry.create("rr"));
        RealServer busy = nat.addDest(RealServerSpec.nat(IpAddr.parse("198.51.100.13"), 80, 1));
        RealServer idle = nat.addDest(RealServerSpec.nat(IpAddr.parse("198.51.100.14"), 80, 1));
        busy.bindConn(true);                                                // a download runs on it
        nat.removeDest(busy);                                               // ipvsadm -d
        nat.removeDest(idle);
        String s = IngressGuard.setsScript(List.of(nat), List.of());
        assertThat(s).contains("add element netdev jlvs rs4 { 198.51.100.13 . tcp . 80 }")
                .contains("add element netdev jlvs rsaddr4 { 198.51.100.13 }")
                .doesNotContain("198.51.100.14");
    }

    @Test
    void syncRunsOnlyWhenSomethingChanged() throws IOException {
        IngressGuard g = new IngressGuard(scripts::add);
        g.install();
        g.sync(services(), List.of());
        g.sync(services(), List.of());
        assertThat(scripts).hasSize(3);   // delete leftover, table, one sets transaction
        g.sync(List.of(), List.of());
        assertThat(scripts).hasSize(4);
        g.close();
        assertThat(scripts.getLast()).isEqualTo("delete table netdev jlvs\n");
    }

    @Test
    void refusesInterfaceNamesThatCouldInjectScript() {
        IngressGuard g = new IngressGuard(scripts::add);
        assertThatThrownBy(() -> g.serve("eth0\"; flush ruleset")).isInstanceOf(IOException.class)
                .hasMessageContaining("bad interface name");
        assertThat(scripts).isEmpty();
    }

    @Test
    void aFailedChainIsNotRememberedAsServed() throws IOException {
        IngressGuard g = new IngressGuard(script -> { throw new IOException("nft: No such device"); });
        assertThatThrownBy(() -> g.serve("jlvsnone0")).hasMessageContaining("No such device");
        assertThat(g.served()).isEmpty();
    }

    /** The scripts are accepted by the real nft, in a namespace of our own. */
    @Test
    @Tag("netns")
    void realNftAcceptsTheScripts() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "SKIPPED: needs root (CI runs as root)");
        Assumptions.assumeTrue(run("nft", "--version") == 0, "SKIPPED: nft missing (./jlvs test installs nftables)");
        String ns = "jlvsig" + ProcessHandle.current().pid() % 100000;
        try {
            assertThat(run("ip", "netns", "add", ns)).isZero();
            assertThat(run("ip", "-n", ns, "link", "add", "jlvsig0", "type", "veth", "peer", "name", "jlvsig1")).isZero();
            IngressGuard g = new IngressGuard(script -> {
                Process p = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "-f", "-").redirectErrorStream(true).start();
                try (var in = p.getOutputStream()) { in.write(script.getBytes(StandardCharsets.UTF_8)); }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                try {
                    if (p.waitFor() != 0) throw new IOException("nft: " + out);
                } catch (InterruptedException e) { throw new IOException(e); }
            });
            g.install();
            g.install();   // a leftover table is replaced
            g.serve("jlvsig0");
            g.sync(services(), List.of(IpAddr.parse("198.51.100.1"), IpAddr.parse("2001:db8:1::1")));
            Process list = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "list", "table", "netdev", "jlvs").start();
            String text = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            list.waitFor();
            assertThat(text).contains("198.51.100.11 . tcp . 8080").contains("hook ingress device \"jlvsig0\"");
            g.close();
            Process after = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "list", "tables").start();
            assertThat(new String(after.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).doesNotContain("jlvs");
            after.waitFor();
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }
}
