package io.jlvs.ctl.keepalived;

import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reload as a diff: {@link ConfigDiff} (pure) and the table operations {@link LvsState#reload} issues. */
class ReloadTest {
    static final String BASE = """
            global_defs {
              lvs_timeouts tcp 900
            }
            virtual_server 192.0.2.10 80 {
              protocol TCP
              lb_algo wrr
              lb_kind NAT
              real_server 203.0.113.11 80 {
                weight 2
                TCP_CHECK {
                  connect_timeout 3
                }
              }
              real_server 203.0.113.12 80 {
                weight 1
                TCP_CHECK {
                  connect_timeout 3
                }
              }
            }
            virtual_server 192.0.2.20 53 {
              protocol UDP
              lb_algo rr
              lb_kind DR
              real_server 203.0.113.21 53 {
              }
            }
            """;

    static List<String> ops(String old, String now) {
        return LvsState.diffOps(Table.conf(old), Table.conf(now)).stream().map(TableOp::toString).toList();
    }

    /** The table after start(old) then reload(now) is the table a fresh start(now) makes. */
    static void sameAsFreshStart(String old, String now) {
        KeepalivedConf o = Table.conf(old), n = Table.conf(now);
        LvsState.Start s = LvsState.start(o, r -> false);
        Table t = new Table().apply(s.ops());
        t.apply(s.state().reload(n, r -> false));
        assertThat(t.save()).isEqualTo(new Table().apply(LvsState.start(n, r -> false).ops()).save());
    }

    @Test
    void theSameFileChangesNothing() {
        assertThat(ops(BASE, BASE)).isEmpty();
        assertThat(ConfigDiff.compute(Table.conf(BASE), Table.conf(BASE)).isEmpty()).isTrue();
    }

    @Test
    void movingLinesAroundOrAddingCommentsChangesNothing() {
        String moved = "# a comment\n\n" + BASE.replace("connect_timeout 3", "connect_timeout 3 ! three seconds");
        assertThat(ops(BASE, moved)).isEmpty();
        ConfigDiff d = ConfigDiff.compute(Table.conf(BASE), Table.conf(moved));
        assertThat(d.isEmpty()).isTrue();
        assertThat(d.unchanged()).hasSize(3);
    }

    @Test
    void aWeightChangeIsOneEdit() {
        String now = BASE.replace("weight 2", "weight 5");
        assertThat(ops(BASE, now)).containsExactly("-e -t 192.0.2.10:80 -r 203.0.113.11:80 -m -w 5");
        ConfigDiff d = ConfigDiff.compute(Table.conf(BASE), Table.conf(now));
        assertThat(d.changed()).singleElement().satisfies(c -> {
            assertThat(c.tableChanged()).isTrue();
            assertThat(c.checkersChanged()).isFalse();
        });
        assertThat(d.checkersKept()).hasSize(3);
        assertThat(d.unchanged()).extracting(id -> id.addr().toString()).containsExactly("203.0.113.12", "203.0.113.21");
        sameAsFreshStart(BASE, now);
    }

    @Test
    void thresholdsAndMethodChangesAreEdits() {
        String now = BASE.replace("weight 1\n", "weight 1\n    uthreshold 50\n    lvs_method TUN\n");
        assertThat(ops(BASE, now)).containsExactly("-e -t 192.0.2.10:80 -r 203.0.113.12:80 -i -w 1 -x 50");
        sameAsFreshStart(BASE, now);
    }

    @Test
    void changedCheckersAreReportedForTheRunnerButTouchNoTable() {
        String now = BASE.replaceFirst("connect_timeout 3", "connect_timeout 4");
        assertThat(ops(BASE, now)).isEmpty();
        ConfigDiff d = ConfigDiff.compute(Table.conf(BASE), Table.conf(now));
        assertThat(d.changed()).singleElement().satisfies(c -> {
            assertThat(c.tableChanged()).isFalse();
            assertThat(c.checkersChanged()).isTrue();
            assertThat(c.now().addr()).isEqualTo(IpAddr.parse("203.0.113.11"));
        });
        assertThat(d.checkersKept()).hasSize(2);
    }

    @Test
    void realServersAddedAndRemoved() {
        String now = BASE.replace("  real_server 203.0.113.12 80 {\n    weight 1\n", "  real_server 203.0.113.13 80 {\n    weight 1\n");
        assertThat(ops(BASE, now)).containsExactly("-d -t 192.0.2.10:80 -r 203.0.113.12:80",
                "-a -t 192.0.2.10:80 -r 203.0.113.13:80 -m -w 1");
        ConfigDiff d = ConfigDiff.compute(Table.conf(BASE), Table.conf(now));
        assertThat(d.added()).extracting(id -> id.addr().toString()).containsExactly("203.0.113.13");
        assertThat(d.removed()).extracting(id -> id.addr().toString()).containsExactly("203.0.113.12");
        sameAsFreshStart(BASE, now);
    }

    @Test
    void aNewAlphaServerStartsDown() {
        String now = BASE.replace("  real_server 203.0.113.12 80 {\n    weight 1\n",
                "  real_server 203.0.113.13 80 {\n    alpha\n    TCP_CHECK {\n    }\n  }\n  real_server 203.0.113.12 80 {\n    weight 1\n");
        KeepalivedConf o = Table.conf(BASE), n = Table.conf(now);
        LvsState st = LvsState.start(o).state();
        assertThat(st.reload(n)).isEmpty();
        RealServerId added = new RealServerId(n.virtualServers().getFirst().key(), IpAddr.parse("203.0.113.13"), 80);
        assertThat(st.isAlive(added)).isFalse();
        assertThat(st.setAlive(added, true)).extracting(TableOp::toString).containsExactly("-a -t 192.0.2.10:80 -r 203.0.113.13:80 -m -w 1");
    }

    @Test
    void virtualServersAddedAndRemoved() {
        String now = BASE.replace("192.0.2.20 53", "192.0.2.30 53");
        assertThat(ops(BASE, now)).containsExactly("-D -u 192.0.2.20:53", "-A -u 192.0.2.30:53 -s rr",
                "-a -u 192.0.2.30:53 -r 203.0.113.21:53 -g -w 1");
        ConfigDiff d = ConfigDiff.compute(Table.conf(BASE), Table.conf(now));
        assertThat(d.changes()).hasExactlyElementsOfTypes(ConfigDiff.VirtualServerRemoved.class,
                ConfigDiff.VirtualServerAdded.class, ConfigDiff.RealServerAdded.class);
        assertThat(d.removed()).hasSize(1);
        sameAsFreshStart(BASE, now);
    }

    @Test
    void serviceOptionsAreOneEdit() {
        String now = BASE.replace("lb_algo wrr", "lb_algo wlc\n  persistence_timeout 120");
        assertThat(ops(BASE, now)).containsExactly("-E -t 192.0.2.10:80 -s wlc -p 120");
        sameAsFreshStart(BASE, now);
    }

    @Test
    void timeoutsAreSetAgainWhenTheyChange() {
        assertThat(ops(BASE, BASE.replace("tcp 900", "tcp 600"))).containsExactly("--set 600 0 0");
    }

    @Test
    void aGroupThatGrowsAndShrinks() {
        String old = "virtual_server_group G {\n 192.0.2.1-3 80\n fwmark 7\n}\n"
                + "virtual_server group G {\n protocol TCP\n lb_algo rr\n lb_kind DR\n real_server 203.0.113.11 {\n }\n}\n";
        String now = old.replace("192.0.2.1-3 80", "192.0.2.2-4 80");
        assertThat(ops(old, now)).containsExactly("-D -t 192.0.2.1:80", "-A -t 192.0.2.4:80 -s rr",
                "-a -t 192.0.2.4:80 -r 203.0.113.11:80 -g -w 1");
        sameAsFreshStart(old, now);
    }

    @Test
    void unchangedServersKeepTheirTableEntriesWithTheirCounters() {
        KeepalivedConf o = Table.conf(BASE);
        LvsState.Start s = LvsState.start(o);
        Table t = new Table().apply(s.ops());
        VirtualService svc = t.table.get(ServiceKey.tcp("192.0.2.10", 80));
        RealServer kept = svc.findDest(IpAddr.parse("203.0.113.12"), 80);
        RealServer edited = svc.findDest(IpAddr.parse("203.0.113.11"), 80);
        VirtualService udp = t.table.get(ServiceKey.udp("192.0.2.20", 53));
        t.apply(s.state().reload(Table.conf(BASE.replace("weight 2", "weight 7").replace("lb_algo wrr", "lb_algo rr"))));
        assertThat(t.table.get(ServiceKey.tcp("192.0.2.10", 80))).isSameAs(svc);
        assertThat(svc.findDest(IpAddr.parse("203.0.113.12"), 80)).isSameAs(kept);
        assertThat(svc.findDest(IpAddr.parse("203.0.113.11"), 80)).isSameAs(edited);
        assertThat(edited.weight()).isEqualTo(7);
        assertThat(t.table.get(ServiceKey.udp("192.0.2.20", 53))).isSameAs(udp);
    }

    @Test
    void aDownServerStaysDownAcrossAReloadAndTakesItsNewWeightWhenItComesBack() {
        KeepalivedConf o = Table.conf(BASE);
        LvsState.Start s = LvsState.start(o);
        LvsState st = s.state();
        Table t = new Table().apply(s.ops());
        RealServerId rs11 = new RealServerId(o.virtualServers().getFirst().key(), IpAddr.parse("203.0.113.11"), 80);
        t.apply(st.setAlive(rs11, false));
        assertThat(st.reload(Table.conf(BASE.replace("weight 2", "weight 9")))).isEmpty();
        assertThat(st.isAlive(rs11)).isFalse();
        assertThat(st.setAlive(rs11, true)).extracting(TableOp::toString).containsExactly("-a -t 192.0.2.10:80 -r 203.0.113.11:80 -m -w 9");
    }

    @Test
    void aDynamicWeightSurvivesAReloadThatDoesNotChangeTheConfiguredWeight() {
        KeepalivedConf o = Table.conf(BASE);
        LvsState st = LvsState.start(o).state();
        RealServerId rs11 = new RealServerId(o.virtualServers().getFirst().key(), IpAddr.parse("203.0.113.11"), 80);
        st.setWeight(rs11, 40);
        assertThat(st.reload(Table.conf(BASE.replace("lb_algo rr", "lb_algo sh")))).extracting(TableOp::toString)
                .containsExactly("-E -u 192.0.2.20:53 -s sh");
        assertThat(st.weight(rs11)).isEqualTo(40);
        assertThat(st.reload(Table.conf(BASE.replace("weight 2", "weight 3")))).extracting(TableOp::toString)
                .containsExactly("-e -t 192.0.2.10:80 -r 203.0.113.11:80 -m -w 3", "-E -u 192.0.2.20:53 -s rr");
    }

    @Test
    void inhibitTurnedOnForADownServerPutsItBackWithWeightZero() {
        KeepalivedConf o = Table.conf(BASE);
        LvsState st = LvsState.start(o).state();
        RealServerId rs12 = new RealServerId(o.virtualServers().getFirst().key(), IpAddr.parse("203.0.113.12"), 80);
        st.setAlive(rs12, false);
        String inhibit = BASE.replace("weight 1\n", "weight 1\n    inhibit_on_failure\n");
        assertThat(st.reload(Table.conf(inhibit))).extracting(TableOp::toString)
                .containsExactly("-a -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 0");
        assertThat(st.reload(Table.conf(BASE))).extracting(TableOp::toString)
                .containsExactly("-d -t 192.0.2.10:80 -r 203.0.113.12:80");
    }

    @Test
    void aHigherQuorumOnReloadSwapsTheSorryServerIn() {
        String old = BASE.replace("lb_algo wrr", "lb_algo wrr\n  sorry_server 198.51.100.9 80");
        String now = old.replace("lb_algo wrr", "lb_algo wrr\n  quorum 3");
        KeepalivedConf o = Table.conf(old);
        LvsState st = LvsState.start(o).state();
        RealServerId rs11 = new RealServerId(o.virtualServers().getFirst().key(), IpAddr.parse("203.0.113.11"), 80);
        st.setAlive(rs11, false);                               // live weight 1 < 3
        assertThat(st.reload(Table.conf(now))).extracting(TableOp::toString).containsExactly(
                "-d -t 192.0.2.10:80 -r 203.0.113.12:80", "-a -t 192.0.2.10:80 -r 198.51.100.9:80 -m -w 1");
        assertThat(st.sorryActive(o.virtualServers().getFirst().key())).isTrue();
        // and the sorry server removed from the file while active: its stand-ins come back
        assertThat(st.reload(Table.conf(BASE.replace("lb_algo wrr", "lb_algo wrr\n  quorum 3")))).extracting(TableOp::toString)
                .containsExactly("-d -t 192.0.2.10:80 -r 198.51.100.9:80", "-a -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 1");
    }

    @Test
    void aChangedSorryServerReplacesTheOldOne() {
        String old = BASE.replace("lb_algo wrr", "lb_algo wrr\n  quorum 3\n  sorry_server 198.51.100.9 80");
        KeepalivedConf o = Table.conf(old);
        LvsState.Start s = LvsState.start(o, r -> r.addr().equals(IpAddr.parse("203.0.113.11")));
        assertThat(s.ops()).extracting(TableOp::toString).contains("-a -t 192.0.2.10:80 -r 198.51.100.9:80 -m -w 1");
        assertThat(s.state().reload(Table.conf(old.replace("198.51.100.9 80", "198.51.100.8 80")))).extracting(TableOp::toString)
                .containsExactly("-d -t 192.0.2.10:80 -r 198.51.100.9:80",
                        // without a sorry server the live server is back in the pool, until the quorum check puts
                        // the new sorry server in: both in one batch, the data path never sees the middle
                        "-a -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 1", "-d -t 192.0.2.10:80 -r 203.0.113.12:80",
                        "-a -t 192.0.2.10:80 -r 198.51.100.8:80 -m -w 1");
        sameAsFreshStart(old, old.replace("198.51.100.9 80", "198.51.100.8 80"));
    }
}
