package io.jlvs.host;

import io.jlvs.packet.Flow;
import io.jlvs.service.IpAddr;
import io.jlvs.xmit.Egress;
import io.jlvs.xmit.NextHops;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static io.jlvs.host.HostNet.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HostNextHopsTest {
    final HostTables tables = HostNet.tables();
    final Neighbours neighbours = new Neighbours(64);
    final PendingQueue pending = new PendingQueue(4, 16, 4, 2048, 1_000_000_000L, 100_000_000L, 3);
    final HostNextHops hops = new HostNextHops(tables, neighbours, pending);
    final Egress out = new Egress();

    int resolve(String addr) { return resolve(addr, 0); }

    int resolve(String addr, int flags) {
        IpAddr a = ip(addr);
        return hops.resolve(a.af(), a.hi(), a.lo(), flags, out);
    }

    void know(String addr, int ifIndex, String mac) {
        IpAddr a = ip(addr);
        neighbours.update(a.af(), a.hi(), a.lo(), ifIndex, mac(mac), Neighbours.REACHABLE, 0);
    }

    @Test
    void theDirectorsOwnAddressesAreLocal() {
        for (String a : List.of(DIRECTOR, VIP, NATGW, DIRECTOR_IN, DIRECTOR6, VIP6, NATGW6, LL1, "::1", "127.0.0.1")) {
            assertThat(resolve(a)).as(a).isEqualTo(NextHops.LOCAL);
        }
        assertThat(resolve("127.0.0.53")).as("a local route").isEqualTo(NextHops.LOCAL);
    }

    @Test
    void groupsAndNonRoutesAreUnreachable() {
        for (String a : List.of("224.0.0.5", "239.1.1.1", "255.255.255.255", "0.0.0.0", "ff02::1", "::",
                "198.51.100.66", "198.51.100.67", "198.51.100.68", "2001:db8:dead::1", "198.18.0.9")) {
            assertThat(resolve(a)).as(a).isEqualTo(NextHops.UNREACHABLE);
        }
        assertThat(pending.activeCount()).isZero();
        tables.publish(RouteTable.of(List.of(Route.connected(ip("192.0.2.0"), 24, ETH0))));
        assertThat(resolve("198.51.100.7")).as("no default route").isEqualTo(NextHops.UNREACHABLE);
        assertThat(resolve("2001:db8::7")).as("no IPv6 route").isEqualTo(NextHops.UNREACHABLE);
        tables.publish(RouteTable.of(List.of(Route.connected(ip("192.0.2.0"), 24, 77))));
        assertThat(resolve("192.0.2.7")).as("an interface the link table lacks").isEqualTo(NextHops.UNREACHABLE);
    }

    @Test
    void aConnectedNeighbourIsResolvedWithTheRoutesPrefsrcAndTheLinksMtu() {
        know(RS1, ETH1, RS1_MAC);
        assertThat(resolve(RS1)).isEqualTo(NextHops.RESOLVED);
        assertThat(out.ifIndex).isEqualTo(ETH1);
        assertThat(out.srcMac).isEqualTo(mac(ETH1_MAC));
        assertThat(out.dstMac).isEqualTo(mac(RS1_MAC));
        assertThat(out.vlanTci).isEqualTo(Egress.NO_VLAN);
        assertThat(out.mtu).isEqualTo(9000);
        assertThat(out.srcLo).isEqualTo(lo(DIRECTOR_IN));
        assertThat(out.srcHi).isZero();
    }

    @Test
    void throughAGatewayTheNextHopIsTheGatewayAndTheSourceTheInterfacesFirstAddress() {
        know(GW, ETH0, GW_MAC);
        assertThat(resolve(CLIENT)).isEqualTo(NextHops.RESOLVED);
        assertThat(out.ifIndex).isEqualTo(ETH0);
        assertThat(out.dstMac).isEqualTo(mac(GW_MAC));
        assertThat(out.mtu).isEqualTo(1500);
        assertThat(out.srcLo).isEqualTo(lo(DIRECTOR));
    }

    @Test
    void theRoutesMtuWhenItHasOne() {
        know("192.0.2.253", ETH0, GW_MAC);
        assertThat(resolve("198.51.100.200")).isEqualTo(NextHops.RESOLVED);
        assertThat(out.mtu).isEqualTo(1400);
    }

    @Test
    void ipv6PrefersAGlobalSourceToTheLinkLocalOne() {
        know(GW6, ETH0, GW_MAC);
        assertThat(resolve(CLIENT6)).isEqualTo(NextHops.RESOLVED);
        assertThat(out.dstMac).isEqualTo(mac(GW_MAC));
        assertThat(out.srcHi).isEqualTo(hi(DIRECTOR6));
        assertThat(out.srcLo).isEqualTo(lo(DIRECTOR6));
        know("fe80::11", ETH1, RS1_MAC);
        assertThat(resolve("fe80::11")).isEqualTo(NextHops.RESOLVED);
        assertThat(out.ifIndex).isEqualTo(ETH1);
        assertThat(out.srcHi).isEqualTo(hi(DIRECTOR6_IN));
    }

    @Test
    void knownNextHopIgnoresTheGateway() {
        know(GW, ETH0, GW_MAC);
        know(CLIENT, ETH0, CLIENT_MAC);
        assertThat(resolve(CLIENT, NextHops.KNOWN_NH)).isEqualTo(NextHops.RESOLVED);
        assertThat(out.dstMac).isEqualTo(mac(CLIENT_MAC));
        assertThat(resolve(CLIENT, 0)).isEqualTo(NextHops.RESOLVED);
        assertThat(out.dstMac).isEqualTo(mac(GW_MAC));
    }

    @Test
    void anUnknownNeighbourIsMarkedPendingAndAnsweredWithTheMarker() {
        assertThat(resolve(RS2)).isEqualTo(NextHops.RESOLVED);
        long marker = out.dstMac;
        assertThat(PendingQueue.isMarker(marker)).isTrue();
        assertThat(Neighbours.isUnicastMac(marker)).as("a marker is a group MAC no neighbour can have").isFalse();
        assertThat(out.ifIndex).isEqualTo(ETH1);
        int e = pending.find(Flow.AF_INET, 0, lo(RS2), ETH1);
        assertThat(e).isNotNegative();
        assertThat(pending.srcLo(e)).isEqualTo(lo(DIRECTOR_IN));
        assertThat(resolve(RS2)).isEqualTo(NextHops.RESOLVED);
        assertThat(out.dstMac).as("the same next hop, the same marker").isEqualTo(marker);
        assertThat(resolve(CLIENT6)).isEqualTo(NextHops.RESOLVED);
        assertThat(pending.find(Flow.AF_INET6, hi(GW6), lo(GW6), ETH0)).as("the gateway is what is resolved").isNotNegative();
        know(RS2, ETH1, RS2_MAC);
        assertThat(resolve(RS2)).isEqualTo(NextHops.RESOLVED);
        assertThat(out.dstMac).isEqualTo(mac(RS2_MAC));
    }

    @Test
    void unresolvedOnlyWhenNoPendingEntryIsFree() {
        for (String a : List.of("203.0.113.21", "203.0.113.22", "203.0.113.23", "203.0.113.24")) {
            assertThat(resolve(a)).isEqualTo(NextHops.RESOLVED);
        }
        assertThat(resolve("203.0.113.25")).isEqualTo(NextHops.UNRESOLVED);
        assertThat(out.dstMac).isZero();
        assertThat(out.ifIndex).as("every field but the MAC is filled").isEqualTo(ETH1);
        assertThat(hops.unresolved()).isEqualTo(1);
        assertThat(pending.noEntry()).isEqualTo(1);

        HostNextHops without = new HostNextHops(tables, neighbours, null);
        IpAddr a = ip(RS2);
        assertThat(without.resolve(a.af(), a.hi(), a.lo(), 0, out)).isEqualTo(NextHops.UNRESOLVED);
    }

    @Test
    void aNewSnapshotIsSeenByTheNextLookup() {
        know(RS1, ETH1, RS1_MAC);
        assertThat(resolve(RS1)).isEqualTo(NextHops.RESOLVED);
        tables.publish(tables.links().with(new Link(ETH1, "eth1", mac(ETH1_MAC), 9000, false)));
        assertThat(resolve(RS1)).as("link down").isEqualTo(NextHops.UNREACHABLE);
        tables.publish(tables.links().with(new Link(ETH1, "eth1", mac(ETH1_MAC), 1500, true)));
        assertThat(resolve(RS1)).isEqualTo(NextHops.RESOLVED);
        assertThat(out.mtu).isEqualTo(1500);
        tables.publishOwned(List.of(new OwnedAddress(ETH1, ip(RS1), OwnedAddress.Kind.VIP)));
        assertThat(resolve(RS1)).as("now an address jlvs owns").isEqualTo(NextHops.LOCAL);
        tables.publishOwned(List.of());
        assertThat(resolve(VIP)).as("the VIP given up").isEqualTo(NextHops.RESOLVED);
    }

    @Test
    void lookupsAllocateNothing() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter on this JVM");
        var counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled(), "allocation counter off");
        know(RS1, ETH1, RS1_MAC);
        know(GW, ETH0, GW_MAC);
        know(GW6, ETH0, GW_MAC);
        IpAddr[] targets = {ip(RS1), ip(CLIENT), ip(CLIENT6), ip(VIP), ip(RS2), ip("198.51.100.66"), ip(RS6)};
        long sum = run(targets, 20_000);
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && least > 0; attempt++) {
            long before = counter.getCurrentThreadAllocatedBytes();
            sum += run(targets, 20_000);
            least = Math.min(least, counter.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(sum).isNotZero();
        assertThat(least).as("bytes allocated by %d lookups", 20_000 * targets.length).isLessThan(1024);
    }

    private long run(IpAddr[] targets, int rounds) {
        long sum = 0;
        for (int r = 0; r < rounds; r++) {
            for (IpAddr a : targets) sum += hops.resolve(a.af(), a.hi(), a.lo(), 0, out) + out.dstMac;
        }
        return sum;
    }
}
