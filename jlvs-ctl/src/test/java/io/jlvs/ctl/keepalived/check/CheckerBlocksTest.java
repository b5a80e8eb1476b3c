package io.jlvs.ctl.keepalived.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlvs.ha.check.CheckKey;
import io.jlvs.ha.check.CheckPolicy;
import io.jlvs.ha.check.DnsChecker;
import io.jlvs.ha.check.FileChecker;
import io.jlvs.ha.check.HexPattern;
import io.jlvs.ha.check.HttpChecker;
import io.jlvs.ha.check.MiscChecker;
import io.jlvs.ha.check.PingChecker;
import io.jlvs.ha.check.SmtpChecker;
import io.jlvs.ha.check.TcpChecker;
import io.jlvs.ha.check.UdpChecker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** keepalived checker blocks to check keys: keywords, keepalived's defaults, skipped keywords, errors. */
class CheckerBlocksTest {

    static final InetAddress RS = InetAddress.ofLiteral("192.0.2.11");
    final Conf.Recorder diag = new Conf.Recorder();
    CheckerContext ctx = CheckerContext.defaults(RS, 80);

    private Optional<CheckKey> parse(String text) {
        return CheckerBlocks.parse(Conf.one(text), ctx, diag);
    }

    private CheckKey ok(String text) {
        Optional<CheckKey> k = parse(text);
        assertThat(diag.errors).isEmpty();
        assertThat(k).isPresent();
        return k.orElseThrow();
    }

