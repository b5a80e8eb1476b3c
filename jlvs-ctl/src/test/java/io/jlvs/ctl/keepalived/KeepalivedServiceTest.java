package io.jlvs.ctl.keepalived;

import io.jlvs.service.IpAddr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** keepalived.conf driving a table through the control API: start, verdicts, reload, refusals. */
class KeepalivedServiceTest {
    static final String CONF = """
            virtual_server 192.0.2.10 80 {
              protocol TCP
              lb_algo rr
              lb_kind NAT
              real_server 203.0.113.11 80 {
                weight 2
                HTTP_GET {
                  url {
                    path /
                  }
                }
              }
              real_server 203.0.113.12 80 {
                weight 1
              }
            }
            """;

    @TempDir
    Path dir;
    final Table t = new Table();
    final List<String> events = new ArrayList<>();

    KeepalivedService service(String text) throws IOException {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, text);
        KeepalivedService s = new KeepalivedService(t.control, f, "h");
        s.addListener(new KeepalivedService.Listener() {
            @Override
            public void started(KeepalivedConf conf) { events.add("started " + conf.realServers().size()); }

            @Override
            public void reloaded(KeepalivedConf old, KeepalivedConf now, ConfigDiff diff) {
                events.add("reloaded +" + diff.added().size() + " -" + diff.removed().size() + " kept " + diff.checkersKept().size());
            }

            @Override
            public void quorumChanged(VirtualServerConf vs, LvsState.QuorumChange q) {
                events.add("quorum " + (q.up() ? "up" : "down") + " " + vs.key());
            }
        });
        return s;
    }

    @Test
    void startProgramsTheTableThroughTheControlApi() throws IOException {
        KeepalivedService s = service(CONF);
        KeepalivedService.Applied a = s.start();
        assertThat(a.applied()).isTrue();
        assertThat(a.failures()).isEmpty();
        assertThat(t.save()).isEqualTo("""
                -A -t 192.0.2.10:80 -s rr
                -a -t 192.0.2.10:80 -r 203.0.113.11:80 -m -w 2
                -a -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 1
                """);
        assertThat(events).containsExactly("started 2", "quorum up TCP 192.0.2.10:80");
        assertThat(s.conf().virtualServers()).hasSize(1);
    }

    @Test
    void anInvalidFileIsNotApplied() throws IOException {
        KeepalivedService s = service(CONF.replace("weight 2", "weight two"));
        KeepalivedService.Applied a = s.start();
        assertThat(a.applied()).isFalse();
        assertThat(a.loaded().messages().report()).contains("keepalived.conf:6: error: weight: invalid number 'two'");
        assertThat(t.save()).isEmpty();
        assertThat(s.conf()).isNull();
        assertThat(events).isEmpty();
    }

    @Test
    void verdictsGoToTheTable() throws IOException {
        KeepalivedService s = service(CONF);
        s.start();
        RealServerId id = s.conf().realServers().getFirst().id();
        assertThat(s.setAlive(id, false).ops()).extracting(TableOp::toString).containsExactly("-d -t 192.0.2.10:80 -r 203.0.113.11:80");
        KeepalivedService.Applied down = s.setAlive(s.conf().realServers().get(1).id(), false);
        assertThat(down.quorum()).singleElement().extracting(LvsState.QuorumChange::up).isEqualTo(false);
        assertThat(events).endsWith("quorum down TCP 192.0.2.10:80");
        s.setAlive(s.conf().realServers().get(1).id(), true);
        assertThat(t.save()).doesNotContain("203.0.113.11");
        s.setAlive(id, true);
        s.setWeight(id, 7);
        assertThat(t.save()).contains("-a -t 192.0.2.10:80 -r 203.0.113.11:80 -m -w 7");
    }

    @Test
    void reloadAppliesTheDifferenceAndTellsTheListener() throws IOException {
        KeepalivedService s = service(CONF);
        s.start();
        Files.writeString(s.file(), CONF.replace("weight 1", "weight 4").replace("lb_algo rr", "lb_algo wrr"));
        KeepalivedService.Applied a = s.reload();
        assertThat(a.applied()).isTrue();
        assertThat(a.ops()).extracting(TableOp::toString).containsExactly("-E -t 192.0.2.10:80 -s wrr",
                "-e -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 4");
        assertThat(a.diff().changed()).hasSize(1);
        assertThat(events).containsExactly("started 2", "quorum up TCP 192.0.2.10:80", "reloaded +0 -0 kept 2");
        assertThat(t.save()).contains("-s wrr", "203.0.113.12:80 -m -w 4");
    }

    @Test
    void aBrokenFileIsRefusedAndTheRunningConfigurationStays() throws IOException {
        KeepalivedService s = service(CONF);
        s.start();
        String before = t.save();
        Files.writeString(s.file(), CONF + "virtual_server 192.0.2.20 80 {\n");
        KeepalivedService.Applied a = s.reload();
        assertThat(a.applied()).isFalse();
        assertThat(a.loaded().messages().report()).contains("keepalived.conf:17: error: missing '}'");
        assertThat(t.save()).isEqualTo(before);
        assertThat(s.conf().virtualServers()).hasSize(1);
        assertThat(events).containsExactly("started 2", "quorum up TCP 192.0.2.10:80");
    }

    @Test
    void whenTheTableWasChangedByHandTheOperationsApplyOneByOne() throws IOException {
        KeepalivedService s = service(CONF);
        s.start();
        t.run("-d -t 192.0.2.10:80 -r 203.0.113.12:80");                // someone removed it with jlvsadm
        Files.writeString(s.file(), CONF.replace("weight 1", "weight 4").replace("weight 2", "weight 3"));
        KeepalivedService.Applied a = s.reload();
        assertThat(a.failures()).singleElement().asString()
                .isEqualTo("-e -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 4: No such destination");
        assertThat(t.save()).contains("203.0.113.11:80 -m -w 3");           // the other line was applied
    }

    @Test
    void theStartsDownPredicateIsUsedForNewServers() throws IOException {
        KeepalivedService s = service(CONF);
        s.startsDown(r -> r.addr().equals(IpAddr.parse("203.0.113.11")));
        s.start();
        assertThat(t.save()).doesNotContain("203.0.113.11");
    }
}
