package org.cnnzoo.cli;

import org.cnnzoo.datasets.DataSources;
import org.cnnzoo.datasets.ImageFolder;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.datasets.Splits;
import org.cnnzoo.transfer.Head;
import org.cnnzoo.transfer.Metrics;
import org.cnnzoo.transfer.Runs;
import org.cnnzoo.transfer.Trainer;
import org.cnnzoo.transfer.TransferJob;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.Zoo;
import org.deeplearning4j.util.ModelSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code cnnzoo transfer}: a network adapted to the user's classes. */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = "Adapt a network to new classes: freeze, cache features, train a new head, optionally fine-tune;"
                + " writes a run folder with the model, metrics, curves and confusion matrix.")
final class TransferCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME|FILE|RUN",
            description = "A zoo network (randomly initialised), a DL4J model zip, or a run folder from an earlier transfer.")
    String model;

    @Option(names = "--weights", paramLabel = "FILE|ID", description = "Weights for a zoo network: .safetensors (torchvision/timm key names), a DL4J .zip, or an id from 'cnnzoo weights list'.")
    String weights;

    @Option(names = "--data", required = true, paramLabel = "SOURCE", description = "Training data: " + DataSources.HELP + ".")
    String data;

    @Option(names = "--test", paramLabel = "SOURCE", description = "Test data (default: the source's test part, or a split of --data).")
    String test;

    @Option(names = "--split", paramLabel = "TRAIN,VAL,TEST", description = "Ratios when splitting --data (default 0.8,0.1,0.1; without a test part 0.9,0.1,0 of the training part).")
    String split;

    @Option(names = "--input", paramLabel = "H,W,C", description = "Network input (default: the zoo network's; required for a model file).")
    String input;

    @Option(names = "--regime", description = "auto, head, partial or full (default auto: chosen by images per class).")
    String regime = "auto";

    @Option(names = "--freeze-until", paramLabel = "VERTEX|BLOCK", description = "Freeze up to this vertex or block (overrides the regime).")
    String freezeUntil;

    @Option(names = "--trainable-blocks", paramLabel = "K", description = "Freeze all but the last K blocks before the head (overrides the regime).")
    Integer trainableBlocks;

    @Option(names = "--head", description = "linear or mlp:HIDDEN[:DROPOUT] (default linear).")
    String head = "linear";

    @Option(names = "--epochs", description = "Maximum epochs of head (or full) training (default 30).")
    int epochs = 30;

    @Option(names = "--patience", description = "Early stopping: epochs without validation improvement (default 5).")
    int patience = 5;

    @Option(names = "--finetune-blocks", paramLabel = "K", description = "Then fine-tune the last K blocks (default 0: none).")
    int finetuneBlocks;

    @Option(names = "--finetune-epochs", description = "Fine-tuning epochs (default 10).")
    int finetuneEpochs = 10;

    @Option(names = "--lr", description = "Learning rate of the head (default 1e-3); fine-tuning uses a tenth.")
    double learningRate = 1e-3;

    @Option(names = "--augment", paramLabel = "SPEC", description = "Augmentation for fine-tuning and extra views, e.g. flip:0.5,crop:0.5-1.0")
    String augment;

    @Option(names = "--augment-views", paramLabel = "K", description = "Cache K augmented views of each training image (default 0).")
    int augmentViews;

    @Option(names = "--normalization", description = "imagenet, unit or symmetric (default imagenet).")
    String normalization = "imagenet";

    @Option(names = "--batch", description = "Batch size (default 32).")
    int batch = 32;

    @Option(names = "--seed", description = "Seed (default 42).")
    long seed = 42;

    @Option(names = "--cache", paramLabel = "DIR", description = "Feature cache (default $CNNZOO_HOME/cache or ~/.cnnzoo/cache).")
    Path cache;

    @Option(names = "--out", required = true, paramLabel = "RUN", description = "Run folder to write.")
    Path out;

    @Option(names = "--offline", description = "Never download data.")
    boolean offline;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            TransferJob.Options o = new TransferJob.Options();
            loadModel(o);
            o.normalization = normalization(normalization);
            o.head = Head.parse(head);
            o.regime = regime;
            if (freezeUntil != null && trainableBlocks != null) {
                throw new IllegalArgumentException("give --freeze-until or --trainable-blocks, not both");
            }
            o.freezeUntil = trainableBlocks != null
                    ? org.cnnzoo.transfer.TransferGraph.freezeForTrainableBlocks(o.base, trainableBlocks) : freezeUntil;
            o.epochs = epochs;
            o.patience = patience;
            o.finetuneBlocks = finetuneBlocks;
            o.finetuneEpochs = finetuneEpochs;
            o.learningRate = learningRate;
            o.finetuneLearningRate = learningRate / 10;
            o.augment = augment;
            o.augmentViews = augmentViews;
            o.batchSize = batch;
            o.seed = seed;
            o.cache = cache != null ? cache : CnnzooHome.cache();
            o.out = this.out;
            o.command = "cnnzoo " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            o.progress = new ConsoleProgress(err);
            splitData(o, err);
            TransferJob.Result r = TransferJob.run(o);
            o.progress.finish();
            out.printf("regime: %s (%s)%n", r.info().regime(), r.info().regimeReason());
            for (Trainer.History h : r.history()) {
                out.printf("%s: %d epoch(s), kept epoch %d, %.1f s%n", h.phase(), h.epochs().size(), h.bestEpoch(), h.seconds());
            }
            Metrics m = r.metrics();
            out.printf("test: %d images, accuracy %.4f, top-%d %.4f%n", m.examples(), m.accuracy(), m.topK(), m.topKAccuracy());
            out.printf("wrote %s (model.zip, run.json, metrics.json, curves.png, confusion.png)%n", this.out);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private void loadModel(TransferJob.Options o) throws IOException {
        Path path = Path.of(model);
        if (weights != null && (Files.isDirectory(path) || Files.isRegularFile(path))) {
            throw new IllegalArgumentException("--weights goes with a zoo network name; " + model + " already has its weights");
        }
        if (Files.isDirectory(path)) {
            Runs.Loaded run = Runs.load(path);
            o.base = run.model();
            o.baseName = path.toString();
            o.input = new int[]{run.info().height(), run.info().width(), run.info().channels()};
            return;
        }
        if (Files.isRegularFile(path)) {
            if (input == null) {
                throw new IllegalArgumentException("--model " + model + " is a file: give its input size with --input H,W,C");
            }
            o.base = ModelSerializer.restoreComputationGraph(path.toFile(), false);
            o.baseName = path.toString();
            o.input = SummaryCommand.parseInput(input);
            return;
        }
        Architecture<?> arch = Zoo.get(model).create();
        if (input != null) {
            int[] hwc = SummaryCommand.parseInput(input);
            arch.optInput(hwc[0], hwc[1], hwc[2]);
        }
        o.base = arch.optSeed(seed).init();
        if (weights != null) {
            Path file = WeightsCommand.resolve(weights, spec.commandLine().getErr());
            org.cnnzoo.zoo.weights.Weights.load(o.base, file);
            o.baseName = arch.name() + " + " + file.getFileName();
        }
        o.baseName = arch.name();
        o.input = new int[]{arch.height(), arch.width(), arch.channels()};
    }

    /** Training, validation and test sets from --data, --test and --split. */
    private void splitData(TransferJob.Options o, PrintWriter err) throws IOException {
        ImageSource all = DataSources.open(data, Part.TRAIN, offline);
        if (all instanceof ImageFolder f && f.warning() != null) {
            err.println("warning: " + f.warning());
        }
        ImageSource testSource = null;
        if (test != null) {
            testSource = DataSources.open(test, Part.TEST, offline);
        } else if (!(all instanceof ImageFolder)) {
            testSource = DataSources.open(data, Part.TEST, offline);
        }
        double[] r = split != null ? DatasetCommand.ratios(split)
                : testSource == null ? new double[]{0.8, 0.1, 0.1} : new double[]{0.9, 0.1, 0};
        Splits.Split parts = Splits.stratified(all, r[0], r[1], r[2], seed);
        o.train = parts.train();
        o.validation = parts.validation().size() > 0 ? parts.validation() : null;
        o.test = testSource != null ? testSource : parts.test();
        if (o.test.size() == 0) {
            throw new IllegalArgumentException("no test images: give --test SOURCE or a --split with a test ratio");
        }
        if (!o.test.classes().equals(o.train.classes())) {
            throw new IllegalArgumentException("the test data's classes " + o.test.classes() + " differ from the training"
                    + " data's " + o.train.classes());
        }
    }

    static Normalization normalization(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "imagenet" -> Normalization.IMAGENET;
            case "unit" -> Normalization.UNIT;
            case "symmetric" -> Normalization.SYMMETRIC;
            default -> throw new IllegalArgumentException("--normalization is imagenet, unit or symmetric, not '" + name + "'");
        };
    }
}
