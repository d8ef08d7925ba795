package org.cnnzoo.cli;

import org.cnnzoo.zoo.Backend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** The {@code cnnzoo} command. */
@Command(name = "cnnzoo",
        mixinStandardHelpOptions = true,
        version = "cnnzoo 0.1.0",
        description = "The classic convolutional-network case studies on Deeplearning4j.",
        subcommands = {DemoCommand.class, ModelsCommand.class, SummaryCommand.class, DatasetCommand.class,
                AugmentCommand.class, TransferCommand.class, SearchCommand.class, PredictCommand.class, InferCommand.class, WeightsCommand.class, CacheCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for wrong input (a bad argument or file), as opposed to an internal failure (1). */
    static final int BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; returns the exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        Backend.init();
        if (!Backend.ompWaitPolicyIsPassive()) {
            err.println("cnnzoo: warning: OMP_WAIT_POLICY is not PASSIVE; on a busy machine this can cost 3x. "
                    + "Start through ./cnnzoo or export OMP_WAIT_POLICY=PASSIVE.");
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof java.io.IOException) {
                commandLine.getErr().println("cnnzoo: error: " + e.getMessage());
                return BAD_INPUT;
            }
            throw e;
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
