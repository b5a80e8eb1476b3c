package io.jlvs.ctl.metrics;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The endpoint on an ephemeral port of 127.0.0.1: /metrics, 404, 405, 500, a taken port, listen addresses. */
class MetricsServerTest {
    static final InetSocketAddress EPHEMERAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    MetricsServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheScrapeUnderTheCallersLock() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        AtomicInteger heldWhileRendering = new AtomicInteger();
        server = MetricsServer.start(EPHEMERAL, () -> {
            lock.lock();
            try {
                if (lock.isHeldByCurrentThread()) heldWhileRendering.incrementAndGet();
                return "# HELP a b\n# TYPE a gauge\na 1\n";
            } finally {
                lock.unlock();
            }
        });
        assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        HttpResponse<String> r = send("GET", "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body()).isEqualTo("# HELP a b\n# TYPE a gauge\na 1\n");
        assertThat(send("GET", "/metrics?x=1").statusCode()).isEqualTo(200);
        assertThat(heldWhileRendering).hasValue(2);
    }

    @Test
    void ipvsMetricsLockedHoldsTheLock() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        try (var d = new io.jlvs.ctl.offline.OfflineDirector(new io.jlvs.ctl.ipvsadm.IpvsadmParser(),
                new io.jlvs.ctl.offline.StaticNextHops(), 16, 16)) {
            server = MetricsServer.start(EPHEMERAL, IpvsMetrics.of(d).locked(lock));
            lock.lock();
            var pending = client.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(200);                                   // the scrape waits for the lock
            assertThat(pending).isNotDone();
            lock.unlock();
            HttpResponse<String> r = pending.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("jlvs_conn_table_capacity 32\n", "node_ipvs_connections_total 0\n");
        }
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        server = MetricsServer.start(EPHEMERAL, () -> "x 1\n");
        assertThat(send("GET", "/").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/metrics/extra").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/favicon.ico").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("POST", "/metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(send("PUT", "/metrics").statusCode()).isEqualTo(405);
        assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void aFailingScrapeIs500AndTheServerGoesOn() throws Exception {
        AtomicInteger n = new AtomicInteger();
        server = MetricsServer.start(EPHEMERAL, () -> {
            if (n.incrementAndGet() == 1) throw new IllegalStateException("boom");
            return "x 1\n";
        });
        HttpResponse<String> r = send("GET", "/metrics");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("boom");
        assertThat(send("GET", "/metrics").body()).isEqualTo("x 1\n");
    }

    @Test
    void aTakenPortIsRefusedWithTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress same = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());
            assertThatThrownBy(() -> MetricsServer.start(same, () -> ""))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("metrics endpoint: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void listenAddresses() {
        assertThat(MetricsServer.parseListen(null)).isEqualTo(new InetSocketAddress("127.0.0.1", 9116));
        assertThat(MetricsServer.parseListen("")).isEqualTo(new InetSocketAddress("127.0.0.1", 9116));
        assertThat(MetricsServer.parseListen("9200")).isEqualTo(new InetSocketAddress("127.0.0.1", 9200));
        assertThat(MetricsServer.parseListen(":9200")).isEqualTo(new InetSocketAddress("127.0.0.1", 9200));
        assertThat(MetricsServer.parseListen("0.0.0.0:9116")).isEqualTo(new InetSocketAddress("0.0.0.0", 9116));
        assertThat(MetricsServer.parseListen("[::1]:9116").getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThatThrownBy(() -> MetricsServer.parseListen("::1:9116")).hasMessageContaining("::1:9116");
        assertThatThrownBy(() -> MetricsServer.parseListen("127.0.0.1:http"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.1:http");
        assertThatThrownBy(() -> MetricsServer.parseListen("127.0.0.1:70000")).hasMessageContaining("70000");
        assertThatThrownBy(() -> MetricsServer.parseListen("[::1]9116")).hasMessageContaining("[::1]9116");
    }
}
