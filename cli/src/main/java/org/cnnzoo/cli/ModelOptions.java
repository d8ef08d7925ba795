package org.cnnzoo.cli;

import org.cnnzoo.transfer.Runs;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.weights.ImportedModel;
import org.cnnzoo.zoo.weights.Weights;
import org.cnnzoo.zoo.weights.WeightsEntry;
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
     * A loaded network, the name it goes by in records and feature-cache keys, its input (H, W, C), and the
     * preprocessing its weights expect when they are a known store entry (else null).
     */
    record Base(ComputationGraph graph, String name, int[] input, WeightsEntry.Preprocessing preprocessing) {
    }

    Base load(long seed, PrintWriter err) throws IOException {
        Path path = Path.of(model);
        if (weights != null && (Files.isDirectory(path) || Files.isRegularFile(path))) {
            throw new IllegalArgumentException("--weights goes with a zoo network name; " + model + " already has its weights");
        }
        if (Files.isDirectory(path)) {
            Runs.Loaded run = Runs.load(path);
            return new Base(run.model(), path.toString(),
                    new int[]{run.info().height(), run.info().width(), run.info().channels()}, null);
        }
        if (Files.isRegularFile(path)) {
            ImportedModel imported = ImportedModel.load(path);
            if (input == null && imported.height() == 0) {
                throw new IllegalArgumentException("--model " + model + " is a file: give its input size with --input H,W,C");
            }
            int[] hwc = input != null ? SummaryCommand.parseInput(input)
                    : new int[]{imported.height(), imported.width(), imported.channels()};
            return new Base(imported.graph(), path.toString(), hwc, null);
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
                    resolved.entry().preprocessing().supported(resolved.entry().id()));
        }
        Architecture<?> arch = Zoo.get(model).create();
        if (input != null) {
            int[] hwc = SummaryCommand.parseInput(input);
            arch.optInput(hwc[0], hwc[1], hwc[2]);
        }
        ComputationGraph graph = arch.optSeed(seed).init();
        String name = arch.name();
        WeightsEntry.Preprocessing preprocessing = null;
        if (resolved != null) {
            Weights.load(graph, resolved.file());
            name = arch.name() + " + " + resolved.file().getFileName();
            if (resolved.entry() != null) {
                preprocessing = resolved.entry().preprocessing().supported(resolved.entry().id());
            }
        }
        return new Base(graph, name, new int[]{arch.height(), arch.width(), arch.channels()}, preprocessing);
    }
}
