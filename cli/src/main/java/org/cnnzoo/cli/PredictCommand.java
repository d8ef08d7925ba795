package org.cnnzoo.cli;

import org.cnnzoo.transfer.Predictor;
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

    @Option(names = "--model", paramLabel = "RUN", description = "A run folder written by 'cnnzoo transfer' or 'cnnzoo demo'.")
    Path model;

    @Option(names = "--ensemble", split = ",", paramLabel = "RUN1,RUN2,...", description = "Average several runs (with the same classes).")
    List<Path> ensemble = new ArrayList<>();

    @Option(names = "--crops", description = "1 (centre), 5 (corners + centre) or 10 (and their mirrors); default 1.")
    int crops = 1;

    @Option(names = "--top", description = "How many classes to show (default 5).")
    int top = 5;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files.")
    List<Path> images;

    @Override
    public void run() {
        List<Path> runs = new ArrayList<>(ensemble);
        if (model != null) {
            runs.add(0, model);
        }
        if (runs.isEmpty()) {
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
