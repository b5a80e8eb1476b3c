package io.jlvs.ctl.ipvsadm;

import io.jlvs.service.ServiceTable;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ipvsadm -S -n} then {@code ipvsadm -R} of its output rebuilds the same table: save(restore(save)) == save. */
class SaveRestoreRoundTripTest {

    static final List<String> SETUP = List.of(
            "-A -t 198.51.100.10:80 -s wrr",
            "-a -t 198.51.100.10:80 -r 192.0.2.11:8080 -m -w 3",
            "-a -t 198.51.100.10:80 -r 192.0.2.12:8080 -m -w 0",
            "-a -t 198.51.100.10:80 -r 192.0.2.13 -w 2",
            "-a -t 198.51.100.10:80 -r 192.0.2.14 -i --tun-type gue --tun-port 6080 --tun-remcsum",
            "-a -t 198.51.100.10:80 -r 192.0.2.15 -i --tun-type gre --tun-csum",
            "-a -t 198.51.100.10:80 -r [2001:db8::15] -i".replace("[2001:db8::15]", "[2001:db8::15]:80"),
            "-A -t 198.51.100.10 -s rr -p 1800 -M 255.255.255.0 --pe sip",
            "-a -t 198.51.100.10 -r 192.0.2.21",
            "-A -u 198.51.100.10:53 -s lc -o -b flag-2",
            "-a -u 198.51.100.10:53 -r 192.0.2.31:5353 -m",
            "-A --sctp-service 198.51.100.10:5060 -s wlc",
            "-a --sctp-service 198.51.100.10:5060 -r 192.0.2.41 -g -w 65535",
            "-A -t [2001:db8::1]:443 -s sed -p 60 -M 48",
            "-a -t [2001:db8::1]:443 -r [2001:db8::10]:8443 -m",
            "-A -f 7 -s nq",
            "-a -f 7 -r 192.0.2.51:0 -g",
            "-A -f 4294967295 -6 -s fo -p",
            "-a -f 4294967295 -6 -r [2001:db8::52]:9000 -m -w 9",
            "-A -f 9 -s none");

    static IpvsadmExecutor executor(ServiceTable t) { return new IpvsadmExecutor(t, TestNames.parser(), StatsProvider.NONE, 4096); }

    @Test
    void savedRulesRestoreToAnIdenticalTable() {
        IpvsadmExecutor first = executor(new ServiceTable());
        for (String line : SETUP) {
            IpvsadmResult r = first.run(Arrays.asList(line.split(" ")));
            assertThat(r.err()).as(line).isEmpty();
        }
        String saved = first.run(List.of("-S", "-n")).out();
        assertThat(saved.lines()).hasSize(SETUP.size());

        // each saved line parses on its own...
        IpvsadmExecutor second = executor(new ServiceTable());
        for (String line : saved.lines().toList()) {
            IpvsadmResult r = second.run(Arrays.asList(line.split(" ")));
            assertThat(r.err()).as(line).isEmpty();
        }
        assertThat(second.run(List.of("-S", "-n")).out()).isEqualTo(saved);

        // ... and -R takes the whole save
        IpvsadmExecutor third = executor(new ServiceTable());
        IpvsadmResult restored = third.run(List.of("-R"), new BufferedReader(new StringReader(saved)));
        assertThat(restored).isEqualTo(new IpvsadmResult("", "", 0));
        assertThat(third.run(List.of("-S", "-n")).out()).isEqualTo(saved);
        assertThat(third.run(List.of("-L", "-n", "--tun-info")).out()).isEqualTo(first.run(List.of("-L", "-n", "--tun-info")).out());
    }

    @Test
    void savedRulesWithNamesRestoreToo() {
        IpvsadmExecutor first = executor(new ServiceTable());
        for (String line : SETUP) first.run(Arrays.asList(line.split(" ")));
        String named = first.run(List.of("-S")).out();
        assertThat(named).contains("-A -t 198.51.100.10:http -s wrr\n").contains("-A -u 198.51.100.10:domain -s lc -o -b flag-2\n");
        IpvsadmExecutor second = executor(new ServiceTable());
        assertThat(second.run(List.of("-R"), new BufferedReader(new StringReader(named))).exitStatus()).isZero();
        assertThat(second.run(List.of("-S", "-n")).out()).isEqualTo(first.run(List.of("-S", "-n")).out());
    }
}
