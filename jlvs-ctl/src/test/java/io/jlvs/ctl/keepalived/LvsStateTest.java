package io.jlvs.ctl.keepalived;

import io.jlvs.service.IpAddr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table keepalived programs at start and after each checker verdict, checked as {@code ipvsadm -Sn} text on a
 * jlvs table (golden outputs), and the operations themselves.
 */
class LvsStateTest {
    static final String EVERYTHING = """
            global_defs {
              lvs_timeouts tcp 7200 tcpfin 30 udp 60
              lvs_flush
            }
            virtual_server 192.0.2.10 80 {
              protocol TCP
              lb_algo sh
              sh-port
              lb_kind NAT
              persistence_timeout 600
              persistence_granularity 255.255.255.0
              real_server 203.0.113.11 8080 {
                weight 3
                uthreshold 100
                lthreshold 10
              }
              real_server 203.0.113.12 8080 {
                weight 0
              }
              real_server 203.0.113.13 {
                lvs_method DR
              }
              real_server 203.0.113.14 {
                lvs_method TUN type gue port 6080 csum
              }
              real_server 203.0.113.15 {
                lvs_method TUN type gre
              }
            }
            virtual_server 2001:db8::10 53 {
              protocol UDP
              lb_algo mh
              mh-fallback
              ops
              lb_kind DR
              persistence_granularity 64
              persistence_engine sip
              real_server 2001:db8::11 53 {
              }
            }
            virtual_server fwmark 42 {
              lb_algo rr
              lb_kind DR
              real_server 2001:db8::21 80 {
              }
            }
            virtual_server 192.0.2.20 443 {
              protocol SCTP
              lb_algo wrr
              flag-1
              flag-3
              lb_kind NAT
              real_server 203.0.113.31 443 {
              }
            }
            """;

    @Test
    void everyServiceOptionAndServerMethodAsIpvsadmSavesThem() {
        KeepalivedConf c = Table.conf(EVERYTHING);
        LvsState.Start s = LvsState.start(c);
        assertThat(s.ops()).extracting(TableOp::toString).startsWith("-C", "--set 7200 30 60",
                "-A -t 192.0.2.10:80 -s sh -p 600 -M 255.255.255.0 -b sh-port",
                "-a -t 192.0.2.10:80 -r 203.0.113.11:8080 -m -w 3 -x 100 -y 10");
        Table t = new Table().apply(s.ops());
        assertThat(t.save()).isEqualTo("""
                -A -t 192.0.2.10:80 -s sh -p 600 -M 255.255.255.0 -b sh-port
                -a -t 192.0.2.10:80 -r 203.0.113.11:8080 -m -w 3
                -a -t 192.0.2.10:80 -r 203.0.113.12:8080 -m -w 0
                -a -t 192.0.2.10:80 -r 203.0.113.13:80 -g -w 1
                -a -t 192.0.2.10:80 -r 203.0.113.14:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum
                -a -t 192.0.2.10:80 -r 203.0.113.15:80 -i -w 1 --tun-type gre --tun-nocsum
                -A --sctp-service 192.0.2.20:443 -s wrr -b flag-1,flag-3
                -a --sctp-service 192.0.2.20:443 -r 203.0.113.31:443 -m -w 1
                -A -u [2001:db8::10]:53 -s mh -p 360 -M 64 --pe sip -o -b mh-fallback
                -a -u [2001:db8::10]:53 -r [2001:db8::11]:53 -g -w 1
                -A -f 42 -6 -s rr
                -a -f 42 -6 -r [2001:db8::21]:0 -g -w 1
                """);
        assertThat(t.executor.timeouts().toString()).isEqualTo("Timeouts[tcpSec=7200, tcpFinSec=30, udpSec=60]");
        assertThat(t.executor.run(List.of("-L", "-n", "--thresholds", "-t", "192.0.2.10:80")).out())
                .contains("-> 203.0.113.11:8080            100        10 ");
    }

    @Test
    void lvsFlushClearsWhatWasThere() {
        Table t = new Table().run("-A -t 198.51.100.1:80 -s rr");
        t.apply(LvsState.start(Table.conf(EVERYTHING)).ops());
        assertThat(t.save()).doesNotContain("198.51.100.1");
    }

