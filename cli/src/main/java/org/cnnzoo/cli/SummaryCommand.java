package org.cnnzoo.cli;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.summary.ModelSummary;
import org.cnnzoo.zoo.summary.Summarizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code cnnzoo summary NAME}: every vertex with its output shape, parameters and multiply-adds. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Show a network vertex by vertex: output shape, parameters, multiply-adds, and totals.")
final class SummaryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME|RUN", description = "Network name, as listed by 'cnnzoo models', or a run"
            + " folder written by 'cnnzoo transfer'.")
    String name;

    @Option(names = "--input", paramLabel = "H,W,C", description = "Input height, width and channels (default: the network's).")
    String input;

    @Option(names = "--classes", converter = Values.Positive.class, paramLabel = "N", description = "Number of output classes (default: the network's).")
    Integer classes;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        java.nio.file.Path folder = java.nio.file.Path.of(name);
        if (java.nio.file.Files.isDirectory(folder)) {
            if (input != null || classes != null) {
                throw new IllegalArgumentException(name + " is a run folder: its input and classes are the ones it was"
                        + " trained with; leave out --input and --classes");
            }
            org.cnnzoo.transfer.Runs.Loaded run = org.cnnzoo.transfer.Runs.load(folder);
            ModelSummary summary = Summarizer.of(name, run.model().getConfiguration(),
                    org.deeplearning4j.nn.conf.inputs.InputType.convolutional(run.info().height(), run.info().width(),
                            run.info().channels()));
            spec.commandLine().getOut().print(json ? Json.write(summary) + System.lineSeparator() : summary.toTable());
            return 0;
        }
        Architecture<?> arch = Zoo.get(name).create();
        if (input != null) {
            int[] hwc = parseInput(input);
            arch.optInput(hwc[0], hwc[1], hwc[2]);
        }
        if (classes != null) {
            arch.optClasses(classes);
        }
        ModelSummary summary = Summarizer.of(arch);
        spec.commandLine().getOut().print(json ? Json.write(summary) + System.lineSeparator() : summary.toTable());
        return 0;
    }

    static int[] parseInput(String text) {
        String[] parts = text.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--input takes height,width,channels such as 224,224,3; got '" + text + "'");
        }
        int[] values = new int[3];
        for (int i = 0; i < 3; i++) {
            try {
                values[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--input takes whole numbers height,width,channels such as 224,224,3; got '"
                        + text + "'");
            }
            if (values[i] < 1) {
                throw new IllegalArgumentException("--input values must be positive; got '" + text + "'");
            }
        }
        return values;
    }
}
