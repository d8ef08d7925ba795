package org.cnnzoo.cli;

import org.cnnzoo.transfer.Predictor;
import org.cnnzoo.transfer.RunInfo;
import org.cnnzoo.transfer.Runs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code cnnzoo predict}: the top classes of images, with multi-crop and ensembles. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict the classes of images with a trained run; probabilities averaged over crops and models.")
final class PredictCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "RUN|NAME", description = "A run folder written by 'cnnzoo transfer' or 'cnnzoo demo', or a zoo network name with --weights.")
    String model;

    @Option(names = "--weights", paramLabel = "FILE|ID", description = "With a zoo name: ImageNet weights (.safetensors with torchvision/timm names, or an id from 'cnnzoo weights list').")
    String weights;

    @Option(names = "--ensemble", split = ",", paramLabel = "RUN1,RUN2,...", description = "Average several runs (with the same classes).")
    List<Path> ensemble = new ArrayList<>();

    @Option(names = "--crops", description = "1 (centre), 5 (corners + centre) or 10 (and their mirrors); default 1.")
    int crops = 1;

    @Option(names = "--top", description = "How many classes to show (default 5).")
    int top = 5;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files.")
    List<Path> images;

    /** A zoo network with ImageNet weights, described like a run (ImageNet classes and normalisation). */
    Runs.Loaded pretrained(String name, String weightsArg) throws IOException {
        if (weightsArg == null) {
            throw new IllegalArgumentException("--model " + name + " is a zoo network: give its weights with --weights FILE"
                    + " (a randomly initialised network predicts nothing useful)");
        }
        Path weights = WeightsCommand.resolve(weightsArg, spec.commandLine().getErr());
        org.cnnzoo.zoo.Architecture<?> arch = org.cnnzoo.zoo.Zoo.get(name).create();
        var graph = arch.init();
        org.cnnzoo.zoo.weights.Weights.load(graph, weights);
        RunInfo info = new RunInfo(name, weights.toString(), org.cnnzoo.zoo.weights.Weights.IMAGENET_CLASSES,
                arch.height(), arch.width(), arch.channels(), org.cnnzoo.datasets.Normalization.IMAGENET, "pretrained",
                null, null, null, null, null, null, "cnnzoo predict", java.time.Instant.now().toString());
        return new Runs.Loaded(weights, graph, info);
    }

    @Override
    public void run() {
        List<Path> runs = new ArrayList<>(ensemble);
        boolean zooName = model != null && !Files.exists(Path.of(model));
        if (model != null && !zooName) {
            runs.add(0, Path.of(model));
        }
        if (runs.isEmpty() && !zooName) {
            throw new IllegalArgumentException("give --model RUN or --ensemble RUN1,RUN2");
        }
        for (Path image : images) {
            if (!Files.isRegularFile(image)) {
                throw new IllegalArgumentException(image + " is not a file");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            List<Runs.Loaded> loaded = new ArrayList<>();
            if (zooName) {
                loaded.add(pretrained(model, weights));
            }
            for (Path r : runs) {
                loaded.add(Runs.load(r));
            }
            for (Predictor.Prediction p : Predictor.predict(loaded, images, crops, top)) {
                out.println(p.image());
                for (Predictor.Scored s : p.top()) {
                    out.printf("  %-24s %.4f%n", s.label(), s.probability());
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
