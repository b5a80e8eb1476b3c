package io.jlvs.ctl.keepalived;

import io.jlvs.sched.SchedFlags;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.TunnelType;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The LVS part: every keyword, keepalived's defaults and corrections, and what is an error. */
class LvsConfigReaderTest {
    KeepalivedLoader.Result r;

    KeepalivedConf conf(String text) {
        r = Table.load(text);
        assertThat(r.messages().hasErrors()).as(r.messages().report()).isFalse();
        return r.conf();
    }

    List<String> errors(String text) {
        r = Table.load(text);
        return r.messages().of(ConfMessages.Kind.ERROR).stream().map(ConfMessages.Message::toString).toList();
    }

    List<String> warnings() {
        return r.messages().of(ConfMessages.Kind.WARNING).stream().map(ConfMessages.Message::text).toList();
    }

    List<String> skipped() {
        return r.messages().of(ConfMessages.Kind.SKIPPED).stream().map(ConfMessages.Message::toString).toList();
    }

    static String vs(String body) {
        return "virtual_server 192.0.2.10 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n" + body
                + "\n real_server 203.0.113.11 8080 {\n }\n}\n";
    }

    VirtualServerConf only(String text) {
        KeepalivedConf c = conf(text);
        assertThat(c.virtualServers()).hasSize(1);
        return c.virtualServers().getFirst();
    }

    // ---- global_defs ----

    @Test
    void globalDefs() {
        KeepalivedConf c = conf("global_defs {\n router_id lb1\n lvs_timeouts tcp 7200 udp 60\n lvs_flush\n lvs_flush_on_stop VS\n"
                + " notification_email_from a@example.org\n}\n");
        assertThat(c.global()).isEqualTo(new GlobalDefs("lb1", new GlobalDefs.LvsTimeouts(7200, 0, 60), true,
                GlobalDefs.FlushOnStop.VS, null));
        assertThat(skipped()).containsExactly("keepalived.conf:6: skipped: notification_email_from: not implemented in jlvs");
    }

    @Test
    void lvsFlushOnStopWithoutValueFlushesEverything() {
        assertThat(conf("global_defs {\n lvs_flush_on_stop\n}").global().lvsFlushOnStop()).isEqualTo(GlobalDefs.FlushOnStop.FULL);
    }

    @Test
    void lvsSyncDaemonIsParsedCheckedAndSkipped() {
        KeepalivedConf c = conf("global_defs {\n lvs_sync_daemon eth1 VI_1 id 7 maxlen 1400 port 8849 ttl 2 group 224.0.0.82\n}");
        assertThat(c.global().syncDaemon()).isEqualTo(new GlobalDefs.SyncDaemon("eth1", "VI_1", 7, 1400, 8849, 2,
                IpAddr.parse("224.0.0.82")));
        assertThat(skipped()).singleElement().asString().contains("lvs_sync_daemon: connection synchronisation is not implemented");
        assertThat(errors("global_defs {\n lvs_sync_daemon eth1 inst VI_1 id 300\n}"))
                .containsExactly("keepalived.conf:2: error: lvs_sync_daemon id: number '300' outside range [0, 255]");
    }

    @Test
    void badLvsTimeouts() {
        assertThat(errors("global_defs {\n lvs_timeouts\n lvs_timeouts tcp\n lvs_timeouts tcp x\n lvs_timeouts tcpfin 0\n lvs_timeouts fin 3\n}"))
                .containsExactly("keepalived.conf:2: error: lvs_timeouts: at least one of tcp, tcpfin, udp is needed",
                        "keepalived.conf:3: error: lvs_timeouts tcp: missing value",
                        "keepalived.conf:4: error: lvs_timeouts tcp: invalid number 'x'",
                        "keepalived.conf:5: error: lvs_timeouts tcpfin: number '0' outside range [1, 2678400]",
                        "keepalived.conf:6: error: lvs_timeouts: unknown timeout 'fin' (expected tcp, tcpfin or udp)");
    }

