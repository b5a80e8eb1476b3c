package io.jlvs.daemon;

import io.jlvs.decap.DecapDrop;
import io.jlvs.netio.sys.Inet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code jlvs decap}'s command line, the sockets its options open, and its counter report; no root needed. */
class DecapCommandTest {
    final StringWriter out = new StringWriter(), err = new StringWriter();

    int run(String... args) {
        CommandLine cl = JlvsMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run("decap", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: jlvs decap", "--dev=NAME", "--gue-port=N", "--no-ipip", "--no-gre",
                "--no-ip6", "--stats-interval=S", "jlvsdecap0", "SIGTERM");
    }

    @Test
    void badOptionsAreClearErrorsBeforeAnythingIsOpened() {
        assertThat(run("decap", "--gue-port", "0")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("decap: bad --gue-port 0 (expected 1..65535)\n");
        err.getBuffer().setLength(0);
        assertThat(run("decap", "--no-ipip", "--no-gre")).isEqualTo(2);
        assertThat(err.toString()).contains("nothing to receive");
        err.getBuffer().setLength(0);
        assertThat(run("decap", "--stats-interval", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("bad --stats-interval -1");
        err.getBuffer().setLength(0);
        assertThat(run("decap", "--gue-port", "6080,6080")).isEqualTo(2);
        assertThat(err.toString()).contains("--gue-port given twice");
    }

    @Test
    void optionsChooseTheSockets() {
        var all = DecapEndpoint.specs(new DecapEndpoint.Options("d", List.of(6080, 5555), true, true, true));
        assertThat(all).extracting(DecapEndpoint.Spec::what).containsExactly("ipip 4in4", "ipip 6in4", "gre over IPv4",
                "ipip 4in6", "ipip 6in6", "gre over IPv6", "gue over IPv4 and IPv6", "gue over IPv4 and IPv6");
        assertThat(all).extracting(DecapEndpoint.Spec::port).containsExactly(0, 0, 0, 0, 0, 0, 6080, 5555);
        var v4GreOnly = DecapEndpoint.specs(new DecapEndpoint.Options("d", List.of(6080), false, true, false));
        assertThat(v4GreOnly).extracting(DecapEndpoint.Spec::what).containsExactly("gre over IPv4", "gue over IPv4");
        assertThat(v4GreOnly.get(1).family()).isEqualTo(Inet.AF_INET);
        assertThatThrownBy(() -> new DecapEndpoint.Options("d", List.of(70000), true, true, true))
                .hasMessage("bad --gue-port 70000 (expected 1..65535)");
    }

    @Test
    void theReportNamesEveryNonZeroCounter() {
        long[] total = new long[DecapEndpoint.DROPS + DecapDrop.COUNT];
        total[DecapEndpoint.RECEIVED] = 10;
        total[DecapEndpoint.DELIVERED] = 6;
        total[DecapEndpoint.TUN_ERRORS] = 1;
        total[DecapEndpoint.CHECKSUMS_COMPLETED] = 2;
        total[DecapEndpoint.DROPS + DecapDrop.GUE_CONTROL.code()] = 2;
        total[DecapEndpoint.DROPS + DecapDrop.BAD_INNER_CHECKSUM.code()] = 1;
        String r = DecapEndpoint.format("jlvsdecap0", total, "  (per socket)\n");
        assertThat(r).isEqualTo("""
                jlvs decap on jlvsdecap0: received 10, delivered 6, dropped 4
                  (per socket)
                  dropped 2 GUE_CONTROL: GUE control message (C bit): not a data packet
                  dropped 1 BAD_INNER_CHECKSUM: inner IPv4 header checksum does not verify
                  dropped 1 TUN_WRITE_FAILED: the TUN device refused the packet
                  2 inner checksums completed (GUE remote checksum offload, GRO-merged TCP)
                """);
    }
}