    private static Duration s(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    @Test
    void tcpCheckTakesTheRealServerAndKeepalivedDefaults() {
        CheckKey k = ok("TCP_CHECK {\n}");
        TcpChecker.Spec spec = (TcpChecker.Spec) k.spec();
        assertThat(spec.conn().target()).isEqualTo(new InetSocketAddress(RS, 80));
        assertThat(spec.conn().bindTo()).isNull();
        assertThat(spec.conn().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(k.policy()).isEqualTo(new CheckPolicy(Duration.ofSeconds(60), 1, Duration.ofSeconds(1),
                Duration.ofSeconds(60), false));
        assertThat(diag.skipped).isEmpty();
    }

    @Test
    void checkerKeywordsWinOverTheRealServerWhichWinsOverDefaults() {
        ctx = new CheckerContext(RS, 80, Duration.ofSeconds(6), 4, s(2.5), Duration.ZERO, Duration.ofSeconds(2), true,
                null, Map.of());
        CheckKey inherited = ok("TCP_CHECK {\n}");
        assertThat(inherited.policy()).isEqualTo(new CheckPolicy(Duration.ofSeconds(6), 4, s(2.5), Duration.ZERO, true));
        assertThat(((TcpChecker.Spec) inherited.spec()).conn().connectTimeout()).isEqualTo(Duration.ofSeconds(2));

        CheckKey own = ok("""
                TCP_CHECK {
                    connect_ip 192.0.2.99
                    connect_port 8080
                    bindto 192.0.2.1
                    bind_port 40000
                    connect_timeout 0.25
                    retry 0
                    delay_before_retry 0.5
                    warmup 3
                    delay_loop 2.5
                    alpha off
                }""");
        TcpChecker.Spec spec = (TcpChecker.Spec) own.spec();
        assertThat(spec.conn().target()).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.99"), 8080));
        assertThat(spec.conn().bindTo()).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.1"), 40000));
        assertThat(spec.conn().connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(own.policy()).isEqualTo(new CheckPolicy(s(2.5), 0, s(0.5), Duration.ofSeconds(3), false));
    }

    @Test
    void warmupDefaultsToTheCheckerDelayLoop() {
        assertThat(ok("TCP_CHECK {\n delay_loop 7\n}").policy().warmup()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void httpGetWithEverything() {
        CheckKey k = ok("""
                HTTP_GET {
                    nb_get_retry 2
                    http_protocol 1.1
                    virtualhost www.example.test
                    fast_recovery
                    url {
                        path /health
                        digest 9B3A0C85A887A256D6939DA88AABD8CD
                        status_code 200 300-302
                        virtualhost api.example.test
                        regex "status=(green|amber)"
                        regex_no_match
                        regex_options caseless dotall
                        regex_min_offset 10
                        regex_max_offset 200
                    }
                    url {
                        path /
                    }
                }""");
        HttpChecker.Spec spec = (HttpChecker.Spec) k.spec();
        assertThat(spec.tls()).isFalse();
        assertThat(spec.kind()).isEqualTo("HTTP_GET");
        assertThat(spec.protocol()).isEqualTo(HttpChecker.Protocol.HTTP_1_1);
        assertThat(spec.virtualHost()).isEqualTo("www.example.test");
        HttpChecker.Url u = spec.urls().getFirst();
        assertThat(u).isEqualTo(new HttpChecker.Url("/health", List.of(new HttpChecker.StatusRange(200, 200),
                new HttpChecker.StatusRange(300, 302)), "9b3a0c85a887a256d6939da88aabd8cd", "api.example.test",
                "status=(green|amber)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL, true, 10, 200));
        assertThat(spec.urls().get(1)).isEqualTo(HttpChecker.Url.of("/"));
        assertThat(spec.urls().get(1).statusCodes()).containsExactly(HttpChecker.StatusRange.DEFAULT);
        assertThat(k.policy().retry()).isEqualTo(2);
        assertThat(k.policy().delayBeforeRetry()).as("HTTP's own default").isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void sslGetWithSniAndTheRealServerVirtualhost() {
        ctx = new CheckerContext(RS, 443, Duration.ofSeconds(60), null, null, null, null, false, "rs.example.test",
                Map.of());
        HttpChecker.Spec spec = (HttpChecker.Spec) ok("SSL_GET {\n enable_sni\n url {\n path /\n }\n}").spec();
        assertThat(spec.tls()).isTrue();
        assertThat(spec.enableSni()).isTrue();
        assertThat(spec.virtualHost()).isEqualTo("rs.example.test");
        assertThat(spec.protocol()).isEqualTo(HttpChecker.Protocol.HTTP_1_0);
    }

    @Test
    void httpErrorsNameTheStatementAndYieldNothing() {
        assertThat(parse("HTTP_GET {\n connect_timeout 3\n}")).isEmpty();
        assertThat(diag.errors).containsExactly("test.conf:1 HTTP_GET has no url");
        diag.errors.clear();
        assertThat(parse("HTTP_GET {\n url {\n digest 1234\n }\n}")).isEmpty();
        assertThat(diag.errors).containsExactly(
                "test.conf:3 digest '1234' must be 32 hex digits (an MD5, as genhash prints it)");
        diag.errors.clear();
        assertThat(parse("HTTP_GET {\n url {\n status_code 200 99 300-200\n }\n}")).isEmpty();
        assertThat(diag.errors).containsExactly(
                "test.conf:3 status_code: invalid HTTP status code '99' (100-599 or a range)",
                "test.conf:3 status_code: invalid HTTP status code '300-200' (100-599 or a range)");
        diag.errors.clear();
        assertThat(parse("HTTP_GET {\n http_protocol 2\n url {\n path /\n }\n}")).isEmpty();
        assertThat(diag.errors).containsExactly("test.conf:2 http_protocol: invalid version '2' (1.0, 1.0C or 1.1)");
        diag.errors.clear();
        assertThat(parse("HTTP_GET {\n url {\n path /\n regex \"(\"\n }\n}")).isEmpty();
        assertThat(diag.errors).singleElement().asString().startsWith("test.conf:2 regex '(' is invalid");
        diag.errors.clear();
        assertThat(parse("HTTP_GET {\n url {\n path /\n regex x\n regex_min_offset 9\n regex_max_offset 3\n }\n}"))
                .isEmpty();
        assertThat(diag.errors).containsExactly("test.conf:6 regex_min_offset 9 is beyond regex_max_offset 3");
        diag.errors.clear();
        assertThat(parse("HTTP_GET {\n url {\n status_code 200\n }\n}")).isEmpty();
        assertThat(diag.errors).containsExactly("test.conf:2 url has no path");
    }

    @Test
    void badCommonValuesAreErrors() {
        assertThat(parse("TCP_CHECK {\n connect_ip 192.0.2.300\n}")).isEmpty();
        assertThat(parse("TCP_CHECK {\n connect_port 70000\n}")).isEmpty();
        assertThat(parse("TCP_CHECK {\n connect_timeout 0\n}")).isEmpty();
        assertThat(parse("TCP_CHECK {\n delay_loop -1\n}")).isEmpty();
        assertThat(parse("TCP_CHECK {\n retry many\n}")).isEmpty();
        assertThat(parse("TCP_CHECK {\n alpha maybe\n}")).isEmpty();
        assertThat(parse("TCP_CHECK {\n warmup\n}")).isEmpty();
        assertThat(diag.errors).containsExactly(
                "test.conf:2 connect_ip: invalid IP address '192.0.2.300'",
                "test.conf:2 connect_port: invalid value '70000' (expected 0..65535)",
                "test.conf:2 connect_timeout: must be greater than 0",
                "test.conf:2 delay_loop: invalid time '-1' (seconds, e.g. 3 or 2.5)",
                "test.conf:2 retry: invalid value 'many' (expected 0..2147483647)",
                "test.conf:2 alpha: invalid boolean 'maybe' (on|off|true|false|yes|no)",
                "test.conf:2 warmup: missing value");
    }

    @Test
    void unknownAndUnimplementedKeywordsAreSkippedByNameWithFileAndLine() {
        CheckKey k = ok("""
                TCP_CHECK {
                    frobnicate 3
                    bind_if eth0
                    fwmark 7
                    log_all_failures
                }""");
        assertThat(((TcpChecker.Spec) k.spec()).conn().fwmark()).isZero();
        assertThat(diag.skipped).containsExactly(
                "test.conf:2 unknown keyword 'frobnicate' in TCP_CHECK",
                "test.conf:3 bind_if (SO_BINDTODEVICE) is not implemented",
                "test.conf:4 fwmark (SO_MARK) is applied by PING_CHECK only",
                "test.conf:5 log_all_failures: jlvs logs transitions only");
        diag.skipped.clear();
        assertThat(parse("BFD_CHECK {\n name bfd1\n}")).isEmpty();
        assertThat(diag.skipped).containsExactly("test.conf:1 BFD_CHECK is not implemented (no BFD in jlvs)");
        assertThat(diag.errors).isEmpty();
        diag.skipped.clear();
        ok("HTTP_GET {\n url {\n path /\n regex_stack 1 2\n colour red\n }\n}");
        assertThat(diag.skipped).containsExactly(
                "test.conf:4 regex_stack is a PCRE2 JIT setting, not needed by jlvs",
                "test.conf:5 unknown keyword 'colour' in url");
    }

    @Test
    void pingCheckAppliesFwmarkAndHasNoPort() {
        ctx = CheckerContext.defaults(RS, 0);
        PingChecker.Spec spec = (PingChecker.Spec) ok("PING_CHECK {\n fwmark 4097\n bindto 192.0.2.1\n}").spec();
        assertThat(spec.conn().fwmark()).isEqualTo(4097);
        assertThat(spec.conn().target()).isEqualTo(new InetSocketAddress(RS, 0));
        assertThat(spec.conn().bindTo().getAddress()).isEqualTo(InetAddress.ofLiteral("192.0.2.1"));
    }

    @Test
    void aTargetWithoutPortIsAnErrorExceptForPing() {
        ctx = CheckerContext.defaults(RS, 0);
        assertThat(parse("TCP_CHECK {\n}")).isEmpty();
        assertThat(diag.errors).containsExactly(
                "test.conf:1 TCP_CHECK: no port to connect to (the real server has none): set connect_port");
        diag.errors.clear();
        assertThat(ok("TCP_CHECK {\n connect_port 443\n}").spec().target()).isEqualTo("192.0.2.11:443");
    }

    @Test
    void bindtoOfTheOtherFamilyIsAnError() {
        assertThat(parse("TCP_CHECK {\n bindto 2001:db8::1\n}")).isEmpty();
        assertThat(diag.errors).singleElement().asString().contains("different address families");
        diag.errors.clear();
        TcpChecker.Spec v6 = (TcpChecker.Spec) ok("TCP_CHECK {\n connect_ip 2001:db8::10\n bind_port 999\n}").spec();
        assertThat(v6.conn().bindTo()).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("::"), 999));
        assertThat(v6.target()).isEqualTo("[2001:db8:0:0:0:0:0:10]:80");
    }

    @Test
    void smtpCheck() {
        SmtpChecker.Spec spec = (SmtpChecker.Spec) ok("SMTP_CHECK {\n helo_name lb.example.test\n}").spec();
        assertThat(spec.heloName()).isEqualTo("lb.example.test");
        assertThat(((SmtpChecker.Spec) ok("SMTP_CHECK {\n}").spec()).heloName()).isEqualTo("smtpchecker.keepalived.org");
        ok("SMTP_CHECK {\n host {\n connect_ip 192.0.2.5\n }\n}");
        assertThat(diag.skipped).singleElement().asString().startsWith("test.conf:2 the deprecated SMTP_CHECK host");
    }

    @Test
    void dnsCheckDefaultsAndTypes() {
        ctx = CheckerContext.defaults(RS, 53);
        CheckKey k = ok("DNS_CHECK {\n}");
        assertThat(k.spec()).isEqualTo(new DnsChecker.Spec(io.jlvs.ha.check.ConnectOptions.to(
                new InetSocketAddress(RS, 53), Duration.ofSeconds(5)), 6, "."));
        assertThat(k.policy().retry()).isEqualTo(3);
        assertThat(k.policy().delayBeforeRetry()).as("DNS: delay_loop").isEqualTo(Duration.ofSeconds(60));
        DnsChecker.Spec mx = (DnsChecker.Spec) ok("DNS_CHECK {\n type mx\n name example.test\n}").spec();
        assertThat(mx.type()).isEqualTo(15);
        assertThat(mx.name()).isEqualTo("example.test");
        assertThat(parse("DNS_CHECK {\n type SRV\n}")).isEmpty();
        assertThat(parse("DNS_CHECK {\n name a..b\n}")).isEmpty();
        assertThat(diag.errors).hasSize(2);
        assertThat(diag.errors.getFirst()).startsWith("test.conf:2 type: unknown DNS query type 'SRV' (A|AAAA|");
    }

    @Test
    void udpCheck() {
        ctx = CheckerContext.defaults(RS, 5060);
        UdpChecker.Spec spec = (UdpChecker.Spec) ok("""
                UDP_CHECK {
                    payload 0a 0b0c d
                    require_reply 0a xx
                    min_reply_length 2
                    max_reply_length 100
                }""").spec();
        assertThat(spec.payload()).isEqualTo(HexPattern.parse("0a0b0c0d", false));
        assertThat(spec.requireReply()).isTrue();
        assertThat(spec.reply().mask()).containsExactly(0, 0xFF);
        assertThat(spec.minReplyLength()).isEqualTo(2);
        assertThat(spec.maxReplyLength()).isEqualTo(100);
        UdpChecker.Spec plain = (UdpChecker.Spec) ok("UDP_CHECK {\n}").spec();
        assertThat(plain.payload()).isNull();
        assertThat(plain.requireReply()).isFalse();
        assertThat(plain.maxReplyLength()).isEqualTo(255);
        assertThat(parse("UDP_CHECK {\n payload zz\n}")).isEmpty();
        assertThat(parse("UDP_CHECK {\n min_reply_length 9\n max_reply_length 3\n}")).isEmpty();
        assertThat(diag.errors).hasSize(2);
    }

    @Test
    void miscCheck() {
        ctx = new CheckerContext(RS, 80, Duration.ofSeconds(20), null, null, null, null, false, null, Map.of());
        CheckKey k = ok("""
                MISC_CHECK {
                    misc_path "/usr/local/bin/check.sh --vip 192.0.2.1 'two words'"
                    misc_dynamic
                    user nobody nogroup
                    retry 2
                    connect_ip 192.0.2.7
                }""");
        MiscChecker.Spec spec = (MiscChecker.Spec) k.spec();
        assertThat(spec.command()).containsExactly("/usr/local/bin/check.sh", "--vip", "192.0.2.1", "two words");
        assertThat(spec.dynamic()).isTrue();
        assertThat(spec.user()).isEqualTo("nobody");
        assertThat(spec.group()).isEqualTo("nogroup");
        assertThat(spec.timeout()).as("delay_loop when misc_timeout is unset").isEqualTo(Duration.ofSeconds(20));
        assertThat(k.policy().retry()).isEqualTo(2);
        assertThat(diag.skipped).containsExactly("test.conf:6 unknown keyword 'connect_ip' in MISC_CHECK");

        CheckKey plain = ok("MISC_CHECK {\n misc_path /bin/true\n misc_timeout 3\n}");
        assertThat(((MiscChecker.Spec) plain.spec()).timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(plain.policy().retry()).as("MISC_CHECK's default").isZero();

        assertThat(parse("MISC_CHECK {\n misc_timeout 3\n}")).isEmpty();
        assertThat(diag.errors).containsExactly("test.conf:1 MISC_CHECK has no misc_path");
    }

    @Test
    void fileCheckUsesItsTrackFile() {
        TrackFile tf = new TrackFile("tf1", Path.of("/run/jlvs/tf1"), 5, true, false, 0, false);
        ctx = ctx.withTrackFiles(Map.of("tf1", tf));
        CheckKey k = ok("FILE_CHECK {\n track_file tf1\n}");
        assertThat(k.spec()).isEqualTo(new FileChecker.Spec("tf1", Path.of("/run/jlvs/tf1"), 5, true, false));
        assertThat(k.policy()).isEqualTo(new CheckPolicy(Duration.ofSeconds(1), 0, Duration.ofSeconds(1),
                Duration.ZERO, false));
        CheckKey own = ok("FILE_CHECK {\n track_file tf1\n weight -3 noreverse\n dynamic\n}");
        assertThat(own.spec()).isEqualTo(new FileChecker.Spec("tf1", Path.of("/run/jlvs/tf1"), -3, false, true));
        assertThat(parse("FILE_CHECK {\n track_file nope\n}")).isEmpty();
        assertThat(parse("FILE_CHECK {\n weight 2\n}")).isEmpty();
        assertThat(diag.errors).containsExactly(
                "test.conf:2 track_file nope not found (declare it in a top-level track_file block)",
                "test.conf:1 FILE_CHECK has no track_file");
        diag.errors.clear();
        ok("FILE_CHECK {\n track_file tf1\n delay_loop 3\n}");
        assertThat(diag.skipped).containsExactly("test.conf:3 unknown keyword 'delay_loop' in FILE_CHECK");
    }

    @Test
    void identicalBlocksGiveEqualKeysSoTheRunnerRunsThemOnce() {
        String http = "HTTP_GET {\n url {\n path /\n digest 9b3a0c85a887a256d6939da88aabd8cd\n }\n}";
        String udp = "UDP_CHECK {\n payload 01 02\n require_reply 0x\n}";
        assertThat(ok(http)).isEqualTo(ok(http));
        assertThat(ok(udp)).isEqualTo(ok(udp));
        assertThat(ok(udp).hashCode()).isEqualTo(ok(udp).hashCode());
        assertThat(ok("TCP_CHECK {\n}")).isNotEqualTo(ok("TCP_CHECK {\n connect_port 81\n}"));
    }

    @Test
    void everyCheckerKeywordIsKnown() {
        assertThat(CheckerBlocks.isChecker("HTTP_GET")).isTrue();
        assertThat(CheckerBlocks.isChecker("real_server")).isFalse();
        assertThat(CheckerBlocks.KEYWORDS).hasSize(10);
    }
}