    // ---- virtual_server ----

    @Test
    void aVirtualServerWithItsDefaults() {
        VirtualServerConf v = only("virtual_server 192.0.2.10 80 {\n protocol TCP\n real_server 203.0.113.11 {\n }\n}\n");
        assertThat(v.key()).isEqualTo(VsKey.address(VirtualService.IPPROTO_TCP, IpAddr.parse("192.0.2.10"), 80));
        assertThat(v.services()).containsExactly(ServiceKey.tcp("192.0.2.10", 80));
        assertThat(v.scheduler()).isEqualTo("wlc");
        assertThat(v.forwarding()).isEqualTo(Forwarding.NAT);
        assertThat(v.persistenceSec()).isZero();
        assertThat(v.netmask()).isEqualTo(-1);
        assertThat(v.quorum()).isEqualTo(1);
        assertThat(v.hysteresis()).isZero();
        assertThat(v.checkDefaults()).isEqualTo(new CheckDefaults(60_000_000, -1, -1, -1, 5_000_000));
        RealServerConf rs = v.realServers().getFirst();
        assertThat(rs.port()).isEqualTo(80);                       // NAT without a port: the virtual port
        assertThat(rs.weight()).isEqualTo(1);
        assertThat(rs.inhibitOnFailure()).isFalse();
        assertThat(rs.checkDefaults()).isEqualTo(v.checkDefaults());
        assertThat(rs.where()).isEqualTo("keepalived.conf:3");
        assertThat(warnings()).containsExactly("virtual server 192.0.2.10:80: no forwarding method set, setting default NAT",
                "virtual server 192.0.2.10:80: no scheduler set, setting default 'wlc'");
    }

    @Test
    void everyVirtualServerKeyword() {
        VirtualServerConf v = only("""
                virtual_server 192.0.2.10 443 {
                  lvs_sched sh
                  sh-port
                  sh-fallback
                  flag-3
                  lvs_method DR
                  protocol tcp
                  persistence_timeout 600
                  persistence_granularity 255.255.255.0
                  quorum 2
                  hysteresis 1
                  quorum_up "/bin/up now"
                  quorum_down /bin/down
                  alpha
                  omega
                  inhibit_on_failure
                  virtualhost www.example.org
                  delay_loop 2.5
                  retry 4
                  delay_before_retry 0.5
                  warmup 0
                  connect_timeout 1.25
                  weight 3
                  real_server 203.0.113.11 443 {
                  }
                  real_server 203.0.113.12 443 {
                  }
                }
                """);
        assertThat(v.scheduler()).isEqualTo("sh");
        assertThat(v.flags()).isEqualTo(SchedFlags.PORT | SchedFlags.FALLBACK | SchedFlags.SCHED3);
        assertThat(v.forwarding()).isEqualTo(Forwarding.DR);
        assertThat(v.persistenceSec()).isEqualTo(600);
        assertThat(v.netmask()).isEqualTo(0xFFFFFF00);
        assertThat(v.quorum()).isEqualTo(2);
        assertThat(v.hysteresis()).isEqualTo(1);
        assertThat(v.quorumUp()).isEqualTo("/bin/up now");
        assertThat(v.quorumDown()).isEqualTo("/bin/down");
        assertThat(v.alpha()).isTrue();
        assertThat(v.omega()).isTrue();
        assertThat(v.inhibitOnFailure()).isTrue();
        assertThat(v.virtualhost()).isEqualTo("www.example.org");
        assertThat(v.checkDefaults()).isEqualTo(new CheckDefaults(2_500_000, 4, 500_000, 0, 1_250_000));
        RealServerConf rs = v.realServers().getFirst();
        assertThat(rs.weight()).isEqualTo(3);
        assertThat(rs.alpha()).isTrue();
        assertThat(rs.inhibitOnFailure()).isTrue();
        assertThat(rs.virtualhost()).isEqualTo("www.example.org");
        assertThat(rs.forwarding()).isEqualTo(Forwarding.DR);
        assertThat(r.messages().messages()).isEmpty();
    }

