package io.jlvs.netio.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jlvs.netio.NetioAvailability;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real sockets in the test's own namespace, read-only (dumps need no privilege; nothing is changed here: the
 * changing requests are exercised in {@link RtnetlinkNetnsIT}, inside a namespace of their own).
 */
class RtnetlinkTest {

    @BeforeAll
    static void netioAvailable() {
        assumeTrue(NetioAvailability.isAvailable(),
                () -> "SKIPPED: jlvs-netio unavailable: " + NetioAvailability.unavailabilityCause().orElseThrow());
    }

    @Test
    void dumpsOfThisNamespaceShowLoopback() throws Exception {
        try (Rtnetlink rtnl = Rtnetlink.open()) {
            assertThat(rtnl.portId()).isNotZero();
            List<LinkInfo> links = rtnl.dumpLinks();
            assertThat(links).anySatisfy(l -> {
                assertThat(l.isLoopback()).isTrue();
                assertThat(l.name()).isEqualTo("lo");
            });
            assertThat(links).extracting(LinkInfo::ifIndex).doesNotHaveDuplicates();
            int lo = links.stream().filter(LinkInfo::isLoopback).findFirst().orElseThrow().ifIndex();
            if (links.stream().filter(LinkInfo::isLoopback).findFirst().orElseThrow().isUp()) {
                assertThat(rtnl.dumpAddresses()).anySatisfy(a -> {
                    assertThat(a.ifIndex()).isEqualTo(lo);
                    assertThat(a.address()).isEqualTo(InetAddress.ofLiteral("127.0.0.1"));
                    assertThat(a.prefixLen()).isEqualTo(8);
                });
                assertThat(rtnl.dumpRoutes()).anySatisfy(r -> {
                    assertThat(r.table()).isEqualTo(RouteInfo.RT_TABLE_LOCAL);
                    assertThat(r.type()).isEqualTo(RouteInfo.RTN_LOCAL);
                    assertThat(r.prefix()).isEqualTo("127.0.0.1/32");
                    assertThat(r.oif()).isEqualTo(lo);
                });
            }
            assertThat(rtnl.dumpNeighbours()).allSatisfy(n -> assertThat(n.family()).isIn(2, 10));
            // the same socket answers dump after dump: sequence numbers keep the answers apart
            for (int i = 0; i < 3; i++) {
                assertThat(rtnl.dumpLinks()).hasSameSizeAs(links);
            }
            assertThat(rtnl.stats().malformedMessages()).isZero();
            assertThat(rtnl.stats().staleMessages()).isZero();
        }
    }

    @Test
    void answersToAnAbandonedDumpAreSkippedAsStale() throws Exception {
        try (Rtnetlink rtnl = Rtnetlink.open()) {
            List<RouteInfo> routes = rtnl.dumpRoutes();
            rtnl.startDumpOnly(io.jlvs.netio.sys.RouteNetlink.RTM_GETROUTE); // never read
            List<LinkInfo> links = rtnl.dumpLinks();
            assertThat(links).anySatisfy(l -> assertThat(l.isLoopback()).isTrue());
            assertThat(rtnl.stats().staleMessages()).isGreaterThanOrEqualTo(1);
            long stale = rtnl.stats().staleMessages();
            assertThat(rtnl.dumpRoutes()).hasSameSizeAs(routes);
            assertThat(rtnl.stats().staleMessages()).isEqualTo(stale);
        }
    }

    @Test
    void closedSocketSaysSo() throws Exception {
        Rtnetlink rtnl = Rtnetlink.open();
        rtnl.close();
        rtnl.close();
        assertThatThrownBy(rtnl::dumpLinks).isInstanceOf(SocketException.class).hasMessageContaining("closed");
    }

    @Test
    void argumentsAreCheckedBeforeAnythingIsSent() throws Exception {
        try (Rtnetlink rtnl = Rtnetlink.open()) {
            assertThatThrownBy(() -> rtnl.setLinkUp(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> rtnl.addAddress(1, InetAddress.ofLiteral("192.0.2.1"), 33))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("33");
            assertThatThrownBy(() -> rtnl.delAddress(1, InetAddress.ofLiteral("2001:db8::1"), -1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Rtnetlink.open(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quietMonitorTimesOutAndClosesPromptly() throws Exception {
        try (RtMonitor monitor = RtMonitor.open(io.jlvs.netio.sys.RouteNetlink.RTMGRP_IPV6_ROUTE)) {
            List<RtEvent> got = new ArrayList<>();
            long t0 = System.nanoTime();
            int n = monitor.readEvents(got::add, 50);
            assertThat(n).isEqualTo(got.size());
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3_000);
        }
    }

    @Test
    void closeWakesABlockedReaderAndStopsTheThread() throws Exception {
        RtMonitor monitor = RtMonitor.open(io.jlvs.netio.sys.RouteNetlink.RTMGRP_IPV6_ROUTE);
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                while (true) {
                    monitor.readEvents(e -> { }, 60_000);
                }
            } catch (Throwable t) {
                return t;
            }
        }, r -> Thread.ofPlatform().start(r));
        Thread.sleep(150); // let it block; nothing here depends on the timing but the close latency below
        long t0 = System.nanoTime();
        monitor.close();
        assertThat(reader.get(5, TimeUnit.SECONDS)).isInstanceOf(SocketException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);

        RtMonitor threaded = RtMonitor.open();
        Thread t = threaded.start(e -> { }, "jlvs-rtmon-test");
        assertThatThrownBy(() -> threaded.start(e -> { }, "again")).isInstanceOf(IllegalStateException.class);
        threaded.close();
        assertThat(t.isAlive()).isFalse();
        threaded.close();
    }
}
