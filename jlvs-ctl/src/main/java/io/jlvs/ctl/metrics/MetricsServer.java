package io.jlvs.ctl.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The opt-in scrape endpoint: {@code GET /metrics} answers the text a supplier renders (normally
 * {@link IpvsMetrics#locked}, which holds the control lock while it reads the model), with Content-Type
 * {@value IpvsMetrics#CONTENT_TYPE}. Any other path is 404, any other method on {@code /metrics} 405 (with
 * {@code Allow: GET}); a failing supplier is a 500 and the server goes on. Listens on {@code 127.0.0.1:9116} unless
 * told otherwise ({@link #parseListen}); one thread answers, so scrapes never run side by side.
 */
public final class MetricsServer implements AutoCloseable {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9116;
    public static final String PATH = "/metrics";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<String> scrape;

    private MetricsServer(HttpServer server, ExecutorService executor, Supplier<String> scrape) {
        this.server = server;
        this.executor = executor;
        this.scrape = scrape;
    }

    /**
     * Binds and starts answering.
     *
     * @throws BindException naming the address when it is taken or not local
     * @throws IOException   when the server cannot be created otherwise
     */
    public static MetricsServer start(InetSocketAddress listen, Supplier<String> scrape) throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(listen, 0);
        } catch (BindException e) {
            BindException b = new BindException("metrics endpoint: cannot listen on " + format(listen) + ": "
                    + e.getMessage() + " (another exporter on that port? choose one with host:port)");
            b.initCause(e);
            throw b;
        }
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        MetricsServer m = new MetricsServer(http, ex, scrape);
        http.createContext("/", m::handle);
        http.setExecutor(ex);
        http.start();
        return m;
    }

    /** The address it listens on (the port chosen when started with port 0). */
    public InetSocketAddress address() { return server.getAddress(); }

    /** Stops listening, lets an answer in progress finish (up to 1 s), stops the thread. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

    private void handle(HttpExchange x) {
        try (x) {
            String path = x.getRequestURI().getPath();
            if (!PATH.equals(path)) {
                reply(x, 404, "text/plain; charset=utf-8", "404 page not found: " + path + " (try " + PATH + ")\n");
            } else if (!"GET".equals(x.getRequestMethod())) {
                x.getResponseHeaders().set("Allow", "GET");
                reply(x, 405, "text/plain; charset=utf-8", "405 method not allowed: " + x.getRequestMethod() + "\n");
            } else {
                String body;
                try {
                    body = scrape.get();
                } catch (RuntimeException e) {
                    reply(x, 500, "text/plain; charset=utf-8", "500 scrape failed: " + e + "\n");
                    return;
                }
                reply(x, 200, IpvsMetrics.CONTENT_TYPE, body);
            }
        } catch (IOException | RuntimeException e) {
            // the client went away or the exchange broke: nothing to answer, and the server thread goes on
        }
    }

    private static void reply(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream os = x.getResponseBody()) {
                os.write(b);
            }
        }
    }

    /**
     * {@code host:port}, {@code [v6]:port}, {@code :port} or {@code port} (host {@value #DEFAULT_HOST}); empty or
     * null gives the default {@code 127.0.0.1:9116}. Host names are resolved here.
     *
     * @throws IllegalArgumentException naming the token when it is not such an address
     */
    public static InetSocketAddress parseListen(String spec) {
        if (spec == null || spec.isEmpty()) return new InetSocketAddress(loopback(), DEFAULT_PORT);
        String host, port;
        int colon = spec.lastIndexOf(':');
        if (spec.startsWith("[")) {
            int close = spec.indexOf(']');
            if (close < 0 || close + 1 >= spec.length() || spec.charAt(close + 1) != ':') throw bad(spec);
            host = spec.substring(1, close);
            port = spec.substring(close + 2);
        } else if (colon < 0) {
            host = "";
            port = spec;
        } else {
            host = spec.substring(0, colon);
            port = spec.substring(colon + 1);
            if (host.indexOf(':') >= 0) throw bad(spec);               // bare IPv6 needs brackets
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(spec);
        }
        if (p < 0 || p > 65535) throw bad(spec);
        try {
            return new InetSocketAddress(host.isEmpty() ? loopback() : InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("metrics listen address " + spec + ": unknown host " + host);
        }
    }

    private static InetAddress loopback() { return InetAddress.ofLiteral(DEFAULT_HOST); }

    private static IllegalArgumentException bad(String spec) {
        return new IllegalArgumentException("metrics listen address " + spec
                + ": expected host:port, [ipv6]:port or port (0-65535)");
    }

    private static String format(InetSocketAddress a) {
        String h = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