    @Test
    void persistenceTimeoutBareIs360() {
        assertThat(only(vs(" persistence_timeout")).persistenceSec()).isEqualTo(360);
    }

    @Test
    void granularityAloneMakesTheServicePersistent() {
        VirtualServerConf v = only(vs(" persistence_granularity 255.255.0.0"));
        assertThat(v.persistenceSec()).isEqualTo(360);
        assertThat(v.netmask()).isEqualTo(0xFFFF0000);
    }

    @Test
    void ipv6GranularityIsAPrefixLength() {
        VirtualServerConf v = only("virtual_server 2001:db8::10 80 {\n protocol UDP\n lb_algo rr\n lb_kind NAT\n"
                + " persistence_granularity 64\n persistence_engine sip\n real_server 2001:db8::11 80 {\n }\n}\n");
        assertThat(v.netmask()).isEqualTo(64);
        assertThat(v.persistenceEngine()).isEqualTo("sip");
        assertThat(v.services()).containsExactly(ServiceKey.udp("2001:db8::10", 80));
    }

    @Test
    void lbAlgoAndLbKindAreAliases() {
        VirtualServerConf v = only("virtual_server 192.0.2.10 80 {\n protocol TCP\n lb_algo wrr\n lb_kind TUN\n"
                + " real_server 203.0.113.11 80 {\n }\n}\n");
        assertThat(v.scheduler()).isEqualTo("wrr");
        assertThat(v.forwarding()).isEqualTo(Forwarding.TUN);
    }

    @Test
    void tunnelTypes() {
        assertThat(only(vs(" lvs_method TUN type gue port 6080 csum")).forwarding())
                .isEqualTo(new Forwarding(FwdMethod.TUNNEL, TunnelType.GUE, 6080, TunnelType.FLAG_CSUM));
        assertThat(only(vs(" lvs_method TUN type gre csum")).forwarding())
                .isEqualTo(new Forwarding(FwdMethod.TUNNEL, TunnelType.GRE, 0, TunnelType.FLAG_CSUM));
    }

    @Test
    void badTunnelOptionsAreErrors() {
        assertThat(errors(vs(" lvs_method TUN type gue"))).containsExactly(
                "keepalived.conf:5: error: lvs_method: gue tunnels require port, otherwise cannot have port");
        assertThat(errors(vs(" lvs_method TUN type ipip csum"))).containsExactly(
                "keepalived.conf:5: error: lvs_method: ipip tunnels do not support checksum option");
        assertThat(errors(vs(" lvs_method TUN type gre remcsum"))).containsExactly(
                "keepalived.conf:5: error: lvs_method: gre tunnels do not support remote checksum option");
        assertThat(errors(vs(" lvs_method TUN type vxlan"))).containsExactly(
                "keepalived.conf:5: error: lvs_method: unknown tunnel type 'vxlan' for virtual server (expected ipip, gue or gre)");
        assertThat(errors(vs(" lvs_method DR type gre"))).containsExactly(
                "keepalived.conf:5: error: lvs_method: option 'type' only applies to TUN");
        assertThat(errors(vs(" lvs_method FOO"))).containsExactly(
                "keepalived.conf:5: error: lvs_method: unknown [FOO] routing method for virtual server (expected NAT, DR or TUN)");
    }

    @Test
    void schedulerFlagsOfAnotherSchedulerAreIgnored() {
        VirtualServerConf v = only(vs(" mh-port\n flag-1\n ops"));
        assertThat(v.flags()).isEqualTo(SchedFlags.SCHED1);       // ops reset: TCP
        assertThat(warnings()).containsExactly("virtual server 192.0.2.10:80: one packet scheduling requires UDP - resetting",
                "mh-port only applies to the mh scheduler - ignoring");
    }

