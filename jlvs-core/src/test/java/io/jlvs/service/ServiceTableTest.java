package io.jlvs.service;

import io.jlvs.packet.Flow;
import io.jlvs.sched.SchedulerRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceTableTest {
    static final int VIP = 0xC633640A;   // 198.51.100.10
    final ServiceTable table = new ServiceTable();

    VirtualService add(ServiceKey key) {
        VirtualService svc = VirtualService.of(key, SchedulerRegistry.create("rr"));
        assertThat(table.add(svc)).isTrue();
        return svc;
    }

    static Flow tcp(int dport) { return new Flow().v4(6, 0xCB007107, 40000, VIP, dport); }

    @Test
    void exactMatchByProtocolAddressAndPort() {
        VirtualService web = add(ServiceKey.tcp("198.51.100.10", 80));
        VirtualService dns = add(ServiceKey.udp("198.51.100.10", 53));
        assertThat(table.lookup(tcp(80))).isSameAs(web);
        assertThat(table.lookup(new Flow().v4(17, 1, 1, VIP, 53))).isSameAs(dns);
        assertThat(table.lookup(new Flow().v4(17, 1, 1, VIP, 80))).isNull();     // other protocol
        assertThat(table.lookup(tcp(81))).isNull();
        assertThat(table.lookup(new Flow().v4(6, 1, 1, VIP + 1, 80))).isNull();  // other address
    }

    @Test
    void fwmarkServiceComesFirstAndIsPerFamily() {
        VirtualService web = add(ServiceKey.tcp("198.51.100.10", 80));
        VirtualService mark = add(ServiceKey.fwmark(IpAddr.AF_INET, 7));
        assertThat(table.lookup(tcp(80).fwmark(7))).isSameAs(mark);
        assertThat(table.lookup(tcp(80).fwmark(8))).isSameAs(web);               // unknown mark: normal lookup
        Flow v6 = new Flow().v6(6, 0x20010db8L << 32, 1, 40000, 0x20010db8L << 32, 10, 80).fwmark(7);
        assertThat(table.lookup(v6)).isNull();                                   // mark 7 is IPv4 only
    }

    @Test
    void ftpDataRuleForTcpPort20AndUnprivilegedPorts() {
        VirtualService ftp = add(ServiceKey.tcp("198.51.100.10", 21));
        assertThat(table.lookup(tcp(20))).isSameAs(ftp);
        assertThat(table.lookup(tcp(1024))).isSameAs(ftp);
        assertThat(table.lookup(tcp(40000))).isSameAs(ftp);
        assertThat(table.lookup(tcp(1023))).isNull();
        assertThat(table.lookup(tcp(22))).isNull();
        assertThat(table.lookup(new Flow().v4(17, 1, 1, VIP, 2000))).isNull();    // TCP only
    }

    @Test
    void portZeroServiceCatchesTheRestAfterTheFtpRule() {
        VirtualService ftp = add(ServiceKey.tcp("198.51.100.10", 21));
        VirtualService any = add(ServiceKey.tcp("198.51.100.10", 0));
        VirtualService web = add(ServiceKey.tcp("198.51.100.10", 80));
        assertThat(table.lookup(tcp(80))).isSameAs(web);
        assertThat(table.lookup(tcp(2000))).isSameAs(ftp);
        assertThat(table.lookup(tcp(443))).isSameAs(any);
    }

    @Test
    void ipv6Services() {
        IpAddr vip6 = IpAddr.parse("2001:db8::10");
        VirtualService svc = add(ServiceKey.of(6, vip6, 443));
        Flow f = new Flow().v6(6, 0x20010db8L << 32, 7, 40000, vip6.hi(), vip6.lo(), 443);
        assertThat(table.lookup(f)).isSameAs(svc);
        assertThat(table.lookup(new Flow().v4(6, 1, 1, (int) vip6.lo(), 443))).isNull();
    }

    @Test
    void duplicateAddIsRefusedAndRemoveUnlinksDests() {
        VirtualService web = add(ServiceKey.tcp("198.51.100.10", 80));
        RealServer d = web.addDest(RealServerSpec.nat(IpAddr.parse("192.0.2.1"), 80, 1));
        assertThat(table.add(VirtualService.of(ServiceKey.tcp("198.51.100.10", 80), SchedulerRegistry.create("rr")))).isFalse();
        assertThat(table.remove(web.key())).isSameAs(web);
        assertThat(d.isAvailable()).isFalse();
        assertThat(table.lookup(tcp(80))).isNull();
    }

    @Test
    void manyServicesAllFound() {
        for (int p = 1; p <= 3000; p++) add(ServiceKey.of(6, IpAddr.v4(VIP + p % 50), p));
        for (int p = 1; p <= 3000; p++) {
            assertThat(table.lookup(new Flow().v4(6, 1, 1, VIP + p % 50, p)).key().port()).isEqualTo(p);
        }
    }

    @Test
    void newDestGoesToTheHeadAndEditingDoesNotMoveIt() {
        VirtualService svc = add(ServiceKey.tcp("198.51.100.10", 80));
        RealServer a = svc.addDest(RealServerSpec.dr(IpAddr.parse("192.0.2.1"), 80, 1));
        RealServer b = svc.addDest(RealServerSpec.dr(IpAddr.parse("192.0.2.2"), 80, 1));
        RealServer c = svc.addDest(RealServerSpec.dr(IpAddr.parse("192.0.2.3"), 80, 1));
        assertThat(svc.dests()).containsExactly(c, b, a);
        svc.editDest(b, RealServerSpec.dr(IpAddr.parse("192.0.2.2"), 80, 9));
        assertThat(svc.dests()).containsExactly(c, b, a);
        assertThat(b.weight()).isEqualTo(9);
        svc.removeDest(c);
        assertThat(svc.dests()).containsExactly(b, a);
        assertThat(svc.findDest(IpAddr.parse("192.0.2.1"), 80)).isSameAs(a);
        assertThat(svc.findDest(IpAddr.parse("192.0.2.1"), 81)).isNull();
    }

    @Test
    void lastWeightKeepsTheLatestNonZeroWeight() {
        VirtualService svc = add(ServiceKey.tcp("198.51.100.10", 80));
        RealServer a = svc.addDest(RealServerSpec.dr(IpAddr.parse("192.0.2.1"), 80, 5));
        svc.editDest(a, RealServerSpec.dr(IpAddr.parse("192.0.2.1"), 80, 0));
        assertThat(a.weight()).isZero();
        assertThat(a.lastWeight()).isEqualTo(5);
        RealServer b = svc.addDest(RealServerSpec.dr(IpAddr.parse("192.0.2.2"), 80, 0));
        assertThat(b.lastWeight()).isZero();                 // an add sets it even to 0
    }

    @Test
    void thresholdsSetAndClearOverloadAsBindAndUnbindDest() {
        VirtualService svc = add(ServiceKey.tcp("198.51.100.10", 80));
        RealServer d = svc.addDest(new RealServerSpec(IpAddr.parse("192.0.2.1"), 80, FwdMethod.MASQ, 1, 4, 0,
                TunnelType.IPIP, 0, 0));
        for (int i = 0; i < 3; i++) d.bindConn(true);
        assertThat(d.isOverloaded()).isFalse();
        d.bindConn(false);                                   // 4 >= u_threshold 4
        assertThat(d.isOverloaded()).isTrue();
        d.unbindConn(true);                                  // 3 * 4 = 12 is not < 4 * 3 = 12
        assertThat(d.isOverloaded()).isTrue();
        d.unbindConn(true);                                  // 2 * 4 < 12: below 3/4 of u_threshold
        assertThat(d.isOverloaded()).isFalse();
        // with a lower threshold, it clears below l_threshold instead
        svc.editDest(d, new RealServerSpec(IpAddr.parse("192.0.2.1"), 80, FwdMethod.MASQ, 1, 3, 2, TunnelType.IPIP, 0, 0));
        d.bindConn(true);                                    // 3 >= 3
        assertThat(d.isOverloaded()).isTrue();
        d.unbindConn(true);                                  // 2, not < 2
        assertThat(d.isOverloaded()).isTrue();
        d.unbindConn(false);                                 // 1 < 2
        assertThat(d.isOverloaded()).isFalse();
        // editing with a higher (or zero) u_threshold clears OVERLOAD at once
        d.overloaded(true);
        svc.editDest(d, new RealServerSpec(IpAddr.parse("192.0.2.1"), 80, FwdMethod.MASQ, 1, 10, 2, TunnelType.IPIP, 0, 0));
        assertThat(d.isOverloaded()).isFalse();
        d.overloaded(true);
        svc.editDest(d, new RealServerSpec(IpAddr.parse("192.0.2.1"), 80, FwdMethod.MASQ, 1, 5, 2, TunnelType.IPIP, 0, 0));
        assertThat(d.isOverloaded()).isTrue();               // lower u_threshold keeps it
    }

    @Test
    void deferredPublishShowsTheBatchToTheDataPathAtOnce() {
        VirtualService web = add(ServiceKey.tcp("198.51.100.10", 80));
        VirtualService[] before = table.snapshot();
        table.deferPublish();
        VirtualService dns = add(ServiceKey.udp("198.51.100.10", 53));
        table.deferPublish();                                                    // nests
        table.remove(web.key());
        table.publishDeferred();
        assertThat(table.get(dns.key())).isSameAs(dns);                         // the control path sees it at once
        assertThat(table.get(web.key())).isNull();
        assertThat(table.snapshot()).isSameAs(before);                          // the data path does not, yet
        assertThat(table.lookup(tcp(80))).isSameAs(web);
        table.publishDeferred();
        assertThat(table.snapshot()).containsExactly(dns);
        assertThat(table.lookup(tcp(80))).isNull();
        assertThat(table.lookup(new Flow().v4(17, 1, 1, VIP, 53))).isSameAs(dns);
    }

    @Test
    void deferredPublishWithoutChangeKeepsTheSnapshot() {
        add(ServiceKey.tcp("198.51.100.10", 80));
        VirtualService[] before = table.snapshot();
        table.deferPublish();
        table.publishDeferred();
        assertThat(table.snapshot()).isSameAs(before);
    }
}
