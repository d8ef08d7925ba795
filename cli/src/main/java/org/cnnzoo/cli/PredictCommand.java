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

    @Option(names = "--model", paramLabel = "RUN|NAME|FILE", description = "A run folder written by 'cnnzoo transfer' or"
            + " 'cnnzoo demo', a zoo network name with --weights, or a Keras .h5 / TF.js model.json (with --normalization"
            + " and labels).")
    String model;

    @Option(names = "--labels", paramLabel = "FILE", description = "With a model file: class names, one per line (default:"
            + " the labels of a metadata.json beside a TF.js model, as Teachable Machine writes).")
    Path labels;

    @Option(names = "--normalization", description = "With a model file: imagenet, unit or symmetric, as its training"
            + " images were scaled.")
    String normalization;

    @Option(names = "--weights", paramLabel = "FILE|ID", description = "With a zoo name: ImageNet weights (.safetensors with torchvision/timm names, or an id from 'cnnzoo weights list').")
    String weights;

    @Option(names = "--ensemble", split = ",", paramLabel = "RUN1,RUN2,...", description = "Average several runs (with the same classes).")
    List<Path> ensemble = new ArrayList<>();

    @Option(names = "--crops", description = "1 (centre), 5 (corners + centre, no mirrors) or 10 (and their mirror images);"
            + " default 1. Mirrors help on photos but can hurt where left and right matter (digits, text): in notebook 05"
            + " 10 crops scored 0.600 against 0.750 for 1; compare with --crops 5 (no mirrors).")
    int crops = 1;

    @Option(names = "--top", converter = Values.Positive.class, description = "How many classes to show (default 5).")
    int top = 5;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files.")
    List<Path> images;

    /** A zoo network with ImageNet weights, described like a run (ImageNet classes and normalisation). */
    Runs.Loaded pretrained(String name, String weightsArg) throws IOException {
        if (weightsArg == null) {
            throw new IllegalArgumentException("--model " + name + " is a zoo network: give its weights with --weights FILE"
                    + " (a randomly initialised network predicts nothing useful)");
        }
        WeightsCommand.Resolved resolved = WeightsCommand.resolveWithEntry(weightsArg, spec.commandLine().getErr());
        org.cnnzoo.zoo.Architecture<?> arch = org.cnnzoo.zoo.Zoo.get(name).create();
        org.cnnzoo.zoo.weights.ImportedModel keras = WeightsCommand.kerasNetwork(resolved, name);
        var graph = keras != null ? keras.graph() : arch.init();
        if (keras == null) {
            org.cnnzoo.zoo.weights.Weights.load(graph, resolved.file());
        }
        int h = keras != null ? keras.height() : arch.height();
        int w = keras != null ? keras.width() : arch.width();
        int c = keras != null ? keras.channels() : arch.channels();
        // the weights' own preprocessing when they are a known entry; else torchvision's, which every ImageNet
        // state dict with torchvision/timm names was trained with: shorter side to 8/7 of the input, centre crop
        var p = resolved.entry() == null ? null : resolved.entry().preprocessing().supported(resolved.entry().id());
        int resize = p != null ? (int) Math.round((double) p.resize() * h / p.crop()) : (int) Math.round(h * 8.0 / 7);
        var normalization = p != null ? RunOptions.of(p) : org.cnnzoo.datasets.Normalization.IMAGENET;
        spec.commandLine().getErr().printf("preprocessing (%s): shorter side to %d, centre %dx%d, mean %s, std %s%n",
                p != null ? "from weights " + resolved.entry().id() : "torchvision's, the weights are not a known entry",
                resize, h, w, java.util.Arrays.toString(normalization.mean()),
                java.util.Arrays.toString(normalization.std()));
        RunInfo info = new RunInfo(name, resolved.file().toString(), org.cnnzoo.zoo.weights.Weights.IMAGENET_CLASSES,
                h, w, c, normalization, "pretrained", null, null, null, null, null,
                null, "cnnzoo predict", java.time.Instant.now().toString(), resize);
        return new Runs.Loaded(resolved.file(), graph, info);
    }

    /** A Keras or TF.js file, described like a run from its labels and the normalisation the user names. */
    Runs.Loaded imported(Path file) throws IOException {
        if (normalization == null) {
            throw new IllegalArgumentException("--model " + file + " is a model file: say how its training images were"
                    + " scaled with --normalization imagenet|unit|symmetric");
        }
        org.cnnzoo.zoo.weights.ImportedModel m = org.cnnzoo.zoo.weights.ImportedModel.load(file);
        if (m.height() == 0) {
            throw new IllegalArgumentException(file + " does not say its input size; transfer or import it first");
        }
        List<String> names = classNames(file);
        RunInfo info = new RunInfo(file.toString(), null, names, m.height(), m.width(), m.channels(),
                RunOptions.normalization(normalization), "imported", null, null, null, null, null, null,
                "cnnzoo predict", java.time.Instant.now().toString());
        return new Runs.Loaded(file, m.graph(), info);
    }

    private List<String> classNames(Path file) throws IOException {
        if (labels != null) {
            return Files.readAllLines(labels).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        }
        Path metadata = file.resolveSibling("metadata.json");
        if (Files.isRegularFile(metadata)) {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(metadata.toFile()).path("labels");
            if (node.isArray() && node.size() > 0) {
                List<String> names = new ArrayList<>();
                node.forEach(n -> names.add(n.asText()));
                return names;
            }
        }
        throw new IllegalArgumentException("--model " + file + " has no class names: give --labels FILE (one per line)");
    }

    @Override
    public void run() {
        List<Path> runs = new ArrayList<>(ensemble);
        boolean zooName = model != null && !Files.exists(Path.of(model));
        if (zooName && !org.cnnzoo.zoo.Zoo.has(model)) {
            throw new IllegalArgumentException("--model " + model + " is neither a run folder, a model file nor a zoo"
                    + " network ('cnnzoo models' lists the networks)");
        }
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
                loaded.add(Files.isRegularFile(r) ? imported(r) : Runs.load(r));
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