    @Test
    void opsOnUdp() {
        VirtualServerConf v = only("virtual_server 192.0.2.10 53 {\n protocol UDP\n lb_algo mh\n lb_kind DR\n ops\n mh-port\n"
                + " real_server 203.0.113.11 53 {\n }\n}\n");
        assertThat(v.flags()).isEqualTo(VirtualService.F_ONEPACKET | SchedFlags.PORT);
    }

    @Test
    void noProtocolDefaultsToUdpAsKeepalivedDoes() {
        VirtualServerConf v = only("virtual_server 192.0.2.10 53 {\n lb_algo rr\n lb_kind NAT\n real_server 203.0.113.11 53 {\n }\n}\n");
        assertThat(v.services()).containsExactly(ServiceKey.udp("192.0.2.10", 53));
        assertThat(warnings()).containsExactly("virtual server 192.0.2.10:53: no protocol set - defaulting to UDP");
    }

    @Test
    void noPortMakesThePersistentPortZeroService() {
        VirtualServerConf v = only("virtual_server 192.0.2.10 {\n protocol TCP\n lb_algo rr\n lb_kind DR\n real_server 203.0.113.11 {\n }\n}\n");
        assertThat(v.persistenceSec()).isEqualTo(360);
        assertThat(v.services()).containsExactly(ServiceKey.tcp("192.0.2.10", 0));
        assertThat(warnings()).containsExactly("virtual server 192.0.2.10:0: zero port only valid for persistent services - setting");
    }

    @Test
    void drAndTunPortsAreTheVirtualPort() {
        VirtualServerConf v = only("virtual_server 192.0.2.10 80 {\n protocol TCP\n lb_algo rr\n lb_kind DR\n"
                + " real_server 203.0.113.11 8080 {\n }\n real_server 203.0.113.12 {\n lvs_method NAT\n }\n}\n");
        assertThat(v.realServers()).extracting(RealServerConf::port).containsExactly(80, 80);
        assertThat(warnings()).containsExactly(
                "virtual server 192.0.2.10:80 and real server 203.0.113.11 ports don't match - resetting to 80");
    }

    @Test
    void fwmarkServices() {
        VirtualServerConf v = only("virtual_server fwmark 7 {\n lb_algo rr\n lb_kind DR\n real_server 203.0.113.11 80 {\n }\n"
                + " real_server 203.0.113.12 {\n lvs_method NAT\n }\n}\n");
        assertThat(v.key()).isEqualTo(VsKey.fwmark(IpAddr.AF_INET, 7));
        assertThat(v.services()).containsExactly(new ServiceKey(IpAddr.AF_INET, 0, null, 0, 7));
        assertThat(v.realServers()).extracting(RealServerConf::port).containsExactly(0, 0);
        assertThat(warnings()).containsExactly("fwmark virtual server FWM 7, real server 203.0.113.11 has port specified - clearing");
    }

    @Test
    void anIpv6FwmarkTakesTheFamilyOfItsServersOrIpFamily() {
        VirtualServerConf v = only("virtual_server fwmark 7 {\n lb_algo rr\n lb_kind DR\n real_server 2001:db8::11 {\n }\n}\n");
        assertThat(v.key().af()).isEqualTo(IpAddr.AF_INET6);
        VirtualServerConf t = only("virtual_server fwmark 8 {\n ip_family inet6\n lb_algo rr\n lb_kind TUN\n real_server 192.0.2.11 {\n }\n}\n");
        assertThat(t.key().af()).isEqualTo(IpAddr.AF_INET6);
        assertThat(errors("virtual_server fwmark 9 {\n ip_family inet7\n lb_kind DR\n real_server 192.0.2.11 {\n }\n}\n"))
                .containsExactly("keepalived.conf:2: error: ip_family: unknown address family 'inet7' (expected inet or inet6)");
    }

