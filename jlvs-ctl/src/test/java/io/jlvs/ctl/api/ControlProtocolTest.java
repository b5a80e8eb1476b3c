package io.jlvs.ctl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jlvs.service.ServiceTable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The v1 wire format: every message survives a JSON round trip; the {@code list} document is pinned. */
class ControlProtocolTest {
    static final ObjectMapper JSON = ControlService.json();

    @Test
    void everyRequestRoundTrips() throws Exception {
        for (Request r : List.of(Request.ipvsadm("1", List.of("-A", "-t", "192.0.2.10:80", "-s", "rr")),
                Request.restore("2", "-A -t 192.0.2.10:80\n"),
                Request.batch("3", List.of(List.of("-A", "-t", "192.0.2.10:80"), List.of("-C"))),
                Request.list("4"), Request.of("5", Request.VERSION), Request.of(null, Request.PING))) {
            String text = JSON.writeValueAsString(r);
            assertThat(JSON.readValue(text, Request.class)).as(text).isEqualTo(r);
        }
    }

    @Test
    void requestWireShape() throws Exception {
        assertThat(JSON.writeValueAsString(Request.ipvsadm("7", List.of("-L", "-n"))))
                .isEqualTo("{\"v\":1,\"id\":\"7\",\"op\":\"ipvsadm\",\"argv\":[\"-L\",\"-n\"]}");
        assertThat(JSON.writeValueAsString(Request.list("8"))).isEqualTo("{\"v\":1,\"id\":\"8\",\"op\":\"list\",\"json\":true}");
    }

    @Test
    void everyResponseRoundTrips() throws Exception {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("line", 3);
        data.putArray("argv").add("-a");
        for (Response r : List.of(new Response(1, "1", true, 0, "out\n", "", null),
                new Response(1, "2", false, 255, "", "Service not defined\n", data),
                new Response(1, null, false, 2, "", "jlvs: bad JSON\n", JsonNodeFactory.instance.objectNode().put("error", "bad-json")))) {
            String text = JSON.writeValueAsString(r);
            assertThat(JSON.readValue(text, Response.class)).as(text).isEqualTo(r);
        }
        assertThat(JSON.writeValueAsString(new Response(1, "1", true, 0, "", "", null)))
                .isEqualTo("{\"v\":1,\"id\":\"1\",\"ok\":true,\"exitStatus\":0,\"out\":\"\",\"err\":\"\"}");
    }

    @Test
    void serviceResponsesRoundTrip() throws Exception {
        ControlService s = new ControlService(ControlServiceTest.executor(new ServiceTable()), ControlService.NO_GROUP);
        s.handle(Request.ipvsadm("a", List.of("-A", "-t", "192.0.2.10:80")), Caller.ROOT);
        for (Request req : List.of(Request.list("l"), Request.of("v", Request.VERSION), Request.of("p", Request.PING),
                Request.batch("b", List.of(List.of("-a", "-t", "192.0.2.99:80", "-r", "10.0.0.1"))))) {
            Response r = s.handle(req, Caller.ROOT);
            assertThat(JSON.readValue(JSON.writeValueAsString(r), Response.class)).isEqualTo(r);
        }
    }

    @Test
    void listDocumentGolden() throws Exception {
        ControlService s = new ControlService(ControlServiceTest.executor(new ServiceTable()), ControlService.NO_GROUP);
        Response b = s.handle(Request.batch("b", List.of(
                List.of("-A", "-t", "192.0.2.10:80", "-s", "wlc", "-p", "300"),
                List.of("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.1:8080", "-m", "-w", "3", "-x", "100", "-y", "50"),
                List.of("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.2:80", "-i"),
                List.of("-A", "-f", "7", "-6", "-s", "mh", "-b", "mh-port"),
                List.of("-a", "-f", "7", "-6", "-r", "[2001:db8::5]:0", "-g", "-w", "2"))), Caller.ROOT);
        assertThat(b.ok()).as(b.err()).isTrue();
        String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s.handle(Request.list("l"), Caller.ROOT).data());
        assertThat(json.replace("\r", "")).isEqualTo(GOLDEN);
    }

    static final String GOLDEN = """
            {
              "services" : [ {
                "key" : {
                  "af" : "inet",
                  "protocol" : "tcp",
                  "address" : "192.0.2.10",
                  "port" : 80
                },
                "scheduler" : "wlc",
                "flags" : [ "persistent" ],
                "flagBits" : 1,
                "timeout" : 300,
                "netmask" : "255.255.255.255",
                "pe" : null,
                "stats" : {
                  "conns" : 0,
                  "inPkts" : 0,
                  "outPkts" : 0,
                  "inBytes" : 0,
                  "outBytes" : 0,
                  "cps" : 0,
                  "inPps" : 0,
                  "outPps" : 0,
                  "inBps" : 0,
                  "outBps" : 0
                },
                "dests" : [ {
                  "address" : "10.0.0.2",
                  "port" : 80,
                  "method" : "tunnel",
                  "weight" : 1,
                  "upperThreshold" : 0,
                  "lowerThreshold" : 0,
                  "tunnel" : {
                    "type" : "ipip",
                    "port" : 0,
                    "flags" : 0
                  },
                  "activeConns" : 0,
                  "inactConns" : 0,
                  "persistConns" : 0,
                  "stats" : {
                    "conns" : 0,
                    "inPkts" : 0,
                    "outPkts" : 0,
                    "inBytes" : 0,
                    "outBytes" : 0,
                    "cps" : 0,
                    "inPps" : 0,
                    "outPps" : 0,
                    "inBps" : 0,
                    "outBps" : 0
                  }
                }, {
                  "address" : "10.0.0.1",
                  "port" : 8080,
                  "method" : "masq",
                  "weight" : 3,
                  "upperThreshold" : 100,
                  "lowerThreshold" : 50,
                  "activeConns" : 0,
                  "inactConns" : 0,
                  "persistConns" : 0,
                  "stats" : {
                    "conns" : 0,
                    "inPkts" : 0,
                    "outPkts" : 0,
                    "inBytes" : 0,
                    "outBytes" : 0,
                    "cps" : 0,
                    "inPps" : 0,
                    "outPps" : 0,
                    "inBps" : 0,
                    "outBps" : 0
                  }
                } ]
              }, {
                "key" : {
                  "af" : "inet6",
                  "fwmark" : 7
                },
                "scheduler" : "mh",
                "flags" : [ "flag-2" ],
                "flagBits" : 16,
                "timeout" : 0,
                "netmask" : 128,
                "pe" : null,
                "stats" : {
                  "conns" : 0,
                  "inPkts" : 0,
                  "outPkts" : 0,
                  "inBytes" : 0,
                  "outBytes" : 0,
                  "cps" : 0,
                  "inPps" : 0,
                  "outPps" : 0,
                  "inBps" : 0,
                  "outBps" : 0
                },
                "dests" : [ {
                  "address" : "2001:db8::5",
                  "port" : 0,
                  "method" : "route",
                  "weight" : 2,
                  "upperThreshold" : 0,
                  "lowerThreshold" : 0,
                  "activeConns" : 0,
                  "inactConns" : 0,
                  "persistConns" : 0,
                  "stats" : {
                    "conns" : 0,
                    "inPkts" : 0,
                    "outPkts" : 0,
                    "inBytes" : 0,
                    "outBytes" : 0,
                    "cps" : 0,
                    "inPps" : 0,
                    "outPps" : 0,
                    "inBps" : 0,
                    "outBps" : 0
                  }
                } ]
              } ]
            }""";
}
