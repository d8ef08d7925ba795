package org.cnnzoo.cli;

import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.detection.yolo.DetectionAugment;
import org.cnnzoo.detection.yolo.DetectionMetrics;
import org.cnnzoo.detection.yolo.DetectorJob;
import org.cnnzoo.detection.yolo.DetectorTraining;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.load.ModelRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cnnzoo train-detector}: a YOLOv2 detector on any backbone, trained on detection labels. */
@Command(name = "train-detector", mixinStandardHelpOptions = true,
        description = "Train a YOLOv2 detector: a backbone (zoo network, run or model file) cut before its pooling, a"
                + " YOLO head, anchors by k-means; writes a run folder with the model, history, mAP and curves.")
final class TrainDetectorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "SPEC", description = "embedded (default: Fashion-MNIST items on 96x96"
            + " canvases), voc:DIR[:SPLIT], coco:FILE.json[:IMAGES_DIR] or yolo:DIR.")
    String data = "embedded";

    @Option(names = "--test", paramLabel = "SPEC", description = "Test data in the same forms (default: the embedded"
            + " set's test canvases with --data embedded, else none).")
    String test;

    @Option(names = "--train-pictures", converter = Values.Positive.class, paramLabel = "N", description = "Train on"
            + " only the first N training pictures (few labels); validation and test stay the same.")
    Integer trainPictures;

    @Option(names = "--backbone", required = true, paramLabel = "NAME|RUN|FILE", description = "A zoo network (with"
            + " --weights, or trained from scratch without), a run folder, a model file; or tiny_yolo_v2 (Darknet's Tiny"
            + " YOLOv2, trained whole from scratch).")
    String backbone;

    @Option(names = "--weights", paramLabel = "ID|FILE", description = "Weights of a zoo backbone (see 'cnnzoo weights list').")
    String weights;

    @Option(names = "--features", paramLabel = "STAGE|VERTEX", description = "Cut the backbone here (default: before"
            + " its final pooling); an earlier stage gives a finer grid, e.g. layer3 of a ResNet (stride 16).")
    String features;

    @Option(names = "--freeze-until", paramLabel = "STAGE|VERTEX", description = "Do not train the backbone up to here.")
    String freezeUntil;

    @Option(names = "--input", converter = Values.Input.class, paramLabel = "H,W,C", description = "Detector input"
            + " (default: 96x96 for embedded, 416x416 otherwise, with the backbone's channels).")
    InputShape input;

    @Option(names = "--normalization", description = "imagenet, unit or symmetric (default: what the backbone records,"
            + " else imagenet).")
    String normalization;

    @Option(names = "--anchors", converter = Values.Positive.class, description = "Anchor boxes per cell, by k-means (default 5).")
    int anchors = 5;

    @Option(names = "--head-channels", converter = Values.Positive.class, description = "Channels of the head's 3x3"
            + " convolution (default 128).")
    int hidden = 128;

    @Option(names = "--epochs", converter = Values.Positive.class, description = "Epochs (default 20).")
    int epochs = 20;

    @Option(names = "--batch", converter = Values.Positive.class, description = "Batch size (default 16).")
    int batch = 16;

    @Option(names = "--lr", converter = Values.LearningRate.class, description = "Adam's learning rate (default 1e-3).")
    double learningRate = 1e-3;

    @Option(names = "--augment", paramLabel = "SPEC", description = "flip:P,crop:MIN-1.0,expand:MAX or none (default"
            + " flip:0.5,crop:0.7-1.0); boxes move with the picture.")
    String augment = "flip:0.5,crop:0.7-1.0";

    @Option(names = "--seed", description = "Seed of initialisation, order and augmentation (default 42).")
    long seed = 42;

    @Option(names = "--out", required = true, paramLabel = "RUN", description = "Run folder to write (refused if it"
            + " holds files, unless --overwrite).")
    Path out;

    @Option(names = "--overwrite", description = "Replace the run at --out, once the new one is complete.")
    boolean overwrite;

    @Option(names = "--resume", description = "Continue an interrupted run of the same command (kept in OUT.training/).")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConsoleProgress progress = new ConsoleProgress(err);
        DetectorJob job = new DetectorJob(data, test, trainPictures == null ? 0 : trainPictures, backbone, weights, features, freezeUntil, input,
                normalization == null ? null : Normalization.named(normalization), anchors, hidden, learningRate,
                new DetectorTraining.Settings(epochs, batch, DetectionAugment.parse(augment), seed));
        ModelRequest base = new ModelRequest(backbone, null, null, null, seed, Loading.store(),
                Loading.fetching(weights == null ? backbone : weights, err));
        DetectorJob.Result r = job.run(this.out, overwrite, resume, base, progress);
        progress.finish();
        out.printf("trained %d epochs in %.1f s%s%n", r.history().size(), r.report().trainingSeconds(),
                r.report().keptEpoch() > 0 ? "; kept epoch " + r.report().keptEpoch() + " (best validation mAP@0.5)" : "");
        print(out, "validation", r.report().validation());
        if (r.report().test() != null) {
            print(out, "test", r.report().test());
        }
        out.printf("wrote %s (model.zip, detector.json, history.json, metrics.json, curves.png)%n", this.out);
        return 0;
    }


    static void print(PrintWriter out, String what, DetectionMetrics m) {
        out.printf("%s: %d pictures, %d objects: mAP@0.5 %.3f, COCO mAP@[.5:.95] %.3f%n", what, m.pictures(),
                m.objects(), m.map50(), m.cocoMap());
        for (Map.Entry<String, Double> e : m.ap50().entrySet()) {
            out.printf("  %-14s AP@0.5 %.3f%n", e.getKey(), e.getValue());
        }
    }
}