    @Test
    void realServerKeywords() {
        VirtualServerConf v = only("""
                virtual_server 192.0.2.10 80 {
                  protocol TCP
                  lb_algo wlc
                  lb_kind NAT
                  inhibit_on_failure
                  delay_loop 10
                  real_server 203.0.113.11 8080 {
                    weight 0
                    lvs_method TUN type gue port 6080
                    uthreshold 100
                    lthreshold 50
                    notify_up /bin/up
                    notify_down "/bin/down x"
                    inhibit_on_failure off
                    alpha yes
                    retry 2
                    delay_before_retry 1.5
                    warmup 3
                    connect_timeout 2
                    delay_loop 5
                    virtualhost rs.example.org
                    TCP_CHECK {
                      connect_timeout 3
                    }
                    HTTP_GET {
                      url {
                        path /health
                      }
                    }
                  }
                }
                """);
        RealServerConf rs = v.realServers().getFirst();
        assertThat(rs.weight()).isZero();
        assertThat(rs.forwarding()).isEqualTo(new Forwarding(FwdMethod.TUNNEL, TunnelType.GUE, 6080, 0));
        assertThat(rs.port()).isEqualTo(80);
        assertThat(rs.uThreshold()).isEqualTo(100);
        assertThat(rs.lThreshold()).isEqualTo(50);
        assertThat(rs.notifyUp()).isEqualTo("/bin/up");
        assertThat(rs.notifyDown()).isEqualTo("/bin/down x");
        assertThat(rs.inhibitOnFailure()).isFalse();
        assertThat(rs.alpha()).isTrue();
        assertThat(rs.startsDown()).isTrue();
        assertThat(rs.virtualhost()).isEqualTo("rs.example.org");
        assertThat(rs.checkDefaults()).isEqualTo(new CheckDefaults(5_000_000, 2, 1_500_000, 3_000_000, 2_000_000));
        assertThat(rs.checkers()).extracting(ConfNode::keyword).containsExactly("TCP_CHECK", "HTTP_GET");
        assertThat(rs.checkers().get(1).children().getFirst().children().getFirst().args()).containsExactly("/health");
        assertThat(rs.id()).isEqualTo(new RealServerId(v.key(), IpAddr.parse("203.0.113.11"), 80));
    }

    @Test
    void checkerBlocksAreCollectedUntouchedAndNotReported() {
        VirtualServerConf v = only(vs("").replace(" }\n}", "  MISC_CHECK {\n misc_path /x\n misc_dynamic\n bogus_option 1\n }\n }\n}"));
        assertThat(v.realServers().getFirst().checkers()).singleElement().extracting(ConfNode::keyword).isEqualTo("MISC_CHECK");
        assertThat(r.messages().messages()).isEmpty();
    }

    @Test
    void alphaWithoutCheckersDoesNotStartDown() {
        VirtualServerConf v = only(vs(" alpha"));
        assertThat(v.realServers().getFirst().alpha()).isTrue();
        assertThat(v.realServers().getFirst().startsDown()).isFalse();
    }

    @Test
    void sorryServer() {
        VirtualServerConf v = only(vs(" sorry_server 198.51.100.5 8000\n sorry_server_inhibit\n sorry_server_lvs_method DR"));
        assertThat(v.sorryServer()).isEqualTo(new SorryServer(IpAddr.parse("198.51.100.5"), 80, Forwarding.DR, true, false,
                "keepalived.conf:5"));
        VirtualServerConf n = only(vs(" sorry_server 198.51.100.5"));
        assertThat(n.sorryServer()).isEqualTo(new SorryServer(IpAddr.parse("198.51.100.5"), 80, Forwarding.NAT, false, false,
                "keepalived.conf:5"));
    }

    @Test
    void aSorryServerEqualToARealServerTakesItsInhibitSetting() {
        VirtualServerConf v = only("virtual_server 192.0.2.10 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
                + " sorry_server 203.0.113.11 80\n real_server 203.0.113.11 80 {\n inhibit_on_failure\n }\n}\n");
        assertThat(v.sorryServer().inhibit()).isTrue();
        assertThat(v.sorryServer().duplicatesRealServer()).isTrue();
    }

