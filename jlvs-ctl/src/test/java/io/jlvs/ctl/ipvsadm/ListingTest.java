package io.jlvs.ctl.ipvsadm;

import io.jlvs.sched.SchedFlags;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.ServiceTable;
import io.jlvs.service.TunnelType;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden listings. Expected lines are either the literal examples of the research notes (trailing blanks
 * included) or ipvsadm's printf format strings, copied from ipvsadm.c and filled by {@link String#format}, an
 * independent formatter ({@code %u}/{@code %llu} written as {@code %d}).
 */
class ListingTest {
    final ServiceTable table = new ServiceTable();
    final Map<VirtualService, IpvsStats> svcStats = new java.util.HashMap<>();
    final Map<RealServer, IpvsStats> destStats = new java.util.HashMap<>();
    final StatsProvider stats = new StatsProvider() {
        @Override public IpvsStats service(VirtualService svc) { return svcStats.getOrDefault(svc, IpvsStats.ZERO); }
        @Override public IpvsStats dest(VirtualService svc, RealServer d) { return destStats.getOrDefault(d, IpvsStats.ZERO); }
    };
    IpvsadmExecutor ipvsadm = new IpvsadmExecutor(table, TestNames.parser(), stats, 4096);

    String run(String line) {
        IpvsadmResult r = ipvsadm.run(Arrays.asList(line.split(" ")));
        assertThat(r.err()).as(line).isEmpty();
        assertThat(r.exitStatus()).as(line).isZero();
        return r.out();
    }

    static String lines(String... l) { return String.join("\n", l) + "\n"; }

    static String f(String cFormat, Object... args) { return String.format(cFormat, args); }

    static final String VERSION = "IP Virtual Server version 1.2.1 (size=4096)";
    static final String TITLE1 = "Prot LocalAddress:Port Scheduler Flags";
    static final String TITLE2 = "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn";

    /** The three services of the notes' example: TCP persistent wlc, UDP sh with flags, fwmark rr to a tunnel. */
    void notesTable() {
        run("-A -t 207.175.44.110:80 -s wlc -p");
        run("-a -t 207.175.44.110:80 -r 192.168.10.1:80 -m -w 1");
        run("-a -t 207.175.44.110:80 -r 192.168.10.2:80 -m -w 3");
        VirtualService dns = new VirtualService(ServiceKey.udp("10.0.0.1", 53), new StubScheduler("sh"),
                SchedFlags.FALLBACK | SchedFlags.PORT, 0, -1, null);
        table.add(dns);
        dns.addDest(RealServerSpec.dr(IpAddr.parse("10.1.0.5"), 53, 1));
        run("-A -f 1 -s rr");
        run("-a -f 1 -r 10.1.0.7 -i --tun-type gue --tun-port 6080 --tun-nocsum");
        VirtualService web = table.get(ServiceKey.tcp("207.175.44.110", 80));
        web.findDest(IpAddr.parse("192.168.10.1"), 80).counters(12, 340);
        web.findDest(IpAddr.parse("192.168.10.2"), 80).counters(40, 1021);
        dns.findDest(IpAddr.parse("10.1.0.5"), 53).counters(0, 17);
    }

    @Test
    void listNumericAsTheNotesExample() {
        notesTable();
        assertThat(run("-L -n")).isEqualTo(lines(
                VERSION, TITLE1, TITLE2,
                "TCP  207.175.44.110:80 wlc persistent 360",
                "  -> 192.168.10.1:80              Masq    1      12         340       ",
                "  -> 192.168.10.2:80              Masq    3      40         1021      ",
                "UDP  10.0.0.1:53 sh (sh-fallback,sh-port)",
                "  -> 10.1.0.5:53                  Route   1      0          17        ",
                "FWM  1 rr",
                "  -> 10.1.0.7:0                   Tunnel  1      0          0         "));
    }

