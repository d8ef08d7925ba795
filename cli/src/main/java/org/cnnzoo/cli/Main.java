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
                AugmentCommand.class, GlyphsCommand.class, FeaturizeCommand.class, TransferCommand.class, SearchCommand.class, PredictCommand.class, InferCommand.class, DetectCommand.class, TrainDetectorCommand.class, FacesCommand.class, EmbedCommand.class, StyleCommand.class, WeightsCommand.class, CacheCommand.class, BenchCommand.class,
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

    /**
     * What went wrong in words: the exception's message, the full-disk case with the advice it needs, and for an
     * exception without a message its kind and the first cause that has one.
     */
    static String message(Throwable e) {
        Throwable t = e;
        while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
            t = t.getCause();
        }
        String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (e instanceof java.io.UncheckedIOException && e.getCause() != null) {
            text = e.getMessage() + ": " + e.getCause().getMessage();
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("No space left on device")) {
                return text + " (the disk is full: free space there, or point --out/--cache at another disk)";
            }
        }
        return text;
    }

    /** Runs one command line; returns the exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        Backend.init();
        if (!Backend.ompWaitPolicyIsPassive()) {
            err.println("cnnzoo: warning: OMP_WAIT_POLICY is not PASSIVE; on a busy machine this can cost 3x. "
                    + "Start through ./cnnzoo or export OMP_WAIT_POLICY=PASSIVE.");
        }
        // --debug anywhere (or CNNZOO_DEBUG=1) shows the full trace of a failure; otherwise one or two lines
        boolean debug = "1".equals(System.getenv("CNNZOO_DEBUG")) || java.util.Arrays.asList(args).contains("--debug");
        args = java.util.Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter w = commandLine.getErr();
            if (debug) {
                e.printStackTrace(w);
            }
            if (e instanceof IllegalArgumentException || e instanceof java.io.IOException
                    || e instanceof java.io.UncheckedIOException) {
                w.println("cnnzoo: error: " + message(e));
                return BAD_INPUT;
            }
            w.println("cnnzoo: failed: " + message(e) + (debug ? "" : " (run again with --debug for the full trace)"));
            return 1;
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