    @Test
    void sorryServerOptionsWithoutASorryServerAreIgnored() {
        only(vs(" sorry_server_inhibit\n sorry_server_lvs_method DR"));
        assertThat(warnings()).containsExactly("sorry_server_inhibit used before or without sorry_server - ignoring",
                "sorry_server_lvs_method used before or without sorry_server - ignoring");
    }

    @Test
    void quorumAboveTheTotalWeightIsReducedAndHysteresisBelowIt() {
        VirtualServerConf v = only(vs(" quorum 5\n hysteresis 9").replace(" }\n}", " weight 3\n }\n}"));
        assertThat(v.quorum()).isEqualTo(3);
        assertThat(v.hysteresis()).isEqualTo(2);
        assertThat(warnings()).containsExactly(
                "quorum 5 for 192.0.2.10:80 exceeds total weight of real servers 3, reducing quorum to 3",
                "virtual server 192.0.2.10:80: hysteresis 9 >= quorum 3; setting hysteresis to 2");
    }

    @Test
    void aVirtualServerWithoutRealServersIsIgnored() {
        KeepalivedConf c = conf("virtual_server 192.0.2.10 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n}\n");
        assertThat(c.virtualServers()).isEmpty();
        assertThat(warnings()).containsExactly("virtual server 192.0.2.10:80 has no real servers - ignoring");
    }

    @Test
    void skippedKeywordsAreNamedWithFileAndLine() {
        conf(vs(" ha_suspend\n smtp_alert\n hashed\n some_future_keyword 1").replace(" }\n}", " smtp_alert\n snmp_name x\n typo 2\n }\n}")
                + "vrrp_instance VI_1 {\n state MASTER\n}\nbfd_instance b {\n}\nnet_namespace blue\nwhatever\n");
        assertThat(skipped()).containsExactly(
                "keepalived.conf:5: skipped: ha_suspend: jlvs does not manage virtual addresses (VRRP); checkers always run",
                "keepalived.conf:6: skipped: smtp_alert: SMTP alerts are not implemented in jlvs",
                "keepalived.conf:7: skipped: hashed: has no effect (IPVS sets it itself)",
                "keepalived.conf:8: skipped: some_future_keyword: unknown keyword in virtual_server",
                "keepalived.conf:10: skipped: smtp_alert: SMTP alerts are not implemented in jlvs",
                "keepalived.conf:11: skipped: snmp_name: SNMP is not implemented in jlvs",
                "keepalived.conf:12: skipped: typo: unknown keyword in real_server",
                "keepalived.conf:15: skipped: vrrp_instance: VRRP is not implemented in jlvs",
                "keepalived.conf:18: skipped: bfd_instance: BFD is not implemented in jlvs",
                "keepalived.conf:20: skipped: net_namespace: keepalived process option, not implemented in jlvs",
                "keepalived.conf:21: skipped: whatever: unknown keyword");
    }

    @Test
    void topLevelCheckerBlocksAreKeptForTheCheckerCode() {
        KeepalivedConf c = conf("SSL {\n ca /etc/ca.pem\n}\ntrack_file tf {\n file /run/x\n weight 2\n}\n" + vs(""));
        assertThat(c.checkerBlocks()).extracting(ConfNode::keyword).containsExactly("SSL", "track_file");
    }

    // ---- groups ----

    @Test
    void groupsExpandToOneServicePerAddressThenOnePerMark() {
        VirtualServerConf v = only("""
                virtual_server_group G {
                  192.0.2.1 8080
                  192.0.2.8-10 80
                  192.0.2.16/30 443
                  192.0.2.30-192.0.2.31 25
                  fwmark 5
                }
                virtual_server group G {
                  protocol TCP
                  lb_algo rr
                  lb_kind DR
                  real_server 203.0.113.11 {
                  }
                }
                """);
        assertThat(v.key()).isEqualTo(VsKey.group("G", IpAddr.AF_INET, VirtualService.IPPROTO_TCP));
        assertThat(v.services()).extracting(Object::toString).containsExactly("TCP 192.0.2.1:8080", "TCP 192.0.2.8:80",
                "TCP 192.0.2.9:80", "TCP 192.0.2.10:80", "TCP 192.0.2.16:443", "TCP 192.0.2.17:443", "TCP 192.0.2.18:443",
                "TCP 192.0.2.19:443", "TCP 192.0.2.30:25", "TCP 192.0.2.31:25", "FWM 5");
    }

