package io.jlvs.daemon;

import io.jlvs.ctl.sim.FlowSimulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
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

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new JlvsMain());
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return 2;
    }

    @Command(name = "sim", mixinStandardHelpOptions = true, usageHelpWidth = 120,
            description = "The flow simulator: ipvsadm command lines and flows from FILE (or stdin), the director's "
                    + "decisions on stdout.",
            footer = {"", FlowSimulator.SYNTAX, "Example: ./jlvs sim examples/demo.sim"})
    static final class Sim implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "the script; stdin when absent or '-'")
        String file;

        @Override
        public Integer call() throws IOException {
            PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
            try (BufferedReader in = open()) {
                int status = new FlowSimulator(out, err).run(in);
                out.flush();
                return status;
            } catch (NoSuchFileException e) {
                err.println("sim: cannot read " + file + ": no such file");
                return 2;
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