    @Test
    void saveAsTheNotesExampleAndRestoreItToTheSameTable() {
        notesTable();
        String saved = lines(
                "-A -t 207.175.44.110:80 -s wlc -p 360",
                "-a -t 207.175.44.110:80 -r 192.168.10.1:80 -m -w 1",
                "-a -t 207.175.44.110:80 -r 192.168.10.2:80 -m -w 3",
                "-A -u 10.0.0.1:53 -s sh -b sh-fallback,sh-port",
                "-a -u 10.0.0.1:53 -r 10.1.0.5:53 -g -w 1",
                "-A -f 1 -s rr",
                "-a -f 1 -r 10.1.0.7:0 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum");
        assertThat(run("-S -n")).isEqualTo(saved);
        // -S without -n: ports by name (no host names in this resolver)
        assertThat(run("-S")).startsWith(lines(
                "-A -t 207.175.44.110:http -s wlc -p 360",
                "-a -t 207.175.44.110:http -r 192.168.10.1:http -m -w 1"));
        assertThat(run("-S")).contains("-A -u 10.0.0.1:domain -s sh -b sh-fallback,sh-port\n")
                .contains("-a -f 1 -r 10.1.0.7:0 -i -w 1");            // fwmark services print ports by number
    }

    @Test
    void statsAsTheNotesExample() {
        run("-A -t 207.175.44.110:80");
        run("-a -t 207.175.44.110:80 -r 192.168.10.1:80 -m");
        VirtualService svc = table.get(ServiceKey.tcp("207.175.44.110", 80));
        svcStats.put(svc, new IpvsStats(1523, 20345, 18877, 1623456, 123_456_789_012L, 12, 150, 140, 12000, 900000));
        destStats.put(svc.dests()[0], new IpvsStats(761, 10100, 9400, 811000, 61_728_000_000L, 6, 75, 70, 6000, 450000));
        assertThat(run("-L -n --stats")).isEqualTo(lines(
                VERSION,
                "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes",
                "  -> RemoteAddress:Port",
                "TCP  207.175.44.110:80                1523    20345    18877  1623456     123G",
                "  -> 192.168.10.1:80                   761    10100     9400   811000   61728M"));
        assertThat(run("-L -n --rate")).isEqualTo(lines(
                VERSION,
                "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS",
                "  -> RemoteAddress:Port",
                "TCP  207.175.44.110:80                  12      150      140    12000   900000",
                "  -> 192.168.10.1:80                     6       75       70     6000   450000"));
        assertThat(run("-L -n --stats --exact")).endsWith(lines(
                f("%-33s%9d%9d%9d%9d%13d", "TCP  207.175.44.110:80", 1523, 20345, 18877, 1623456, 123_456_789_012L),
                f("  -> %-28s%9d%9d%9d%9d%12d", "192.168.10.1:80", 761, 10100, 9400, 811000, 61_728_000_000L)));
    }

    @Test
    void largeNumbersScaleAsPrintLargenum() {
        ListFormat scaled = ListFormat.NUMERIC, exact = new ListFormat(true, false, false, false, false, false, true, false);
        assertThat(largenum(99_999_999L, scaled)).isEqualTo(" 99999999");
        assertThat(largenum(100_000_000L, scaled)).isEqualTo("  100000K");
        assertThat(largenum(999_999_999L, scaled)).isEqualTo("  999999K");
        assertThat(largenum(1_000_000_000L, scaled)).isEqualTo("    1000M");
        assertThat(largenum(99_999_999_999L, scaled)).isEqualTo("   99999M");
        assertThat(largenum(100_000_000_000L, scaled)).isEqualTo("     100G");
        assertThat(largenum(99_999_999_999_999L, scaled)).isEqualTo("   99999G");
        assertThat(largenum(100_000_000_000_000L, scaled)).isEqualTo("     100T");
        assertThat(largenum(-1L, scaled)).isEqualTo("18446744T");                       // 2^64 - 1, unsigned
        assertThat(largenum(5, exact)).isEqualTo("        5");
        assertThat(largenum(12_345_678, exact)).isEqualTo(" 12345678");
        assertThat(largenum(123_456_789, exact)).isEqualTo(" 123456789");
        assertThat(largenum(-1L, exact)).isEqualTo(" 18446744073709551615");
    }

    static String largenum(long v, ListFormat fmt) {
        StringBuilder sb = new StringBuilder();
        Listing.largenum(sb, v, fmt);
        return sb.toString();
    }

    @Test
    void thresholdsAsTheNotesExample() {
        run("-A -t 207.175.44.110:80");
        run("-a -t 207.175.44.110:80 -r 192.168.10.1:80 -m -x 1000 -y 700");
        table.get(ServiceKey.tcp("207.175.44.110", 80)).dests()[0].counters(12, 340);
        assertThat(run("-L -n --thresholds")).isEqualTo(lines(
                VERSION,
                "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn ",
                "  -> RemoteAddress:Port",
                "TCP  207.175.44.110:80 wlc",
                "  -> 192.168.10.1:80              1000       700        12         340       "));
    }