    @Test
    void ipv6GroupRanges() {
        VirtualServerConf v = only("virtual_server_group G6 {\n 2001:db8::2-4 80\n 2001:db8::10/127 80\n fwmark 3 inet6\n}\n"
                + "virtual_server group G6 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 2001:db8::99 80 {\n }\n}\n");
        assertThat(v.services()).extracting(Object::toString).containsExactly("TCP [2001:db8::2]:80", "TCP [2001:db8::3]:80",
                "TCP [2001:db8::4]:80", "TCP [2001:db8::10]:80", "TCP [2001:db8::11]:80", "FWM 3 IPv6");
    }

    @Test
    void aGroupMayBeDefinedAfterItsUse() {
        VirtualServerConf v = only("virtual_server group G {\n protocol UDP\n lb_algo rr\n lb_kind NAT\n real_server 203.0.113.1 53 {\n }\n}\n"
                + "virtual_server_group G {\n 192.0.2.1 53\n}\n");
        assertThat(v.services()).containsExactly(ServiceKey.udp("192.0.2.1", 53));
    }

    @Test
    void badGroups() {
        assertThat(errors("virtual_server_group G {\n 192.0.2.10-5 80\n 192.0.2.1/24 80\n 192.0.2.x 80\n fwmark 0\n"
                + " 192.0.2.1-256\n 192.0.2.1 99999\n 192.0.2.0/33\n}\n")).containsExactly(
                "keepalived.conf:2: error: address range end is not greater than address range start - '192.0.2.10-5'",
                "keepalived.conf:3: error: address mask bits not empty - '192.0.2.1/24'",
                "keepalived.conf:4: error: invalid virtual server group address '192.0.2.x'",
                "keepalived.conf:5: error: fwmark: number '0' outside range [1, 4294967295]",
                "keepalived.conf:6: error: invalid range end '256' in '192.0.2.1-256' (at most 255)",
                "keepalived.conf:7: error: port of 192.0.2.1: number '99999' outside range [0, 65535]",
                "keepalived.conf:8: error: invalid virtual server group address or netmask '192.0.2.0/33'");
        assertThat(errors("virtual_server_group Big {\n 10.0.0.0/8 80\n}\n"))
                .containsExactly("keepalived.conf:2: error: virtual_server_group Big: more than 65536 addresses (each is an IPVS service)");
        assertThat(errors("virtual_server_group Big6 {\n 2001:db8::/64 80\n}\n"))
                .containsExactly("keepalived.conf:2: error: virtual_server_group Big6: more than 65536 addresses (each is an IPVS service)");
        assertThat(errors("virtual_server_group Many {\n 10.0.0.0/16 80\n 10.1.0.0/24 80\n}\n"))
                .containsExactly("keepalived.conf:3: error: virtual_server_group Many: more than 65536 addresses (each is an IPVS service)");
        assertThat(errors("virtual_server group Nope {\n protocol TCP\n real_server 203.0.113.1 80 {\n }\n}\n"))
                .containsExactly("keepalived.conf:1: error: virtual_server group Nope: no virtual_server_group of that name");
    }

    // ---- errors ----

