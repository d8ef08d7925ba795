package org.cnnzoo.cli;

import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.transfer.Backbone;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.load.LoadedModel;
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
     * A loaded network as transfer and search start from it, with its input and the normalisation it was trained
     * with when something records it (a run folder, a known weights entry; else null) and where that came from.
     */
    record Base(Backbone backbone, InputShape input, Normalization normalization, String normalizationFrom) {
    }

    Base load(long seed, PrintWriter err) throws IOException {
        LoadedModel m = Loading.load(model, weights, input, null, seed, err);
        Normalization normalization = m.preprocessing() == null ? null
                : Normalization.of("weights", m.preprocessing().mean(), m.preprocessing().std());
        return new Base(Backbone.of(m), m.input(), normalization, m.preprocessingFrom());
    }
}
