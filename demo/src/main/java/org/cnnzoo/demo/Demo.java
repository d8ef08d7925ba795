package org.cnnzoo.demo;

import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.datasets.DataPlan;
import org.cnnzoo.transfer.Backbone;
import org.cnnzoo.transfer.FineTuning;
import org.cnnzoo.transfer.Head;
import org.cnnzoo.transfer.HeadTraining;
import org.cnnzoo.transfer.InputSpec;
import org.cnnzoo.transfer.RunSettings;
import org.cnnzoo.transfer.Metrics;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.RunInfo;
import org.cnnzoo.transfer.Runs;
import org.cnnzoo.transfer.Trainer;
import org.cnnzoo.transfer.TransferJob;
import org.cnnzoo.transfer.TransferPlan;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.datasets.EmbeddedFashionMnist;
import org.cnnzoo.datasets.FashionMnist;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.datasets.Splits;
import org.cnnzoo.zoo.models.ResNet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The main job: transfer learning shown on the Fashion-MNIST subset inside the jar, offline.
 *
 * <ol>
 *   <li>A backbone (ResNet-18 at Fashion-MNIST's own 28x28 grey) is trained on the five source classes: T-shirt,
 *   trouser, pullover, dress, coat.</li>
 *   <li>It is transferred to the five target classes (sandal, shirt, sneaker, bag, ankle boot) with only 10 and with
 *   50 labelled images per class: features cached, head trained, then the last block fine-tuned.</li>
 *   <li>The same network is trained from random initialisation on the same labels.</li>
 * </ol>
 * Every model is tested on the 500 target-class test images; a table and a report folder are written.
 */
public final class Demo {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    public static final List<String> SOURCE = FashionMnist.CLASSES.subList(0, 5);
    public static final List<String> TARGET = FashionMnist.CLASSES.subList(5, 10);
    public static final InputShape INPUT = new InputShape(28, 28, 1);
    /**
     * A small MLP head. At the demo's settings it scores within 1.5 points of a linear head (0.780 vs 0.770 with
     * 10 labels per class, 0.874 vs 0.888 with 50; {@code bench/run.sh DemoHeads}).
     */
    static final Head HEAD = Head.mlp(128, 0.5);
    public static final String AUGMENT = "flip:0.5,crop:0.7-1.0";

    /** How long to train: the full demo or the quick one the tests run. */
    public record Budget(int backboneEpochs, int headEpochs, int finetuneEpochs, int scratchEpochs, int[] labels) {
        public static final Budget FULL = new Budget(3, 60, 5, 25, new int[]{10, 50});
        public static final Budget QUICK = new Budget(1, 10, 1, 3, new int[]{10});
    }

    /** One line of the table. */
    public record Row(int labelsPerClass, String method, double accuracy, double seconds) {
    }

    private Demo() {
    }

    public static List<Row> run(Path out, Budget budget, long seed, Progress progress) throws IOException {
        ImageSource train = EmbeddedFashionMnist.load(Part.TRAIN);
        ImageSource test = EmbeddedFashionMnist.load(Part.TEST);
        Path cache = out.resolve("feature-cache");

        progress.message("1. backbone: ResNet-18 (28x28 grey) on the source classes " + SOURCE);
        long t0 = System.nanoTime();
        Nd4j.getRandom().setSeed(seed);
        ComputationGraph backbone = ResNet.resnet18().optInput(INPUT.height(), INPUT.width(), INPUT.channels()).optClasses(SOURCE.size())
                .optSeed(seed).optUpdater(new Adam(1e-3)).init();
        ImageSource sourceTrain = Splits.classes(train, SOURCE);
        Trainer.History backboneHistory = Trainer.fit("backbone", backbone, iterator(sourceTrain, AUGMENT, true, seed),
                null, budget.backboneEpochs(), budget.backboneEpochs(), progress);
        Metrics sourceMetrics = Metrics.evaluate(backbone, iterator(Splits.classes(test, SOURCE), null, false, seed),
                SOURCE, 1);
        double backboneSeconds = (System.nanoTime() - t0) / 1e9;
        // kept as a run folder so that 'cnnzoo transfer' and 'cnnzoo search' can start from it
        Runs.save(out.resolve("backbone"), backbone, new RunInfo("resnet18", null, SOURCE, INPUT.height(), INPUT.width(), INPUT.channels(),
                Normalization.UNIT, "linear", "full", "trained from random initialisation on the source classes", null,
                null, sourceTrain.fingerprint(), AUGMENT, "cnnzoo demo", java.time.Instant.now().toString())
                .withStages(ResNet.resnet18().stages()), sourceMetrics, List.of(backboneHistory));
        progress.message(String.format("   backbone accuracy on the source test images: %.3f (%.0f s)",
                sourceMetrics.accuracy(), backboneSeconds));

        ImageSource targetTest = Splits.classes(test, TARGET);
        List<Row> rows = new ArrayList<>();
        for (int labels : budget.labels()) {
            ImageSource few = Splits.perClass(Splits.classes(train, TARGET), labels, seed);
            progress.message("2. " + labels + " labelled images per target class " + TARGET);

            TransferPlan plan = plan(Backbone.of(backbone, "resnet18-fashion-mnist-source")
                    .withStages(ResNet.resnet18().stages()), few, targetTest, cache, seed, progress);
            TransferPlan headOnly = plan.withFinetune(plan.finetune().withRegime("head"))
                    .withHead(plan.head().withEpochs(budget.headEpochs()))
                    .withRun(plan.run().withOut(out.resolve("transfer-" + labels + "-head"), true));
            TransferJob.Result head = TransferJob.run(headOnly);
            rows.add(new Row(labels, "transfer: head on cached features", head.metrics().accuracy(), head.seconds()));

            TransferPlan finetuned = headOnly
                    .withFinetune(headOnly.finetune().withBlocks(1).withEpochs(budget.finetuneEpochs()))
                    .withRun(plan.run().withOut(out.resolve("transfer-" + labels + "-finetune"), true));
            TransferJob.Result finetune = TransferJob.run(finetuned);
            rows.add(new Row(labels, "transfer: head + fine-tune last block", finetune.metrics().accuracy(),
                    finetune.seconds()));

            progress.message("3. the same network from random initialisation, same " + labels + " labels per class");
            ComputationGraph fresh = ResNet.resnet18().optInput(INPUT.height(), INPUT.width(), INPUT.channels())
                    .optClasses(SOURCE.size()).optSeed(seed).init();
            // trained whole from the first epoch, not head first
            TransferPlan scratch = plan(Backbone.of(fresh, "resnet18-fashion-mnist-source")
                    .withStages(ResNet.resnet18().stages()).withRandom(true), few, targetTest, cache, seed, progress);
            scratch = scratch.withFinetune(scratch.finetune().withRegime("full"))
                    .withHead(scratch.head().withEpochs(budget.scratchEpochs()))
                    .withRun(scratch.run().withOut(out.resolve("scratch-" + labels), true));
            TransferJob.Result fromScratch = TransferJob.run(scratch);
            rows.add(new Row(labels, "from scratch (random init)", fromScratch.metrics().accuracy(), fromScratch.seconds()));
        }
        Summary summary = new Summary(backboneSeconds, sourceMetrics.accuracy(), rows);
        AtomicFiles.write(out.resolve("demo.json"), tmp -> JSON.writeValue(tmp.toFile(), summary));
        return rows;
    }

    /** What the demo measured, as written to demo.json. */
    public record Summary(double backboneSeconds, double backboneSourceAccuracy, List<Row> rows) {
    }

    /** The demo's settings: no validation part, batches of 25, its augmentation, its own report folders. */
    private static TransferPlan plan(Backbone backbone, ImageSource train, ImageSource test, Path cache, long seed,
                                     Progress progress) {
        return new TransferPlan(backbone, new InputSpec(INPUT, Normalization.UNIT),
                new DataPlan.Parts(train, null, test, "Fashion-MNIST's test part"),
                HeadTraining.DEFAULT.withHead(HEAD).withLearningRate(1e-3),
                FineTuning.DEFAULT.withLearningRate(1e-4).withAugment(AUGMENT, 0),
                RunSettings.in(cache).withSeed(seed).withBatchSize(25).withCommand("cnnzoo demo").withProgress(progress));
    }

    public static ImageIterator iterator(ImageSource data, String augment, boolean shuffle, long seed) {
        return ImageIterator.builder(data).batchSize(50).input(INPUT.height(), INPUT.width(), INPUT.channels())
                .normalization(Normalization.UNIT)
                .augmenter(augment == null ? null : org.cnnzoo.augmentation.Spec.parse(augment))
                .shuffle(shuffle).seed(seed).build();
    }

    /** The table as text. */
    public static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder(String.format("%-8s  %-40s  %9s  %8s%n", "labels", "method", "accuracy", "time"));
        for (Row r : rows) {
            s.append(String.format("%-8s  %-40s  %9.3f  %7.1fs%n", r.labelsPerClass() + "/class", r.method(),
                    r.accuracy(), r.seconds()));
        }
        return s.toString();
    }
}