    @Test
    void badValuesAreErrorsNamingTheToken() {
        assertThat(errors("virtual_server 192.0.2.300 80 {\n}\nvirtual_server 192.0.2.1 http {\n}\nvirtual_server fwmark x {\n}\n"
                + "virtual_server\nvirtual_server group\n")).containsExactly(
                "keepalived.conf:1: error: virtual_server: invalid address '192.0.2.300'",
                "keepalived.conf:3: error: virtual_server port: invalid number 'http'",
                "keepalived.conf:5: error: virtual_server fwmark: invalid number 'x'",
                "keepalived.conf:7: error: virtual_server: missing address, fwmark or group",
                "keepalived.conf:8: error: virtual_server: missing group name");
        assertThat(errors(vs(" lb_algo fastest\n protocol ICMP\n persistence_timeout -1\n persistence_engine foo\n quorum 0\n delay_loop 0\n"
                + " retry 0\n connect_timeout abc\n persistence_granularity 255.255.255.256"))).containsExactly(
                "keepalived.conf:5: error: lb_algo: invalid scheduler 'fastest' (known: dh fo lblc lblcr lc mh nq ovf rr sed sh twos wlc wrr)",
                "keepalived.conf:6: error: protocol: unknown protocol 'ICMP' (expected TCP, UDP or SCTP)",
                "keepalived.conf:7: error: persistence_timeout: number '-1' outside range [1, 2678400]",
                "keepalived.conf:8: error: persistence_engine: unknown engine 'foo' (known: sip)",
                "keepalived.conf:9: error: quorum: number '0' outside range [1, 4294967295]",
                "keepalived.conf:10: error: delay_loop: number '0' outside range [0.000001, 2678400]",
                "keepalived.conf:11: error: retry: number '0' outside range [1, 4294967295]",
                "keepalived.conf:12: error: connect_timeout: invalid number 'abc'",
                "keepalived.conf:13: error: persistence_granularity: invalid IPv4 netmask '255.255.255.256'");
        assertThat(errors(vs("").replace(" }\n}", " weight 65536\n uthreshold x\n inhibit_on_failure maybe\n }\n}"))).containsExactly(
                "keepalived.conf:7: error: weight: number '65536' outside range [0, 65535]",
                "keepalived.conf:8: error: uthreshold: invalid number 'x'",
                "keepalived.conf:9: error: inhibit_on_failure: invalid value 'maybe' (expected on, off, true, false, yes or no)");
    }

    @Test
    void duplicatesAreErrors() {
        assertThat(errors(vs("").replace(" }\n}", " }\n real_server 203.0.113.11 8080 {\n }\n}"))).containsExactly(
                "keepalived.conf:8: error: real server 203.0.113.11:8080 of TCP 192.0.2.10:80 is already listed at keepalived.conf:6");
        assertThat(errors(vs("") + vs(""))).containsExactly(
                "keepalived.conf:9: error: virtual_server TCP 192.0.2.10:80 is already defined at keepalived.conf:1");
        assertThat(errors("virtual_server_group G {\n 192.0.2.10 80\n}\n" + vs("")
                + "virtual_server group G {\n protocol TCP\n real_server 203.0.113.1 80 {\n }\n}\n")).containsExactly(
                "keepalived.conf:12: error: virtual_server group G TCP: service TCP 192.0.2.10:80 is also defined by the virtual_server at keepalived.conf:4");
    }

    @Test
    void aRealServerOfAnotherFamilyMustBeTunnelled() {
        assertThat(errors("virtual_server 192.0.2.10 80 {\n protocol TCP\n lb_kind DR\n real_server 2001:db8::1 80 {\n }\n}\n"))
                .containsExactly("keepalived.conf:4: error: address family of virtual server 192.0.2.10:80 (TCP 192.0.2.10:80) and server 2001:db8::1 don't match (only tunnelled servers may differ)");
        VirtualServerConf v = only("virtual_server 192.0.2.10 80 {\n protocol TCP\n lb_algo rr\n lb_kind TUN\n real_server 2001:db8::1 80 {\n }\n}\n");
        assertThat(v.realServers().getFirst().addr().isV6()).isTrue();
    }

    @Test
    void checkerBlocksOutsideARealServerAreErrors() {
        assertThat(errors(vs(" TCP_CHECK {\n }"))).containsExactly("keepalived.conf:5: error: TCP_CHECK belongs in a real_server block");
    }
}
