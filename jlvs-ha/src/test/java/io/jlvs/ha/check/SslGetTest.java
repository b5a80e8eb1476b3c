package io.jlvs.ha.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.StandardConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SSL_GET against a TLS server with a self-signed certificate (the test resource {@code ssl-get-test.p12}, made
 * once with {@code keytool -genkeypair -alias jlvs -keyalg EC -groupname secp256r1 -dname CN=jlvs-test
 * -validity 36500 -storetype PKCS12 -storepass changeit}); the server records the SNI names clients send.
 */
class SslGetTest {

    static final String BODY = "secure hello";
    static SSLServerSocket server;
    static final List<String> sni = new CopyOnWriteArrayList<>();
    static final List<String> requests = new CopyOnWriteArrayList<>();
    static Thread acceptor;

    @BeforeAll
    static void start() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = SslGetTest.class.getResourceAsStream("ssl-get-test.p12")) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 10, Servers.v4());
        SSLParameters params = server.getSSLParameters();
        params.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
            @Override
            public boolean matches(SNIServerName name) {
                sni.add(((SNIHostName) name).getAsciiName());
                return true;
            }
        }));
        server.setSSLParameters(params);
        acceptor = Thread.ofVirtual().start(SslGetTest::serve);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        acceptor.interrupt();
    }

    private static void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(2_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                StringBuilder req = new StringBuilder();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    req.append(line).append('\n');
                }
                requests.add(req.toString());
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.0 200 OK\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY)
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // a client that gave up, or the server closing
            }
        }
    }

    private static HttpChecker.Spec spec(String vhost, boolean enableSni, String digest) {
        HttpChecker.Url url = new HttpChecker.Url("/health", List.of(), digest, null, null, 0, false, 0, -1);
        return new HttpChecker.Spec(Servers.to(server.getLocalPort()), true, List.of(url), vhost,
                HttpChecker.Protocol.HTTP_1_0, enableSni);
    }

    @Test
    void upOverTlsWithAnUntrustedCertificateAndTheRightDigest() throws Exception {
        sni.clear();
        CheckResult r = spec(null, false, HttpCheckerTest.md5(BODY)).newChecker().check();
        assertThat(r.up()).as(r.detail()).isTrue();
        assertThat(spec(null, false, HttpCheckerTest.md5("nope")).newChecker().check().up()).isFalse();
        assertThat(sni).as("no SNI for an IP literal").isEmpty();
        assertThat(requests).last().asString().startsWith("GET /health HTTP/1.0");
    }

    @Test
    void sniCarriesTheVirtualhostOnlyWithEnableSni() throws Exception {
        sni.clear();
        assertThat(spec("www.example.test", false, null).newChecker().check().up()).isTrue();
        assertThat(sni).isEmpty();
        assertThat(spec("www.example.test", true, null).newChecker().check().up()).isTrue();
        assertThat(sni).containsExactly("www.example.test");
        assertThat(requests).last().asString().contains("Host: www.example.test");
    }

    @Test
    void aPlainServerFailsTheHandshake() throws Exception {
        try (Servers.Silent silent = new Servers.Silent(Servers.v4())) {
            HttpChecker.Spec s = new HttpChecker.Spec(Servers.to(silent.port()), true,
                    List.of(HttpChecker.Url.of("/")), null, HttpChecker.Protocol.HTTP_1_0, false);
            CheckResult r = s.newChecker().check();
            assertThat(r.up()).isFalse();
            assertThat(r.detail()).contains("timed out");
        }
    }
}
