package io.jlvs.ctl.api;

import io.jlvs.ctl.ipvsadm.Command;
import io.jlvs.ctl.ipvsadm.IpvsadmCommand;
import io.jlvs.ctl.ipvsadm.IpvsadmException;
import io.jlvs.ctl.ipvsadm.IpvsadmExecutor;
import io.jlvs.ctl.ipvsadm.IpvsadmResult;
import io.jlvs.service.ServiceTable;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a list of ipvsadm lines all-or-nothing: every line succeeds, or the live configuration is left exactly
 * as it was.
 *
 * <p>Design: <b>validate on a copy, then replay on the live table.</b>
 * <ol>
 *   <li>Each line is parsed once ({@link io.jlvs.ctl.ipvsadm.IpvsadmParser}; names resolved once), checked for
 *       permission, and applied to {@link IpvsadmExecutor#dryRunCopy()}: a deep copy of the services, their real
 *       servers (method, weight, thresholds, tunnel, list order), the sync daemons and the timeouts. The first
 *       line that ipvsadm would fail ends the batch with its message, exit status and line number; the copy is
 *       dropped and the live table was never touched.</li>
 *   <li>When every line passed, the same parsed commands are applied to the live executor, under the
 *       table's {@link ServiceTable#deferPublish() deferred publish}: the data path sees the new set of
 *       services in one snapshot at the end, and a batch of n adds costs O(n), not n snapshot rebuilds.</li>
 * </ol>
 * The second pass cannot fail: the copy had the same state, the commands are the same objects (no second name
 * lookup), and every outcome of a command depends only on that state. Real servers that the batch does not
 * touch are the same objects afterwards, with their counters, connections and scheduler state: nothing is
 * swapped in. The alternatives were rejected: building the new table on a copy and swapping it in would replace
 * every untouched {@code RealServer} (connections point at them) and every scheduler's state; an undo log would
 * need an inverse for each command (a {@code -D} must restore the dests with their counters, a {@code -C}
 * everything). The price is applying the batch twice; the copy skips scheduler tables (a name is all a
 * command's outcome depends on), so it is cheap.
 *
 * <p>If the live pass still failed (a bug), it stops at that line and reports it with
 * {@code "error": "diverged"}; lines before it stay applied.
 *
 * <p>A {@code -R} line is refused as ipvsadm refuses {@code -R} inside restore input. Not thread-safe: the caller
 * holds the control lock.
 */
final class AtomicBatch {
    /** One line of the batch: its 1-based number in the input and its words. */
    record Line(int number, List<String> argv) {}

    /** The outcome: the result ipvsadm would print, and the failed line (null when all were applied). */
    record Outcome(IpvsadmResult result, Line failed, boolean diverged) {}

    private AtomicBatch() {}

    static Outcome apply(IpvsadmExecutor live, List<Line> lines, boolean privileged) {
        IpvsadmExecutor dry = live.dryRunCopy();
        dry.table().deferPublish();                         // the copy is never looked up by a data path
        List<IpvsadmCommand> cmds = new ArrayList<>(lines.size());
        for (Line line : lines) {
            IpvsadmCommand cmd;
            try {
                cmd = live.parser().parse(line.argv());
            } catch (IpvsadmException e) {
                return failed(new IpvsadmResult("", e.getMessage() + "\n", e.exitStatus()), line);
            }
            if (cmd.command() == Command.RESTORE) {
                return failed(new IpvsadmResult("", "Try `" + cmd.program() + " -h' or '" + cmd.program()
                        + " --help' for more information.\n", IpvsadmException.EXIT_POPT), line);
            }
            if (!privileged && !ControlService.isReadOnly(cmd)) return failed(IpvsadmExecutor.permissionDenied(), line);
            IpvsadmResult r = dry.execute(cmd);
            if (r.exitStatus() != 0) return failed(new IpvsadmResult("", r.err(), r.exitStatus()), line);
            cmds.add(cmd);
        }
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        ServiceTable table = live.table();
        table.deferPublish();
        try {
            for (int i = 0; i < cmds.size(); i++) {
                IpvsadmResult r = live.execute(cmds.get(i));
                out.append(r.out());
                err.append(r.err());
                if (r.exitStatus() != 0) {
                    return new Outcome(new IpvsadmResult(out.toString(), err.toString(), r.exitStatus()),
                            lines.get(i), true);
                }
            }
        } finally {
            table.publishDeferred();
        }
        return new Outcome(new IpvsadmResult(out.toString(), err.toString(), 0), null, false);
    }

    private static Outcome failed(IpvsadmResult r, Line line) { return new Outcome(r, line, false); }

    /**
     * {@code restore_table}'s reading of standard input: words split on blanks, "ipvsadm" words dropped, blank
     * lines skipped; each kept line numbered as in the input (1-based).
     */
    static List<Line> restoreLines(String stdin) {
        List<Line> lines = new ArrayList<>();
        int n = 0;
        for (String text : (stdin == null ? "" : stdin).split("\n", -1)) {
            n++;
            List<String> words = new ArrayList<>();
            for (String w : text.split("[ \t\r]+")) if (!w.isEmpty() && !w.equals("ipvsadm")) words.add(w);
            if (!words.isEmpty()) lines.add(new Line(n, words));
        }
        return lines;
    }
}
