package io.jlvs.ha.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP_GET and SSL_GET (keepalived {@code check_http.c}, {@code check_ssl.c}): for every {@code url} block, one
 * connection, one {@code GET}, and the answer must have a listed status code (default 200-299), the right MD5
 * {@code digest} of its body (as {@code genhash} prints it), and match (or, with {@code regex_no_match}, not
 * match) the {@code regex}. All urls must pass for the attempt to pass.
 *
 * <p>The request is keepalived's:
 * <pre>
 * GET /path HTTP/1.0            (1.1 with http_protocol 1.1)
 * User-Agent: KeepAliveClient
 * Connection: close             (http_protocol 1.0C and 1.1)
 * Host: virtualhost | ip:port   ([v6]:port for an IPv6 literal)
 * </pre>
 * The body is read to end of stream, or to Content-Length when the server sends one; it is not de-chunked (the
 * digest is over the bytes on the wire after the header, as keepalived and genhash compute it).
 *
 * <p>SSL_GET: TLS over the same request, through the JDK's {@link SSLSocket} with a trust-all context
 * (keepalived does not verify the server either unless given a CA). SNI carries the virtualhost when
 * {@code enable_sni} is set, and nothing otherwise.
 *
 * <p>keepalived checks one url per delay_loop and retries the failing url; jlvs checks all urls in one attempt
 * (as keepalived's {@code fast_recovery}), so "up" means every url passed in the same attempt.
 */
public final class HttpChecker implements Checker {

    public static final String KIND_HTTP = "HTTP_GET";
    public static final String KIND_SSL = "SSL_GET";
    static final int MAX_HEADER_BYTES = 64 * 1024;
    /** The most body kept for the regex (the digest covers the whole body). */
    static final int MAX_REGEX_BYTES = 1024 * 1024;

    /** {@code http_protocol}: 1.0 (default), 1.0C (1.0 + Connection: close), 1.1 (+ Connection: close). */
    public enum Protocol {
        HTTP_1_0("1.0"), HTTP_1_0C("1.0C"), HTTP_1_1("1.1");

        private final String keyword;

        Protocol(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /** An inclusive status code range of a {@code status_code} list: {@code 200}, {@code 200-299}. */
    public record StatusRange(int min, int max) {
        public static final StatusRange DEFAULT = new StatusRange(200, 299);

        public StatusRange {
            if (min < 100 || max > 599 || min > max) {
                throw new IllegalArgumentException("status code range must be within 100-599: " + min + "-" + max);
            }
        }

        public boolean contains(int code) {
            return code >= min && code <= max;
        }
    }

    /**
     * One {@code url} block.
     *
     * @param path           {@code path}
     * @param statusCodes    {@code status_code} ranges (default 200-299)
     * @param digest         {@code digest}: MD5 of the body, 32 lowercase hex digits, or null
     * @param virtualHost    the url's {@code virtualhost}, or null for the checker's
     * @param regex          {@code regex} (Java syntax, close to PCRE2 for the common cases), or null
     * @param regexFlags     {@link Pattern} flags from {@code regex_options}
     * @param regexNoMatch   {@code regex_no_match}: a match fails the url
     * @param regexMinOffset {@code regex_min_offset}: the match must start at or after this body offset
     * @param regexMaxOffset {@code regex_max_offset}: the match must start at or before this offset; -1 for none
     */
    public record Url(String path, List<StatusRange> statusCodes, String digest, String virtualHost, String regex,
                      int regexFlags, boolean regexNoMatch, int regexMinOffset, int regexMaxOffset) {
        public Url {
            Objects.requireNonNull(path, "path");
            statusCodes = statusCodes == null || statusCodes.isEmpty() ? List.of(StatusRange.DEFAULT)
                    : List.copyOf(statusCodes);
            if (digest != null) {
                digest = digest.toLowerCase(Locale.ROOT);
                if (!digest.matches("[0-9a-f]{32}")) {
                    throw new IllegalArgumentException("digest must be 32 hex digits: " + digest);
                }
            }
            if (regex != null) {
                Pattern.compile(regex, regexFlags); // fails early on a bad pattern
            }
        }

        /** A url with only a path: status 200-299, no digest, no regex. */
        public static Url of(String path) {
            return new Url(path, List.of(), null, null, null, 0, false, 0, -1);
        }

        public boolean accepts(int status) {
            for (StatusRange r : statusCodes) {
                if (r.contains(status)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * @param conn        target, bind, connect_timeout
     * @param tls         SSL_GET rather than HTTP_GET
     * @param urls        the url blocks, at least one
     * @param virtualHost the virtualhost of the checker, else of the real server, else of the virtual server;
     *                    null for none (Host is then ip:port)
     * @param protocol    http_protocol
     * @param enableSni   enable_sni (SSL_GET)
     */
    public record Spec(ConnectOptions conn, boolean tls, List<Url> urls, String virtualHost, Protocol protocol,
                       boolean enableSni) implements CheckSpec {
        public Spec {
            Objects.requireNonNull(conn, "conn");
            Objects.requireNonNull(protocol, "protocol");
            urls = List.copyOf(urls);
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("HTTP_GET/SSL_GET needs at least one url");
            }
        }

        @Override
        public String kind() {
            return tls ? KIND_SSL : KIND_HTTP;
        }

        @Override
        public String target() {
            return conn.targetText();
        }

        @Override
        public Checker newChecker() {
            return new HttpChecker(this);
        }

        /** connect, (handshake,) send and read per url, each bounded by connect_timeout. */
        @Override
        public Duration attemptTimeout() {
            return conn.connectTimeout().multipliedBy(urls.size() * (tls ? 4L : 3L)).plusSeconds(1);
        }
    }

    private final Spec spec;
    private final Pattern[] patterns;

    public HttpChecker(Spec spec) {
        this.spec = spec;
        this.patterns = new Pattern[spec.urls().size()];
        for (int i = 0; i < patterns.length; i++) {
            Url u = spec.urls().get(i);
            patterns[i] = u.regex() == null ? null : Pattern.compile(u.regex(), u.regexFlags());
        }
    }

    @Override
    public CheckResult check() throws InterruptedException {
        Net.Deadline deadline = Net.Deadline.after(spec.attemptTimeout());
        String last = "no url";
        for (int i = 0; i < patterns.length; i++) {
            Url url = spec.urls().get(i);
            String failure;
            try {
                failure = checkUrl(url, patterns[i], deadline);
            } catch (IOException e) {
                Net.rethrowIfInterrupted(e);
                failure = Net.describe(e);
            }
            if (failure != null) {
                return CheckResult.down("url " + url.path() + ": " + failure);
            }
            last = "url " + url.path() + " ok";
        }
        return CheckResult.up(patterns.length == 1 ? last : "all " + patterns.length + " urls ok");
    }

    /** null when the url passes, otherwise why not. */
    private String checkUrl(Url url, Pattern pattern, Net.Deadline deadline) throws IOException {
        ConnectOptions co = spec.conn();
        String vhost = url.virtualHost() != null ? url.virtualHost() : spec.virtualHost();
        try (Socket plain = Net.connect(co, deadline)) {
            Socket s = plain;
            if (spec.tls()) {
                s = handshake(plain, vhost, deadline);
            }
            s.setSoTimeout(deadline.stepMillis(co.connectTimeout()));
            try {
                OutputStream out = s.getOutputStream();
                out.write(request(url.path(), vhost).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return readResponse(s, url, pattern, deadline);
            } finally {
                if (s instanceof SSLSocket tls) {
                    tls.getSession().invalidate(); // no resumption: every check is a full handshake, as keepalived's
                }
            }
        }
    }

    private Socket handshake(Socket plain, String vhost, Net.Deadline deadline) throws IOException {
        ConnectOptions co = spec.conn();
        String host = co.target().getAddress().getHostAddress(); // an IP literal: the JDK adds no SNI for it
        SSLSocket tls = (SSLSocket) TrustAll.socketFactory().createSocket(plain, host, co.target().getPort(), true);
        SSLParameters params = tls.getSSLParameters();
        params.setServerNames(spec.enableSni() && vhost != null ? List.of(new SNIHostName(vhost)) : List.of());
        params.setEndpointIdentificationAlgorithm(null);
        tls.setSSLParameters(params);
        tls.setSoTimeout(deadline.stepMillis(co.connectTimeout()));
        tls.startHandshake();
        return tls;
    }

    String request(String path, String vhost) {
        String host;
        if (vhost != null) {
            host = vhost;
        } else {
            host = ConnectOptions.hostPort(spec.conn().target());
        }
        boolean v11 = spec.protocol() == Protocol.HTTP_1_1;
        boolean close = spec.protocol() != Protocol.HTTP_1_0;
        return "GET " + path + " HTTP/1." + (v11 ? 1 : 0) + "\r\n"
                + "User-Agent: KeepAliveClient\r\n"
                + (close ? "Connection: close\r\n" : "")
                + "Host: " + host + "\r\n\r\n";
    }

    private String readResponse(Socket s, Url url, Pattern pattern, Net.Deadline deadline) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[16 * 1024];
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int bodyStart = -1;
        byte[] first = null;
        int firstLen = 0;
        while (bodyStart < 0) {
            s.setSoTimeout(deadline.stepMillis(spec.conn().connectTimeout()));
            int n = in.read(buf);
            if (n < 0) {
                return header.size() == 0 ? "no data received" : "connection closed inside the HTTP header";
            }
            header.write(buf, 0, n);
            byte[] h = header.toByteArray();
            bodyStart = headerEnd(h);
            if (bodyStart < 0 && h.length > MAX_HEADER_BYTES) {
                return "HTTP header longer than " + MAX_HEADER_BYTES + " bytes";
            }
            if (bodyStart >= 0) {
                first = h;
                firstLen = h.length;
            }
        }
        String head = new String(first, 0, bodyStart, StandardCharsets.ISO_8859_1);
        int status = statusCode(head);
        if (status < 0) {
            return "not an HTTP response";
        }
        if (!url.accepts(status)) {
            return "HTTP status " + status;
        }
        if (url.digest() == null && pattern == null) {
            return null;
        }
        long contentLength = contentLength(head);
        MessageDigest md5 = url.digest() != null ? md5() : null;
        ByteArrayOutputStream kept = pattern != null ? new ByteArrayOutputStream() : null;
        long got = 0;
        int chunkOff = bodyStart;
        int chunkLen = firstLen - bodyStart;
        byte[] chunk = first;
        while (true) {
            if (contentLength >= 0 && got + chunkLen > contentLength) {
                chunkLen = (int) (contentLength - got);
            }
            if (chunkLen > 0) {
                if (md5 != null) {
                    md5.update(chunk, chunkOff, chunkLen);
                }
                if (kept != null && kept.size() < MAX_REGEX_BYTES) {
                    kept.write(chunk, chunkOff, Math.min(chunkLen, MAX_REGEX_BYTES - kept.size()));
                }
                got += chunkLen;
            }
            if (contentLength >= 0 && got >= contentLength) {
                break;
            }
            s.setSoTimeout(deadline.stepMillis(spec.conn().connectTimeout()));
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            chunk = buf;
            chunkOff = 0;
            chunkLen = n;
        }
        if (md5 != null) {
            String digest = HexFormat.of().formatHex(md5.digest());
            if (!digest.equals(url.digest())) {
                return "MD5 digest " + digest + " differs from " + url.digest();
            }
        }
        if (pattern != null) {
            boolean matched = regexMatches(pattern, kept.toString(StandardCharsets.ISO_8859_1), url);
            if (matched == url.regexNoMatch()) {
                return matched ? "body matches regex_no_match " + url.regex() : "body does not match regex " + url.regex();
            }
        }
        return null;
    }

    static boolean regexMatches(Pattern pattern, String body, Url url) {
        if (url.regexMinOffset() > body.length()) {
            return false;
        }
        Matcher m = pattern.matcher(body);
        m.region(Math.min(url.regexMinOffset(), body.length()), body.length());
        m.useTransparentBounds(true).useAnchoringBounds(false);
        if (!m.find()) {
            return false;
        }
        return url.regexMaxOffset() < 0 || m.start() <= url.regexMaxOffset();
    }

    /** The offset just after the blank line ending the header, or -1. */
    static int headerEnd(byte[] h) {
        for (int i = 0; i + 1 < h.length; i++) {
            if (h[i] == '\n') {
                if (h[i + 1] == '\n') {
                    return i + 2;
                }
                if (h[i + 1] == '\r' && i + 2 < h.length && h[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** The status code of "HTTP/1.x NNN reason", or -1. */
    static int statusCode(String head) {
        if (!head.startsWith("HTTP/")) {
            return -1;
        }
        int sp = head.indexOf(' ');
        if (sp < 0 || sp + 4 > head.length()) {
            return -1;
        }
        String code = head.substring(sp + 1, sp + 4);
        for (int i = 0; i < 3; i++) {
            if (!Character.isDigit(code.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(code);
    }

    /** Content-Length, or -1 when absent or unreadable. */
    static long contentLength(String head) {
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                try {
                    long v = Long.parseLong(line.substring(colon + 1).trim());
                    return v >= 0 ? v : -1;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }
}