    @Test
    void aGroupProgramsEveryMemberWithTheEntryPortForDrServers() {
        KeepalivedConf c = Table.conf("""
                virtual_server_group G {
                  192.0.2.1-2 80
                  192.0.2.5 8080
                  fwmark 9
                }
                virtual_server group G {
                  protocol TCP
                  lb_algo rr
                  lb_kind DR
                  real_server 203.0.113.11 {
                  }
                  real_server 203.0.113.12 8443 {
                    lvs_method NAT
                  }
                }
                """);
        assertThat(Table.saveOf(c)).isEqualTo("""
                -A -t 192.0.2.1:80 -s rr
                -a -t 192.0.2.1:80 -r 203.0.113.11:80 -g -w 1
                -a -t 192.0.2.1:80 -r 203.0.113.12:8443 -m -w 1
                -A -t 192.0.2.2:80 -s rr
                -a -t 192.0.2.2:80 -r 203.0.113.11:80 -g -w 1
                -a -t 192.0.2.2:80 -r 203.0.113.12:8443 -m -w 1
                -A -t 192.0.2.5:8080 -s rr
                -a -t 192.0.2.5:8080 -r 203.0.113.11:8080 -g -w 1
                -a -t 192.0.2.5:8080 -r 203.0.113.12:8443 -m -w 1
                -A -f 9 -s rr
                -a -f 9 -r 203.0.113.11:0 -g -w 1
                -a -f 9 -r 203.0.113.12:8443 -m -w 1
                """);
    }

    // ---- alpha and inhibit ----

    static final String ALPHA = """
            virtual_server 192.0.2.10 80 {
              protocol TCP
              lb_algo rr
              lb_kind NAT
              alpha
              real_server 203.0.113.11 80 {
                TCP_CHECK {
                }
              }
              real_server 203.0.113.12 80 {
                inhibit_on_failure
                TCP_CHECK {
                }
              }
              real_server 203.0.113.13 80 {
                alpha off
                TCP_CHECK {
                }
              }
            }
            """;

    static RealServerId id(KeepalivedConf c, String addr) {
        return c.realServers().stream().filter(r -> r.addr().equals(IpAddr.parse(addr))).findFirst().orElseThrow().id();
    }

    @Test
    void alphaServersStartDownAndInhibitedOnesWithWeightZero() {
        KeepalivedConf c = Table.conf(ALPHA);
        LvsState.Start s = LvsState.start(c);
        Table t = new Table().apply(s.ops());
        assertThat(t.save()).isEqualTo("""
                -A -t 192.0.2.10:80 -s rr
                -a -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 0
                -a -t 192.0.2.10:80 -r 203.0.113.13:80 -m -w 1
                """);
        LvsState st = s.state();
        assertThat(st.isAlive(id(c, "203.0.113.11"))).isFalse();
        assertThat(st.isSet(id(c, "203.0.113.12"))).isTrue();
        assertThat(st.isAlive(id(c, "203.0.113.13"))).isTrue();

        assertThat(st.setAlive(id(c, "203.0.113.11"), true)).extracting(TableOp::toString)
                .containsExactly("-a -t 192.0.2.10:80 -r 203.0.113.11:80 -m -w 1");
        assertThat(st.setAlive(id(c, "203.0.113.12"), true)).extracting(TableOp::toString)
                .containsExactly("-e -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 1");
        assertThat(st.setAlive(id(c, "203.0.113.12"), true)).isEmpty();             // no change
        assertThat(st.setAlive(id(c, "203.0.113.12"), false)).extracting(TableOp::toString)
                .containsExactly("-e -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 0");
        assertThat(st.setAlive(id(c, "203.0.113.13"), false)).extracting(TableOp::toString)
                .containsExactly("-d -t 192.0.2.10:80 -r 203.0.113.13:80");
        assertThat(st.setAlive(new RealServerId(c.virtualServers().getFirst().key(), IpAddr.parse("198.51.100.1"), 80), true)).isEmpty();
    }

    @Test
    void theStartsDownPredicateMayComeFromTheCheckerCode() {
        KeepalivedConf c = Table.conf(ALPHA);
        LvsState.Start s = LvsState.start(c, r -> r.addr().equals(IpAddr.parse("203.0.113.13")));
        assertThat(new Table().apply(s.ops()).save()).isEqualTo("""
                -A -t 192.0.2.10:80 -s rr
                -a -t 192.0.2.10:80 -r 203.0.113.11:80 -m -w 1
                -a -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 1
                """);
    }

    // ---- quorum and the sorry server ----

    static final String SORRY = """
            virtual_server 192.0.2.10 80 {
              protocol TCP
              lb_algo rr
              lb_kind NAT
              quorum 2
              sorry_server 198.51.100.99 8080
              real_server 203.0.113.11 80 {
              }
              real_server 203.0.113.12 80 {
                inhibit_on_failure
              }
              real_server 203.0.113.13 80 {
              }
            }
            """;

