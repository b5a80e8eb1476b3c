package io.jlvs.ctl.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jlvs.ctl.ipvsadm.IpvsadmExecutor;
import io.jlvs.ctl.ipvsadm.IpvsadmParser;
import io.jlvs.ctl.ipvsadm.IpvsadmResult;
import io.jlvs.ctl.ipvsadm.NameResolver;
import io.jlvs.ctl.ipvsadm.Services;
import io.jlvs.ctl.ipvsadm.StatsProvider;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.ServiceTable;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ControlServiceTest {
    static final int ADMIN_GID = 4242;
    static final Caller USER = new Caller(1000, 1000, 77);

    final ServiceTable table = new ServiceTable();
    final IpvsadmExecutor executor = executor(table);
    final ControlService service = new ControlService(executor, ADMIN_GID);

    static IpvsadmExecutor executor(ServiceTable t) {
        return new IpvsadmExecutor(t, new IpvsadmParser("ipvsadm", NameResolver.offline(Services.builtIn())),
                StatsProvider.NONE, 4096);
    }

    static List<String> argv(String line) { return Arrays.asList(line.split(" ")); }

    Response root(String line) { return service.handle(Request.ipvsadm("r", argv(line)), Caller.ROOT); }

    String save() { return root("-S -n").out(); }

    void setUp() {
        for (String l : List.of("-A -t 192.0.2.10:80 -s wlc", "-a -t 192.0.2.10:80 -r 10.0.0.1:80 -m -w 3",
                "-a -t 192.0.2.10:80 -r 10.0.0.2:80 -g -w 1", "-A -u 192.0.2.10:53 -s rr -p 300",
                "-a -u 192.0.2.10:53 -r 10.0.0.3:53 -i -x 100 -y 50")) {
            assertThat(root(l).exitStatus()).as(l).isZero();
        }
    }

    @Test
    void ipvsadmOpAnswersExactlyAsTheExecutor() {
        ServiceTable other = new ServiceTable();
        IpvsadmExecutor reference = executor(other);
        for (String l : List.of("-A -t 192.0.2.10:80 -s wlc", "-A -t 192.0.2.10:80 -s wlc", "-a -t 192.0.2.10:80 -r 10.0.0.1",
                "-a -t 192.0.2.99:80 -r 10.0.0.1", "-A -t 192.0.2.11:80 -s nosuch", "-L -n", "-S -n", "-L --bogus",
                "-d -t 192.0.2.10:80 -r 10.0.0.9", "-L -n -t 192.0.2.10:80 --stats", "--version", "-h", "-E -t 1.2.3.4:80")) {
            IpvsadmResult want = reference.run(argv(l));
            Response got = root(l);
            assertThat(got.out()).as(l).isEqualTo(want.out());
            assertThat(got.err()).as(l).isEqualTo(want.err());
            assertThat(got.exitStatus()).as(l).isEqualTo(want.exitStatus());
            assertThat(got.ok()).as(l).isEqualTo(want.ok());
            assertThat(got.id()).isEqualTo("r");
        }
    }

    @Test
    void batchAppliesEveryLine() {
        Response r = service.handle(Request.batch("b", List.of(argv("-A -t 192.0.2.20:443 -s rr"),
                argv("-a -t 192.0.2.20:443 -r 10.0.1.1"), argv("-a -t 192.0.2.20:443 -r 10.0.1.2 -w 5"),
                argv("-L -n -t 192.0.2.20:443"))), Caller.ROOT);
        assertThat(r.ok()).isTrue();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("-> 10.0.1.2:443").contains("-> 10.0.1.1:443");
        assertThat(r.data().get("lines").asInt()).isEqualTo(4);
        assertThat(r.data().has("line")).isFalse();
        assertThat(table.get(ServiceKey.tcp("192.0.2.20", 443)).numDests()).isEqualTo(2);
    }

    @Test
    void batchWithABadLineInTheMiddleChangesNothing() {
        setUp();
        VirtualService web = table.get(ServiceKey.tcp("192.0.2.10", 80));
        RealServer rs1 = web.findDest(IpAddr.parse("10.0.0.1"), 80), rs2 = web.findDest(IpAddr.parse("10.0.0.2"), 80);
        rs1.counters(5, 7);
        rs1.bindTemplate();
        var wlc = web.scheduler();
        VirtualService[] published = table.snapshot();
        String before = save();

        Response r = service.handle(Request.batch("b", List.of(
                argv("-e -t 192.0.2.10:80 -r 10.0.0.1:80 -m -w 9"),          // would edit rs1
                argv("-d -t 192.0.2.10:80 -r 10.0.0.2:80"),                    // would remove rs2
                argv("-D -u 192.0.2.10:53"),                                   // would remove a service
                argv("-A -t 192.0.2.30:80 -s rr"),                             // would add one
                argv("-a -t 192.0.2.99:80 -r 10.0.0.5"),                       // fails: no such service
                argv("-C"))), Caller.ROOT);

        assertThat(r.ok()).isFalse();
        assertThat(r.exitStatus()).isEqualTo(255);
        assertThat(r.err()).isEqualTo("Service not defined\n");
        assertThat(r.out()).isEmpty();
        assertThat(r.data().get("line").asInt()).isEqualTo(5);
        assertThat(r.data().get("argv").toString()).isEqualTo("[\"-a\",\"-t\",\"192.0.2.99:80\",\"-r\",\"10.0.0.5\"]");
        assertThat(save()).isEqualTo(before);
        assertThat(table.snapshot()).isSameAs(published);
        assertThat(table.get(ServiceKey.tcp("192.0.2.10", 80))).isSameAs(web);
        assertThat(web.scheduler()).isSameAs(wlc);
        assertThat(web.dests()).containsExactly(rs2, rs1);
        assertThat(rs1.weight()).isEqualTo(3);
        assertThat(rs1.activeConns()).isEqualTo(5);
        assertThat(rs1.inactConns()).isEqualTo(7);
        assertThat(rs1.persistConns()).isEqualTo(1);
        assertThat(rs2.isAvailable()).isTrue();
    }

    @Test
    void successfulBatchKeepsUntouchedRealServersAndTheirCounters() {
        setUp();
        VirtualService web = table.get(ServiceKey.tcp("192.0.2.10", 80));
        RealServer rs1 = web.findDest(IpAddr.parse("10.0.0.1"), 80), rs2 = web.findDest(IpAddr.parse("10.0.0.2"), 80);
        rs1.counters(5, 7);
        Response r = service.handle(Request.batch("b", List.of(argv("-e -t 192.0.2.10:80 -r 10.0.0.2:80 -g -w 4"),
                argv("-a -t 192.0.2.10:80 -r 10.0.0.9:80"))), Caller.ROOT);
        assertThat(r.ok()).isTrue();
        assertThat(web.findDest(IpAddr.parse("10.0.0.1"), 80)).isSameAs(rs1);
        assertThat(web.findDest(IpAddr.parse("10.0.0.2"), 80)).isSameAs(rs2);
        assertThat(rs1.activeConns()).isEqualTo(5);
        assertThat(rs2.weight()).isEqualTo(4);
        assertThat(web.numDests()).isEqualTo(3);
    }

    @Test
    void batchParseErrorNamesTheLine() {
        setUp();
        String before = save();
        Response r = service.handle(Request.batch("b", List.of(argv("-A -t 192.0.2.40:80"),
                argv("-A -t 192.0.2.41:80 -s"))), Caller.ROOT);
        assertThat(r.ok()).isFalse();
        assertThat(r.data().get("line").asInt()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(executor(new ServiceTable()).run(argv("-A -t 192.0.2.41:80 -s")).err());
        assertThat(save()).isEqualTo(before);
    }

    @Test
    void restoreIsTransactional() {
        setUp();
        String before = save();
        Response bad = service.handle(Request.restore("r", "-A -t 192.0.2.50:80 -s rr\n\nipvsadm -a -t 192.0.2.50:80 -r 10.0.2.1\n"
                + "-a -t 192.0.2.51:80 -r 10.0.2.2\n"), Caller.ROOT);
        assertThat(bad.ok()).isFalse();
        assertThat(bad.err()).isEqualTo("Service not defined\n");
        assertThat(bad.data().get("line").asInt()).isEqualTo(4);
        assertThat(save()).isEqualTo(before);

        Response good = service.handle(Request.restore("r", "-A -t 192.0.2.50:80 -s rr\n-a -t 192.0.2.50:80 -r 10.0.2.1\n"),
                Caller.ROOT);
        assertThat(good.ok()).isTrue();
        assertThat(table.get(ServiceKey.tcp("192.0.2.50", 80)).numDests()).isEqualTo(1);
    }

    @Test
    void restoreOfASaveRebuildsTheSameTable() {
        setUp();
        String saved = save();
        ServiceTable other = new ServiceTable();
        ControlService second = new ControlService(executor(other), ControlService.NO_GROUP);
        assertThat(second.handle(Request.restore("r", saved), Caller.ROOT).ok()).isTrue();
        assertThat(second.handle(Request.ipvsadm("s", argv("-S -n")), Caller.ROOT).out()).isEqualTo(saved);
    }

    @Test
    void restoreInsideABatchIsRefusedAsIpvsadmDoes() {
        Response r = service.handle(Request.batch("b", List.of(argv("-A -t 192.0.2.40:80"), argv("-R"))), Caller.ROOT);
        assertThat(r.exitStatus()).isEqualTo(255);
        assertThat(r.err()).isEqualTo("Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n");
        assertThat(table.size()).isZero();
    }

    @Test
    void unprivilegedCallerMayReadButNotChange() {
        setUp();
        String before = save();
        Response add = service.handle(Request.ipvsadm("1", argv("-A -t 192.0.2.60:80")), USER);
        assertThat(add.ok()).isFalse();
        assertThat(add.err()).isEqualTo("Permission denied (you must be root)\n");
        assertThat(add.exitStatus()).isEqualTo(255);
        assertThat(save()).isEqualTo(before);

        assertThat(service.handle(Request.ipvsadm("2", argv("-L -n")), USER).out()).isEqualTo(root("-L -n").out());
        assertThat(service.handle(Request.ipvsadm("3", argv("-S -n")), USER).out()).isEqualTo(before);
        assertThat(service.handle(Request.list("4"), USER).ok()).isTrue();
        assertThat(service.handle(Request.of("5", Request.VERSION), USER).ok()).isTrue();
        assertThat(service.handle(Request.of("6", Request.PING), USER).ok()).isTrue();

        for (String l : List.of("-C", "-Z", "-D -t 192.0.2.10:80", "--set 1 2 3", "-R")) {
            assertThat(service.handle(Request.ipvsadm("7", argv(l)), USER).err()).as(l)
                    .isEqualTo("Permission denied (you must be root)\n");
        }
        Response batch = service.handle(Request.batch("8", List.of(argv("-L -n"), argv("-A -t 192.0.2.60:80"))), USER);
        assertThat(batch.err()).isEqualTo("Permission denied (you must be root)\n");
        assertThat(batch.data().get("line").asInt()).isEqualTo(2);
        assertThat(save()).isEqualTo(before);
    }

    @Test
    void badCommandLineIsReportedBeforePermission() {
        Response r = service.handle(Request.ipvsadm("1", argv("-A -t 192.0.2.60:80 -s")), USER);
        assertThat(r.err()).isEqualTo(executor(new ServiceTable()).run(argv("-A -t 192.0.2.60:80 -s")).err());
    }

    @Test
    void adminGroupMayChange() {
        Caller primary = new Caller(1000, ADMIN_GID, 1);
        Caller supplementary = new Caller(1001, 1001, 2, Set.of(10, ADMIN_GID));
        assertThat(service.handle(Request.ipvsadm("1", argv("-A -t 192.0.2.60:80")), primary).ok()).isTrue();
        assertThat(service.handle(Request.ipvsadm("2", argv("-A -t 192.0.2.61:80")), supplementary).ok()).isTrue();
        assertThat(table.size()).isEqualTo(2);
        ControlService rootOnly = new ControlService(executor, ControlService.NO_GROUP);
        assertThat(rootOnly.handle(Request.ipvsadm("3", argv("-A -t 192.0.2.62:80")), primary).ok()).isFalse();
    }

    @Test
    void badJsonUnknownOpAndVersionAreAnswered() throws Exception {
        JsonNode bad = ControlService.json().readTree(service.handleJson("{\"v\":1,\"op\":", Caller.ROOT));
        assertThat(bad.get("ok").asBoolean()).isFalse();
        assertThat(bad.get("exitStatus").asInt()).isEqualTo(2);
        assertThat(bad.get("data").get("error").asText()).isEqualTo("bad-json");
        assertThat(bad.get("err").asText()).startsWith("jlvs: bad JSON");

        JsonNode wrongType = ControlService.json().readTree(service.handleJson("{\"v\":1,\"id\":\"x\",\"op\":\"ipvsadm\",\"argv\":5}", Caller.ROOT));
        assertThat(wrongType.get("data").get("error").asText()).isEqualTo("bad-request");
        assertThat(wrongType.get("id").asText()).isEqualTo("x");

        Response unknown = service.handle(Request.of("u", "reboot"), Caller.ROOT);
        assertThat(unknown.ok()).isFalse();
        assertThat(unknown.data().get("error").asText()).isEqualTo("unknown-op");
        assertThat(unknown.err()).contains("unknown op \"reboot\"");

        Response v2 = service.handle(new Request(2, "w", "ping", null, null, null, null), Caller.ROOT);
        assertThat(v2.data().get("error").asText()).isEqualTo("unsupported-version");
        JsonNode noV = ControlService.json().readTree(service.handleJson("{\"op\":\"ping\"}", Caller.ROOT));
        assertThat(noV.get("data").get("error").asText()).isEqualTo("unsupported-version");

        assertThat(service.handle(Request.of("n", Request.IPVSADM), Caller.ROOT).data().get("error").asText())
                .isEqualTo("bad-request");
        assertThat(service.handle(Request.of("n", Request.BATCH), Caller.ROOT).data().get("error").asText())
                .isEqualTo("bad-request");
        assertThat(service.handle(null, Caller.ROOT).ok()).isFalse();
        assertThat(service.handleJson("[]", Caller.ROOT)).contains("\"ok\":false");
        assertThat(service.handleJson("", Caller.ROOT)).contains("\"ok\":false");
    }

    @Test
    void pingAndVersion() {
        Response ping = service.handle(Request.of("p", Request.PING), USER);
        assertThat(ping.ok()).isTrue();
        assertThat(ping.data().get("protocol").asInt()).isEqualTo(1);
        Response v = service.handle(Request.of("v", Request.VERSION), USER);
        assertThat(v.out()).isEqualTo(executor.run(List.of("--version")).out());
    }

    @Test
    void listWithoutJsonIsTheNumericListing() {
        setUp();
        assertThat(service.handle(new Request(1, "l", "list", null, null, null, null), USER).out())
                .isEqualTo(root("-L -n").out());
    }
}
