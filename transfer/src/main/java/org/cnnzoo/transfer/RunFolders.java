package org.cnnzoo.transfer;

import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.build.Stages;
import org.cnnzoo.zoo.load.LoadedModel;
import org.cnnzoo.zoo.load.ModelRequest;
import org.cnnzoo.zoo.load.ModelSource;
import org.cnnzoo.zoo.weights.WeightsEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Run folders as model references for the zoo's loader: a run carries its network, classes, input and
 * normalisation, so a run used as a base or for prediction brings them along. Registered as a
 * {@link ModelSource} service.
 */
public final class RunFolders implements ModelSource {

    @Override
    public Optional<LoadedModel> load(Path path, ModelRequest request) throws IOException {
        if (!Files.isDirectory(path) || !Files.isRegularFile(path.resolve("run.json"))) {
            return Optional.empty();
        }
        Runs.Loaded run = Runs.load(path);
        RunInfo info = run.info();
        InputShape recorded = new InputShape(info.height(), info.width(), info.channels());
        List<String> notes = new ArrayList<>();
        InputShape input = recorded;
        if (request.input() != null && !request.input().equals(recorded)) {
            input = request.input();
            notes.add("input " + input + " from --input, overriding the " + recorded + " that " + path
                    + " was trained at");
        }
        Normalization n = info.normalization();
        WeightsEntry.Preprocessing preprocessing = new WeightsEntry.Preprocessing(info.resize(), input.height(),
                info.interpolation() == null ? "auto" : info.interpolation(), n.mean(), n.std(),
                input.channels() == 3 ? "RGB" : "GRAY", "0-1");
        // a run made before stages were recorded falls back to reading them from its vertex names
        Stages stages = info.stages() != null ? info.stages() : Stages.byNames(run.model());
        return Optional.of(new LoadedModel(run.model(), path.toString(), LoadedModel.Kind.RUN, input, preprocessing,
                "run " + path, info.classes(), null, path, false, false, stages, notes));
    }

    /**
     * A loaded model described as a run, for prediction: its classes and preprocessing must be known (a run, or a
     * zoo network with catalogue weights); {@code normalization} and {@code classes} supply them for imported files.
     *
     * @throws IllegalArgumentException when the model cannot predict: random weights, a backbone-only entry, no
     *                                  class names or no normalisation
     */
    public static Runs.Loaded forPrediction(LoadedModel m, Normalization normalization, List<String> classes) {
        if (m.randomWeights()) {
            throw new IllegalArgumentException("--model " + m.name() + " is a zoo network without weights: give them with"
                    + " --weights (a randomly initialised network predicts nothing useful)");
        }
        if (m.backboneOnly()) {
            throw new IllegalArgumentException("weights " + m.weights().id() + " are published for features only (their"
                    + " classifier is not usable): fine-tune them with 'cnnzoo transfer', or predict with "
                    + m.weights().architecture() + "'s other weights");
        }
        List<String> names = classes != null ? classes : m.classes();
        if (names == null) {
            throw new IllegalArgumentException("--model " + m.name() + " has no class names: give --labels FILE (one per line)");
        }
        WeightsEntry.Preprocessing p = m.preprocessing();
        Normalization n = normalization != null ? normalization
                : p != null ? Normalization.of("weights", p.mean(), p.std()) : null;
        if (n == null) {
            throw new IllegalArgumentException("--model " + m.name() + " does not record how its images were scaled:"
                    + " give --normalization imagenet|unit|symmetric");
        }
        int resize = p != null ? p.resize() : 0;
        String interpolation = p != null && !"auto".equals(p.interpolation()) ? p.interpolation() : null;
        RunInfo info = new RunInfo(m.name(), m.weightsFile() == null ? null : m.weightsFile().toString(), names,
                m.input().height(), m.input().width(), m.input().channels(), n, m.kind().name().toLowerCase(),
                null, null, null, null, null, null, "cnnzoo predict", Instant.now().toString(), resize, interpolation,
                m.stages());
        return new Runs.Loaded(m.weightsFile(), m.graph(), info);
    }
}
