package io.jlvs.ha.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP_GET against a JDK HttpServer on loopback. */
class HttpCheckerTest {

    static final String BODY = "<html>jlvs says hello: status=green</html>";
    static HttpServer server;
    static HttpServer server6;
    static final Map<String, String> lastHeaders = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(Servers.v4(), 0), 10);
        server.createContext("/", HttpCheckerTest::handle);
        server.start();
        server6 = HttpServer.create(new InetSocketAddress(Servers.v6(), 0), 10);
        server6.createContext("/", HttpCheckerTest::handle);
        server6.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        server6.stop(0);
    }

    private static void handle(HttpExchange ex) throws IOException {
        lastHeaders.clear();
        ex.getRequestHeaders().forEach((k, v) -> lastHeaders.put(k.toLowerCase(), String.join(",", v)));
        lastHeaders.put("request-line", ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getProtocol());
        String path = ex.getRequestURI().getPath();
        int status = path.startsWith("/status/") ? Integer.parseInt(path.substring(8)) : 200;
        byte[] body = (path.equals("/host") ? ex.getRequestHeaders().getFirst("Host") : BODY)
                .getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpChecker.Spec spec(ConnectOptions co, HttpChecker.Url... urls) {
        return new HttpChecker.Spec(co, false, List.of(urls), null, HttpChecker.Protocol.HTTP_1_0, false);
    }

    private static HttpChecker.Url url(String path, List<HttpChecker.StatusRange> codes, String digest, String regex,
                                       boolean noMatch, int min, int max) {
        return new HttpChecker.Url(path, codes, digest, null, regex, 0, noMatch, min, max);
    }

    private static CheckResult check(HttpChecker.Spec spec) throws InterruptedException {
        return spec.newChecker().check();
    }

    private static ConnectOptions co() {
        return Servers.to(server.getAddress().getPort());
    }

    @Test
    void upOnADefaultStatusAndTheRequestIsKeepalivedS() throws Exception {
        CheckResult r = check(spec(co(), HttpChecker.Url.of("/index.html")));
        assertThat(r.up()).as(r.detail()).isTrue();
        assertThat(lastHeaders).containsEntry("request-line", "GET /index.html HTTP/1.0")
                .containsEntry("user-agent", "KeepAliveClient")
                .containsEntry("host", "127.0.0.1:" + server.getAddress().getPort())
                .doesNotContainKey("connection");
    }

    @Test
    void wrongStatusIsDownAndListsAndRangesAreHonoured() throws Exception {
        CheckResult r = check(spec(co(), HttpChecker.Url.of("/status/503")));
        assertThat(r.up()).isFalse();
        assertThat(r.detail()).contains("HTTP status 503");
        List<HttpChecker.StatusRange> codes = List.of(new HttpChecker.StatusRange(200, 200),
                new HttpChecker.StatusRange(500, 504));
        assertThat(check(spec(co(), url("/status/503", codes, null, null, false, 0, -1))).up()).isTrue();
        assertThat(check(spec(co(), url("/status/204", codes, null, null, false, 0, -1))).up()).isFalse();
    }

    @Test
    void digestIsTheMd5OfTheBody() throws Exception {
        assertThat(check(spec(co(), url("/", List.of(), md5(BODY), null, false, 0, -1))).up()).isTrue();
        CheckResult wrong = check(spec(co(), url("/", List.of(), md5("something else"), null, false, 0, -1)));
        assertThat(wrong.up()).isFalse();
        assertThat(wrong.detail()).contains("MD5 digest");
    }

    @Test
    void regexMustMatchOrWithRegexNoMatchMustNot() throws Exception {
        assertThat(check(spec(co(), url("/", List.of(), null, "status=(green|amber)", false, 0, -1))).up()).isTrue();
        assertThat(check(spec(co(), url("/", List.of(), null, "status=red", false, 0, -1))).up()).isFalse();
        assertThat(check(spec(co(), url("/", List.of(), null, "status=red", true, 0, -1))).up()).isTrue();
        assertThat(check(spec(co(), url("/", List.of(), null, "status=green", true, 0, -1))).up()).isFalse();
    }

    @Test
    void regexOffsetsBoundWhereTheMatchMayStart() throws Exception {
        int at = BODY.indexOf("status");
        assertThat(check(spec(co(), url("/", List.of(), null, "status", false, at, at))).up()).isTrue();
        assertThat(check(spec(co(), url("/", List.of(), null, "status", false, at + 1, -1))).up()).isFalse();
        assertThat(check(spec(co(), url("/", List.of(), null, "status", false, 0, at - 1))).up()).isFalse();
        assertThat(HttpChecker.regexMatches(Pattern.compile("^x"), "abx", HttpChecker.Url.of("/")))
                .isFalse();
    }

    @Test
    void virtualhostOfTheUrlWinsOverTheChecker() throws Exception {
        HttpChecker.Spec checkerHost = new HttpChecker.Spec(co(), false, List.of(HttpChecker.Url.of("/host")),
                "www.example.test", HttpChecker.Protocol.HTTP_1_1, false);
        assertThat(check(checkerHost).up()).isTrue();
        assertThat(lastHeaders).containsEntry("host", "www.example.test")
                .containsEntry("request-line", "GET /host HTTP/1.1").containsEntry("connection", "close");
        HttpChecker.Url own = new HttpChecker.Url("/host", List.of(), null, "url.example.test", null, 0, false, 0, -1);
        assertThat(check(new HttpChecker.Spec(co(), false, List.of(own), "www.example.test",
                HttpChecker.Protocol.HTTP_1_0C, false)).up()).isTrue();
        assertThat(lastHeaders).containsEntry("host", "url.example.test").containsEntry("connection", "close");
    }

    @Test
    void everyUrlMustPass() throws Exception {
        assertThat(check(spec(co(), HttpChecker.Url.of("/a"), HttpChecker.Url.of("/b"))).up()).isTrue();
        CheckResult r = check(spec(co(), HttpChecker.Url.of("/a"), HttpChecker.Url.of("/status/404")));
        assertThat(r.up()).isFalse();
        assertThat(r.detail()).startsWith("url /status/404");
    }

    @Test
    void ipv6TargetIsBracketedInHost() throws Exception {
        int port = server6.getAddress().getPort();
        assertThat(check(spec(Servers.to(Servers.v6(), port), HttpChecker.Url.of("/"))).up()).isTrue();
        assertThat(lastHeaders).containsEntry("host", "[0:0:0:0:0:0:0:1]:" + port);
    }

    @Test
    void downWhenRefusedOrHung() throws Exception {
        CheckResult refused = check(spec(Servers.to(Servers.closedPort()), HttpChecker.Url.of("/")));
        assertThat(refused.up()).isFalse();
        assertThat(refused.detail()).contains("connection refused");
        try (Servers.Silent silent = new Servers.Silent(Servers.v4())) {
            long t0 = System.nanoTime();
            CheckResult hung = check(spec(Servers.to(silent.port()), HttpChecker.Url.of("/")));
            assertThat(hung.up()).isFalse();
            assertThat(hung.detail()).contains("timed out");
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(300L, 3_000L);
        }
    }

    @Test
    void responseParsing() {
        assertThat(HttpChecker.statusCode("HTTP/1.1 204 No Content")).isEqualTo(204);
        assertThat(HttpChecker.statusCode("SSH-2.0")).isEqualTo(-1);
        assertThat(HttpChecker.contentLength("HTTP/1.0 200 OK\r\ncontent-length: 12\r\n")).isEqualTo(12);
        assertThat(HttpChecker.contentLength("HTTP/1.0 200 OK\r\n")).isEqualTo(-1);
        assertThat(HttpChecker.headerEnd("HTTP/1.0 200 OK\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(19);
        assertThat(HttpChecker.headerEnd("HTTP/1.0 200 OK\n\nbody".getBytes(StandardCharsets.US_ASCII))).isEqualTo(17);
    }
}
