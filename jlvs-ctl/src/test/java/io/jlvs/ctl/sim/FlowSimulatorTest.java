package io.jlvs.ctl.sim;

import io.jlvs.ctl.ipvsadm.IpvsadmParser;
import io.jlvs.ctl.ipvsadm.NameResolver;
import io.jlvs.ctl.ipvsadm.Services;
import io.jlvs.service.IpAddr;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.ServiceTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;

import static org.assertj.core.api.Assertions.assertThat;

class FlowSimulatorTest {
    final StringBuilder out = new StringBuilder(), err = new StringBuilder();
    final FlowSimulator sim = new FlowSimulator(new IpvsadmParser("ipvsadm", NameResolver.offline(Services.builtIn())), out, err);
    final ServiceTable table = sim.engine().services();

    @AfterEach
    void close() { sim.close(); }

    int run(String... lines) { return sim.run(new BufferedReader(new StringReader(String.join("\n", lines) + "\n"))); }

    static String lines(String... l) { return String.join("\n", l) + "\n"; }

    @Test
    void echoPrintsEachLineBeforeItsOutput() {
        sim.echo(true);
        int status = run("# one service", "-A -t 198.51.100.10:80 -s rr", "-a -t 198.51.100.10:80 -r 192.0.2.1:80 -m",
                "", "conn tcp 203.0.113.7:40000 198.51.100.10:80");
        assertThat(status).isZero();
        assertThat(out.toString()).isEqualTo(lines("# one service", "> -A -t 198.51.100.10:80 -s rr",
                "> -a -t 198.51.100.10:80 -r 192.0.2.1:80 -m", "", "> conn tcp 203.0.113.7:40000 198.51.100.10:80",
                "203.0.113.7:40000 -> 192.0.2.1:80"));
    }

    @Test
    void scriptWithABadLineInTheMiddle() {
        int status = run(
                "# round robin over two NAT servers",
                "-A -t 198.51.100.10:80 -s rr",
                "-a -t 198.51.100.10:80 -r 192.0.2.1:8080 -m",
                "-a -t 198.51.100.10:80 -r 192.0.2.2:8080 -m",
                "",
                "conn tcp 203.0.113.7:40000 198.51.100.10:80",      // rr starts at the head: the newest dest
                "conn tcp 203.0.113.7:40001 198.51.100.10:80",
                "-A -t 198.51.100.10:80 -s rr",                      // line 8: bad
                "foo bar",                                           // line 9: bad
                "conn tcp 203.0.113.7:40002 198.51.100.10:80",
                "conn udp 203.0.113.7:40003 198.51.100.10:80",      // no UDP service
                "close 203.0.113.7:40000",
                "close 203.0.113.7:40000",                           // line 13: already closed
                "list");
        assertThat(out.toString()).isEqualTo(lines(
                "203.0.113.7:40000 -> 192.0.2.2:8080",
                "203.0.113.7:40001 -> 192.0.2.1:8080",
                "203.0.113.7:40002 -> 192.0.2.2:8080",
                "203.0.113.7:40003 -> none",
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port Scheduler Flags",
                "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
                "TCP  198.51.100.10:80 rr",
                "  -> 192.0.2.1:8080               Masq    1      1          0         ",
                "  -> 192.0.2.2:8080               Masq    1      1          1         "));   // the RST: CLOSE, 10 s
        assertThat(err.toString()).isEqualTo(lines(
                "sim: line 8: Service already exists",
                "sim: line 9: unknown command 'foo' (expected -..., conn, close, time, list)",
                "sim: line 13: close: no open connection from 203.0.113.7:40000"));
        assertThat(status).isEqualTo(1);
    }

