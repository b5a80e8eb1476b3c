package io.jlvs.ctl.replay;

import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;
import io.jlvs.ctl.ipvsadm.IpvsadmParser;
import io.jlvs.ctl.offline.OfflineDirector;
import io.jlvs.ctl.offline.StaticNextHops;
import io.jlvs.ctl.sim.FlowSimulator;
import io.jlvs.director.Director;
import io.jlvs.packet.DropReason;
import io.jlvs.service.IpAddr;
import io.jlvs.xmit.Verdict;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code ./jlvs replay RULES IN.pcap OUT.pcap}: a capture through the director, offline. The rules (ipvsadm
 * command lines, read as {@code ./jlvs sim} reads them) set up the services; then every frame of the capture goes
 * through {@link Director#ingress} in order, the capture's timestamps being the director's clock (timers and
 * estimators run as time advances between frames: connections expire as they would have); every frame the
 * director sends, forwarded or delivered to the local stack (ICMP errors it generates included), is written to
 * the output with the timestamp of the frame that caused it. Then a summary of verdicts.
 *
 * <p>The network is {@link StaticNextHops}: the director's addresses ({@link Options#directorIps}, VIPs included)
 * are local, each {@link Options#nextHops} address goes to its MAC and every other address to the default
 * gateway's MAC, so no frame waits for address resolution. Timestamps are taken relative to the first frame's; a
 * timestamp earlier than its predecessor's counts as its predecessor's.
 *
 * <p>Errors (unreadable or malformed files, rules ipvsadm refuses) are one message each on the error stream and
 * exit status {@link #EXIT_ERROR}; a capture that turns out malformed part-way still gets the summary of the
 * frames before the fault, and the output keeps what they produced.
 */
public final class Replay {
    public static final int EXIT_OK = 0, EXIT_ERROR = 2;
    /** Connections of the replaying director: IPv4 and IPv6 (or mixed-family) records. */
    public static final int CAPACITY_V4 = 1 << 18, CAPACITY_V6 = 1 << 16;

    /**
     * The director's surroundings.
     *
     * @param directorMac the MAC frames to the director carry and frames from it are sent from
     * @param directorIps the director's own addresses (VIPs included): delivered locally, and the source of
     *                    tunnel headers and ICMP errors (the first of each family)
     * @param nextHops    hosts with a MAC of their own (real servers, routers)
     * @param gatewayMac  where every other address is sent
     * @param mtu         the path MTU toward every destination
     * @param fwmark      the firewall mark every frame carries (0: none)
     */
    public record Options(long directorMac, List<IpAddr> directorIps, Map<IpAddr, Long> nextHops, long gatewayMac,
                          int mtu, int fwmark) {
        public static final Options DEFAULT = new Options(StaticNextHops.DEFAULT_DIRECTOR_MAC, List.of(), Map.of(),
                StaticNextHops.DEFAULT_GATEWAY_MAC, 1500, 0);

        public Options {
            directorIps = List.copyOf(directorIps);
            nextHops = Map.copyOf(nextHops);
            if (mtu < 68 || mtu > 65535) throw new IllegalArgumentException("MTU " + mtu + " out of range 68..65535");
        }

        StaticNextHops hops() {
            StaticNextHops h = new StaticNextHops().directorMac(directorMac).gatewayMac(gatewayMac).mtu(mtu);
            for (IpAddr a : directorIps) h.local(a);
            nextHops.forEach(h::neighbour);
            return h;
        }
    }

    private final Options options;
    private final IpvsadmParser parser;
    private final PrintWriter out, err;

    // tallies of one run
    private long framesRead, framesWritten, transmitted, delivered, passed, dropped;
    private final long[] drops = new long[DropReason.COUNT];

    public Replay(Options options, IpvsadmParser parser, PrintWriter out, PrintWriter err) {
        this.options = options;
        this.parser = parser;
        this.out = out;
        this.err = err;
    }

    /** Replays {@code in} under {@code rules} into {@code output}; returns the exit status. */
    public int run(Path rules, Path in, Path output) {
        try (OfflineDirector engine = new OfflineDirector(parser, options.hops(), CAPACITY_V4, CAPACITY_V6)) {
            if (!applyRules(engine, rules)) return EXIT_ERROR;
            PcapReader reader;
            try {
                reader = PcapReader.open(in);
            } catch (IOException e) {
                return fail(describe(in, "read", e));
            }
            try (reader) {
                PcapWriter writer;
                try {
                    writer = PcapWriter.create(output);
                } catch (IOException e) {
                    return fail(describe(output, "write", e));
                }
                return replay(engine, reader, writer, in, output);
            } catch (IOException e) {
                return fail(describe(in, "read", e));
            }
        } finally {
            out.flush();
            err.flush();
        }
    }

    private boolean applyRules(OfflineDirector engine, Path rules) {
        try (BufferedReader r = Files.newBufferedReader(rules, StandardCharsets.UTF_8)) {
            FlowSimulator sim = new FlowSimulator(engine, out, err).rulesOnly(true).errorPrefix("replay: " + rules + ": ");
            if (sim.run(r) == 0) return true;
            err.println("replay: " + rules + ": not replayed: the rules file has errors");
            return false;
        } catch (IOException e) {
            fail(describe(rules, "read", e));
            return false;
        } catch (UncheckedIOException e) {
            fail(describe(rules, "read", e.getCause()));
            return false;
        }
    }

    private int replay(OfflineDirector engine, PcapReader reader, PcapWriter writer, Path in, Path output) {
        int status = EXIT_OK;
        long t0 = 0, nowNs = 0;
        try (writer) {
            try {
                while (reader.next()) {
                    long ts = reader.timestampNs();
                    if (framesRead++ == 0) t0 = ts;
                    nowNs = Math.max(nowNs, ts - t0);
                    engine.advanceTo(nowNs);
                    count(engine.ingress(reader.frame(), reader.capturedLength(), options.fwmark()));
                    for (OfflineDirector.Sent s : engine.sent()) {
                        write(writer, ts, s.frame());
                        framesWritten++;
                    }
                }
            } catch (PcapException e) {
                status = fail("replay: " + e.getMessage());
            } catch (WriteFailure e) {
                return fail(describe(output, "write", e.cause));
            } catch (IOException e) {
                status = fail(describe(in, "read", e));
            }
        } catch (IOException e) {
            return fail(describe(output, "write", e));
        }
        summary(engine, in, output);
        return status;
    }

    /** An output error, told apart from input errors while both streams are in use. */
    private static final class WriteFailure extends IOException {
        final IOException cause;

        WriteFailure(IOException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    private static void write(PcapWriter writer, long ts, byte[] frame) throws WriteFailure {
        try {
            writer.write(ts, frame);
        } catch (IOException e) {
            throw new WriteFailure(e);
        }
    }

    private void count(int verdict) {
        if (verdict == Verdict.TX) transmitted++;
        else if (verdict == Verdict.LOCAL) delivered++;
        else if (verdict == Director.PASS) passed++;
        else if (verdict >= 0 && verdict < DropReason.COUNT) {
            dropped++;
            drops[verdict]++;
        }
    }

    private void summary(OfflineDirector engine, Path in, Path output) {
        ConnTable conns = engine.connections();
        int[] templates = new int[1];
        conns.forEach(c -> {
            if ((conns.flags(c) & ConnFlags.TEMPLATE) != 0) templates[0]++;
        });
        out.printf("frames read:          %d (%s)%n", framesRead, in);
        out.printf("  transmitted:        %d%n", transmitted);
        out.printf("  delivered locally:  %d%n", delivered);
        out.printf("  passed to host:     %d%n", passed);
        out.printf("  dropped:            %d%n", dropped);
        for (DropReason r : DropReason.values()) {
            if (drops[r.code()] != 0) out.printf("    %-26s %d  %s%n", r.name(), drops[r.code()], r.description());
        }
        out.printf("frames written:       %d (%s)%n", framesWritten, output);
        out.printf("connections created:  %d%n", engine.director().totalStats().conns());
        out.printf("connection table:     %d at the end (%d templates)%n", conns.size(), templates[0]);
    }

    private int fail(String message) {
        err.println(message);
        return EXIT_ERROR;
    }

    private static String describe(Path file, String what, IOException e) {
        String reason;
        if (e instanceof PcapException) return "replay: " + e.getMessage();
        if (e instanceof NoSuchFileException) reason = "no such file";
        else if (e instanceof AccessDeniedException) reason = "permission denied";
        else if (e instanceof MalformedInputException) reason = "not UTF-8 text";
        else if (Files.isDirectory(file)) reason = "is a directory";
        else reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return "replay: cannot " + what + " " + file + ": " + reason;
    }
}