    @Test
    void persistentConnColumns() {
        run("-A -t 198.51.100.10:80 -s rr -p 600");
        run("-a -t 198.51.100.10:80 -r 192.0.2.1 -w 5");
        RealServer d = table.get(ServiceKey.tcp("198.51.100.10", 80)).dests()[0];
        d.counters(3, 4);
        d.persistConnsAdd(9);
        assertThat(run("-L -n --persistent-conn")).isEqualTo(lines(
                VERSION,
                f("%-33s %-9s %-11s %-10s %-10s", "Prot LocalAddress:Port", "Weight", "PersistConn", "ActiveConn", "InActConn"),
                "  -> RemoteAddress:Port",
                "TCP  198.51.100.10:80 rr persistent 600",
                f("  -> %-28s %-9d %-11d %-10d %-10d", "192.0.2.1:80", 5, 9, 3, 4)));
    }

    @Test
    void tunnelInfoColumn() {
        run("-A -t 198.51.100.10:80 -s rr");
        run("-a -t 198.51.100.10:80 -r 192.0.2.1 -i --tun-type gue --tun-port 6080 --tun-csum");
        run("-a -t 198.51.100.10:80 -r 192.0.2.2 -i --tun-type gre --tun-nocsum");
        run("-a -t 198.51.100.10:80 -r 192.0.2.3 -i");
        run("-a -t 198.51.100.10:80 -r 192.0.2.4:8080 -m -w 2");
        run("-a -t 198.51.100.10:80 -r 192.0.2.5 -i --tun-type gue --tun-port 65535 --tun-remcsum");
        String row = "  -> %-28s %-7s %-13s %-6d %-10d %-10d";
        assertThat(run("-L -n --tun-info")).isEqualTo(lines(
                VERSION, TITLE1,
                "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn",
                "TCP  198.51.100.10:80 rr",
                f(row, "192.0.2.1:80", "Tunnel", "gue:6080:+c", 1, 0, 0),
                f(row, "192.0.2.2:80", "Tunnel", "gre:-c", 1, 0, 0),
                f(row, "192.0.2.3:80", "Tunnel", "ipip", 1, 0, 0),
                f(row, "192.0.2.4:8080", "Masq", "n/a", 2, 0, 0),
                f(row, "192.0.2.5:80", "Tunnel", "gue:65535:r+c", 1, 0, 0)));
        assertThat(run("-S -n")).isEqualTo(lines(
                "-A -t 198.51.100.10:80 -s rr",
                "-a -t 198.51.100.10:80 -r 192.0.2.1:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum",
                "-a -t 198.51.100.10:80 -r 192.0.2.2:80 -i -w 1 --tun-type gre --tun-nocsum",
                "-a -t 198.51.100.10:80 -r 192.0.2.3:80 -i -w 1 --tun-type ipip",
                "-a -t 198.51.100.10:80 -r 192.0.2.4:8080 -m -w 2",
                "-a -t 198.51.100.10:80 -r 192.0.2.5:80 -i -w 1 --tun-type gue --tun-port 65535 --tun-remcsum"));
    }

    @Test
    void ipv6AndFwmarkServices() {
        run("-A -t [2001:db8::1]:80 -s rr");
        run("-a -t [2001:db8::1]:80 -r [2001:db8::10]:8080 -m");
        run("-a -t [2001:db8::1]:80 -r [2001:db8:1234:5678:9abc:def0:1234:5678]:80 -m -w 2");
        run("-A -u [2001:db8::1]:53 -p 60 -M 64 --pe sip");
        run("-A -f 7 -6 -s rr");
        run("-a -f 7 -6 -r [2001:db8::20]:0");
        run("-A -f 8 -p -M 255.255.255.0");
        run("-a -f 8 -r 192.0.2.1:443 -m");
        String dest = "  -> %-28s %-7s %-6d %-10d %-10d";
        assertThat(run("-L -n")).isEqualTo(lines(
                VERSION, TITLE1, TITLE2,
                "TCP  [2001:db8::1]:80 rr",
                f(dest, "[2001:db8::10]:8080", "Masq", 1, 0, 0),
                f(dest, "[2001:db8:1234:5678:9abc:def0:1234:5678]:80", "Masq", 2, 0, 0),
                "UDP  [2001:db8::1]:53 wlc persistent 60 mask 64 pe sip",
                "FWM  7 IPv6 rr",
                f(dest, "[2001:db8::20]:0", "Route", 1, 0, 0),
                "FWM  8 wlc persistent 360 mask 255.255.255.0",
                f(dest, "192.0.2.1:443", "Masq", 1, 0, 0)));
        assertThat(run("-S -n")).isEqualTo(lines(
                "-A -t [2001:db8::1]:80 -s rr",
                "-a -t [2001:db8::1]:80 -r [2001:db8::10]:8080 -m -w 1",
                "-a -t [2001:db8::1]:80 -r [2001:db8:1234:5678:9abc:def0:1234:5678]:80 -m -w 2",
                "-A -u [2001:db8::1]:53 -s wlc -p 60 -M 64 --pe sip",
                "-A -f 7 -6 -s rr",
                "-a -f 7 -6 -r [2001:db8::20]:0 -g -w 1",
                "-A -f 8 -s wlc -p 360 -M 255.255.255.0",
                "-a -f 8 -r 192.0.2.1:443 -m -w 1"));
    }

