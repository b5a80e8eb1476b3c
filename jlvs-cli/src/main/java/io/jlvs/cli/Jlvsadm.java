package io.jlvs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jlvs.ctl.api.ControlService;
import io.jlvs.ctl.api.Request;
import io.jlvs.ctl.api.Response;
import io.jlvs.ctl.ipvsadm.IpvsadmExecutor;
import io.jlvs.ctl.ipvsadm.IpvsadmResult;
import io.jlvs.netio.UnixConnection;
import io.jlvs.service.ServiceTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * jlvsadm: ipvsadm 1.31's command line, answered by the jlvsd of this network namespace over its control socket
 * ({@code @jlvsd}, or {@code $JLVSD_SOCKET}). Output, errors and exit status are the daemon's ipvsadm answer,
 * printed as received, so scripts see ipvsadm byte for byte. Invoked as {@code ipvsadm} it is exactly that;
 * as {@code jlvsadm} it adds two marked extensions: {@code --json} on listings, and {@code -R} applied as one
 * transaction (all lines or none).
 */
public final class Jlvsadm {
    public static final String SOCKET_ENV = "JLVSD_SOCKET";

    static final String EXTENSIONS = """

            jlvsadm extensions (not in ipvsadm):
              -L --json                   the service table as JSON (services, real servers, counters, stats)
              -R                          restore as one transaction: every line applies, or none does
              JLVSD_SOCKET=NAME           talk to the jlvsd listening on @NAME (default @jlvsd)
            """;

    private Jlvsadm() {}

    public static void main(String[] args) {
        String program = System.getProperty("jlvs.program", "jlvsadm");
        System.exit(run(program, args, System.getenv(SOCKET_ENV), System.in, System.out, System.err));
    }

    /** One invocation; returns the exit status. */
    public static int run(String program, String[] args, String socket, InputStream stdin, PrintStream out, PrintStream err) {
        List<String> argv = new ArrayList<>(List.of(args));
        boolean extensions = !"ipvsadm".equals(program);
        boolean json = extensions && argv.remove("--json");
        boolean help = argv.size() == 1 && (argv.get(0).equals("-h") || argv.get(0).equals("--help"));
        Request req;
        try {
            if (json) {
                if (argv.isEmpty() || !(argv.get(0).startsWith("-L") || argv.get(0).startsWith("-l") || argv.get(0).equals("--list"))) {
                    err.println(program + ": --json goes with -L (a listing)");
                    return 2;
                }
                req = Request.list("1");
            } else if (!argv.isEmpty() && (argv.get(0).equals("-R") || argv.get(0).equals("--restore"))) {
                req = Request.restore("1", new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
            } else {
                req = Request.ipvsadm("1", argv);
            }
        } catch (IOException e) {
            err.println(program + ": cannot read standard input: " + e.getMessage());
            return 2;
        }
        ObjectMapper mapper = ControlService.json();
        String name = socket == null || socket.isEmpty() ? "jlvsd" : socket;
        Response resp;
        try (UnixConnection c = UnixConnection.connect(name)) {
            c.writeFrame(mapper.writeValueAsBytes(req));
            byte[] answer = c.readFrame();
            if (answer == null) throw new IOException("jlvsd closed the connection without answering");
            resp = mapper.readValue(answer, Response.class);
        } catch (IOException e) {
            if (help || (argv.size() == 1 && (argv.get(0).equals("-v") || argv.get(0).equals("--version")))) {
                return local(argv, extensions && help, out, err);      // help and version need no daemon
            }
            // as ipvsadm says when the kernel has no IPVS, with the reason
            err.println("Can't initialize ipvs: " + e.getMessage());
            err.println("Are you sure that IP Virtual Server is built in the kernel or as module?");
            return 2;
        }
        if (json) {
            try {
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(resp.data()));
            } catch (IOException e) {
                err.println(program + ": " + e.getMessage());
                return 2;
            }
            return resp.ok() ? 0 : resp.exitStatus();
        }
        if (resp.out() != null) out.print(resp.out());
        if (help && extensions && resp.exitStatus() == 0) out.print(EXTENSIONS);
        if (resp.err() != null) err.print(resp.err());
        out.flush();
        err.flush();
        return resp.exitStatus();
    }

    private static int local(List<String> argv, boolean withExtensions, PrintStream out, PrintStream err) {
        IpvsadmResult r = new IpvsadmExecutor(new ServiceTable()).run(argv);
        out.print(r.out());
        if (withExtensions) out.print(EXTENSIONS);
        err.print(r.err());
        return r.exitStatus();
    }
}