    @Test
    void aCleanScriptExitsZero() {
        assertThat(run("-A -u 198.51.100.10:53 -s rr", "-a -u 198.51.100.10:53 -r 192.0.2.1", "conn udp 203.0.113.7:1 198.51.100.10:53"))
                .isZero();
        assertThat(out.toString()).isEqualTo("203.0.113.7:1 -> 192.0.2.1:53\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void leastConnectionFollowsCloses() {
        run("-A -t 198.51.100.10:443 -s lc",
                "-a -t 198.51.100.10:443 -r 192.0.2.1",
                "-a -t 198.51.100.10:443 -r 192.0.2.2",
                "conn tcp 203.0.113.7:1 198.51.100.10:443",
                "conn tcp 203.0.113.7:2 198.51.100.10:443",
                "conn tcp 203.0.113.7:3 198.51.100.10:443",
                "close 203.0.113.7:1",
                "close 203.0.113.7:3",
                "conn tcp 203.0.113.7:4 198.51.100.10:443");
        // lc ties go to the first in list order, i.e. the most recently added real server
        assertThat(out.toString()).isEqualTo(lines(
                "203.0.113.7:1 -> 192.0.2.2:443",
                "203.0.113.7:2 -> 192.0.2.1:443",
                "203.0.113.7:3 -> 192.0.2.2:443",
                "203.0.113.7:4 -> 192.0.2.2:443"));
        assertThat(table.get(ServiceKey.tcp("198.51.100.10", 443)).findDest(IpAddr.parse("192.0.2.1"), 443).activeConns()).isEqualTo(1);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void fwmarkIpv6AndPortZeroRealServers() {
        int status = run(
                "-A -f 5 -s rr",
                "-a -f 5 -r 192.0.2.9:0",
                "-A -t [2001:db8::1]:80 -s rr",
                "-a -t [2001:db8::1]:80 -r [2001:db8::10]:8080 -m",
                "conn tcp 203.0.113.7:1000 198.51.100.99:25 mark 5",   // the mark wins; port 0 takes the packet's port
                "conn tcp 203.0.113.7:1001 198.51.100.99:25",
                "conn tcp [2001:db8::7]:1000 [2001:db8::1]:80",
                "conn tcp [2001:db8::7]:1000 198.51.100.99:25",
                "close [2001:db8::7]:1000");
        assertThat(out.toString()).isEqualTo(lines(
                "203.0.113.7:1000 -> 192.0.2.9:25",
                "203.0.113.7:1001 -> none",
                "[2001:db8::7]:1000 -> [2001:db8::10]:8080"));
        assertThat(err.toString()).isEqualTo("sim: line 8: conn: client and virtual address are of different families\n");
        assertThat(status).isEqualTo(1);
    }

    @Test
    void ipvsadmOutputAndErrorsPassThrough() {
        run("-L -n --timeout", "-A -t 198.51.100.10:0", "-L -n -t 198.51.100.10:80", "-L --bogus", "-A -6 -f 1", "-R", "-v");
        assertThat(out.toString()).isEqualTo(lines(
                "Timeout (tcp tcpfin udp): 900 120 300",
                "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)"));
        assertThat(err.toString()).isEqualTo(lines(
                "sim: line 2: Zero port specified for non-persistent service",
                "sim: line 3: No such service",
                "sim: line 4: --bogus: unknown option",
                "sim: line 5: -6 used before -f",
                "sim: line 6: -R (restore) is not available in sim: the script itself is the input"));
    }

    @Test
    void badFlowLines() {
        int status = run(
                "conn tcp 203.0.113.7:1",
                "conn icmp 203.0.113.7:1 198.51.100.10:80",
                "conn tcp 203.0.113.7 198.51.100.10:80",
                "conn tcp 203.0.113.7:1 198.51.100.10:65536",
                "conn tcp 203.0.113.7:1 198.51.100.10:80 mark x",
                "close",
                "time 5",
                "time +-1",
                "list now");
        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo(lines(
                "sim: line 1: conn: expected 'conn PROTO CIP:CPORT VIP:VPORT [mark N]'",
                "sim: line 2: conn: unknown protocol 'icmp' (expected tcp, udp or sctp)",
                "sim: line 3: conn: bad client address '203.0.113.7' (expected ADDR:PORT or [IPV6]:PORT)",
                "sim: line 4: conn: bad virtual address '198.51.100.10:65536' (expected ADDR:PORT or [IPV6]:PORT)",
                "sim: line 5: conn: bad mark 'x' (expected 0 to 4294967295)",
                "sim: line 6: close: expected 'close CIP:CPORT'",
                "sim: line 7: time: expected 'time +SECONDS' (e.g. time +2.5)",
                "sim: line 8: time: expected 'time +SECONDS' (e.g. time +2.5)",
                "sim: line 9: list takes no arguments"));
    }

    @Test
    void timeAdvancesTheClockSeenBySchedulers() {
        assertThat(run("time +1.5", "time +0.000000001", "time +2")).isZero();
        assertThat(sim.nowNs()).isEqualTo(3_500_000_001L);
        assertThat(run("time +1.0000000001")).isEqualTo(1);           // finer than a nanosecond
    }

    @Test
    void overloadedServersAreSkipped() {
        run("-A -t 198.51.100.10:80 -s rr",
                "-a -t 198.51.100.10:80 -r 192.0.2.1 -x 1",
                "conn tcp 203.0.113.7:1 198.51.100.10:80",            // reaches u_threshold: OVERLOAD
                "conn tcp 203.0.113.7:2 198.51.100.10:80",
                "close 203.0.113.7:1",                                 // CLOSE: still counted for 10 s
                "conn tcp 203.0.113.7:3 198.51.100.10:80",
                "time +10",                                            // gone: below 3/4 of u_threshold, available
                "conn tcp 203.0.113.7:4 198.51.100.10:80");
        assertThat(out.toString()).isEqualTo(lines(
                "203.0.113.7:1 -> 192.0.2.1:80",
                "203.0.113.7:2 -> none",
                "203.0.113.7:3 -> none",
                "203.0.113.7:4 -> 192.0.2.1:80"));
    }

    static String conn(String proto, String expire, String state, String c, String v, String dst) {
        return String.format("%-3s %-6s %-11s %-18s %-18s %s", proto, expire, state, c, v, dst);
    }

    static final String CONN_TITLE = "IPVS connection entries\n"
            + "pro expire state       source             virtual            destination";

    @Test
    void persistenceTemplatesAndTimeouts() {
        int status = run(
                "-A -t 198.51.100.10:443 -s rr -p 60 -M 255.255.255.0",
                "-a -t 198.51.100.10:443 -r 192.0.2.1 -m",
                "-a -t 198.51.100.10:443 -r 192.0.2.2 -m",
                "--set 90 0 0",
                "conn tcp 203.0.113.7:1 198.51.100.10:443",       // rr: the head (newest) server, a template for /24
                "conn tcp 203.0.113.8:1 198.51.100.10:443",       // same /24: same template, same server
                "conn tcp 198.51.100.9:1 198.51.100.10:443",      // another network: rr moves on
                "-L -c -n",
                "close 198.51.100.9:1",                           // CLOSE: gone 10 s later
                "time +61",                                      // at 60 s the templates run out: the one still
                "-L -c -n",                                      // controlling connections gets 60 s more
                "-L -n --persistent-conn",
                "time +60",                                      // ESTABLISHED lasted 90 s (--set), the template 120
                "-L -c -n",
                "conn tcp 198.51.100.9:2 198.51.100.10:443");     // its template gone: rr, not 192.0.2.1
        assertThat(err.toString()).isEmpty();
        assertThat(status).isZero();
        assertThat(out.toString()).isEqualTo(lines(
                "203.0.113.7:1 -> 192.0.2.2:443",
                "203.0.113.8:1 -> 192.0.2.2:443",
                "198.51.100.9:1 -> 192.0.2.1:443",
                CONN_TITLE,
                conn("TCP", "01:00", "NONE", "203.0.113.0:0", "198.51.100.10:443", "192.0.2.2:443"),
                conn("TCP", "01:30", "ESTABLISHED", "203.0.113.7:1", "198.51.100.10:443", "192.0.2.2:443"),
                conn("TCP", "01:30", "ESTABLISHED", "203.0.113.8:1", "198.51.100.10:443", "192.0.2.2:443"),
                conn("TCP", "01:00", "NONE", "198.51.100.0:0", "198.51.100.10:443", "192.0.2.1:443"),
                conn("TCP", "01:30", "ESTABLISHED", "198.51.100.9:1", "198.51.100.10:443", "192.0.2.1:443"),
                CONN_TITLE,
                conn("TCP", "00:59", "NONE", "203.0.113.0:0", "198.51.100.10:443", "192.0.2.2:443"),
                conn("TCP", "00:29", "ESTABLISHED", "203.0.113.7:1", "198.51.100.10:443", "192.0.2.2:443"),
                conn("TCP", "00:29", "ESTABLISHED", "203.0.113.8:1", "198.51.100.10:443", "192.0.2.2:443"),
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn ",
                "  -> RemoteAddress:Port",
                "TCP  198.51.100.10:443 rr persistent 60 mask 255.255.255.0",
                "  -> 192.0.2.1:443                1         0           0          0         ",
                "  -> 192.0.2.2:443                1         1           2          0         ",
                CONN_TITLE,
                "198.51.100.9:2 -> 192.0.2.2:443"));
    }

    @Test
    void udpAndSctpConnectionsOpenAndClose() {
        int status = run(
                "-A -u 198.51.100.10:53 -s rr",
                "-a -u 198.51.100.10:53 -r 192.0.2.1:53 -m",
                "-A --sctp-service 198.51.100.10:3868 -s rr",
                "-a --sctp-service 198.51.100.10:3868 -r 192.0.2.2 -m",
                "-A --sctp-service 198.51.100.10:2905 -s rr",
                "-a --sctp-service 198.51.100.10:2905 -r 192.0.2.3 -g",
                "conn udp 203.0.113.7:5000 198.51.100.10:53",
                "conn sctp 203.0.113.7:3868 198.51.100.10:3868",   // NAT: INIT, INIT-ACK, COOKIE-ECHO, COOKIE-ACK
                "conn sctp 203.0.113.7:2905 198.51.100.10:2905",   // DR: INIT, COOKIE-ECHO
                "-L -c -n",
                "close 203.0.113.7:5000",                          // UDP: expired at once
                "close 203.0.113.7:3868",                          // ABORT: CLOSED
                "-L -c -n",
                "list");
        assertThat(err.toString()).isEmpty();
        assertThat(status).isZero();
        assertThat(out.toString()).isEqualTo(lines(
                "203.0.113.7:5000 -> 192.0.2.1:53",
                "203.0.113.7:3868 -> 192.0.2.2:3868",
                "203.0.113.7:2905 -> 192.0.2.3:2905",
                CONN_TITLE,
                conn("UDP", "05:00", "UDP", "203.0.113.7:5000", "198.51.100.10:53", "192.0.2.1:53"),
                conn("SCTP", "15:00", "ESTABLISHED", "203.0.113.7:3868", "198.51.100.10:3868", "192.0.2.2:3868"),
                conn("SCTP", "15:00", "ESTABLISHED", "203.0.113.7:2905", "198.51.100.10:2905", "192.0.2.3:2905"),
                CONN_TITLE,
                conn("SCTP", "01:01", "CLOSED", "203.0.113.7:3868", "198.51.100.10:3868", "192.0.2.2:3868"),
                conn("SCTP", "15:00", "ESTABLISHED", "203.0.113.7:2905", "198.51.100.10:2905", "192.0.2.3:2905"),
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port Scheduler Flags",
                "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
                "UDP  198.51.100.10:53 rr",
                "  -> 192.0.2.1:53                 Masq    1      0          0         ",
                "SCTP 198.51.100.10:2905 rr",
                "  -> 192.0.2.3:2905               Route   1      1          0         ",
                "SCTP 198.51.100.10:3868 rr",
                "  -> 192.0.2.2:3868               Masq    1      0          1         "));
    }

    @Test
    void onePacketSchedulingKeepsNoConnection() {
        int status = run(
                "-A -u 198.51.100.10:514 -s rr -o",
                "-a -u 198.51.100.10:514 -r 192.0.2.1 -m",
                "-a -u 198.51.100.10:514 -r 192.0.2.2 -g",
                "conn udp 203.0.113.7:514 198.51.100.10:514",
                "conn udp 203.0.113.7:514 198.51.100.10:514",      // the same flow: scheduled again
                "close 203.0.113.7:514");
        assertThat(out.toString()).isEqualTo(lines(
                "203.0.113.7:514 -> 192.0.2.2:514",
                "203.0.113.7:514 -> 192.0.2.1:514"));
        assertThat(err.toString()).isEqualTo("sim: line 6: close: no open connection from 203.0.113.7:514\n");
        assertThat(status).isEqualTo(1);
        assertThat(sim.engine().connections().size()).isZero();
    }

    @Test
    void countersAppearAtTheNextEstimation() {
        run("-A -t 198.51.100.10:80 -s rr",
                "-a -t 198.51.100.10:80 -r 192.0.2.1:8080 -m",
                "conn tcp 203.0.113.7:40000 198.51.100.10:80",
                "-L -n --stats",
                "time +2",
                "-L -n --stats --exact");
        assertThat(err.toString()).isEmpty();
        String title = String.format("%-33s %8s %8s %8s %8s %8s", "Prot LocalAddress:Port", "Conns", "InPkts",
                "OutPkts", "InBytes", "OutBytes");
        assertThat(out.toString()).isEqualTo(lines(
                "203.0.113.7:40000 -> 192.0.2.1:8080",
                "IP Virtual Server version 1.2.1 (size=4096)", title, "  -> RemoteAddress:Port",
                String.format("%-33s%9d%9d%9d%9d%9d", "TCP  198.51.100.10:80", 0, 0, 0, 0, 0),
                String.format("  -> %-28s%9d%9d%9d%9d%9d", "192.0.2.1:8080", 0, 0, 0, 0, 0),
                "IP Virtual Server version 1.2.1 (size=4096)", title, "  -> RemoteAddress:Port",
                String.format("%-33s%9d%9d%9d%9d%9d", "TCP  198.51.100.10:80", 1, 2, 1, 80, 40),
                String.format("  -> %-28s%9d%9d%9d%9d%9d", "192.0.2.1:8080", 1, 2, 1, 80, 40)));
    }

    @Test
    void aRulesFileRefusesFlows() {
        sim.rulesOnly(true).errorPrefix("replay: rules.txt: ");
        assertThat(run("-A -t 198.51.100.10:80 -s rr", "# a comment", "conn tcp 203.0.113.7:1 198.51.100.10:80"))
                .isEqualTo(1);
        assertThat(err.toString()).isEqualTo("replay: rules.txt: line 3: 'conn': a rules file holds ipvsadm command "
                + "lines (without the program name), comments and blank lines only; flows (conn, close, time, list) "
                + "are for ./jlvs sim\n");
    }
}