    @Test
    void flagsOnTheServiceLine() {
        run("-A -u 198.51.100.10:53 -s rr -o -b flag-1,flag-3");
        run("-A -u 198.51.100.10:54 -s none -p 30 --pe sip -o");
        VirtualService mh = new VirtualService(ServiceKey.tcp("198.51.100.10", 80), new StubScheduler("mh"),
                SchedFlags.SCHED1 | SchedFlags.SCHED2 | SchedFlags.SCHED3, 0, -1, null);
        table.add(mh);
        VirtualService sh3 = new VirtualService(ServiceKey.tcp("198.51.100.10", 81), new StubScheduler("sh"),
                SchedFlags.SCHED3, 0, -1, null);
        table.add(sh3);
        assertThat(run("-L -n")).isEqualTo(lines(
                VERSION, TITLE1, TITLE2,
                "TCP  198.51.100.10:80 mh (mh-fallback,mh-port)",
                "TCP  198.51.100.10:81 sh ()",                        // sh has no name for flag-3
                "UDP  198.51.100.10:53 rr (flag-1,flag-3) ops",
                "UDP  198.51.100.10:54 none persistent 30 pe sip ops"));
        assertThat(run("-S -n")).isEqualTo(lines(
                "-A -t 198.51.100.10:80 -s mh -b mh-fallback,mh-port",
                "-A -t 198.51.100.10:81 -s sh -b ",
                "-A -u 198.51.100.10:53 -s rr -o -b flag-1,flag-3",
                "-A -u 198.51.100.10:54 -s none -p 30 --pe sip -o"));
    }

    @Test
    void namesWithoutNumericAreCutTo33And28Characters() {
        IpAddr vip = IpAddr.parse("198.51.100.10"), rs = IpAddr.parse("192.0.2.1");
        TestNames names = new TestNames(Map.of(), Map.of(vip, "a-very-long-virtual-name.example.com", rs, "a-very-long-host-name.example.com"));
        ipvsadm = new IpvsadmExecutor(table, new IpvsadmParser("ipvsadm", names), stats, 4096);
        run("-A -t 198.51.100.10:80 -s rr");
        run("-a -t 198.51.100.10:80 -r 192.0.2.1:8080 -m");
        String svcName = ("TCP  " + "a-very-long-virtual-name.example.com:http").substring(0, 33);     // svc_name[33] = '\0'
        String destName = "a-very-long-host-name.example.com:http-alt".substring(0, 28);            // dname[28] = '\0'
        assertThat(run("-L")).isEqualTo(lines(VERSION, TITLE1, TITLE2,
                svcName + " rr",
                f("  -> %-28s %-7s %-6d %-10d %-10d", destName, "Masq", 1, 0, 0)));
        assertThat(run("-S")).isEqualTo(lines(
                "-A -t a-very-long-virtual-name.example.com:http -s rr",
                "-a -t a-very-long-virtual-name.example.com:http -r a-very-long-host-name.example.com:http-alt -m -w 1"));
    }

    @Test
    void oneServiceHasNoVersionLine() {
        run("-A -t 198.51.100.10:80 -s rr");
        run("-A -t 198.51.100.10:81 -s rr");
        assertThat(run("-L -n -t 198.51.100.10:81")).isEqualTo(lines(TITLE1, TITLE2, "TCP  198.51.100.10:81 rr"));
        assertThat(run("-L -n --stats -t 198.51.100.10:81")).isEqualTo(lines(
                "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes",
                "  -> RemoteAddress:Port",
                f("%-33s%9d%9d%9d%9d%9d", "TCP  198.51.100.10:81", 0, 0, 0, 0, 0)));
    }

