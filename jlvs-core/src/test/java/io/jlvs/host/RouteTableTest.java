package io.jlvs.host;

import io.jlvs.service.IpAddr;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.jlvs.host.HostNet.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteTableTest {

    static int lookup(RouteTable t, String addr) {
        IpAddr a = ip(addr);
        return t.lookup(a.af(), a.hi(), a.lo());
    }

    @Test
    void longestPrefixWinsAcrossTheThreeLevels() {
        RouteTable t = RouteTable.of(List.of(
                Route.via(ip("0.0.0.0"), 0, ip("192.0.2.254"), 1),       // 0
                Route.connected(ip("10.0.0.0"), 8, 2),                   // 1
                Route.connected(ip("10.1.0.0"), 16, 3),                  // 2
                Route.connected(ip("10.1.2.0"), 23, 4),                  // 3
                Route.connected(ip("10.1.2.128"), 25, 5),                // 4
                Route.connected(ip("10.1.2.200"), 32, 6)));              // 5
        assertThat(lookup(t, "8.8.8.8")).isZero();
        assertThat(lookup(t, "10.200.0.1")).isEqualTo(1);
        assertThat(lookup(t, "10.1.200.1")).isEqualTo(2);
        assertThat(lookup(t, "10.1.3.1")).isEqualTo(3);
        assertThat(lookup(t, "10.1.2.127")).isEqualTo(3);
        assertThat(lookup(t, "10.1.2.128")).isEqualTo(4);
        assertThat(lookup(t, "10.1.2.200")).isEqualTo(5);
        assertThat(lookup(t, "10.1.2.201")).isEqualTo(4);
        assertThat(t.oif(4)).isEqualTo(5);
        assertThat(t.hasGateway(0)).isTrue();
        assertThat(t.gatewayLo(0)).isEqualTo(ip("192.0.2.254").lo());
    }

    @Test
    void samePrefixTheLowestMetricWinsThenTheFirstGiven() {
        RouteTable t = RouteTable.of(List.of(
                Route.connected(ip("192.0.2.0"), 24, 1).withMetric(100),
                Route.connected(ip("192.0.2.0"), 24, 2).withMetric(10),
                Route.connected(ip("192.0.2.0"), 24, 3).withMetric(10),
                Route.connected(ip("2001:db8::"), 64, 4).withMetric(1024),
                Route.connected(ip("2001:db8::"), 64, 5).withMetric(256)));
        assertThat(t.oif(lookup(t, "192.0.2.7"))).isEqualTo(2);
        assertThat(t.oif(lookup(t, "2001:db8::7"))).isEqualTo(5);
    }

    @Test
    void noRouteWithoutADefault() {
        RouteTable t = RouteTable.of(List.of(Route.connected(ip("192.0.2.0"), 24, 1), Route.connected(ip("2001:db8::"), 32, 1)));
        assertThat(lookup(t, "198.51.100.1")).isEqualTo(RouteTable.NO_ROUTE);
        assertThat(lookup(t, "2001:db9::1")).isEqualTo(RouteTable.NO_ROUTE);
        assertThat(lookup(RouteTable.EMPTY, "192.0.2.1")).isEqualTo(RouteTable.NO_ROUTE);
        assertThat(lookup(RouteTable.EMPTY, "::1")).isEqualTo(RouteTable.NO_ROUTE);
    }

    @Test
    void ipv6AcrossTheHalves() {
        RouteTable t = RouteTable.of(List.of(
                Route.via(ip("::"), 0, ip("2001:db8::fe"), 1),
                Route.connected(ip("2001:db8::"), 32, 2),
                Route.connected(ip("2001:db8:1::"), 64, 3),
                Route.connected(ip("2001:db8:1::8000:0:0:0"), 65, 4),
                Route.connected(ip("2001:db8:1::8000:0:0:b"), 128, 5)));
        assertThat(t.oif(lookup(t, "2001:db9::1"))).isEqualTo(1);
        assertThat(t.oif(lookup(t, "2001:db8:2::1"))).isEqualTo(2);
        assertThat(t.oif(lookup(t, "2001:db8:1::1"))).isEqualTo(3);
        assertThat(t.oif(lookup(t, "2001:db8:1:0:8000::1"))).isEqualTo(4);
        assertThat(t.oif(lookup(t, "2001:db8:1:0:8000::b"))).isEqualTo(5);
    }

    @Test
    void hostBitsOfAPrefixAreCleared() {
        Route r = Route.connected(ip("192.0.2.77"), 24, 1);
        assertThat(r.prefix()).isEqualTo(ip("192.0.2.0"));
        assertThat(Route.connected(ip("2001:db8::1:2:3:4"), 80, 1).prefix()).isEqualTo(ip("2001:db8::1:0:0:0"));
        assertThat(Route.connected(ip("10.9.9.9"), 0, 1).prefix()).isEqualTo(ip("0.0.0.0"));
    }

    @Test
    void attributesAreKept() {
        RouteTable t = RouteTable.of(List.of(new Route(ip("192.0.2.0"), 24, Route.RTN_UNICAST, 3, ip("192.0.2.254"),
                ip("192.0.2.1"), 1400, 5)));
        int r = lookup(t, "192.0.2.9");
        assertThat(t.type(r)).isEqualTo(Route.RTN_UNICAST);
        assertThat(t.mtu(r)).isEqualTo(1400);
        assertThat(t.metric(r)).isEqualTo(5);
        assertThat(t.prefixLength(r)).isEqualTo(24);
        assertThat(t.hasPrefsrc(r)).isTrue();
        assertThat(t.prefsrcLo(r)).isEqualTo(ip("192.0.2.1").lo());
        assertThat(t.route(r).toString()).isEqualTo("192.0.2.0/24 via 192.0.2.254 dev 3 src 192.0.2.1 mtu 1400 metric 5");
    }

    @Test
    void badRoutesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new Route(ip("192.0.2.0"), 33, Route.RTN_UNICAST, 1, null, null, 0, 0)).hasMessageContaining("prefix length 33");
        assertThatThrownBy(() -> new Route(ip("192.0.2.0"), 24, 3, 1, null, null, 0, 0)).hasMessageContaining("route type 3");
        assertThatThrownBy(() -> Route.connected(ip("192.0.2.0"), 24, 0)).hasMessageContaining("without an interface");
        assertThatThrownBy(() -> Route.via(ip("192.0.2.0"), 24, ip("2001:db8::1"), 1)).hasMessageContaining("another family");
    }

    @Test
    void manyLongPrefixesUnderDifferentSlash16s() {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < 2000; i++) routes.add(Route.connected(IpAddr.v4(0x0A000000 | i << 12 | 0x80), 26, 1 + i));
        RouteTable t = RouteTable.of(routes);
        for (int i = 0; i < 2000; i++) {
            assertThat(t.lookup4(0x0A000000 | i << 12 | 0xA5)).isEqualTo(i);
            assertThat(t.lookup4(0x0A000000 | i << 12 | 0x05)).isEqualTo(RouteTable.NO_ROUTE);
        }
    }
}
