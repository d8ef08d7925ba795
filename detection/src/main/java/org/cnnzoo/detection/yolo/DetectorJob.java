package org.cnnzoo.detection.yolo;

import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.detection.Anchor;
import org.cnnzoo.detection.AnchorClustering;
import org.cnnzoo.detection.LabelledBox;
import org.cnnzoo.detection.data.DetectionData;
import org.cnnzoo.detection.data.DetectionSample;
import org.cnnzoo.detection.data.DetectionSet;
import org.cnnzoo.detection.data.EmbeddedDetection;
import org.cnnzoo.detection.models.Detectors;
import org.cnnzoo.detection.models.TinyYolo;
import org.cnnzoo.transfer.InputSpec;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.Runs;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.load.LoadedModel;
import org.cnnzoo.zoo.load.ModelLoader;
import org.cnnzoo.zoo.load.ModelRequest;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Training a detector from start to run folder, what {@code cnnzoo train-detector} runs: the data read (the
 * training set's every tenth picture held out for validation; a test set indexed by the training set's classes),
 * the backbone loaded as any model is (a zoo network with or without weights, a run, an imported file), anchors
 * chosen by k-means over the training boxes at the detector's grid, the network trained with a checkpoint after each
 * epoch in {@code OUT.training/}, then evaluated and written to {@code OUT} at once.
 *
 * @param data         the training data ({@code embedded}, {@code voc:DIR[:SPLIT]}, {@code coco:...}, {@code yolo:DIR})
 * @param test         the test data; null: the embedded set's test canvases for {@code embedded}, else none
 * @param trainPictures train on only the first N training pictures (0: all): a label-scarce run, with the same
 *                     validation pictures as a full one
 * @param backbone     a model reference: zoo name, run folder, model file
 * @param weights      a weights reference for a zoo backbone, or null (random: training from scratch)
 * @param features     the stage or vertex to cut the backbone at, or null for before its final pooling
 * @param frozenUntil  a stage or vertex up to which the backbone is not trained, or null
 * @param input        the detector's input (channels must be the backbone's), or null for 96x96 on the embedded
 *                     set and 416x416 otherwise, with the backbone's channels
 * @param normalization the user's normalisation, or null for what the backbone records (else ImageNet's)
 */
