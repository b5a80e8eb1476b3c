package io.jlvs.ctl.keepalived;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The whole reader (preprocessor, blocks, LVS part, table programming) never hangs and never throws, whatever the
 * text: random characters, random token soup made of the syntax's own pieces, and every sample cut short at a
 * random place. No '/' in generated text, so an include never leaves the (nonexistent) test directory.
 */
class ConfParserProperties {
    static final Path DIR = Path.of("/nonexistent/jlvs-fuzz");

    /** Parses, reads and programs the text within a time bound; every outcome is messages, never an exception. */
    static KeepalivedLoader.Result survive(String text) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            KeepalivedLoader.Result r = KeepalivedLoader.loadText(text, "fuzz.conf", DIR, "fuzz");
            assertThat(r.conf()).isNotNull();
            for (ConfMessages.Message m : r.messages().messages()) {
                assertThat(m.file()).isNotNull();
                assertThat(m.text()).isNotBlank();
            }
            if (r.valid()) {
                LvsState.Start s = LvsState.start(r.conf());
                assertThat(s.ops()).isNotNull();
                new Table().apply(s.ops());                    // whatever is valid programs cleanly
            }
            return r;
        });
    }

    @Property(tries = 300)
    void randomCharacters(@ForAll("chars") String text) {
        survive(text);
    }

    @Property(tries = 300)
    void tokenSoup(@ForAll("soup") String text) {
        survive(text);
    }

    @Property(tries = 200)
    void truncatedSamples(@ForAll("samples") String sample, @ForAll @IntRange(min = 0, max = 100_000) int cut) {
        String t = sample.substring(0, Math.min(cut, sample.length()));
        survive(t);
    }

    @Property(tries = 300)
    void mutatedSamples(@ForAll("samples") String sample, @ForAll @IntRange(min = 0, max = 5000) int at,
                        @ForAll @IntRange(min = 0, max = 20) int length, @ForAll("piece") String piece) {
        int from = Math.min(at, sample.length()), to = Math.min(sample.length(), from + length);
        survive(sample.substring(0, from) + piece + sample.substring(to));
    }

    @Provide
    Arbitrary<String> piece() {
        return Arbitraries.oneOf(Arbitraries.of(TOKENS), Arbitraries.strings().withChars("{}\"#!$@~\\ \n0123456789.").ofMaxLength(3));
    }

    @Provide
    Arbitrary<String> chars() {
        return Arbitraries.strings().withChars("{}\"'#!$@^~\\()=, \t\n\rabcxyzSEQLT0123456789.:-_")
                .withCharRange('\u0000', '\u007f').ofMaxLength(400)
                .map(s -> s.replace('/', ' '));
    }

    static final List<String> TOKENS = List.of("{", "}", "{", "}", "\n", "\n", "\n", " ", "\"", "#", "!", "\\", "\\\n",
            "global_defs", "virtual_server", "real_server", "virtual_server_group", "group", "fwmark", "sorry_server",
            "lb_algo", "rr", "sh", "lb_kind", "NAT", "DR", "TUN", "type", "gue", "port", "protocol", "TCP", "UDP",
            "weight", "quorum", "hysteresis", "alpha", "inhibit_on_failure", "persistence_timeout",
            "persistence_granularity", "delay_loop", "TCP_CHECK", "HTTP_GET", "url", "include", "*.conf", "{a,b}",
            "192.0.2.1", "192.0.2.1-5", "192.0.2.0/30", "2001:db8::1", "80", "0", "65536", "-1", "3.5",
            "$A=", "$A", "${A}", "$B=${A}${A}", "$M= \\\n", "${_INSTANCE}", "${_RANDOM 1 3}", "@fuzz", "@^fuzz", "@other",
            "~SEQ(I, 3)", "~SEQ(I, 1, 2, 9)", "~SEQx(I, 0, 255)", "~SEQ(", "$I", "~LST(V, a, b)", "~LST({x,y},{1,2})",
            "lvs_timeouts", "tcp", "lvs_sync_daemon", "eth0", "vrrp_instance");

    @Provide
    Arbitrary<String> soup() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(120).map(l -> {
            StringBuilder sb = new StringBuilder();
            for (String t : l) sb.append(t).append(' ');
            return sb.toString();
        });
    }

    @Provide
    Arbitrary<String> samples() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/keepalived/samples"))) {
            List<String> texts = s.filter(p -> !p.toString().endsWith(".md")).sorted().map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            return Arbitraries.of(texts);
        }
    }
}