    @Test
    void servicesSortByFwmarkFamilyProtocolAddressPort() {
        run("-A -f 2");
        run("-A -u 198.51.100.10:53");
        run("-A -t [2001:db8::1]:80");
        run("-A -f 1 -6");
        run("-A -f 1");
        run("-A -t 198.51.100.10:443");
        run("-A -t 198.51.100.9:8080");
        run("-A --sctp-service 198.51.100.10:5060");
        run("-A -t 198.51.100.10:80");
        assertThat(serviceLines(run("-L -n"))).containsExactly(
                "TCP  198.51.100.9:8080 wlc",
                "TCP  198.51.100.10:80 wlc",
                "TCP  198.51.100.10:443 wlc",
                "UDP  198.51.100.10:53 wlc",
                "SCTP 198.51.100.10:5060 wlc",
                "TCP  [2001:db8::1]:80 wlc",
                "FWM  1 wlc",
                "FWM  1 IPv6 wlc",
                "FWM  2 wlc");
    }

    @Test
    void addressesMoreThan2To31ApartSortAsIpvsadmsWrappedSubtraction() {
        // ipvs_cmp_services: r = ntohl(a) - ntohl(b) in unsigned 32 bits, read as an int:
        // 10.0.0.1 - 192.0.2.1 = 0x0A000001 - 0xC0000201 = 0x49FFFE00 > 0, so 10.0.0.1 sorts after 192.0.2.1
        assertThat(0x0A000001 - 0xC0000201).isPositive();
        run("-A -t 10.0.0.1:80");
        run("-A -t 192.0.2.1:80");
        run("-A -t 20.0.0.1:80");
        assertThat(serviceLines(run("-L -n"))).containsExactly(
                "TCP  192.0.2.1:80 wlc", "TCP  10.0.0.1:80 wlc", "TCP  20.0.0.1:80 wlc");
        run("-a -t 10.0.0.1:80 -r 10.1.1.1 -m");
        run("-a -t 10.0.0.1:80 -r 200.1.1.1 -m");
        run("-a -t 10.0.0.1:80 -r 10.1.1.1:81 -m");
        assertThat(run("-L -n -t 10.0.0.1:80")).contains("200.1.1.1:80 ").containsSubsequence(
                "  -> 200.1.1.1:80", "  -> 10.1.1.1:80 ", "  -> 10.1.1.1:81 ");
    }

    @Test
    void saveOrderOfAddresses2To31ApartDependsOnListOrder() {
        // 0x35000000 - 0xB5000000 and 0xB5000000 - 0x35000000 are both 0x80000000, negative as an int: each address
        // sorts "before" the other, so glibc's merge sort keeps the kernel's list order (newest first), which a
        // restore reverses. Real ipvsadm -S | ipvsadm -R flips such pairs on every round.
        run("-A -t 198.51.100.10:80");
        run("-a -t 198.51.100.10:80 -r 53.0.0.1 -m");
        run("-a -t 198.51.100.10:80 -r 181.0.0.1 -m");
        String saved = run("-S -n");
        assertThat(saved).containsSubsequence("-r 181.0.0.1:80", "-r 53.0.0.1:80");
        IpvsadmExecutor restored = new IpvsadmExecutor(new ServiceTable(), TestNames.parser(), stats, 4096);
        restored.run(List.of("-R"), new java.io.BufferedReader(new java.io.StringReader(saved)));
        assertThat(restored.run(List.of("-S", "-n")).out()).containsSubsequence("-r 53.0.0.1:80", "-r 181.0.0.1:80");
    }