public record DetectorJob(String data, String test, int trainPictures, String backbone, String weights,
                          String features, String frozenUntil, InputShape input, Normalization normalization,
                          int anchors, int hidden, double learningRate, DetectorTraining.Settings settings) {

    /** The input side for labelled photos when none is given: YOLOv2's. */
    public static final int DEFAULT_SIDE = 416;

    public DetectorJob {
        if (anchors < 1 || hidden < 1 || !(learningRate > 0) || trainPictures < 0) {
            throw new IllegalArgumentException("anchors, head channels and learning rate must be positive");
        }
    }

    /** What a finished job gives. */
    public record Result(YoloDetector detector, List<DetectorTraining.Epoch> history, DetectorRuns.Report report) {
    }

    /**
     * @param resume continue the checkpoint in {@code OUT.training/} (the same job must be given)
     * @throws IllegalArgumentException before any work when {@code out} holds a run and not {@code overwrite}
     */
    public Result run(Path out, boolean overwrite, boolean resume, ModelRequest base, Progress progress)
            throws IOException {
        Path work = Runs.trainingFolder(out, overwrite, resume);
        DetectionSet all = DetectionData.open(data, Part.TRAIN, null);
        all.warnings().forEach(w -> progress.message(all.name() + ": " + w));
        DetectionSet[] split = all.holdOut(10);
        if (trainPictures > 0 && trainPictures < split[0].size()) {
            split[0] = new DetectionSet(split[0].name() + ", first " + trainPictures, all.classes(),
                    split[0].samples().subList(0, trainPictures), all.warnings());
        }
        DetectionSet testSet = test != null ? DetectionData.open(test, Part.TEST, all.classes())
                : data.equals("embedded") ? DetectionData.open("embedded", Part.TEST, all.classes()) : null;
        if (testSet != null) {
            testSet.warnings().forEach(w -> progress.message(testSet.name() + ": " + w));
            requireApart(all, testSet);
        }
        progress.message(String.format("data: %d training pictures (%d objects), %d validation%s", split[0].size(),
                split[0].objects(), split[1].size(), testSet == null ? "" : "; test " + testSet.size() + " pictures"));

        Adam updater = new Adam(learningRate);
        Prepared prepared = Detectors.has(backbone) && !Zoo.has(backbone)
                ? darknet(split[0], all.classes(), updater, progress)
                : onBackbone(base, split[0], all.classes(), updater, progress);
        DetectorSpec spec = prepared.spec();
        ComputationGraph graph = prepared.graph();
        List<DetectorTraining.Epoch> history = List.of();
        org.nd4j.linalg.api.ndarray.INDArray bestSoFar = null;
        if (resume && DetectorRuns.isDetector(work)) {
            YoloDetector saved = DetectorRuns.load(work);
            if (!DetectorRuns.JSON.writeValueAsString(saved.spec()).equals(DetectorRuns.JSON.writeValueAsString(spec))) {
                throw new IllegalArgumentException(work + " was started with other settings (" + saved.spec()
                        + "); resume with the same command, or delete it");
            }
            graph = saved.graph();
            history = DetectorRuns.history(work);
            if (java.nio.file.Files.isRegularFile(work.resolve("best.npy"))) {
                bestSoFar = org.cnnzoo.zoo.weights.Npy.read(work.resolve("best.npy"));
            }
            progress.message("resuming " + work + " after epoch " + history.size());
        }
        Files.createDirectories(work);
        long t0 = System.nanoTime();
        ComputationGraph trained = graph;
        DetectorTraining.Trained done = DetectorTraining.train(graph, spec, split[0], split[1], settings, history,
                bestSoFar, (g, h, best) -> DetectorRuns.writeCheckpoint(work, g, spec, h, best), progress);
        List<DetectorTraining.Epoch> epochs = done.epochs();
        double seconds = (System.nanoTime() - t0) / 1e9;
        YoloDetector detector = new YoloDetector(trained, spec);
        DetectionMetrics validation = DetectionMetrics.evaluate(detector, split[1], settings.batch());
        DetectionMetrics tested = testSet == null ? null : DetectionMetrics.evaluate(detector, testSet, settings.batch());
        List<String> warnings = new ArrayList<>(all.warnings());
        if (testSet != null) {
            warnings.addAll(testSet.warnings());
        }
        DetectorRuns.Report report = new DetectorRuns.Report(done.bestEpoch(), validation, tested, warnings,
                settings.augment().toString(), settings.batch(), learningRate, seconds);
        AtomicFiles.replaceFolder(out, tmp -> DetectorRuns.writeRun(tmp, trained, spec, epochs, report));
        AtomicFiles.deleteTree(work);
        return new Result(detector, epochs, report);
    }

    /**
     * Refuses a test set that shares a picture with the training data (validation included), by content: test
     * pictures are never trained or validated on, whatever the options name.
     */
    static void requireApart(DetectionSet train, DetectionSet test) throws IOException {
        java.util.Map<String, String> seen = new java.util.HashMap<>();
        for (DetectionSample s : train.samples()) {
            seen.put(fingerprint(s), s.id());
        }
        for (DetectionSample s : test.samples()) {
            String twin = seen.get(fingerprint(s));
            if (twin != null) {
                throw new IllegalArgumentException("the test data " + test.name() + " has the picture " + s.id()
                        + ", which is also training data (" + twin + " in " + train.name() + "); give a --test that"
                        + " shares no picture with --data");
            }
        }
    }

    private static String fingerprint(DetectionSample s) throws IOException {
        return s.file() != null ? org.cnnzoo.common.Hashing.sha256(s.file())
                : org.cnnzoo.common.Hashing.hex(org.cnnzoo.common.Hashing.digest("SHA-256").digest(s.pixels().pixels()));
    }

    /** A network ready to train and what its run records. */
    private record Prepared(ComputationGraph graph, DetectorSpec spec) {
    }

    /** The input side when none is given. */
    private int side() {
        return data.equals("embedded") ? EmbeddedDetection.SIDE : DEFAULT_SIDE;
    }

    /** A YOLO head on a loaded network, cut before its pooling or where asked. */
    private Prepared onBackbone(ModelRequest base, DetectionSet train, List<String> classes, Adam updater,
                                Progress progress) throws IOException {
        boolean zoo = Zoo.has(backbone);
        LoadedModel loaded = ModelLoader.load(base.withWeights(weights).withInput(zoo ? input : null)
                .withSeed(settings.seed()));
        loaded.notes().forEach(n -> progress.message(loaded.name() + ": " + n));
        InputShape in = input != null ? input : new InputShape(side(), side(), loaded.input().channels());
        if (loaded.input().channels() != in.channels()) {
            throw new IllegalArgumentException("--input " + in + " has " + in.channels() + " channels but the"
                    + " backbone " + loaded.name() + " takes " + loaded.input().channels());
        }
        var p = loaded.preprocessing();
        Normalization n = normalization(p == null ? null : Normalization.of("recorded", p.mean(), p.std()),
                loaded.name(), progress);
        // the grid comes from the cut network at this input; anchors are then chosen for it
        List<Anchor> placeholder = new ArrayList<>();
        for (int i = 0; i < anchors; i++) {
            placeholder.add(new Anchor(1 + i, 1 + i));
        }
        YoloNetwork.Built probe = YoloNetwork.build(loaded.graph(), loaded.stages(), features, loaded.input(), in,
                placeholder, classes.size(), hidden, frozenUntil, updater, settings.seed());
        List<Anchor> chosen = anchors(train, probe.rows(), probe.columns(), anchors, settings.seed());
        progress.message("cut at " + probe.features() + ": a " + probe.rows() + "x" + probe.columns() + " grid; anchors "
                + describe(chosen));
        ComputationGraph graph = YoloNetwork.build(loaded.graph(), loaded.stages(), features, loaded.input(), in, chosen,
                classes.size(), hidden, frozenUntil, updater, settings.seed()).graph();
        return new Prepared(graph, new DetectorSpec(loaded.name(), probe.features(), in, n, chosen, classes,
                probe.rows(), probe.columns(), YoloNetwork.HEAD));
    }

    /** Darknet's Tiny YOLOv2, built here and trained from scratch (no Darknet weights are reachable offline). */
    private Prepared darknet(DetectionSet train, List<String> classes, Adam updater, Progress progress)
            throws IOException {
        if (!(Detectors.get(backbone).create() instanceof TinyYolo yolo) || !yolo.trainable()) {
            throw new IllegalArgumentException(backbone + " is run with its published weights, not trained here;"
                    + " train tiny_yolo_v2, or a YOLO head on a backbone (a zoo network, a run)");
        }
        if (weights != null || features != null || frozenUntil != null) {
            throw new IllegalArgumentException(backbone + " is trained whole from scratch: leave out --weights,"
                    + " --features and --freeze-until");
        }
        InputShape in = input != null ? input : new InputShape(side(), side(), 3);
        yolo.optInput(in.height(), in.width(), in.channels()).optClasses(classes.size()).optSeed(settings.seed())
                .optUpdater(updater);
        int rows = yolo.grid().rows();
        int columns = yolo.grid().columns();
        List<Anchor> chosen = anchors(train, rows, columns, anchors, settings.seed());
        progress.message(backbone + ": a " + rows + "x" + columns + " grid; anchors " + describe(chosen));
        Normalization n = normalization(null, backbone, progress);
        return new Prepared(yolo.optAnchors(chosen).init(), new DetectorSpec(backbone, null, in, n, chosen, classes,
                rows, columns, TinyYolo.head()));
    }

    /** Anchors as width x height in grid cells. */
    static String describe(List<Anchor> anchors) {
        return String.join(", ", anchors.stream().map(a -> String.format(java.util.Locale.ROOT, "%.2fx%.2f", a.width(),
                a.height())).toList()) + " (cells)";
    }

    private Normalization normalization(Normalization recorded, String by, Progress progress) {
        InputSpec.Chosen n = InputSpec.normalization(normalization, recorded, by);
        if (n.why() != null) {
            progress.message(n.why());
        }
        return n.normalization();
    }

    /** YOLOv2's anchors for a dataset: k-means (1 - IoU) over its boxes' shapes in grid cells. */
    static List<Anchor> anchors(DetectionSet train, int rows, int columns, int k, long seed) throws IOException {
        List<Anchor> shapes = new ArrayList<>();
        for (DetectionSample s : train.samples()) {
            int[] size = s.pixels() != null ? new int[]{s.pixels().width(), s.pixels().height()}
                    : new int[]{s.image().width(), s.image().height()};
            for (LabelledBox o : s.objects()) {
                shapes.add(new Anchor(o.box().width() / size[0] * columns, o.box().height() / size[1] * rows));
            }
        }
        if (shapes.size() < k) {
            throw new IllegalArgumentException("the training data has " + shapes.size() + " boxes, too few for " + k
                    + " anchors; give fewer --anchors or more data");
        }
        return AnchorClustering.kMeans(shapes, k, seed);
    }

    /** A run folder's detector, for {@code detect}. */
    public static YoloDetector load(Path run) throws IOException {
        return DetectorRuns.load(run);
    }

}
