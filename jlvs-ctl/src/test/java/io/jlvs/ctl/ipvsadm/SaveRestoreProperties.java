package io.jlvs.ctl.ipvsadm;

import io.jlvs.service.IpAddr;
import io.jlvs.service.ServiceTable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever table random ipvsadm lines build (lines the kernel refuses simply fail), {@code -S -n} restores through
 * {@code -R} to a table that saves and lists identically, as long as ipvsadm's sort is a total order on it: IPv4
 * addresses, every 32-bit word of IPv6 addresses, and fwmarks less than 2^31 apart (see
 * {@link ListingTest#saveOrderOfAddresses2To31ApartDependsOnListOrder}).
 */
class SaveRestoreProperties {

    @Property(tries = 200)
    void saveRestoreSaveIsIdentity(@ForAll("scripts") List<String> script) {
        IpvsadmExecutor first = executor();
        for (String line : script) first.run(Arrays.asList(line.split(" ")));
        String saved = first.run(List.of("-S", "-n")).out();

        IpvsadmExecutor second = executor();
        IpvsadmResult r = second.run(List.of("-R"), new BufferedReader(new StringReader(saved)));
        assertThat(r.err()).isEmpty();
        assertThat(r.exitStatus()).isZero();
        assertThat(second.run(List.of("-S", "-n")).out()).isEqualTo(saved);
        assertThat(second.run(List.of("-L", "-n", "--tun-info")).out()).isEqualTo(first.run(List.of("-L", "-n", "--tun-info")).out());
    }

    static IpvsadmExecutor executor() {
        return new IpvsadmExecutor(new ServiceTable(), TestNames.parser(), StatsProvider.NONE, 4096);
    }

    @Provide
    Arbitrary<List<String>> scripts() {
        return Combinators.combine(services().list().ofMinSize(1).ofMaxSize(5), dests().list().ofMaxSize(12),
                Arbitraries.integers().between(0, 1000).list().ofSize(12)).as((svcs, dests, picks) -> {
            List<String> lines = new ArrayList<>();
            for (String[] s : svcs) lines.add("-A " + s[0] + s[1]);
            for (int i = 0; i < dests.size(); i++) {
                String svc = svcs.get(picks.get(i) % svcs.size())[0];
                lines.add("-a " + svc + dests.get(i));
            }
            return lines;
        });
    }

    /** [service spec, service options]. */
    Arbitrary<String[]> services() {
        Arbitrary<String> spec = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("-t", "-u", "--sctp-service"), address(), Arbitraries.integers().between(0, 65535))
                        .as((p, a, port) -> p + " " + a + ":" + port),
                Arbitraries.longs().between(1, 0x7FFF_FFFFL).map(m -> "-f " + m),
                Arbitraries.longs().between(1, 0x7FFF_FFFFL).map(m -> "-f " + m + " -6"));
        Arbitrary<String> opts = Combinators.combine(
                Arbitraries.of("", " -s rr", " -s wrr", " -s lc", " -s sed", " -s nq", " -s fo", " -s ovf", " -s none"),
                Arbitraries.of("", " -p", " -p 1", " -p 2678400", " -p 30 -M 255.255.0.0", " -p -M 64", " -p --pe sip"),
                Arbitraries.of("", " -o"),
                Arbitraries.of("", " -b flag-1", " -b flag-2,flag-3"))
                .as((s, p, o, b) -> s + p + o + b);
        return Combinators.combine(spec, opts).as((a, b) -> new String[]{a, b});
    }

    Arbitrary<String> dests() {
        Arbitrary<String> method = Arbitraries.of("", " -g", " -m", " -i", " -i --tun-type gue --tun-port 6080 --tun-csum",
                " -i --tun-type gre --tun-nocsum", " -i --tun-type gue --tun-port 1 --tun-remcsum");
        return Combinators.combine(address(), Arbitraries.integers().between(0, 65535), method,
                Arbitraries.integers().between(0, 65535), Arbitraries.of("", " -x 10 -y 5"))
                .as((a, port, m, w, t) -> " -r " + a + ":" + port + m + " -w " + w + t);
    }

    /** IPv4 (1.x to 31.x) or IPv6 (2001::/16, words below 2^31) text, bracketed when IPv6, with zero runs. */
    static Arbitrary<String> address() {
        Arbitrary<String> v4 = Arbitraries.integers().between(1, 31).flatMap(first ->
                Arbitraries.integers().between(0, 255).list().ofSize(3).map(r -> first + "." + r.get(0) + "." + r.get(1) + "." + r.get(2)));
        Arbitrary<String> v6 = Arbitraries.longs().list().ofSize(2).map(w -> {
            // every 32-bit word below 2^31, with zero halves so that "::" runs appear
            long hi = 0x2001_0000_0000_0000L | (w.get(0) & 0x0000_7FFF_0000_0000L) >>> 16,
                    lo = w.get(1) & 0x7FFF_0000_0000_FFFFL;
            return "[" + IpAddr.v6(hi, lo) + "]";
        });
        return Arbitraries.oneOf(v4, v6);
    }
}
