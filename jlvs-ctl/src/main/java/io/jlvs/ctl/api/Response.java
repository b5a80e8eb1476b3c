package io.jlvs.ctl.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer to one {@link Request}:
 *
 * <pre>
 * {"v": 1, "id": "42", "ok": true, "exitStatus": 0, "out": "", "err": ""}
 * {"v": 1, "id": "44", "ok": false, "exitStatus": 255, "out": "", "err": "Service not defined\n",
 *  "data": {"line": 2, "argv": ["-a", "-t", "192.0.2.99:80", "-r", "10.0.0.1"]}}
 * {"v": 1, "id": null, "ok": false, "exitStatus": 2, "out": "", "err": "jlvs: bad JSON: ...\n",
 *  "data": {"error": "bad-json"}}
 * </pre>
 *
 * @param v          protocol version of the answer
 * @param id         the request's id (absent when the request could not be read)
 * @param ok         {@code exitStatus == 0}
 * @param exitStatus what ipvsadm would exit with; {@value ControlService#EXIT_PROTOCOL} for a request that is not
 *                   a valid v1 request
 * @param out        ipvsadm's standard output, byte for byte
 * @param err        ipvsadm's standard error, byte for byte
 * @param data       structured extras: the table for {@code list}, the failed line of a batch, the error kind
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Response(int v, String id, boolean ok, int exitStatus, String out, String err, JsonNode data) {
}
