package org.cnnzoo.cli;

import org.cnnzoo.datasets.ImageFolder;
import org.cnnzoo.transfer.Engine;
import org.cnnzoo.transfer.InputSpec;
import org.cnnzoo.transfer.Metrics;
import org.cnnzoo.transfer.Predictor;
import org.cnnzoo.transfer.RunInfo;
import org.cnnzoo.transfer.RunFolders;
import org.cnnzoo.transfer.Runs;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.load.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
import java.util.concurrent.Callable;

/** {@code cnnzoo predict}: the top classes of images, with multi-crop and ensembles. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict the classes of images with a trained run; probabilities averaged over crops and models."
                + " With --data, measure the model on a labelled folder instead (here or with --spark on Apache Spark).")
final class PredictCommand implements Callable<Integer> {

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

    @Option(names = "--weights", paramLabel = "ID|FILE", description = "With a zoo name: ImageNet weights, an id or alias"
            + " from 'cnnzoo weights list' (e.g. resnet50 for torchvision's default) or a .pth / .safetensors file.")
    String weights;

    @Option(names = "--ensemble", split = ",", paramLabel = "RUN1,RUN2,...", description = "Average several runs (with the same classes).")
    List<Path> ensemble = new ArrayList<>();

    @Option(names = "--crops", description = "1 (centre), 5 (corners + centre, no mirrors) or 10 (and their mirror images);"
            + " default 1. Mirrors help on photos but can hurt where left and right matter (digits, text): in notebook 05"
            + " 10 crops scored 0.600 against 0.750 for 1; compare with --crops 5 (no mirrors).")
    int crops = 1;

    @Option(names = "--top", converter = Values.Positive.class, description = "How many classes to show (default 5).")
    int top = 5;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Image files.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR", description = "Measure the model on a labelled folder (one sub-folder"
            + " per class of the model, named as in training): accuracy, top-5, per-class precision, recall and F1,"
            + " confusion matrix. Images are prepared as 'cnnzoo transfer' tests them (shorter side to the input,"
            + " centre crop).")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "With --data: write metrics.json and confusion.png there"
            + " (refused if it holds files, unless --overwrite).")
    Path reports;

    @Option(names = "--overwrite", description = "Replace the reports at --out.")
    boolean overwrite;

    @Option(names = "--batch", converter = Values.Positive.class, description = "With --data: images per batch (default 32).")
    int batch = 32;

    @Mixin
    SparkOptions spark;

    /**
     * Any model reference as something to predict with: a run, a zoo network with its weights (their
     * preprocessing and ImageNet's classes), or a Keras / TF.js file with the labels and normalisation given.
     */
    Runs.Loaded predictable(String reference, String weightsArg) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        LoadedModel m = Loading.load(reference, weightsArg, null, null, 42, err);
        if (!m.kind().imported()) {
            Runs.Loaded run = RunFolders.forPrediction(m, null, null);
            if (m.kind() == LoadedModel.Kind.ZOO) {
                RunInfo i = run.info();
                err.printf("preprocessing (from %s): shorter side to %d (%s), centre %dx%d, mean %s, std %s%n",
                        m.preprocessingFrom(), i.resize(), i.interpolation() == null ? "bilinear" : i.interpolation(),
                        i.height(), i.width(), java.util.Arrays.toString(i.normalization().mean()),
                        java.util.Arrays.toString(i.normalization().std()));
            }
            return run;
        }
        if (normalization == null) {
            throw new IllegalArgumentException("--model " + reference + " is a model file: say how its training images"
                    + " were scaled with --normalization imagenet|unit|symmetric");
        }
        return RunFolders.forPrediction(m, org.cnnzoo.datasets.Normalization.named(normalization), classNames(Path.of(reference)));
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

    /** --data: the model's metrics on a labelled folder, computed here or on Spark, printed and written. */
    private int measure() throws IOException {
        if (model == null || !ensemble.isEmpty() || crops != 1 || !images.isEmpty()) {
            throw new IllegalArgumentException("--data measures one --model on a folder: leave out --ensemble, --crops"
                    + " and image files");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (reports != null) {
            Runs.checkOutput(reports, overwrite);
        }
        Runs.Loaded run = predictable(model, weights);
        RunInfo info = run.info();
        ImageFolder folder = ImageFolder.scan(data);
        if (!folder.classes().equals(info.classes())) {
            throw new IllegalArgumentException("--data " + data + " has the classes " + folder.classes() + " but the"
                    + " model knows " + info.classes() + ": give a folder with one sub-folder per class of the model");
        }
        if (folder.warning() != null) {
            err.println("warning: " + folder.warning());
        }
        Engine.Pass pass = new Engine.Pass(folder, new InputSpec(new InputShape(info.height(), info.width(),
                info.channels()), info.normalization()), null, 42, batch, run.model(),
                run.model().getConfiguration().getNetworkOutputs().get(0));
        Metrics m;
        try (Engine engine = spark.start(err)) {
            m = Metrics.measure(pass, info.classes(), 5, engine, Runtime.getRuntime().availableProcessors());
        }
        out.printf("%s: %d images, accuracy %.4f%s%n", data, m.examples(), m.accuracy(),
                m.topK() > 0 ? String.format(", top-%d %.4f", m.topK(), m.topKAccuracy()) : "");
        for (Metrics.PerClass c : m.classes()) {
            out.printf("  %-24s precision %.4f  recall %.4f  F1 %.4f  (%d images)%n", c.name(), c.precision(),
                    c.recall(), c.f1(), c.support());
        }
        if (reports != null) {
            org.cnnzoo.common.AtomicFiles.replaceFolder(reports, tmp -> Runs.writeReports(tmp, m));
            out.printf("wrote %s (metrics.json, confusion.png)%n", reports);
        }
        return 0;
    }

    @Override
    public Integer call() throws Exception {
        if (model == null && ensemble.isEmpty()) {
            throw new IllegalArgumentException("give --model RUN|NAME|FILE or --ensemble RUN1,RUN2");
        }
        if (weights != null && model == null) {
            throw new IllegalArgumentException("--weights goes with --model NAME (a zoo network)");
        }
        for (Path image : images) {
            if (!Files.isRegularFile(image)) {
                throw new IllegalArgumentException(image + " is not a file");
            }
        }
        if (data != null) {
            return measure();
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("give image files to predict, or --data DIR to measure the model on a"
                    + " labelled folder");
        }
        if (spark.master != null || reports != null) {
            throw new IllegalArgumentException((spark.master != null ? "--spark" : "--out") + " goes with --data DIR"
                    + " (a labelled folder measured as a whole)");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Runs.Loaded> loaded = new ArrayList<>();
        if (model != null) {
            loaded.add(predictable(model, weights));
        }
        for (Path r : ensemble) {
            loaded.add(predictable(r.toString(), null));
        }
        for (Predictor.Prediction p : Predictor.predict(loaded, images, crops, top)) {
            out.println(p.image());
            for (Predictor.Scored s : p.top()) {
                out.printf("  %-24s %.4f%n", s.label(), s.probability());
            }
        }
        return 0;
    }
}
