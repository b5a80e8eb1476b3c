package io.jlvs.ctl.ipvsadm;

import io.jlvs.ctl.offline.OfflineDirector;
import io.jlvs.ctl.offline.StaticNextHops;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listings with the connection engine's own numbers: traffic goes through a real director
 * ({@link OfflineDirector}), and {@code -L --stats}, {@code --rate}, {@code -Z}, {@code -L -c} and
 * {@code --timeout} must show what it counted, in ipvsadm's formats (printf strings from ipvsadm.c filled by
 * {@link String#format}). Rates are checked against the estimator's arithmetic worked out here, period by period.
 */
class LiveListingTest {
    static final String CLIENT = "198.51.100.7", VIP = "192.0.2.10", RS1 = "203.0.113.11", RS2 = "203.0.113.12";
    static final String MAC = "02:00:00:00:00:99", DIRECTOR_MAC = "02:00:00:00:00:01";
    static final long SECOND = 1_000_000_000L;

    final OfflineDirector d = new OfflineDirector(TestNames.parser(), new StaticNextHops(), 1024, 256);

    @AfterEach
    void close() { d.close(); }

    String run(String line) {
        IpvsadmResult r = d.ipvsadm().run(Arrays.asList(line.split(" ")));
        d.syncStats();
        assertThat(r.err()).as(line).isEmpty();
        assertThat(r.exitStatus()).as(line).isZero();
        return r.out();
    }

    static String f(String cFormat, Object... args) { return String.format(cFormat, args); }

    static String lines(String... l) { return String.join("\n", l) + "\n"; }

    static PacketBuilder fromClient(int cport, int vport) {
        return PacketBuilder.eth(MAC, DIRECTOR_MAC).ipv4(CLIENT, VIP).tcp(cport, vport);
    }

    static PacketBuilder fromRs(String rs, int rport, int cport) {
        return PacketBuilder.eth(MAC, DIRECTOR_MAC).ipv4(rs, CLIENT).tcp(rport, cport);
    }

    int in(PacketBuilder b) { return d.ingress(b.build(), 0); }

    /** SYN, SYN-ACK from the real server (NAT), ACK: three 40-octet IP packets, two in and one out. */
    void natHandshake(int cport, String rs) {
        assertThat(in(fromClient(cport, 80).syn())).isEqualTo(Verdict.TX);
        assertThat(in(fromRs(rs, 8080, cport).syn().ack())).isEqualTo(Verdict.TX);
        assertThat(in(fromClient(cport, 80).ack())).isEqualTo(Verdict.TX);
    }

    void natWeb() {
        run("-A -t " + VIP + ":80 -s rr");
        run("-a -t " + VIP + ":80 -r " + RS1 + ":8080 -m");
    }

    static final String STATS_TITLE = f("%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port", "Prot LocalAddress:Port",
            "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
    static final String RATE_TITLE = f("%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port", "Prot LocalAddress:Port",
            "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");

    static String statsLine(String name, long... v) {
        return f("%-33s%9d%9d%9d%9d%9d", name, v[0], v[1], v[2], v[3], v[4]);
    }

    static String destStatsLine(String name, long... v) {
        return f("  -> %-28s%9d%9d%9d%9d%9d", name, v[0], v[1], v[2], v[3], v[4]);
    }

    static String destRateLine(String name, long... v) {
        return f("  -> %-28s %8d %8d %8d%9d%9d", name, v[0], v[1], v[2], v[3], v[4]);
    }

    @Test
    void statsShowTheEngineCountsAsOfTheLastEstimation() {
        natWeb();
        natHandshake(40000, RS1);
        String zeros = lines(STATS_TITLE, statsLine("TCP  " + VIP + ":80", 0, 0, 0, 0, 0),
                destStatsLine(RS1 + ":8080", 0, 0, 0, 0, 0));
        assertThat(run("-L -n --stats -t " + VIP + ":80")).isEqualTo(zeros);      // no estimation yet: kstats 0

        d.advanceTo(2 * SECOND);
        String counted = lines(STATS_TITLE, statsLine("TCP  " + VIP + ":80", 1, 2, 1, 80, 40),
                destStatsLine(RS1 + ":8080", 1, 2, 1, 80, 40));
        assertThat(run("-L -n --stats -t " + VIP + ":80")).isEqualTo(counted);
        // the total's rates after one period: bytes (80 << 4 >> 2) + 0xF >> 5 = 10, (40 << 4 >> 2) + 0xF >> 5 = 5
        assertThat(d.stats().total()).isEqualTo(new IpvsStats(1, 2, 1, 80, 40, 0, 0, 0, 10, 5));

        // a DR service: the director sees only the client's side
        run("-A -t " + VIP + ":443 -s rr");
        run("-a -t " + VIP + ":443 -r " + RS2 + " -g");
        in(fromClient(40001, 443).syn());
        in(fromClient(40001, 443).ack().payload("GET / HTTP/1.0\r\n\r\n"));     // 40 + 18
        d.advanceTo(4 * SECOND);
        assertThat(run("-L -n --stats -t " + VIP + ":443")).isEqualTo(lines(STATS_TITLE,
                statsLine("TCP  " + VIP + ":443", 1, 2, 0, 98, 0), destStatsLine(RS2 + ":443", 1, 2, 0, 98, 0)));
    }

    /**
     * ip_vs_est.c's arithmetic, one 2 s period at a time: {@code rate = delta << 9} (packets, conns) or
     * {@code << 4} (bytes), {@code avg += (rate - avg) >> 2}; reported {@code (avg + 0x1FF) >> 10} and
     * {@code (avg + 0xF) >> 5}.
     */
    static final class Expected {
        long cps, inPps, outPps, inBps, outBps;

        void period(long conns, long inPkts, long outPkts, long inBytes, long outBytes) {
            cps += ((conns << 9) - cps) >> 2;
            inPps += ((inPkts << 9) - inPps) >> 2;
            outPps += ((outPkts << 9) - outPps) >> 2;
            inBps += ((inBytes << 4) - inBps) >> 2;
            outBps += ((outBytes << 4) - outBps) >> 2;
        }

        long[] reported() {
            return new long[] {(cps + 0x1FF) >> 10, (inPps + 0x1FF) >> 10, (outPps + 0x1FF) >> 10,
                (inBps + 0xF) >> 5, (outBps + 0xF) >> 5};
        }
    }

    @Test
    void rateFollowsTheEstimatorPeriodByPeriod() {
        natWeb();
        Expected e = new Expected();
        // period 1 (0..2 s): 60 connections, each SYN, SYN-ACK, ACK (40 octets each)
        for (int p = 1001; p <= 1060; p++) natHandshake(p, RS1);      // (not port 20: FTP data is never scheduled)
        d.advanceTo(2 * SECOND);
        e.period(60, 120, 60, 4800, 2400);
        // period 2: 20 more connections and 40 data packets of 140 octets from the client
        for (int p = 1101; p <= 1120; p++) natHandshake(p, RS1);
        for (int i = 0; i < 40; i++) in(fromClient(1001, 80).ack().payload(new byte[100]));
        d.advanceTo(4 * SECOND);
        e.period(20, 40 + 40, 20, 1600 + 40 * 140, 800);
        long[] v = e.reported();
        assertThat(v[0]).isPositive();                                                // the numbers are not trivial
        String expected = lines(RATE_TITLE, statsLine("TCP  " + VIP + ":80", v), destRateLine(RS1 + ":8080", v));
        assertThat(run("-L -n --rate")).isEqualTo(lines("IP Virtual Server version 1.2.1 (size=4096)") + expected);
        // periods 3 and 4: nothing; the averages decay by a quarter each time
        d.advanceTo(8 * SECOND);
        e.period(0, 0, 0, 0, 0);
        e.period(0, 0, 0, 0, 0);
        v = e.reported();
        assertThat(run("-L -n --rate -t " + VIP + ":80"))
                .isEqualTo(lines(RATE_TITLE, statsLine("TCP  " + VIP + ":80", v), destRateLine(RS1 + ":8080", v)));
        assertThat(d.stats().total().cps()).isEqualTo(v[0]);
    }

    @Test
    void zeroRestartsCountersAndRatesFromTheLastEstimation() {
        natWeb();
        natHandshake(40000, RS1);
        d.advanceTo(2 * SECOND);
        natHandshake(40001, RS1);                           // after the estimation: counted at the next one
        run("-Z");
        String zeros = lines(STATS_TITLE, statsLine("TCP  " + VIP + ":80", 0, 0, 0, 0, 0),
                destStatsLine(RS1 + ":8080", 0, 0, 0, 0, 0));
        assertThat(run("-L -n --stats -t " + VIP + ":80")).isEqualTo(zeros);
        assertThat(run("-L -n --rate -t " + VIP + ":80")).isEqualTo(lines(RATE_TITLE,
                statsLine("TCP  " + VIP + ":80", 0, 0, 0, 0, 0), destRateLine(RS1 + ":8080", 0, 0, 0, 0, 0)));
        assertThat(d.stats().total().conns()).isZero();                   // -Z without a service: the total too
        d.advanceTo(4 * SECOND);
        assertThat(run("-L -n --stats -t " + VIP + ":80")).isEqualTo(lines(STATS_TITLE,
                statsLine("TCP  " + VIP + ":80", 1, 2, 1, 80, 40), destStatsLine(RS1 + ":8080", 1, 2, 1, 80, 40)));
        run("-Z -t " + VIP + ":80");
        assertThat(run("-L -n --stats -t " + VIP + ":80")).isEqualTo(zeros);
        assertThat(d.stats().total().conns()).isEqualTo(1);               // one service zeroed: not the total
    }

    static final String CONN_TITLE = lines("IPVS connection entries",
            f("pro expire %-11s %-18s %-18s %s", "state", "source", "virtual", "destination"));

    static String conn(String proto, String expire, String state, String c, String v, String dst) {
        return f("%-3s %-6s %-11s %-18s %-18s %s\n", proto, expire, state, c, v, dst);
    }

    @Test
    void connectionsAndTemplatesAsIpvsadmListsThem() {
        natWeb();
        run("-A -t " + VIP + ":443 -s rr -p 600");
        run("-a -t " + VIP + ":443 -r " + RS2 + " -g");
        run("-A -u " + VIP + ":53 -s rr");
        run("-a -u " + VIP + ":53 -r " + RS2 + ":53 -m");
        run("-A -f 5 -s rr -p 120");
        run("-a -f 5 -r " + RS1 + ":0 -g");
        d.advanceTo(SECOND / 2);

        natHandshake(40000, RS1);                                                          // NAT, ESTABLISHED
        in(fromClient(40001, 443).syn());                                                  // DR + template
        d.ingress(PacketBuilder.eth(MAC, DIRECTOR_MAC).ipv4(CLIENT, VIP).udp(5353, 53).payload("q").build(), 0);
        d.ingress(PacketBuilder.eth(MAC, DIRECTOR_MAC).ipv4(CLIENT, "192.0.2.99").tcp(40002, 25).syn().build(), 5);

        assertThat(run("-L -c -n")).isEqualTo(CONN_TITLE
                + conn("TCP", "15:00", "ESTABLISHED", CLIENT + ":40000", VIP + ":80", RS1 + ":8080")
                + conn("TCP", "10:00", "NONE", CLIENT + ":0", VIP + ":443", RS2 + ":443")
                + conn("TCP", "01:00", "SYN_RECV", CLIENT + ":40001", VIP + ":443", RS2 + ":443")
                + conn("UDP", "05:00", "UDP", CLIENT + ":5353", VIP + ":53", RS2 + ":53")
                + conn("IP", "02:00", "NONE", CLIENT + ":0", "0.0.0.5:0", RS1 + ":0")
                + conn("TCP", "01:00", "SYN_RECV", CLIENT + ":40002", "192.0.2.99:25", RS1 + ":25"));

        // names resolved without -n; times count down; --persistent-conn without PE data: the same rows
        d.advanceTo(SECOND / 2 + 61 * SECOND);
        assertThat(run("-L -c")).isEqualTo(CONN_TITLE
                + conn("TCP", "13:59", "ESTABLISHED", CLIENT + ":40000", VIP + ":http", RS1 + ":http-alt")
                + conn("TCP", "08:59", "NONE", CLIENT + ":0", VIP + ":https", RS2 + ":https")
                + conn("UDP", "03:59", "UDP", CLIENT + ":5353", VIP + ":domain", RS2 + ":domain")
                + conn("IP", "00:59", "NONE", CLIENT + ":0", "0.0.0.5:0", RS1 + ":0"));
        assertThat(run("-L -c -n --persistent-conn")).startsWith(lines("IPVS connection entries",
                f("pro expire %-11s %-18s %-18s %-18s %-16s %s", "state", "source", "virtual", "destination",
                        "pe name", "pe_data"))
                + conn("TCP", "13:59", "ESTABLISHED", CLIENT + ":40000", VIP + ":80", RS1 + ":8080"));
        assertThat(run("-L -n --persistent-conn -t " + VIP + ":443")).endsWith(
                f("  -> %-28s %-9d %-11d %-10d %-10d\n", RS2 + ":443", 1, 1, 0, 0));
    }

    @Test
    void setChangesTheTimeoutsTheEngineGivesAndTimeoutShowsThem() {
        natWeb();
        assertThat(run("-L --timeout")).isEqualTo("Timeout (tcp tcpfin udp): 900 120 300\n");
        run("--set 600 60 30");
        assertThat(run("-L --timeout")).isEqualTo("Timeout (tcp tcpfin udp): 600 60 30\n");
        assertThat(d.timeouts().tcpTimeout()).isEqualTo(600);
        natHandshake(40000, RS1);
        assertThat(run("-L -c -n")).endsWith(conn("TCP", "10:00", "ESTABLISHED", CLIENT + ":40000", VIP + ":80",
                RS1 + ":8080"));
        run("--set 0 0 0");                                                       // 0: unchanged
        assertThat(run("-L --timeout")).isEqualTo("Timeout (tcp tcpfin udp): 600 60 30\n");
        d.advanceTo(600 * SECOND);
        assertThat(d.connections().size()).isZero();
    }
}
