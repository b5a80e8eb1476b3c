package io.jlvs.ctl.sim;

import io.jlvs.conn.ConnTable;
import io.jlvs.ctl.ipvsadm.Command;
import io.jlvs.ctl.ipvsadm.IpvsadmCommand;
import io.jlvs.ctl.ipvsadm.IpvsadmException;
import io.jlvs.ctl.ipvsadm.IpvsadmExecutor;
import io.jlvs.ctl.ipvsadm.IpvsadmParser;
import io.jlvs.ctl.ipvsadm.IpvsadmResult;
import io.jlvs.ctl.offline.FrameWriter;
import io.jlvs.ctl.offline.FrameWriter.Ends;
import io.jlvs.ctl.offline.OfflineDirector;
import io.jlvs.ctl.offline.StaticNextHops;
import io.jlvs.conn.ConnFlags;
import io.jlvs.packet.Flow;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The flow simulator behind {@code ./jlvs sim}: a script of ipvsadm command lines and flows, one per line,
 * answered with the director's decisions. See {@link #SYNTAX}.
 *
 * <p>ipvsadm lines go through the same {@link IpvsadmParser} and {@link IpvsadmExecutor} jlvsadm uses; flows are
 * real frames ({@link FrameWriter}) fed to a real {@link io.jlvs.director.Director} on an in-memory network
 * ({@link OfflineDirector}): the service lookup, schedulers, persistence templates, state machines, timeouts and
 * counters are the connection engine's. The real server a flow got is read from the connection the director
 * created (or, for one-packet scheduling, which keeps none, from the real server whose connection counter moved).
 * Time is simulated: only {@code time} advances it. A bad line is reported on the error stream with its number
 * and the script goes on; {@link #run} returns 1 if any line failed.
 */
public final class FlowSimulator implements AutoCloseable {

    /** The line syntax, for {@code --help}. */
    public static final String SYNTAX = """
            Each line of the script is one of:
              -A -t 198.51.100.10:80 -s wrr   an ipvsadm command line without the program name: the same parser and
                                              checks as ipvsadm 1.31; its output (e.g. -L -n) is printed, its errors
                                              are reported like any bad line
              conn PROTO CIP:CPORT VIP:VPORT [mark N]
                                              a new connection (PROTO tcp, udp or sctp; IPv6 as [addr]:port; mark N is
                                              the packets' firewall mark), played through the director as packets: TCP
                                              the client's SYN, the real server's SYN-ACK (NAT: replies pass the
                                              director) and the client's ACK; SCTP INIT to COOKIE-ACK; UDP one
                                              datagram. Prints "CIP:CPORT -> RIP:RPORT", or "CIP:CPORT -> none" when no
                                              service matches or no real server is available
              close CIP:CPORT                 the most recent open connection from CIP:CPORT ends: the client sends an
                                              RST (TCP) or an ABORT (SCTP), which puts it in CLOSE (InActConn until it
                                              expires, 10 s later); a UDP connection expires at once
              time +SECONDS                   advances the simulated clock (e.g. time +2.5): connections and persistence
                                              templates expire as their timeouts say, counters and rates are estimated
                                              every 2 s, schedulers do their periodic work
              list                            the table as ipvsadm -L -n prints it
              # comment                       (and blank lines) ignored
            The director is the connection engine itself: persistence (-p, -M) keeps a client on its real server
            through templates (-L -c -n lists connections and templates), --set changes the timeouts, -L --stats and
            --rate show the counters as of the last 2 s estimation (advance time to see them), -Z zeroes them. Every
            address is reachable. Not simulated: sync daemons (recorded and listed, nothing is sent).
            A bad line prints "sim: line N: reason" on stderr and the script goes on; the exit status is 1 if any
            line failed, else 0.
            """;

    /** Connections of the simulated director: IPv4 and IPv6 records. */
    public static final int CAPACITY_V4 = 16_384, CAPACITY_V6 = 4_096;

    private static final String UNKNOWN = "(expected -..., conn, close, time, list)";
    /** The MAC real servers answer from (any will do: the director does not check it). */
    private static final long RS_MAC = 0x0200_0000_0100L;
    private static final long CLIENT_ISN = 1_000, SERVER_ISN = 500_000;
    private static final int CLIENT_TAG = 0x0C11_E000, SERVER_TAG = 0x05E2_7E00;
    private static final byte[] UDP_PAYLOAD = "jlvs sim".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] COOKIE = new byte[8];

    private final OfflineDirector engine;
    private final boolean ownsEngine;
    private final Appendable out, err;
    private final Flow flow = new Flow();
    private final Map<Endpoint, Deque<Open>> open = new HashMap<>();
    private boolean echo, rulesOnly;
    private String errorPrefix = "sim: ";

    private record Endpoint(IpAddr addr, int port) {
        @Override
        public String toString() { return addr.isV6() ? "[" + addr + "]:" + port : addr + ":" + port; }
    }

    /** A connection the script opened and has not closed. */
    private record Open(int protocol, Endpoint client, Endpoint vip, int mark) {}

    /** A simulator with its own director, ipvsadm's program name and the system's name resolver. */
    public FlowSimulator(Appendable out, Appendable err) {
        this(new IpvsadmParser(), out, err);
    }

    /** A simulator with its own director whose ipvsadm lines use {@code parser}. */
    public FlowSimulator(IpvsadmParser parser, Appendable out, Appendable err) {
        this(new OfflineDirector(parser, new StaticNextHops(), CAPACITY_V4, CAPACITY_V6), true, out, err);
    }

    /** A simulator over {@code engine}, which the caller keeps and closes. */
    public FlowSimulator(OfflineDirector engine, Appendable out, Appendable err) {
        this(engine, false, out, err);
    }

    private FlowSimulator(OfflineDirector engine, boolean owns, Appendable out, Appendable err) {
        this.engine = engine;
        this.ownsEngine = owns;
        this.out = out;
        this.err = err;
    }

    /** The director, its tables and its ipvsadm. */
    public OfflineDirector engine() { return engine; }

    /** The simulated clock. */
    public long nowNs() { return engine.nowNs(); }

    /** Echo each script line to stdout before its output ({@code ./jlvs sim --echo}): a readable transcript. */
    public FlowSimulator echo(boolean on) {
        echo = on;
        return this;
    }

    /**
     * Accept only ipvsadm command lines, comments and blank lines (a rules file, as {@code ./jlvs replay} reads
     * it); flow lines are errors.
     */
    public FlowSimulator rulesOnly(boolean on) {
        rulesOnly = on;
        return this;
    }

    /** What error lines start with, before "line N: " (default "sim: "). */
    public FlowSimulator errorPrefix(String prefix) {
        errorPrefix = prefix;
        return this;
    }

    /** Runs a whole script; 0 if every line was good, else 1. */
    public int run(BufferedReader script) {
        boolean failed = false;
        try {
            int n = 0;
            for (String line; (line = script.readLine()) != null; ) {
                if (echo) out.append(line.isBlank() || line.strip().startsWith("#") ? line : "> " + line).append('\n');
                if (!line(++n, line)) failed = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return failed ? 1 : 0;
    }

    /** One line of a script; false (after reporting why) if it failed. */
    public boolean line(int lineNo, String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) return true;
        List<String> words = Arrays.asList(trimmed.split("\\s+"));
        String error;
        if (words.get(0).startsWith("-")) {
            error = ipvsadm(words);
        } else if (rulesOnly) {
            error = "'" + words.get(0) + "': a rules file holds ipvsadm command lines (without the program name), "
                    + "comments and blank lines only; flows (conn, close, time, list) are for ./jlvs sim";
        } else {
            error = switch (words.get(0)) {
                case "conn" -> conn(words);
                case "close" -> close(words);
                case "time" -> time(words);
                case "list" -> words.size() == 1 ? ipvsadm(List.of("-L", "-n")) : "list takes no arguments";
                default -> "unknown command '" + words.get(0) + "' " + UNKNOWN;
            };
        }
        if (error == null) return true;
        print(err, errorPrefix + "line " + lineNo + ": " + error + "\n");
        return false;
    }

    private String ipvsadm(List<String> args) {
        IpvsadmExecutor ipvsadm = engine.ipvsadm();
        IpvsadmCommand cmd;
        try {
            cmd = ipvsadm.parser().parse(args);
        } catch (IpvsadmException e) {
            return e.getMessage().strip();
        }
        if (cmd.command() == Command.RESTORE) return "-R (restore) is not available in sim: the script itself is the input";
        IpvsadmResult r = ipvsadm.execute(cmd);
        engine.syncStats();
        print(out, r.out());
        if (r.ok()) return null;
        String e = r.err().strip();
        return e.isEmpty() ? "ipvsadm exit status " + r.exitStatus() : e.replace("\n", "; ");
    }

    private String conn(List<String> w) {
        String usage = "conn: expected 'conn PROTO CIP:CPORT VIP:VPORT [mark N]'";
        if (w.size() != 4 && !(w.size() == 6 && w.get(4).equals("mark"))) return usage;
        int protocol = switch (w.get(1).toLowerCase(Locale.ROOT)) {
            case "tcp" -> VirtualService.IPPROTO_TCP;
            case "udp" -> VirtualService.IPPROTO_UDP;
            case "sctp" -> VirtualService.IPPROTO_SCTP;
            default -> -1;
        };
        if (protocol < 0) return "conn: unknown protocol '" + w.get(1) + "' (expected tcp, udp or sctp)";
        Endpoint client = endpoint(w.get(2));
        if (client == null) return "conn: bad client address '" + w.get(2) + "' (expected ADDR:PORT or [IPV6]:PORT)";
        Endpoint vip = endpoint(w.get(3));
        if (vip == null) return "conn: bad virtual address '" + w.get(3) + "' (expected ADDR:PORT or [IPV6]:PORT)";
        if (client.addr.af() != vip.addr.af()) return "conn: client and virtual address are of different families";
        int mark = 0;
        if (w.size() == 6) {
            long m = parseUnsigned(w.get(5), 0xFFFF_FFFFL);
            if (m < 0) return "conn: bad mark '" + w.get(5) + "' (expected 0 to 4294967295)";
            mark = (int) m;
        }
        Open o = new Open(protocol, client, vip, mark);

        // counters of the real servers that may be chosen, to find the one a one-packet flow went to
        VirtualService svc = service(o);
        RealServer[] dests = svc == null ? new RealServer[0] : svc.dests();
        long[] before = new long[dests.length];
        for (int i = 0; i < dests.length; i++) before[i] = dests[i].stats().conns();

        Ends in = fromClient(o);
        engine.ingress(switch (protocol) {
            case VirtualService.IPPROTO_TCP -> FrameWriter.tcp(in, FrameWriter.SYN, CLIENT_ISN, 0, new byte[0]);
            case VirtualService.IPPROTO_UDP -> FrameWriter.udp(in, UDP_PAYLOAD);
            default -> FrameWriter.sctp(in, 0, FrameWriter.sctpInitChunk(FrameWriter.CHUNK_INIT, CLIENT_TAG, 1));
        }, mark);

        ConnTable conns = engine.connections();
        int c = lookup(o);
        Endpoint target = null;
        if (c != ConnTable.NONE && conns.destId(c) != ConnTable.NONE) {
            IpAddr d = conns.daf(c) == ConnTable.AF_INET6 ? IpAddr.v6(conns.daddrHi(c), conns.daddrLo(c))
                    : IpAddr.v4((int) conns.daddrLo(c));
            target = new Endpoint(d, conns.dport(c));
        } else {
            for (int i = 0; i < dests.length && target == null; i++) {
                if (dests[i].stats().conns() != before[i]) {
                    target = new Endpoint(dests[i].addr(), dests[i].port() == 0 ? vip.port : dests[i].port());
                }
            }
        }
        if (target == null) {
            print(out, client + " -> none\n");
            return null;
        }
        print(out, client + " -> " + target + "\n");
        if (c != ConnTable.NONE) {
            handshake(o, c, target);
            open.computeIfAbsent(client, k -> new ArrayDeque<>()).push(o);
        }
        return null;
    }

    /** The rest of the opening exchange, so the connection is established as a real one would be. */
    private void handshake(Open o, int c, Endpoint rs) {
        boolean replies = (engine.connections().flags(c) & ConnFlags.NOOUTPUT) == 0;   // NAT: they pass the director
        Ends in = fromClient(o);
        Ends back = new Ends(RS_MAC, engine.nextHops().directorMac(), rs.addr, rs.port, o.client.addr, o.client.port);
        if (o.protocol == VirtualService.IPPROTO_TCP) {
            if (replies) {
                engine.ingress(FrameWriter.tcp(back, FrameWriter.SYN | FrameWriter.ACK, SERVER_ISN, CLIENT_ISN + 1,
                        new byte[0]), 0);
            }
            engine.ingress(FrameWriter.tcp(in, FrameWriter.ACK, CLIENT_ISN + 1, SERVER_ISN + 1, new byte[0]), o.mark);
        } else if (o.protocol == VirtualService.IPPROTO_SCTP) {
            if (replies) {
                engine.ingress(FrameWriter.sctp(back, CLIENT_TAG,
                        FrameWriter.sctpInitChunk(FrameWriter.CHUNK_INIT_ACK, SERVER_TAG, 1)), 0);
            }
            engine.ingress(FrameWriter.sctp(in, SERVER_TAG,
                    FrameWriter.sctpChunk(FrameWriter.CHUNK_COOKIE_ECHO, 0, COOKIE)), o.mark);
            if (replies) {
                engine.ingress(FrameWriter.sctp(back, CLIENT_TAG,
                        FrameWriter.sctpChunk(FrameWriter.CHUNK_COOKIE_ACK, 0, new byte[0])), 0);
            }
        }
    }

    private String close(List<String> w) {
        if (w.size() != 2) return "close: expected 'close CIP:CPORT'";
        Endpoint client = endpoint(w.get(1));
        if (client == null) return "close: bad client address '" + w.get(1) + "' (expected ADDR:PORT or [IPV6]:PORT)";
        Deque<Open> q = open.get(client);
        if (q != null) q.removeIf(o -> lookup(o) == ConnTable.NONE);       // expired meanwhile
        if (q == null || q.isEmpty()) {
            open.remove(client);
            return "close: no open connection from " + client;
        }
        Open o = q.pop();
        if (q.isEmpty()) open.remove(client);
        Ends in = fromClient(o);
        switch (o.protocol) {
            case VirtualService.IPPROTO_TCP ->
                    engine.ingress(FrameWriter.tcp(in, FrameWriter.RST | FrameWriter.ACK, CLIENT_ISN + 1, SERVER_ISN + 1,
                            new byte[0]), o.mark);
            case VirtualService.IPPROTO_SCTP ->
                    engine.ingress(FrameWriter.sctp(in, SERVER_TAG, FrameWriter.sctpChunk(FrameWriter.CHUNK_ABORT, 0,
                            new byte[0])), o.mark);
            default -> {
                int c = lookup(o);
                ConnTable conns = engine.connections();
                conns.timeout(c, 0);
                conns.expireNow(c, engine.nowNs());
                while (engine.director().expire(engine.nowNs()) > 0) {
                    // drain
                }
            }
        }
        return null;
    }

    private String time(List<String> w) {
        String usage = "time: expected 'time +SECONDS' (e.g. time +2.5)";
        if (w.size() != 2 || !w.get(1).startsWith("+")) return usage;
        long deltaNs;
        try {
            BigDecimal s = new BigDecimal(w.get(1).substring(1));
            if (s.signum() < 0 || s.scale() > 9) return usage;
            deltaNs = s.movePointRight(9).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return usage;
        }
        engine.advanceTo(engine.nowNs() + deltaNs);
        return null;
    }

    private Ends fromClient(Open o) {
        StaticNextHops hops = engine.nextHops();
        return new Ends(hops.gatewayMac(), hops.directorMac(), o.client.addr, o.client.port, o.vip.addr, o.vip.port);
    }

    private int lookup(Open o) {
        IpAddr c = o.client.addr, v = o.vip.addr;
        return engine.connections().lookupIn(c.isV6() ? ConnTable.AF_INET6 : ConnTable.AF_INET, o.protocol,
                c.hi(), c.lo(), o.client.port, v.hi(), v.lo(), o.vip.port);
    }

    /** The service the director will find for the flow (IPVS's lookup order), or null. */
    private VirtualService service(Open o) {
        IpAddr c = o.client.addr, v = o.vip.addr;
        if (c.isV6()) {
            flow.v6(o.protocol, c.hi(), c.lo(), o.client.port, v.hi(), v.lo(), o.vip.port);
        } else {
            flow.v4(o.protocol, c.v4(), o.client.port, v.v4(), o.vip.port);
        }
        flow.fwmark(o.mark).at(engine.nowNs());
        return engine.services().lookup(flow);
    }

    /** "a.b.c.d:port" or "[v6]:port", numeric only. */
    private static Endpoint endpoint(String s) {
        String host, port;
        if (s.startsWith("[")) {
            int close = s.indexOf("]:");
            if (close < 0) return null;
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0 || s.indexOf(':') != colon) return null;
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        IpAddr a = IpAddr.parse(host);
        long p = parseUnsigned(port, 65535);
        return a == null || p < 0 ? null : new Endpoint(a, (int) p);
    }

    /** A decimal number in [0, max], or -1. */
    private static long parseUnsigned(String s, long max) {
        if (s.isEmpty() || s.length() > 10) return -1;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    private static void print(Appendable to, String s) {
        if (s.isEmpty()) return;
        try {
            to.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Frees the director's memory, when this simulator made it. */
    @Override
    public void close() {
        if (ownsEngine) engine.close();
    }
}
