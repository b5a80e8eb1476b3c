package io.jlvs.daemon;

import io.jlvs.ctl.sim.FlowSimulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The {@code jlvs} launcher: one subcommand per mode ({@code sim} now; the daemon and replay later). */
@Command(name = "jlvs", mixinStandardHelpOptions = true, version = "jlvs 0.1.0",
        description = "The Linux Virtual Server in userspace Java.",
        subcommands = {JlvsMain.Sim.class})
public final class JlvsMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, writing to System.out and System.err. */
    public static CommandLine commandLine() {
        return new CommandLine(new JlvsMain());
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    @Command(name = "sim", mixinStandardHelpOptions = true, usageHelpWidth = 120,
            description = "The flow simulator: ipvsadm command lines and flows from FILE (or stdin), the director's "
                    + "decisions on stdout.",
            footer = {"", FlowSimulator.SYNTAX, "Example: ./jlvs sim examples/demo.sim"})
    static final class Sim implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "the script; stdin when absent or '-'")
        String file;

        @picocli.CommandLine.Option(names = "--echo", description = "print each script line (commands as '> LINE') before its output")
        boolean echo;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            try (BufferedReader in = open(); FlowSimulator sim = new FlowSimulator(out, err)) {
                return sim.echo(echo).run(in);
            } catch (NoSuchFileException e) {
                err.println("sim: cannot read " + file + ": no such file");
                return 2;
            } finally {
                out.flush();
                err.flush();
            }
        }

        private BufferedReader open() throws IOException {
            if (file == null || file.equals("-")) {
                return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            }
            return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
        }
    }
}
