package org.cnnzoo.cli;

import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.transfer.TransferGraph;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.build.Stages;
import org.cnnzoo.zoo.load.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;

/** The network a command starts from: {@code --model}, {@code --weights}, {@code --input}. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "NAME|FILE|RUN",
            description = "A zoo network (randomly initialised unless --weights), a run folder, a DL4J model zip, a"
                    + " Keras .h5 or a TF.js model.json.")
    String model;

    @Option(names = "--weights", paramLabel = "ID|FILE", description = "Weights for a zoo network: an id or alias from"
            + " 'cnnzoo weights list' (NAME alone or NAME.DEFAULT: torchvision's default), a PyTorch .pth, a"
            + " .safetensors (torchvision/timm key names), a DL4J .zip, or a SHA-256 of a stored file.")
    String weights;

    @Option(names = "--input", paramLabel = "H,W,C", converter = Values.Input.class,
            description = "Network input (default: the weights' crop, else the network's; required for a model file"
                    + " that does not say).")
    InputShape input;

    /**
     * A loaded network as transfer and search start from it: the name it goes by in records and feature-cache
     * keys, its input, the normalisation it was trained with when something records it (a run folder, a known
     * weights entry; else null) and where that came from, and whether its weights are random.
     */
    record Base(ComputationGraph graph, String name, InputShape input, Normalization normalization,
                String normalizationFrom, boolean random, Stages stages) {
    }

    Base load(long seed, PrintWriter err) throws IOException {
        LoadedModel m = Loading.load(model, weights, input, null, seed, err);
        ComputationGraph graph = m.graph();
        if (m.kind().imported() || m.backboneOnly()) {
            // their own classifier chain (Keras/TF.js dense layers, or VGG FEATURES' NaN classifier) goes
            TransferGraph.Features cut = TransferGraph.withoutClassifier(graph);
            err.println(cut.dropped().isEmpty() ? "features of " + m.name() + ": up to " + cut.featureVertex()
                    : "features of " + m.name() + ": up to " + cut.featureVertex() + " (its own classifier layers "
                    + String.join(", ", cut.dropped()) + " are replaced by the new head)");
            graph = cut.graph();
        }
        Normalization normalization = m.preprocessing() == null ? null
                : Normalization.of("weights", m.preprocessing().mean(), m.preprocessing().std());
        return new Base(graph, m.name(), m.input(), normalization, m.preprocessingFrom(), m.randomWeights(),
                m.stages().on(graph));
    }
}
