package io.jlvs.daemon;

import io.jlvs.ctl.replay.PcapReader;
import io.jlvs.ctl.replay.PcapWriter;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.testkit.Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jlvs replay} end to end, in process: a capture built with the test kit goes through the director under
 * an ipvsadm rules file; the output capture is read back and each frame checked (addresses, ports, MACs,
 * timestamps, every checksum recomputed by the test kit's oracle), then the summary.
 *
 * <pre>
 *  client 198.51.100.7 -- gw 02:..:fe --[ 02:..:01 director, VIP 192.0.2.10 ]-- rs1 203.0.113.11 (02:00:00:00:01:11)
 * </pre>
 */
class ReplayCommandTest {
    static final String CLIENT = "198.51.100.7", VIP = "192.0.2.10", RS1 = "203.0.113.11";
    static final String DIRECTOR_MAC = "02:00:00:00:00:01", GW_MAC = "02:00:00:00:00:fe", RS1_MAC = "02:00:00:00:01:11";
    static final long T0 = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;
    final StringWriter out = new StringWriter(), err = new StringWriter();

    int run(String... args) {
        CommandLine cl = JlvsMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    record Record(long timestampNs, byte[] frame) {}

    Path capture(String name, Record... records) throws IOException {
        Path p = dir.resolve(name);
        try (PcapWriter w = PcapWriter.create(p)) {
            for (Record r : records) w.write(r.timestampNs, r.frame);
        }
        return p;
    }

    static List<Record> read(Path p) throws IOException {
        List<Record> list = new ArrayList<>();
        try (PcapReader r = PcapReader.open(p)) {
            while (r.next()) list.add(new Record(r.timestampNs(), r.frameBytes()));
        }
        return list;
    }

    Path rules(String text) throws IOException {
        Path p = dir.resolve("rules.txt");
        Files.writeString(p, text);
        return p;
    }

    static PacketBuilder fromClient() { return PacketBuilder.eth(GW_MAC, DIRECTOR_MAC); }

    @Test
    void aNatConversationAnUnknownAddressANoServerPortAndATruncatedFrame() throws IOException {
        Path rules = rules("""
                # web: NAT to rs1
                -A -t 192.0.2.10:80 -s rr
                -a -t 192.0.2.10:80 -r 203.0.113.11:8080 -m
                -A -t 192.0.2.10:443 -s rr
                """);
        byte[] syn = fromClient().ipv4(CLIENT, VIP).id(7).tcp(40000, 80).syn().seq(1000).build();
        byte[] synAck = PacketBuilder.eth(RS1_MAC, DIRECTOR_MAC).ipv4(RS1, CLIENT).id(9).tcp(8080, 40000).syn().ack()
                .seq(5000).ackSeq(1001).build();
        byte[] unknown = fromClient().ipv4(CLIENT, "192.0.2.99").tcp(40001, 80).syn().build();
        byte[] noServer = fromClient().ipv4(CLIENT, VIP).id(11).tcp(40002, 443).syn().build();
        byte[] truncated = Arrays.copyOf(fromClient().ipv4(CLIENT, VIP).tcp(40003, 80).syn().build(), 20);
        Path in = capture("in.pcap", new Record(T0, syn), new Record(T0 + 1_000_000, synAck),
                new Record(T0 + 2_000_000, unknown), new Record(T0 + 3_000_000, noServer),
                new Record(T0 + 4_000_000, truncated));
        Path outPcap = dir.resolve("out.pcap");

        int status = run("replay", rules.toString(), in.toString(), outPcap.toString(),
                "--director-ip", VIP, "--director-ip", "192.0.2.1", "--next-hop", RS1 + "=" + RS1_MAC,
                "--director-mac", DIRECTOR_MAC, "--default-gw-mac", GW_MAC);
        assertThat(err.toString()).isEmpty();
        assertThat(status).isZero();

        List<Record> sent = read(outPcap);
        assertThat(sent).hasSize(3);
        for (Record r : sent) assertThat(Checksum.verify(r.frame)).as("checksums").isEmpty();
        // 1. the SYN, DNAT to rs1:8080, to rs1's MAC, TTL decremented
        assertThat(sent.get(0).timestampNs).isEqualTo(T0);
        assertThat(Vector.hex(sent.get(0).frame)).isEqualTo(Vector.hex(PacketBuilder.eth(DIRECTOR_MAC, RS1_MAC)
                .ipv4(CLIENT, RS1).id(7).ttl(63).tcp(40000, 8080).syn().seq(1000).build()));
        // 2. the SYN-ACK, SNAT back to the VIP, to the gateway
        assertThat(sent.get(1).timestampNs).isEqualTo(T0 + 1_000_000);
        assertThat(Vector.hex(sent.get(1).frame)).isEqualTo(Vector.hex(PacketBuilder.eth(DIRECTOR_MAC, GW_MAC)
                .ipv4(VIP, CLIENT).id(9).ttl(63).tcp(80, 40000).syn().ack().seq(5000).ackSeq(1001).build()));
        // 3. port unreachable from the VIP for the SYN to a service without real servers
        byte[] icmp = sent.get(2).frame;
        assertThat(sent.get(2).timestampNs).isEqualTo(T0 + 3_000_000);
        assertThat(Arrays.copyOfRange(icmp, 0, 12)).isEqualTo(Arrays.copyOfRange(PacketBuilder.eth(DIRECTOR_MAC, GW_MAC)
                .ipv4(VIP, CLIENT).icmpEcho(0, 0).build(), 0, 12));
        assertThat(icmp[14 + 9]).isEqualTo((byte) 1);                                     // ICMP
        assertThat(addr(icmp, 14 + 12)).isEqualTo(VIP);
        assertThat(addr(icmp, 14 + 16)).isEqualTo(CLIENT);
        assertThat(icmp[34] & 0xFF).isEqualTo(3);                                        // destination unreachable
        assertThat(icmp[35] & 0xFF).isEqualTo(3);                                        // port unreachable
        assertThat(Arrays.copyOfRange(icmp, 42, 42 + 20)).isEqualTo(Arrays.copyOfRange(noServer, 14, 34));

        assertThat(out.toString()).isEqualTo(String.format("""
                frames read:          5 (%s)
                  transmitted:        2
                  delivered locally:  0
                  passed to host:     1
                  dropped:            2
                    TRUNCATED_IPV4             1  frame ends inside the IPv4 header (20 octets, or IHL * 4 with options)
                    NO_REAL_SERVER             1  new connection to a virtual service with no available real server: \
                ICMP port unreachable sent to the client (ip_vs_leave)
                frames written:       3 (%s)
                connections created:  1
                connection table:     1 at the end (0 templates)
                """, in, outPcap));
    }

    static String addr(byte[] b, int off) {
        return (b[off] & 0xFF) + "." + (b[off + 1] & 0xFF) + "." + (b[off + 2] & 0xFF) + "." + (b[off + 3] & 0xFF);
    }

    @Test
    void theCapturesClockExpiresConnectionsBetweenFrames() throws IOException {
        Path rules = rules("""
                -A -u 192.0.2.10:53 -s rr
                -a -u 192.0.2.10:53 -r 203.0.113.11 -m
                -a -u 192.0.2.10:53 -r 203.0.113.12 -m
                --set 0 0 10
                """);
        byte[] q = fromClient().ipv4(CLIENT, VIP).udp(5353, 53).payload("q").build();
        // the same flow three times: 5 s later it is the same connection; 11 s after that it has expired
        Path in = capture("in.pcap", new Record(T0, q), new Record(T0 + 5_000_000_000L, q),
                new Record(T0 + 16_000_000_000L, q));
        Path outPcap = dir.resolve("out.pcap");
        assertThat(run("replay", rules.toString(), in.toString(), outPcap.toString())).isZero();
        List<Record> sent = read(outPcap);
        assertThat(sent).extracting(r -> addr(r.frame, 14 + 16))
                .containsExactly("203.0.113.12", "203.0.113.12", "203.0.113.11");
        assertThat(out.toString()).contains("connections created:  2\n", "connection table:     1 at the end");
    }

    @Test
    void errorsAreOneLineAndExitTwo() throws IOException {
        Path goodRules = rules("-A -t 192.0.2.10:80 -s rr\n");
        Path in = capture("in.pcap", new Record(T0, fromClient().ipv4(CLIENT, VIP).tcp(1, 80).syn().build()));
        Path outPcap = dir.resolve("out.pcap");

        Path garbage = dir.resolve("garbage.pcap");
        Files.write(garbage, "this is not a capture, it is text".getBytes());
        assertError(run("replay", goodRules.toString(), garbage.toString(), outPcap.toString()),
                "replay: " + garbage + ": file header at byte 0: not a pcap file");

        assertError(run("replay", dir.resolve("nope.txt").toString(), in.toString(), outPcap.toString()),
                "replay: cannot read " + dir.resolve("nope.txt") + ": no such file");

        assertError(run("replay", goodRules.toString(), in.toString(), dir.toString()),
                "replay: cannot write " + dir + ": is a directory");

        assertError(run("replay", goodRules.toString(), dir.resolve("none.pcap").toString(), outPcap.toString()),
                "replay: cannot read " + dir.resolve("none.pcap") + ": no such file");

        Path badRules = rules("-A -t 192.0.2.10:80 -s rr\nconn tcp 1.2.3.4:5 192.0.2.10:80\n-A -t 192.0.2.10:80\n");
        int status = run("replay", badRules.toString(), in.toString(), outPcap.toString());
        assertThat(err.toString()).contains("replay: " + badRules + ": line 3: Service already exists",
                "replay: " + badRules + ": not replayed: the rules file has errors");
        assertError(status, "replay: " + badRules + ": line 2: 'conn': a rules file holds ipvsadm command lines");

        assertError(run("replay", goodRules.toString(), in.toString(), outPcap.toString(), "--next-hop", "203.0.113.11"),
                "replay: bad --next-hop '203.0.113.11' (expected IP=MAC)");
        assertError(run("replay", goodRules.toString(), in.toString(), outPcap.toString(), "--director-mac", "02:00"),
                "replay: --director-mac: bad MAC address '02:00'");
        assertError(run("replay", goodRules.toString(), in.toString(), outPcap.toString(), "--director-ip", "host"),
                "replay: bad --director-ip address 'host'");
        assertError(run("replay", goodRules.toString(), in.toString(), outPcap.toString(), "--mtu", "40"),
                "replay: bad --mtu 40 (expected 68..65535)");
        assertThat(run("replay", goodRules.toString())).isEqualTo(2);                   // picocli: missing operands
        assertThat(err.toString()).contains("Missing required parameters").doesNotContain("Exception");
    }

    @Test
    void aCaptureCutShortStillGetsItsSummary() throws IOException {
        Path rules = rules("-A -t 192.0.2.10:80 -s rr\n-a -t 192.0.2.10:80 -r 203.0.113.11 -m\n");
        Path in = capture("in.pcap", new Record(T0, fromClient().ipv4(CLIENT, VIP).tcp(1000, 80).syn().build()),
                new Record(T0 + 1, fromClient().ipv4(CLIENT, VIP).tcp(1000, 80).ack().build()));
        byte[] whole = Files.readAllBytes(in);
        Files.write(in, Arrays.copyOf(whole, whole.length - 10));                         // tcpdump killed mid-write
        Path outPcap = dir.resolve("out.pcap");
        assertThat(run("replay", rules.toString(), in.toString(), outPcap.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("replay: " + in + ": record 2 at byte ").contains("truncated")
                .doesNotContain("Exception");
        assertThat(out.toString()).startsWith("frames read:          1 (").contains("  transmitted:        1\n");
        assertThat(read(outPcap)).hasSize(1);
    }

    void assertError(int status, String message) {
        assertThat(status).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
        err.getBuffer().setLength(0);
        out.getBuffer().setLength(0);
    }

    @Test
    void helpDocumentsTheOptionsAndTheNetwork() {
        assertThat(run("replay", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: jlvs replay", "RULES", "IN.pcap", "OUT.pcap", "--director-mac",
                "--director-ip", "--next-hop=IP=MAC", "--default-gw-mac", "--mtu", "--fwmark",
                "every other address (clients, real servers not listed) goes to", "Exit status");
    }
}
