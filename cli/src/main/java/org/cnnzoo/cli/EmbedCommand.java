package org.cnnzoo.cli;

import org.cnnzoo.common.Home;
import org.cnnzoo.datasets.ClassBalance;
import org.cnnzoo.datasets.DataSources;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.faces.metric.EmbeddingJob;
import org.cnnzoo.faces.metric.OneShot;
import org.cnnzoo.faces.metric.TripletLoss;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.load.ModelRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cnnzoo embed}: an embedding trained with a metric loss, measured one-shot on classes it never saw. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Train an embedding (a Siamese network: one network for every image) with the triplet or"
                + " contrastive loss, or a softmax classifier as the baseline, on some classes; measure N-way one-shot"
                + " accuracy, ROC AUC and equal-error rate on the other classes, beside raw pixels. Writes a run folder.")
final class EmbedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME|RUN|FILE", description = "The backbone: a zoo"
            + " network (with --weights, or from scratch without), a transfer run folder, a model file, or an embedding"
            + " run (trained on with this command's --loss, its backbone and embedding layer kept).")
    String model;

    @Option(names = "--weights", paramLabel = "ID|FILE", description = "Weights of a zoo backbone (see 'cnnzoo weights list').")
    String weights;

    @Option(names = "--data", required = true, paramLabel = "SOURCE", description = DataSources.HELP + ".")
    String data;

    @Option(names = "--train-classes", split = ",", paramLabel = "NAME", description = "Classes to train on (default:"
            + " the first half of the data's classes).")
    List<String> trainClasses = List.of();

    @Option(names = "--eval-classes", split = ",", paramLabel = "NAME", description = "Classes to evaluate one-shot on,"
            + " never trained on (default: all the others).")
    List<String> evalClasses = List.of();

    @Option(names = "--eval-data", paramLabel = "SOURCE", description = "Evaluate one-shot on another dataset's"
            + " classes not trained on (default: the test part of --data).")
    String evalData;

    @Option(names = "--loss", description = "triplet, contrastive, softmax, or triplet+softmax (both trained"
            + " together); default triplet.")
    String loss = "triplet";

    @Option(names = "--mining", description = "For triplet: all (every violating triplet of the batch) or hard (each"
            + " anchor's hardest positive and negative) or semi-hard (FaceNet's: per pair, the nearest negative further"
            + " than the positive); default all.")
    String mining = "all";

    @Option(names = "--margin", paramLabel = "M|soft", description = "The loss's margin (default 0.2 for triplet,"
            + " 1.0 for contrastive); for triplet also 'soft': log(1 + e^x) in place of max(x + M, 0).")
    String margin;

    @Option(names = "--size", converter = Values.Positive.class, description = "Embedding dimensions (default 64).")
    int size = 64;

    @Option(names = "--features", paramLabel = "STAGE|VERTEX", description = "Where the backbone's features are taken"
            + " (default: its classifier's input); pooled if still a grid.")
    String features;

    @Option(names = "--freeze-until", paramLabel = "STAGE|VERTEX", description = "Do not train the backbone up to"
            + " here; up to the features themselves, they are computed once into the feature cache.")
    String freezeUntil;

    @Option(names = "--input", converter = Values.Input.class, paramLabel = "H,W,C", description = "Input of a zoo"
            + " network (default: its own).")
    InputShape input;

    @Option(names = "--normalization", description = "imagenet, unit or symmetric (default: what the backbone records,"
            + " else imagenet).")
    String normalization;

    @Option(names = "--epochs", converter = Values.Positive.class, description = "Epochs (default 10).")
    int epochs = 10;

    @Option(names = "--batch", converter = Values.Positive.class, description = "Batch size; pairs and triplets are"
            + " formed within a batch (default 64).")
    int batch = 64;

    @Option(names = "--lr", converter = Values.LearningRate.class, description = "Adam's learning rate (default 1e-3).")
    double learningRate = 1e-3;

    @Option(names = "--episodes", converter = Values.Positive.class, description = "One-shot episodes per N (default 2000).")
    int episodes = 2000;

    @Option(names = "--seed", description = "Seed of initialisation, order and episodes (default 42).")
    long seed = 42;

    @Option(names = "--offline", description = "Never download (Fashion-MNIST, weights).")
    boolean offline;

    @Option(names = "--per-class", paramLabel = "K", description = "With --loss triplet or contrastive: batches of batch/K classes with"
            + " K images each (PK sampling), so every anchor has K-1 positives; default 0: batches in a random order.")
    int perClass;

    @Option(names = "--views", paramLabel = "AUGMENTATION", description = "With --loss triplet: train on pairs of"
            + " augmented views instead of classes, each image its own class (instance discrimination), the views"
            + " drawn by AUGMENTATION (as --augment's, e.g. crop:0.5-1.0,flip:0.5).")
    String views;

    @Option(names = "--cache", paramLabel = "DIR", description = "Feature cache folder (default ~/.cnnzoo/cache).")
    Path cache;

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
        boolean triplet = loss.equals("triplet") || loss.equals("triplet+softmax");
        if (views != null && !loss.equals("triplet")) {
            throw new IllegalArgumentException("--views goes with --loss triplet");
        }
        if (views != null && perClass != 0) {
            throw new IllegalArgumentException("--views and --per-class are two ways to fill a batch; give one");
        }
        if (!triplet && !loss.equals("contrastive") && perClass != 0) {
            throw new IllegalArgumentException("--per-class goes with --loss triplet or contrastive");
        }
        if (!triplet && !mining.equals("all")) {
            throw new IllegalArgumentException("--mining goes with --loss triplet");
        }
        if (loss.equals("softmax") && margin != null) {
            throw new IllegalArgumentException("--margin goes with --loss triplet or contrastive");
        }
        EmbeddingJob.Triplet tripletLoss = new EmbeddingJob.Triplet(margin == null || margin.equals("soft")
                ? TripletLoss.MARGIN : margin(margin), switch (mining) {
            case "all" -> TripletLoss.Mining.ALL;
            case "hard" -> TripletLoss.Mining.HARD;
            case "semi-hard" -> TripletLoss.Mining.SEMI_HARD;
            default -> throw new IllegalArgumentException("--mining is all, hard or semi-hard, not '" + mining + "'");
        }, perClass, "soft".equals(margin));
        EmbeddingJob.Objective objective = switch (loss) {
            case "triplet" -> views == null ? tripletLoss
                    : new EmbeddingJob.Views(tripletLoss, org.cnnzoo.augmentation.Spec.parse(views));
            case "triplet+softmax" -> new EmbeddingJob.TripletWithSoftmax(tripletLoss);
            case "contrastive" -> new EmbeddingJob.Contrastive(margin == null
                    ? org.cnnzoo.faces.metric.ContrastiveLoss.MARGIN : margin(margin), perClass);
            case "softmax" -> new EmbeddingJob.Softmax();
            default -> throw new IllegalArgumentException("--loss is triplet, triplet+softmax, contrastive or softmax,"
                    + " not '" + loss + "'");
        };
        ConsoleProgress progress = new ConsoleProgress(err);
        EmbeddingJob job = new EmbeddingJob(data, trainClasses, evalData, evalClasses, model, weights, features, freezeUntil,
                input, normalization == null ? null : Normalization.named(normalization), size, objective, epochs, batch,
                learningRate, seed, episodes, offline, cache != null ? cache : Home.cache());
        ModelRequest base = new ModelRequest(model, null, null, null, seed, Loading.store(),
                Loading.fetching(weights == null ? model : weights, err));
        EmbeddingJob.Result r = job.run(this.out, overwrite, resume, base, progress);
        progress.finish();
        var report = r.report();
        out.printf(Locale.ROOT, "trained %d epochs in %.1f s; kept epoch %d (best validation one-shot accuracy)%n",
                r.history().size(), report.trainingSeconds(), report.keptEpoch());
        out.printf(Locale.ROOT, "one-shot on unseen classes %s%s (%d images, %d episodes per N):%n",
                ClassBalance.names(report.evaluationClasses()), evalData == null ? "" : " of " + evalData, report.embedding().examples(),
                report.episodes());
        print(out, "embedding (" + r.embedder().spec().objective() + ")", report.embedding());
        print(out, "raw pixels (baseline)", report.pixels());
        out.printf("wrote %s (model.zip, embedding.json, history.json, metrics.json, curves.png)%n", this.out);
        return 0;
    }

    /** A number for --margin ('soft' is read where the triplet loss is made). */
    private static double margin(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--margin is a positive number, or 'soft' with --loss triplet, not '"
                    + text + "'");
        }
    }

    static void print(PrintWriter out, String what, OneShot.Report r) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-44s", what));
        for (OneShot.Episodes e : r.oneShot()) {
            line.append(String.format(Locale.ROOT, " %d-way %.3f (%.3f-%.3f)", e.ways(), e.accuracy(), e.low(), e.high()));
        }
        line.append(String.format(Locale.ROOT, "  AUC %.3f  EER %.3f", r.verification().auc(), r.verification().eer()));
        out.println(line);
    }
}
