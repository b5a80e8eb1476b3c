package io.jlvs.ha.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** SMTP_CHECK against a tiny scripted SMTP responder on loopback. */
class SmtpCheckerTest {

    /** Answers one connection with {@code banner}, then {@code heloReply} to HELO and 221 to QUIT. */
    private static final class Responder implements AutoCloseable {
        final ServerSocket server;
        final List<String> heard = new CopyOnWriteArrayList<>();
        final Thread thread;

        Responder(String banner, String heloReply) throws IOException {
            server = new ServerSocket(0, 5, Servers.v4());
            thread = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(2_000);
                    OutputStream out = s.getOutputStream();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    out.write(banner.getBytes(StandardCharsets.US_ASCII));
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        heard.add(line);
                        if (line.startsWith("HELO")) {
                            out.write(heloReply.getBytes(StandardCharsets.US_ASCII));
                        } else if (line.equals("QUIT")) {
                            out.write("221 2.0.0 Bye\r\n".getBytes(StandardCharsets.US_ASCII));
                            break;
                        }
                    }
                } catch (IOException e) {
                    // the checker hung up
                }
            });
        }

        @Override
        public void close() throws IOException {
            server.close();
            thread.interrupt();
        }
    }

    private static CheckResult check(int port, String helo) throws InterruptedException {
        return new SmtpChecker.Spec(Servers.to(port), helo).newChecker().check();
    }

    @Test
    void upOnAFullDialogueWithMultiLineReplies() throws Exception {
        try (Responder r = new Responder("220-mx.example.test ESMTP\r\n220 ready\r\n",
                "250-mx.example.test\r\n250 PIPELINING\r\n")) {
            CheckResult res = check(r.server.getLocalPort(), null);
            assertThat(res.up()).as(res.detail()).isTrue();
            assertThat(r.heard).containsExactly("HELO smtpchecker.keepalived.org", "QUIT");
        }
    }

    @Test
    void heloNameIsSent() throws Exception {
        try (Responder r = new Responder("220 ready\r\n", "250 ok\r\n")) {
            assertThat(check(r.server.getLocalPort(), "lb1.example.test").up()).isTrue();
            assertThat(r.heard).first().isEqualTo("HELO lb1.example.test");
        }
    }

    @Test
    void aRefusingBannerOrHeloIsDown() throws Exception {
        try (Responder r = new Responder("554 go away\r\n", "250 ok\r\n")) {
            CheckResult res = check(r.server.getLocalPort(), null);
            assertThat(res.up()).isFalse();
            assertThat(res.detail()).contains("banner 554");
        }
        try (Responder r = new Responder("220 ready\r\n", "501 bad HELO\r\n")) {
            assertThat(check(r.server.getLocalPort(), null).detail()).contains("HELO answered 501");
        }
    }

    @Test
    void downWhenRefusedOrSilent() throws Exception {
        assertThat(check(Servers.closedPort(), null).detail()).isEqualTo("connection refused");
        try (Servers.Silent silent = new Servers.Silent(Servers.v4())) {
            assertThat(check(silent.port(), null).detail()).isEqualTo("timed out");
        }
    }
}