    @Test
    void losingTheQuorumSwapsTheSorryServerIn() {
        KeepalivedConf c = Table.conf(SORRY);
        LvsState.Start s = LvsState.start(c);
        LvsState st = s.state();
        Table t = new Table().apply(s.ops());
        VsKey vs = c.virtualServers().getFirst().key();
        assertThat(st.quorumUp(vs)).isTrue();
        assertThat(st.sorryActive(vs)).isFalse();

        t.apply(st.setAlive(id(c, "203.0.113.11"), false));         // 2 left: quorum kept
        assertThat(st.quorumUp(vs)).isTrue();
        assertThat(t.save()).isEqualTo("""
                -A -t 192.0.2.10:80 -s rr
                -a -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 1
                -a -t 192.0.2.10:80 -r 203.0.113.13:80 -m -w 1
                """);
        List<TableOp> lost = st.setAlive(id(c, "203.0.113.13"), false);
        assertThat(lost).extracting(TableOp::toString).containsExactly(
                "-d -t 192.0.2.10:80 -r 203.0.113.13:80",
                "-e -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 0",      // the last live server out (inhibited)
                "-a -t 192.0.2.10:80 -r 198.51.100.99:8080 -m -w 1");  // the sorry server in
        t.apply(lost);
        assertThat(st.sorryActive(vs)).isTrue();
        assertThat(t.save()).isEqualTo("""
                -A -t 192.0.2.10:80 -s rr
                -a -t 192.0.2.10:80 -r 198.51.100.99:8080 -m -w 1
                -a -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 0
                """);
        // while the sorry server is in, a server coming up changes state only, until the quorum is back
        List<TableOp> back = st.setAlive(id(c, "203.0.113.11"), true);
        assertThat(back).extracting(TableOp::toString).containsExactly(
                "-d -t 192.0.2.10:80 -r 198.51.100.99:8080",
                "-a -t 192.0.2.10:80 -r 203.0.113.11:80 -m -w 1",
                "-e -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 1");
        t.apply(back);
        assertThat(st.sorryActive(vs)).isFalse();
        assertThat(t.save()).isEqualTo("""
                -A -t 192.0.2.10:80 -s rr
                -a -t 192.0.2.10:80 -r 203.0.113.11:80 -m -w 1
                -a -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 1
                """);
    }

    @Test
    void quorumChangesAreReportedForTheScripts() {
        KeepalivedConf c = Table.conf(SORRY);
        LvsState.Start s = LvsState.start(c);
        LvsState st = s.state();
        VsKey vs = c.virtualServers().getFirst().key();
        assertThat(st.drainQuorumChanges()).containsExactly(new LvsState.QuorumChange(vs, true, true, 3));
        st.setAlive(id(c, "203.0.113.11"), false);
        assertThat(st.drainQuorumChanges()).isEmpty();
        st.setAlive(id(c, "203.0.113.12"), false);
        assertThat(st.drainQuorumChanges()).containsExactly(new LvsState.QuorumChange(vs, false, false, 1));
        st.setAlive(id(c, "203.0.113.12"), true);
        assertThat(st.drainQuorumChanges()).containsExactly(new LvsState.QuorumChange(vs, true, false, 2));
    }

    @Test
    void withAlphaTheSorryServerIsInFromTheStart() {
        KeepalivedConf c = Table.conf("""
                virtual_server 192.0.2.10 80 {
                  protocol TCP
                  lb_algo rr
                  lb_kind NAT
                  quorum 2
                  alpha
                  sorry_server 198.51.100.99 8080
                  real_server 203.0.113.11 80 {
                    TCP_CHECK {
                    }
                  }
                  real_server 203.0.113.12 80 {
                    inhibit_on_failure
                    TCP_CHECK {
                    }
                  }
                }
                """);
        LvsState.Start s = LvsState.start(c);
        assertThat(new Table().apply(s.ops()).save()).isEqualTo("""
                -A -t 192.0.2.10:80 -s rr
                -a -t 192.0.2.10:80 -r 198.51.100.99:8080 -m -w 1
                -a -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 0
                """);
        assertThat(s.state().sorryActive(c.virtualServers().getFirst().key())).isTrue();
    }

