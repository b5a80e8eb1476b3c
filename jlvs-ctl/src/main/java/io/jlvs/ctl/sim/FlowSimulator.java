package io.jlvs.ctl.sim;

import io.jlvs.ctl.ipvsadm.Command;
import io.jlvs.ctl.ipvsadm.IpvsadmCommand;
import io.jlvs.ctl.ipvsadm.IpvsadmException;
import io.jlvs.ctl.ipvsadm.IpvsadmExecutor;
import io.jlvs.ctl.ipvsadm.IpvsadmResult;
import io.jlvs.packet.Flow;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceTable;
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
 * <p>ipvsadm lines go through the same {@link io.jlvs.ctl.ipvsadm.IpvsadmParser} and {@link IpvsadmExecutor}
 * jlvsadm uses; flows go through {@link ServiceTable#lookup(Flow)} (IPVS's lookup order) and the service's
 * scheduler, on a simulated clock that only {@code time} advances. A bad line is reported on the error stream
 * with its number and the script goes on; {@link #run} returns 1 if any line failed.
 */
public final class FlowSimulator {

    /** The line syntax, for {@code --help}. */
    public static final String SYNTAX = """
            Each line of the script is one of:
              -A -t 198.51.100.10:80 -s wrr   an ipvsadm command line without the program name: the same parser and
                                              checks as ipvsadm 1.31; its output (e.g. -L -n) is printed, its errors
                                              are reported like any bad line
              conn PROTO CIP:CPORT VIP:VPORT [mark N]
                                              a new connection (PROTO tcp, udp or sctp; IPv6 as [addr]:port; mark N is
                                              the packet's firewall mark): prints "CIP:CPORT -> RIP:RPORT", or
                                              "CIP:CPORT -> none" when no service matches or no real server is
                                              available; the connection counts as active on its real server
              close CIP:CPORT                 ends the most recent open connection from CIP:CPORT
              time +SECONDS                   advances the simulated clock (e.g. time +2.5) and runs the schedulers'
                                              periodic work
              list                            the table as ipvsadm -L -n prints it
              # comment                       (and blank lines) ignored
            A bad line prints "sim: line N: reason" on stderr and the script goes on; the exit status is 1 if any
            line failed, else 0.
            Not simulated yet: persistence (-p is accepted and listed, but persistence templates come with the
            connection engine, so each connection is scheduled on its own), connection timeouts, traffic counters
            (--stats and --rate print 0), sync daemons (recorded and listed, nothing is sent).
            """;

    private static final String UNKNOWN = "(expected -..., conn, close, time, list)";

    private final ServiceTable table;
    private final IpvsadmExecutor ipvsadm;
    private final Appendable out, err;
    private final Flow flow = new Flow();
    private final Map<Endpoint, Deque<RealServer>> open = new HashMap<>();
    private long nowNs;

    private record Endpoint(IpAddr addr, int port) {
        @Override
        public String toString() { return addr.isV6() ? "[" + addr + "]:" + port : addr + ":" + port; }
    }

    /** A simulator over an empty table, with the system's name resolver for ipvsadm lines. */
    public FlowSimulator(Appendable out, Appendable err) {
        this(new ServiceTable(), out, err);
    }

    public FlowSimulator(ServiceTable table, Appendable out, Appendable err) {
        this(new IpvsadmExecutor(table), out, err);
    }

    public FlowSimulator(IpvsadmExecutor ipvsadm, Appendable out, Appendable err) {
        this.table = ipvsadm.table();
        this.ipvsadm = ipvsadm;
        this.out = out;
        this.err = err;
    }

    private boolean echo;

    /** The simulated clock. */
    public long nowNs() { return nowNs; }

    /** Echo each script line to stdout before its output ({@code ./jlvs sim --echo}): a readable transcript. */
    public FlowSimulator echo(boolean on) {
        echo = on;
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
        print(err, "sim: line " + lineNo + ": " + error + "\n");
        return false;
    }

    private String ipvsadm(List<String> args) {
        IpvsadmCommand cmd;
        try {
            cmd = ipvsadm.parser().parse(args);
        } catch (IpvsadmException e) {
            return e.getMessage().strip();
        }
        if (cmd.command() == Command.RESTORE) return "-R (restore) is not available in sim: the script itself is the input";
        IpvsadmResult r = ipvsadm.execute(cmd);
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

        if (client.addr.isV6()) {
            flow.v6(protocol, client.addr.hi(), client.addr.lo(), client.port, vip.addr.hi(), vip.addr.lo(), vip.port);
        } else {
            flow.v4(protocol, client.addr.v4(), client.port, vip.addr.v4(), vip.port);
        }
        flow.fwmark(mark).at(nowNs);
        VirtualService svc = table.lookup(flow);
        RealServer rs = svc == null ? null : svc.scheduler().schedule(svc, flow);
        if (rs == null) {
            print(out, client + " -> none\n");
            return null;
        }
        rs.bindConn(true);
        open.computeIfAbsent(client, k -> new ArrayDeque<>()).push(rs);
        Endpoint target = new Endpoint(rs.addr(), rs.port() == 0 ? vip.port : rs.port());
        print(out, client + " -> " + target + "\n");
        return null;
    }

    private String close(List<String> w) {
        if (w.size() != 2) return "close: expected 'close CIP:CPORT'";
        Endpoint client = endpoint(w.get(1));
        if (client == null) return "close: bad client address '" + w.get(1) + "' (expected ADDR:PORT or [IPV6]:PORT)";
        Deque<RealServer> conns = open.get(client);
        if (conns == null || conns.isEmpty()) return "close: no open connection from " + client;
        conns.pop().unbindConn(true);
        if (conns.isEmpty()) open.remove(client);
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
        nowNs += deltaNs;
        for (VirtualService svc : table.services()) svc.scheduler().expire(svc, nowNs);
        return null;
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
}
