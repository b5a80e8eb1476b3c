package io.jlvs.ctl.keepalived;

import io.jlvs.ctl.api.Caller;
import io.jlvs.ctl.api.ControlService;
import io.jlvs.ctl.api.Request;
import io.jlvs.ctl.api.Response;
import io.jlvs.ctl.ipvsadm.IpvsadmExecutor;
import io.jlvs.ctl.ipvsadm.IpvsadmParser;
import io.jlvs.ctl.ipvsadm.NameResolver;
import io.jlvs.ctl.ipvsadm.Services;
import io.jlvs.ctl.ipvsadm.StatsProvider;
import io.jlvs.service.ServiceTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A jlvs table behind a control service, as jlvsd has it, with deterministic names: for golden -Sn tests. */
final class Table {
    final ServiceTable table = new ServiceTable();
    final IpvsadmExecutor executor = new IpvsadmExecutor(table,
            new IpvsadmParser("ipvsadm", NameResolver.offline(Services.builtIn())), StatsProvider.NONE, 4096);
    final ControlService control = new ControlService(executor, ControlService.NO_GROUP);

    /** Applies ops as one batch, which must succeed. */
    Table apply(List<TableOp> ops) {
        if (ops.isEmpty()) return this;
        Response r = control.handle(Request.batch("t", ops.stream().map(TableOp::argv).toList()), Caller.ROOT);
        assertThat(r.exitStatus()).as("batch %s refused: %s %s", ops, r.err(), r.data()).isZero();
        return this;
    }

    Table run(String line) {
        Response r = control.handle(Request.ipvsadm("t", Arrays.asList(line.split(" "))), Caller.ROOT);
        assertThat(r.exitStatus()).as(line + ": " + r.err()).isZero();
        return this;
    }

    String save() {
        return control.handle(Request.ipvsadm("t", List.of("-S", "-n")), Caller.ROOT).out();
    }

    /** The -Sn text of a configuration freshly started (every server that does not start down is up). */
    static String saveOf(KeepalivedConf conf) { return new Table().apply(LvsState.start(conf).ops()).save(); }

    static KeepalivedLoader.Result load(String text) {
        return KeepalivedLoader.loadText(text, "keepalived.conf", Path.of("/nonexistent"), "testhost");
    }

    static KeepalivedConf conf(String text) {
        KeepalivedLoader.Result r = load(text);
        assertThat(r.messages().hasErrors()).as(r.messages().report()).isFalse();
        return r.conf();
    }

    static Path sample(String name) {
        Path p = Path.of("src/test/resources/keepalived/samples", name);
        assertThat(Files.exists(p)).as(p.toString()).isTrue();
        return p;
    }
}