    @Test
    void anInhibitedSorryServerWaitsWithWeightZero() {
        KeepalivedConf c = Table.conf(SORRY.replace("sorry_server 198.51.100.99 8080", "sorry_server 198.51.100.99 8080\n  sorry_server_inhibit"));
        LvsState.Start s = LvsState.start(c);
        Table t = new Table().apply(s.ops());
        assertThat(t.save()).contains("-a -t 192.0.2.10:80 -r 198.51.100.99:8080 -m -w 0");
        LvsState st = s.state();
        t.apply(st.setAlive(id(c, "203.0.113.11"), false));
        List<TableOp> lost = st.setAlive(id(c, "203.0.113.13"), false);
        assertThat(lost).extracting(TableOp::toString).contains("-e -t 192.0.2.10:80 -r 198.51.100.99:8080 -m -w 1");
        t.apply(lost);
        List<TableOp> back = st.setAlive(id(c, "203.0.113.13"), true);
        assertThat(back).extracting(TableOp::toString).startsWith("-e -t 192.0.2.10:80 -r 198.51.100.99:8080 -m -w 0");
        t.apply(back);
        assertThat(t.save()).isEqualTo("""
                -A -t 192.0.2.10:80 -s rr
                -a -t 192.0.2.10:80 -r 198.51.100.99:8080 -m -w 0
                -a -t 192.0.2.10:80 -r 203.0.113.12:80 -m -w 1
                -a -t 192.0.2.10:80 -r 203.0.113.13:80 -m -w 1
                """);
    }

    @Test
    void hysteresisDampsTheQuorumAsInTheKeepalivedSample() {
        KeepalivedConf c = KeepalivedLoader.load(Table.sample("keepalived.conf.quorum"), "h").conf();
        LvsState.Start s = LvsState.start(c);
        LvsState st = s.state();
        VsKey vs = c.virtualServers().getFirst().key();
        List<RealServerId> ids = c.realServers().stream().map(RealServerConf::id).toList();
        assertThat(st.quorumUp(vs)).isFalse();                                  // alpha: all down
        for (int i = 0; i < 8; i++) st.setAlive(ids.get(i), true);
        assertThat(st.quorumUp(vs)).as("8 < 7 + 2").isFalse();
        st.setAlive(ids.get(8), true);
        assertThat(st.quorumUp(vs)).as("9 = 7 + 2").isTrue();
        for (int i = 0; i < 4; i++) st.setAlive(ids.get(i), false);
        assertThat(st.quorumUp(vs)).as("5 = 7 - 2").isTrue();
        st.setAlive(ids.get(4), false);
        assertThat(st.quorumUp(vs)).as("4 < 7 - 2").isFalse();
    }

    // ---- dynamic weights ----

    @Test
    void aDynamicWeightEditsTheTableAndCountsForTheQuorum() {
        KeepalivedConf c = Table.conf(SORRY);
        LvsState.Start s = LvsState.start(c);
        LvsState st = s.state();
        VsKey vs = c.virtualServers().getFirst().key();
        assertThat(st.setWeight(id(c, "203.0.113.11"), 5)).extracting(TableOp::toString)
                .containsExactly("-e -t 192.0.2.10:80 -r 203.0.113.11:80 -m -w 5");
        assertThat(st.weight(id(c, "203.0.113.11"))).isEqualTo(5);
        assertThat(st.setWeight(id(c, "203.0.113.11"), 5)).isEmpty();
        st.setAlive(id(c, "203.0.113.12"), false);
        st.setAlive(id(c, "203.0.113.13"), false);
        assertThat(st.quorumUp(vs)).as("weight 5 alone carries quorum 2").isTrue();
        List<TableOp> ops = st.setWeight(id(c, "203.0.113.11"), 1);
        assertThat(st.quorumUp(vs)).isFalse();
        assertThat(ops).extracting(TableOp::toString).containsExactly(
                "-e -t 192.0.2.10:80 -r 203.0.113.11:80 -m -w 1",
                "-d -t 192.0.2.10:80 -r 203.0.113.11:80",
                "-a -t 192.0.2.10:80 -r 198.51.100.99:8080 -m -w 1");
    }

    @Test
    void aDownServerGetsItsNewWeightWhenItComesBack() {
        KeepalivedConf c = Table.conf(SORRY);
        LvsState st = LvsState.start(c).state();
        st.setAlive(id(c, "203.0.113.13"), false);
        assertThat(st.setWeight(id(c, "203.0.113.13"), 4)).isEmpty();
        assertThat(st.setAlive(id(c, "203.0.113.13"), true)).extracting(TableOp::toString)
                .containsExactly("-a -t 192.0.2.10:80 -r 203.0.113.13:80 -m -w 4");
    }
}