    @Test
    void nosortPrintsKernelOrder() {
        // ip_vs_svc_hashkey with a zero netns salt: (proto ^ addr ^ (port >> 8) ^ port) & 255
        run("-A -t 198.51.100.10:80");        // (6 ^ 0xC633640A ^ 0 ^ 80) & 255 = 0x0A ^ 0x06 ^ 0x50 = 0x5C
        run("-A -t 198.51.100.10:81");        // 0x0A ^ 0x06 ^ 0x51 = 0x5D
        run("-A -t 198.51.100.11:80");        // 0x0B ^ 0x06 ^ 0x50 = 0x5D: same bucket, newer first
        run("-A -f 1");
        run("-A -u 198.51.100.10:53");        // 0x0A ^ 0x11 ^ 0x35 = 0x2E
        assertThat(serviceLines(run("-L -n --nosort"))).containsExactly(
                "UDP  198.51.100.10:53 wlc",
                "TCP  198.51.100.10:80 wlc",
                "TCP  198.51.100.11:80 wlc",
                "TCP  198.51.100.10:81 wlc",
                "FWM  1 wlc");
        run("-a -t 198.51.100.10:80 -r 192.0.2.2 -m");
        run("-a -t 198.51.100.10:80 -r 192.0.2.1 -m");
        run("-a -t 198.51.100.10:80 -r 192.0.2.3 -m");
        assertThat(run("-L -n --nosort -t 198.51.100.10:80")).containsSubsequence(
                "192.0.2.3:80", "192.0.2.1:80", "192.0.2.2:80");              // list order: newest first
        assertThat(run("-L -n -t 198.51.100.10:80")).containsSubsequence("192.0.2.1:80", "192.0.2.2:80", "192.0.2.3:80");
    }

    @Test
    void timeoutsDaemonsAndConnectionsHeader() {
        assertThat(run("-L --timeout")).isEqualTo("Timeout (tcp tcpfin udp): 900 120 300\n");
        run("--set 0 60 0");
        assertThat(run("-L --timeout")).isEqualTo("Timeout (tcp tcpfin udp): 900 60 300\n");
        assertThat(run("-L --daemon")).isEmpty();
        run("--start-daemon backup --mcast-interface eth1 --syncid 9");
        run("--start-daemon master --mcast-group 239.0.0.7 --mcast-port 9000 --mcast-ttl 3 --sync-maxlen 1000");
        assertThat(run("-L --daemon")).isEqualTo(lines(
                "master sync daemon (mcast=eth0, syncid=0, maxlen=1000, group=239.0.0.7, port=9000, ttl=3)",
                "backup sync daemon (mcast=eth1, syncid=9, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)"));
        assertThat(run("-L -c -n")).isEqualTo(lines("IPVS connection entries",
                f("pro expire %-11s %-18s %-18s %s", "state", "source", "virtual", "destination")));
        assertThat(run("-L -c --persistent-conn")).isEqualTo(lines("IPVS connection entries",
                f("pro expire %-11s %-18s %-18s %-18s %-16s %s", "state", "source", "virtual", "destination", "pe name", "pe_data")));
    }

    @Test
    void connectionRowsWhenTheEngineFeedsThem() {
        ipvsadm.connectionSource(() -> List.of(new Listing.ConnRow("TCP", 898, "ESTABLISHED",
                IpAddr.parse("10.9.8.7"), 51234, IpAddr.parse("207.175.44.110"), 80, IpAddr.parse("192.168.10.1"), 80, null, null)));
        assertThat(run("-L -c -n")).endsWith(f("%-3s %-6s %-11s %-18s %-18s %s\n",
                "TCP", "14:58", "ESTABLISHED", "10.9.8.7:51234", "207.175.44.110:80", "192.168.10.1:80"));
    }

    @Test
    void destsListInAddressOrderWithTheirMethods() {
        run("-A -t 198.51.100.10:80 -s wrr");
        run("-a -t 198.51.100.10:80 -r 192.0.2.3 -w 0");
        run("-a -t 198.51.100.10:80 -r 192.0.2.1:8080 -m -w 65535");
        table.get(ServiceKey.tcp("198.51.100.10", 80)).findDest(IpAddr.parse("192.0.2.3"), 80).counters(-1, 7);
        String dest = "  -> %-28s %-7s %-6d %-10s %-10d";
        assertThat(run("-L -n")).endsWith(lines(
                "TCP  198.51.100.10:80 wrr",
                f(dest, "192.0.2.1:8080", "Masq", 65535, "0", 0),
                f(dest, "192.0.2.3:80", "Route", 0, "4294967295", 7)));      // %u of a counter gone negative
        assertThat(FwdMethod.LOCALNODE.listName).isEqualTo("Local");
        assertThat(TunnelType.IPIP.optionName).isEqualTo("ipip");
    }

    static List<String> serviceLines(String listing) {
        return listing.lines().skip(3).filter(l -> !l.startsWith("  -> ")).toList();
    }
}
