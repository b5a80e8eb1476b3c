package io.jlvs.ctl.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jlvs.ctl.ipvsadm.Command;
import io.jlvs.ctl.ipvsadm.IpvsadmCommand;
import io.jlvs.ctl.ipvsadm.IpvsadmException;
import io.jlvs.ctl.ipvsadm.IpvsadmExecutor;
import io.jlvs.ctl.ipvsadm.IpvsadmResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server side of the jlvs control protocol, version {@value #PROTOCOL_VERSION} (JSON; see
 * {@code docs/control-api.md}), independent of the transport: the transport reads one request, calls
 * {@link #handle(Request, Caller)} (or {@link #handleJson}) with the peer's credentials, and writes the answer.
 *
 * <p>Ops: {@code ipvsadm} (one argv; ipvsadm's stdout, stderr and exit status), {@code batch} (argv lines applied
 * all-or-nothing, see {@link AtomicBatch}), {@code list} (the table as JSON, see {@link TableJson}), {@code version},
 * {@code ping}. {@code ipvsadm -R} is transactional too: its input goes through the same batch (a jlvsadm
 * extension: ipvsadm applies restore lines one by one and goes on after a kernel error).
 *
 * <p>Permissions: reading ({@code list}, {@code -L}, {@code -S}, {@code -h}, {@code --version}, {@code version},
 * {@code ping}) is open to anyone; a change needs uid 0 or membership of the admin group given at construction,
 * else the answer is ipvsadm's {@code Permission denied (you must be root)} with exit status 255 (libipvs's EPERM
 * text; {@code process_options} returns -1). A command line ipvsadm would reject is rejected first, as ipvsadm
 * parses before calling the kernel.
 *
 * <p>Threads: one lock serialises everything that touches the executor (the control path, as the kernel's
 * {@code __ip_vs_mutex}); the data path reads published snapshots and never takes it. Never throws: bad JSON, an
 * unknown version or op, a missing argument and an internal error are all answered with {@code ok: false},
 * exit status {@value #EXIT_PROTOCOL} (internal: 255) and {@code data.error} naming the kind.
 */
public final class ControlService {
    public static final int PROTOCOL_VERSION = 1;
    /** Exit status of a request that is not a valid v1 request (as ipvsadm's usage errors). */
    public static final int EXIT_PROTOCOL = 2;
    /** No admin group: only uid 0 may change the configuration. */
    public static final int NO_GROUP = -1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final IpvsadmExecutor ipvsadm;
    private final int adminGid;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * @param ipvsadm  the executor over the live service table
     * @param adminGid a group whose members may change the configuration besides root, or {@link #NO_GROUP}
     */
    public ControlService(IpvsadmExecutor ipvsadm, int adminGid) {
        this.ipvsadm = ipvsadm;
        this.adminGid = adminGid;
    }

    /**
     * The control lock: held while a request applies. Whatever else reads or advances the model from another thread
     * (the daemon's timer thread, a metrics scrape) takes it too, so nothing sees a half-applied batch.
     */
    public java.util.concurrent.locks.ReentrantLock lock() { return lock; }

    /** The codec both ends use: records to and from JSON text. */
    public static ObjectMapper json() { return JSON; }

    /** Reads one JSON request, handles it, and returns the JSON answer. Never throws. */
    public String handleJson(String requestJson, Caller caller) {
        Response r;
        Request req = null;
        try {
            req = JSON.readValue(requestJson, Request.class);
        } catch (StreamReadException e) {
            r = error(null, "bad-json", "bad JSON: " + e.getOriginalMessage(), EXIT_PROTOCOL);
            return write(r);
        } catch (JsonProcessingException | RuntimeException e) {
            r = error(idOf(requestJson), "bad-request", "bad request: " + e.getMessage().lines().findFirst().orElse(""),
                    EXIT_PROTOCOL);
            return write(r);
        }
        return write(handle(req, caller));
    }

    /** Handles one request. Never throws. */
    public Response handle(Request req, Caller caller) {
        if (req == null) return error(null, "bad-request", "bad request: empty", EXIT_PROTOCOL);
        try {
            if (req.v() != PROTOCOL_VERSION) {
                return error(req.id(), "unsupported-version", "unsupported protocol version " + req.v()
                        + " (this server speaks " + PROTOCOL_VERSION + ")", EXIT_PROTOCOL);
            }
            if (req.op() == null) return error(req.id(), "bad-request", "bad request: no op", EXIT_PROTOCOL);
            return switch (req.op()) {
                case Request.IPVSADM -> ipvsadm(req, caller);
                case Request.BATCH -> batch(req, caller);
                case Request.LIST -> list(req);
                case Request.VERSION -> version(req);
                case Request.PING -> answer(req.id(), new IpvsadmResult("", "", 0), protocolData());
                default -> error(req.id(), "unknown-op", "unknown op \"" + req.op()
                        + "\" (known: ipvsadm, batch, list, version, ping)", EXIT_PROTOCOL);
            };
        } catch (RuntimeException e) {
            StackTraceElement[] at = e.getStackTrace();
            return error(req.id(), "internal", "internal error: " + e + (at.length > 0 ? " at " + at[0] : ""),
                    IpvsadmExecutor.EXIT_KERNEL);
        }
    }

    /** Commands that only read: {@code -L}, {@code -S}, {@code -h}, {@code --version}. */
    static boolean isReadOnly(IpvsadmCommand cmd) {
        Command c = cmd.command();
        return c == Command.LIST || c == Command.SAVE || c == Command.HELP || c == Command.VERSION;
    }

    private boolean privileged(Caller c) { return c.uid() == 0 || (adminGid != NO_GROUP && c.inGroup(adminGid)); }

    private Response ipvsadm(Request req, Caller caller) {
        if (req.argv() == null) return error(req.id(), "bad-request", "bad request: op ipvsadm needs argv", EXIT_PROTOCOL);
        IpvsadmCommand cmd;
        try {
            cmd = ipvsadm.parser().parse(req.argv());
        } catch (IpvsadmException e) {
            return answer(req.id(), new IpvsadmResult("", e.getMessage() + "\n", e.exitStatus()), null);
        }
        if (!isReadOnly(cmd) && !privileged(caller)) return answer(req.id(), IpvsadmExecutor.permissionDenied(), null);
        if (cmd.command() == Command.RESTORE) return atomic(req.id(), AtomicBatch.restoreLines(req.stdin()), true);
        lock.lock();
        try {
            return answer(req.id(), ipvsadm.execute(cmd), null);
        } finally {
            lock.unlock();
        }
    }

    private Response batch(Request req, Caller caller) {
        if (req.lines() == null) return error(req.id(), "bad-request", "bad request: op batch needs lines", EXIT_PROTOCOL);
        List<AtomicBatch.Line> lines = new ArrayList<>(req.lines().size());
        for (int i = 0; i < req.lines().size(); i++) {
            List<String> argv = req.lines().get(i);
            if (argv == null || argv.stream().anyMatch(java.util.Objects::isNull)) {
                return error(req.id(), "bad-request", "bad request: line " + (i + 1) + " is not a list of strings",
                        EXIT_PROTOCOL);
            }
            lines.add(new AtomicBatch.Line(i + 1, argv));
        }
        return atomic(req.id(), lines, privileged(caller));
    }

    private Response atomic(String id, List<AtomicBatch.Line> lines, boolean privileged) {
        AtomicBatch.Outcome o;
        lock.lock();
        try {
            o = AtomicBatch.apply(ipvsadm, lines, privileged);
        } finally {
            lock.unlock();
        }
        ObjectNode data = F.objectNode();
        data.put("lines", lines.size());
        if (o.failed() != null) {
            data.put("line", o.failed().number());
            var argv = data.putArray("argv");
            for (String w : o.failed().argv()) argv.add(w);
            if (o.diverged()) data.put("error", "diverged");
        }
        return answer(id, o.result(), data);
    }

    private Response list(Request req) {
        lock.lock();
        try {
            if (!Boolean.TRUE.equals(req.json())) return answer(req.id(), ipvsadm.run(List.of("-L", "-n")), null);
            return answer(req.id(), new IpvsadmResult("", "", 0),
                    TableJson.table(ipvsadm.table().services(), ipvsadm.stats()));
        } finally {
            lock.unlock();
        }
    }

    private Response version(Request req) {
        return answer(req.id(), ipvsadm.run(List.of("--version")), protocolData());
    }

    private static ObjectNode protocolData() {
        ObjectNode d = F.objectNode();
        d.put("protocol", PROTOCOL_VERSION);
        return d;
    }

    private static Response answer(String id, IpvsadmResult r, JsonNode data) {
        return new Response(PROTOCOL_VERSION, id, r.ok(), r.exitStatus(), r.out(), r.err(), data);
    }

    private static Response error(String id, String kind, String message, int status) {
        ObjectNode d = F.objectNode();
        d.put("error", kind);
        return new Response(PROTOCOL_VERSION, id, false, status, "", "jlvs: " + message + "\n", d);
    }

    /** The id of a request that could not be mapped, if it is at least a JSON object with a textual id. */
    private static String idOf(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            JsonNode id = n == null ? null : n.get("id");
            return id != null && id.isTextual() ? id.asText() : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private static String write(Response r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);                      // records of strings and nodes always serialise
        }
    }
}
