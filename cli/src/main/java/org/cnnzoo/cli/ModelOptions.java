package org.cnnzoo.cli;

import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.transfer.Runs;
import org.cnnzoo.transfer.TransferGraph;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.weights.ImportedModel;
import org.cnnzoo.zoo.weights.Weights;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** The network a command starts from: {@code --model}, {@code --weights}, {@code --input}. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "NAME|FILE|RUN",
            description = "A zoo network (randomly initialised unless --weights), a DL4J model zip, or a run folder.")
    String model;

    @Option(names = "--weights", paramLabel = "FILE|ID", description = "Weights for a zoo network: .safetensors"
            + " (torchvision/timm key names), a DL4J .zip, or an id from 'cnnzoo weights list'.")
    String weights;

    @Option(names = "--input", paramLabel = "H,W,C", description = "Network input (default: the zoo network's;"
            + " required for a model file).")
    String input;

    /**
     * A loaded network, the name it goes by in records and feature-cache keys, its input (H, W, C), the
     * normalisation it was trained with when something records it (a run folder, a known weights entry; else null)
     * and where that came from, and whether its weights are random (a zoo network without --weights).
     */
    record Base(ComputationGraph graph, String name, int[] input, Normalization normalization, String normalizationFrom,
                boolean random) {
    }

    Base load(long seed, PrintWriter err) throws IOException {
        Path path = Path.of(model);
        if (weights != null && (Files.isDirectory(path) || Files.isRegularFile(path))) {
            throw new IllegalArgumentException("--weights goes with a zoo network name; " + model + " already has its weights");
        }
        if (Files.isDirectory(path)) {
            Runs.Loaded run = Runs.load(path);
            int[] recorded = {run.info().height(), run.info().width(), run.info().channels()};
            int[] hwc = recorded;
            if (input != null) {
                hwc = SummaryCommand.parseInput(input);
                if (!java.util.Arrays.equals(hwc, recorded)) {
                    err.printf("input %dx%dx%d from --input, overriding the %dx%dx%d that %s was trained at%n",
                            hwc[0], hwc[1], hwc[2], recorded[0], recorded[1], recorded[2], path);
                }
            }
            return new Base(run.model(), path.toString(), hwc, run.info().normalization(),
                    "run " + path, false);
        }
        if (Files.isRegularFile(path)) {
            ImportedModel imported = ImportedModel.load(path);
            if (input == null && imported.height() == 0) {
                throw new IllegalArgumentException("--model " + model + " is a file: give its input size with --input H,W,C");
            }
            int[] hwc = input != null ? SummaryCommand.parseInput(input)
                    : new int[]{imported.height(), imported.width(), imported.channels()};
            TransferGraph.Features cut = TransferGraph.withoutClassifier(imported.graph());
            err.println(cut.dropped().isEmpty() ? "features of " + path + ": up to " + cut.featureVertex()
                    : "features of " + path + ": up to " + cut.featureVertex() + " (its own classifier layers "
                    + String.join(", ", cut.dropped()) + " are replaced by the new head)");
            return new Base(cut.graph(), path.toString(), hwc, null, null, false);
        }
        WeightsCommand.Resolved resolved = weights == null ? null : WeightsCommand.resolveWithEntry(weights, err);
        ImportedModel keras = resolved == null ? null : WeightsCommand.kerasNetwork(resolved, model);
        if (keras != null) {
            if (input != null) {
                throw new IllegalArgumentException("weights " + resolved.entry().id() + " come with their Keras network,"
                        + " whose input is fixed at " + keras.height() + "x" + keras.width() + "x" + keras.channels());
            }
            return new Base(keras.graph(), model + " + " + resolved.entry().id(),
                    new int[]{keras.height(), keras.width(), keras.channels()},
                    RunOptions.of(resolved.entry().preprocessing().supported(resolved.entry().id())),
                    "weights " + resolved.entry().id(), false);
        }
        Architecture<?> arch = Zoo.get(model).create();
        if (input != null) {
            int[] hwc = SummaryCommand.parseInput(input);
            arch.optInput(hwc[0], hwc[1], hwc[2]);
        }
        ComputationGraph graph = arch.optSeed(seed).init();
        String name = arch.name();
        Normalization normalization = null;
        String from = null;
        if (resolved != null) {
            Weights.load(graph, resolved.file());
            name = arch.name() + " + " + resolved.file().getFileName();
            if (resolved.entry() != null) {
                normalization = RunOptions.of(resolved.entry().preprocessing().supported(resolved.entry().id()));
                from = "weights " + resolved.entry().id();
            }
        }
        return new Base(graph, name, new int[]{arch.height(), arch.width(), arch.channels()}, normalization, from,
                resolved == null);
    }
}
