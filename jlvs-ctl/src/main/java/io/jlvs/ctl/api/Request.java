package io.jlvs.ctl.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One control request, version 1 of the jlvs control protocol (see {@code docs/control-api.md}). A JSON object:
 *
 * <pre>
 * {"v": 1, "id": "42", "op": "ipvsadm", "argv": ["-A", "-t", "192.0.2.10:80", "-s", "rr"]}
 * {"v": 1, "id": "43", "op": "ipvsadm", "argv": ["-R"], "stdin": "-A -t 192.0.2.10:80 -s rr\n..."}
 * {"v": 1, "id": "44", "op": "batch", "lines": [["-A", "-t", "192.0.2.10:80"], ["-a", "-t", "192.0.2.10:80", "-r", "10.0.0.1"]]}
 * {"v": 1, "id": "45", "op": "list", "json": true}
 * {"v": 1, "id": "46", "op": "version"}
 * {"v": 1, "id": "47", "op": "ping"}
 * </pre>
 *
 * @param v     protocol version: {@value ControlService#PROTOCOL_VERSION}; anything else is refused
 * @param id    the client's correlation id, echoed in the response (may be null)
 * @param op    {@value #IPVSADM}, {@value #BATCH}, {@value #LIST}, {@value #VERSION} or {@value #PING}
 * @param argv  {@value #IPVSADM}: the arguments ipvsadm would get, without the program name
 * @param lines {@value #BATCH}: one argv per line, applied all-or-nothing
 * @param stdin {@value #IPVSADM} with {@code -R}: the rules ipvsadm would read from standard input
 * @param json  {@value #LIST}: true for the structured table; otherwise the {@code -L -n} text
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Request(int v, String id, String op, List<String> argv, List<List<String>> lines, String stdin,
                      Boolean json) {
    public static final String IPVSADM = "ipvsadm", BATCH = "batch", LIST = "list", VERSION = "version", PING = "ping";

    public static Request ipvsadm(String id, List<String> argv) {
        return new Request(ControlService.PROTOCOL_VERSION, id, IPVSADM, argv, null, null, null);
    }

    public static Request restore(String id, String stdin) {
        return new Request(ControlService.PROTOCOL_VERSION, id, IPVSADM, List.of("-R"), null, stdin, null);
    }

    public static Request batch(String id, List<List<String>> lines) {
        return new Request(ControlService.PROTOCOL_VERSION, id, BATCH, null, lines, null, null);
    }

    public static Request list(String id) {
        return new Request(ControlService.PROTOCOL_VERSION, id, LIST, null, null, null, true);
    }

    public static Request of(String id, String op) {
        return new Request(ControlService.PROTOCOL_VERSION, id, op, null, null, null, null);
    }
}
