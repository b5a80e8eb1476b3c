package io.jlvs.host;

import io.jlvs.packet.Flow;
import io.jlvs.service.IpAddr;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Longest-prefix match against a brute-force oracle: over random routes (prefixes grown from a few anchors, so
 * they nest and overlap, with duplicates of different metrics), every lookup answers the route a linear scan
 * picks: the longest matching prefix, then the lowest metric, then the first given.
 */
class RouteTableProperties {
    static final long[] ANCHORS_V4 = {0xC0000200L, 0xC0000280L, 0xCB007100L, 0x0A000000L, 0xFFFFFFFFL, 0x00000000L, 0xC6336407L};
    static final long[][] ANCHORS_V6 = {{0x20010DB800000000L, 0}, {0x20010DB800010000L, 0xB}, {0x20010DB8FFFF0000L, -1L},
            {0xFE80000000000000L, 0x2}, {0, 0}, {-1L, -1L}};
    static final int[] TYPES = {Route.RTN_UNICAST, Route.RTN_UNICAST, Route.RTN_UNICAST, Route.RTN_LOCAL, Route.RTN_BLACKHOLE,
            Route.RTN_UNREACHABLE, Route.RTN_PROHIBIT};

    /** A route or an address near an anchor: the anchor with a few random bits flipped. */
    record Spec(boolean v6, int anchor, long flipHi, long flipLo, int len, int type, int metric) {
        IpAddr addr() {
            if (!v6) return IpAddr.v4((int) (ANCHORS_V4[anchor % ANCHORS_V4.length] ^ flipLo));
            long[] a = ANCHORS_V6[anchor % ANCHORS_V6.length];
            return IpAddr.v6(a[0] ^ flipHi, a[1] ^ flipLo);
        }

        Route route() {
            int l = v6 ? len : len % 33;
            return new Route(addr(), l, TYPES[type], 1 + anchor, null, null, 0, metric);
        }
    }

    /** A few bits flipped, more often low ones, sometimes none. */
    static Arbitrary<Long> flips() {
        return Arbitraries.oneOf(Arbitraries.just(0L),
                Arbitraries.integers().between(0, 63).map(b -> 1L << b),
                Arbitraries.integers().between(0, 31).map(b -> 1L << b),
                Arbitraries.longs().between(0, 0xFFFF));
    }

    static Arbitrary<Spec> specs() {
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.integers().between(0, 6), flips(), flips(),
                Arbitraries.integers().between(0, 128), Arbitraries.integers().between(0, TYPES.length - 1),
                Arbitraries.integers().between(0, 3)).as(Spec::new);
    }

    @Provide
    Arbitrary<List<Spec>> routes() { return specs().list().ofMaxSize(80); }

    @Provide
    Arbitrary<List<Spec>> addresses() { return specs().list().ofMinSize(1).ofMaxSize(60); }

    @Property(tries = 200)
    void lookupIsTheLongestPrefixThenTheLowestMetric(@ForAll("routes") List<Spec> specs, @ForAll("addresses") List<Spec> probes) {
        List<Route> routes = new ArrayList<>();
        for (Spec s : specs) routes.add(s.route());
        RouteTable t = RouteTable.of(routes);
        List<IpAddr> targets = new ArrayList<>();
        for (Spec p : probes) targets.add(p.addr());
        for (Route r : routes) targets.add(r.prefix());           // every prefix's first address too
        for (IpAddr a : targets) {
            int expect = oracle(routes, a);
            int got = t.lookup(a.af(), a.hi(), a.lo());
            assertThat(got).as("lookup %s among %s", a, routes).isEqualTo(expect);
            if (a.af() == Flow.AF_INET) assertThat(t.lookup4(a.v4())).isEqualTo(expect);
        }
    }

    /** Linear scan: the longest matching prefix, then the lowest metric, then the first given. */
    static int oracle(List<Route> routes, IpAddr a) {
        int best = RouteTable.NO_ROUTE;
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            if (r.prefix().af() != a.af() || !matches(r, a)) continue;
            if (best == RouteTable.NO_ROUTE) { best = i; continue; }
            Route b = routes.get(best);
            if (r.prefixLength() > b.prefixLength() || (r.prefixLength() == b.prefixLength() && r.metric() < b.metric())) best = i;
        }
        return best;
    }

    /** Bit by bit, the plainest way. */
    static boolean matches(Route r, IpAddr a) {
        byte[] p = r.prefix().bytes(), x = a.bytes();
        for (int bit = 0; bit < r.prefixLength(); bit++) {
            int m = 0x80 >>> (bit & 7);
            if ((p[bit >>> 3] & m) != (x[bit >>> 3] & m)) return false;
        }
        return true;
    }
}
