package org.cnnzoo.transfer;

import org.cnnzoo.common.Hashing;
import org.cnnzoo.augmentation.Pipeline;
import org.cnnzoo.augmentation.Spec;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.datasets.Seeds;
import org.cnnzoo.zoo.build.Stages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One transfer-learning run: choose what to train (regime), freeze the rest, put a new head on, train the head
 * from cached features, optionally fine-tune the last blocks through the network with augmentation, evaluate on
 * the test set, and write the run folder.
 */
public final class TransferJob {

    /** What to run. Required: {@code base}, {@code baseName}, {@code input}, {@code train}, {@code test}. */
    public static final class Options {
        public ComputationGraph base;
        /** The base's stages (its builder's); null: read from its vertex names. */
        public Stages stages;
        public String baseName;
        public int[] input;                                  // height, width, channels
        public ImageSource train;
        public ImageSource validation;                       // may be null: fixed epochs, no early stopping
        public ImageSource test;
        public Normalization normalization = Normalization.IMAGENET;
        public Head head = Head.LINEAR;
        public String regime = "auto";
        public String freezeUntil;                            // overrides the regime's choice
        /** The base has random weights (a zoo network without --weights): auto trains it whole. */
        public boolean randomBase;
        public int finetuneBlocks;
        public int epochs = 30;
        public int finetuneEpochs = 10;
        public int patience = 5;
        public double learningRate = 1e-3;
        /** Fine-tuning's learning rate; null: a tenth of the head's, so pretrained features move little. */
        public Double finetuneLearningRate;
        public String augment;                                // used for fine-tuning, full training and views
        public int augmentViews;
        public Path cache;
        public Path out;
        /** Replace an existing run at {@code out} (once the new one is complete); else such a run is refused. */
        public boolean overwrite;
        public long seed = 42;
        public int batchSize = 32;
        public int threads = Runtime.getRuntime().availableProcessors();
        public String command = "";
        public Progress progress = Progress.NONE;
    }

    /** The trained model and what was measured. */
    public record Result(ComputationGraph model, RunInfo info, Metrics metrics, List<Trainer.History> history,
                         double seconds) {
    }

    private TransferJob() {
    }

    public static Result run(Options o) throws IOException {
        long t0 = System.nanoTime();
        if (o.out != null) {
            Runs.checkOutput(o.out, o.overwrite);
        }
        List<String> classes = o.train.classes();
        Pipeline pipeline = o.augment == null || o.augment.isBlank() ? null : Spec.parse(o.augment);
        if (o.augmentViews > 0 && pipeline == null) {
            throw new IllegalArgumentException("--augment-views needs --augment SPEC");
        }
        Regime.Choice choice = choose(o);
        Regime regime = choice.regime();
        // FULL from random weights trains everything from the start; every other regime trains the head on
        // frozen features first, then fine-tunes (PARTIAL, FULL, or --finetune-blocks) and keeps the better
        boolean scratch = regime == Regime.FULL && o.randomBase && o.freezeUntil == null;
        String frozenUntil = scratch ? null
                : o.freezeUntil != null ? TransferGraph.resolve(o.base, stages(o), o.freezeUntil) : TransferGraph.penultimate(o.base);
        String finetuneFrom = scratch ? null : finetuneCut(o, regime);
        o.progress.message("regime " + regime.name().toLowerCase() + ": " + choice.reason()
                + (scratch ? "; nothing frozen" : "; frozen up to " + frozenUntil
                + (finetuneFrom == null ? "" : ", then fine-tuned " + (finetuneFrom.isEmpty() ? "whole"
                : "after " + finetuneFrom) + " if that validates better")));
        if (o.randomBase && !scratch) {
            o.progress.message("warning: the base network has random weights, so its frozen layers compute random"
                    + " features; give --weights, or --regime full to train it whole");
        }
        Nd4j.getRandom().setSeed(o.seed);
        ComputationGraph net = TransferGraph.build(o.base.clone(), classes.size(), o.head, frozenUntil,
                new Adam(o.learningRate), o.seed);
        List<Trainer.History> history = new ArrayList<>();
        String weights = weightsHash(o.base);

        if (frozenUntil != null) {
            TransferLearningHelper helper = new TransferLearningHelper(net);
            FeatureCache cache = new FeatureCache(o.cache);
            List<Path> trainShards = new ArrayList<>();
            for (int view = 0; view <= o.augmentViews; view++) {
                trainShards.addAll(features(cache, helper, o, o.train, frozenUntil, weights, view == 0 ? null : pipeline, view));
            }
            DataSetIterator train = new CachedFeatures(trainShards, classes, true, o.seed, o.batchSize);
            DataSetIterator val = o.validation == null ? null : new CachedFeatures(
                    features(cache, helper, o, o.validation, frozenUntil, weights, null, 0), classes, false, o.seed, o.batchSize);
            ComputationGraph head = helper.unfrozenGraph();
            String phase = frozenUntil.equals(TransferGraph.penultimate(o.base)) ? "head" : "after " + frozenUntil;
            history.add(Trainer.fit(phase, head, train, val, o.epochs, o.patience, o.progress));
            copyLayers(head, net);
        } else {
            history.add(Trainer.fit("full", net, images(o, o.train, pipeline, true), images(o, o.validation, null, false),
                    o.epochs, o.patience, o.progress));
        }

        String finetuned = null;
        if (finetuneFrom != null) {
            String cut = finetuneFrom.isEmpty() ? null : finetuneFrom;
            ComputationGraph ft = TransferGraph.build(o.base.clone(), classes.size(), o.head, cut,
                    new Adam(finetuneRate(o)), o.seed);
            if (ft.numParams() != net.numParams()) {
                throw new IllegalStateException("fine-tuning graph does not match the trained one");
            }
            ft.setParams(net.params());
            ImageIterator ftTrain = images(o, o.train, pipeline, true);
            o.progress.message("fine-tuning " + (cut == null ? "the whole network" : "after " + cut) + ": about "
                    + minutes(estimateSeconds(ft, ftTrain, o.finetuneEpochs)) + " for at most " + o.finetuneEpochs
                    + " epoch(s) (one batch timed)");
            Trainer.History fine = Trainer.fit("fine-tune", ft, ftTrain, images(o, o.validation, null, false),
                    o.finetuneEpochs, o.patience, o.progress);
            history.add(fine);
            String what = (cut == null ? "whole network" : "after " + cut) + ", at lr " + finetuneRate(o);
            Trainer.Epoch before = history.get(0).best();
            Trainer.Epoch after = fine.best();
            if (o.validation == null) {
                net = ft;
                finetuned = what + "; kept (no validation data to compare it with the head alone)";
            } else if (better(after, before)) {
                net = ft;
                finetuned = String.format(java.util.Locale.ROOT, "%s; kept: validation accuracy %.4f after fine-tuning"
                        + " against %.4f for the head alone", what, after.validationAccuracy(), before.validationAccuracy());
            } else {
                finetuned = String.format(java.util.Locale.ROOT, "%s; NOT kept: validation accuracy %.4f after"
                        + " fine-tuning against %.4f for the head alone, so the head-alone model was kept", what,
                        after.validationAccuracy(), before.validationAccuracy());
            }
            o.progress.message("fine-tuning " + finetuned);
        }

        Metrics metrics = Metrics.evaluate(net, images(o, o.test, null, false), classes, 5);
        RunInfo info = new RunInfo(o.baseName, weights, classes, o.input[0], o.input[1], o.input[2], o.normalization,
                o.head.toString(), regime.name().toLowerCase(), choice.reason(), frozenUntil, finetuned,
                o.train.fingerprint(), pipeline == null ? null : pipeline.spec(), o.command, Instant.now().toString())
                .withStages(stages(o).on(net));
        if (o.out != null) {
            Runs.save(o.out, net, info, metrics, history);
        }
        return new Result(net, info, metrics, history, (System.nanoTime() - t0) / 1e9);
    }

    /** The regime: the user's, else from the images per class, else FULL for a network with random weights. */
    static Regime.Choice choose(Options o) {
        if (o.freezeUntil != null) {
            return new Regime.Choice(Regime.parse(o.regime.equalsIgnoreCase("auto") ? "head" : o.regime),
                    "frozen up to " + o.freezeUntil + " as given");
        }
        if (!o.regime.equalsIgnoreCase("auto")) {
            return new Regime.Choice(Regime.parse(o.regime), "chosen by the user");
        }
        if (o.randomBase) {
            return new Regime.Choice(Regime.FULL, "the base network has random weights: frozen layers would compute"
                    + " random features, so the whole network is trained");
        }
        return Regime.auto((double) o.train.size() / o.train.classes().size());
    }

    /** The learning rate of fine-tuning: as set, else a tenth of the head's. */
    public static double finetuneRate(Options o) {
        return o.finetuneLearningRate != null ? o.finetuneLearningRate : o.learningRate / 10;
    }

    /** The base's stages as its builder made them, else as its names say. */
    public static Stages stages(Options o) {
        return o.stages != null ? o.stages.on(o.base) : Stages.byNames(o.base);
    }

    /**
     * Where fine-tuning after the head freezes up to: null for none, "" for the whole network. --freeze-until
     * fine-tunes only with --finetune-blocks; PARTIAL the last --finetune-blocks blocks (at least one); FULL all.
     */
    private static String finetuneCut(Options o, Regime regime) {
        if (o.freezeUntil != null) {
            return o.finetuneBlocks > 0 ? TransferGraph.freezeForTrainableBlocks(o.base, stages(o), o.finetuneBlocks) : null;
        }
        if (regime == Regime.FULL) {
            return "";
        }
        if (regime == Regime.PARTIAL || o.finetuneBlocks > 0) {
            return TransferGraph.freezeForTrainableBlocks(o.base, stages(o), Math.max(1, o.finetuneBlocks));
        }
        return null;
    }

    /** Higher validation accuracy, or the same accuracy and a lower loss. */
    static boolean better(Trainer.Epoch candidate, Trainer.Epoch incumbent) {
        if (candidate.validationAccuracy() != incumbent.validationAccuracy()) {
            return candidate.validationAccuracy() > incumbent.validationAccuracy();
        }
        return candidate.validationLoss() < incumbent.validationLoss();
    }

    /**
     * Seconds for {@code epochs} epochs over {@code data}, from one timed forward and backward pass of its first
     * batch (the second of two, so start-up costs are left out). Gradients are computed, not applied, and the
     * parameters are restored.
     */
    static double estimateSeconds(ComputationGraph net, ImageIterator data, int epochs) {
        data.reset();
        if (!data.hasNext()) {
            return 0;
        }
        org.nd4j.linalg.dataset.DataSet batch = data.next();
        data.reset();
        // batch-norm running statistics are parameters in DL4J: whatever a training-mode pass touches is put back
        INDArray before = net.params().dup();
        net.setInputs(batch.getFeatures());
        net.setLabels(batch.getLabels());
        double seconds = 0;
        for (int i = 0; i < 2; i++) {
            long t = System.nanoTime();
            net.computeGradientAndScore();
            seconds = (System.nanoTime() - t) / 1e9;
        }
        net.clear();
        net.setParams(before);
        return seconds * data.batchCount() * epochs;
    }

    static String minutes(double seconds) {
        return seconds < 90 ? String.format(java.util.Locale.ROOT, "%.0f s", seconds)
                : String.format(java.util.Locale.ROOT, "%.1f min", seconds / 60);
    }

    /**
     * The cached activations at {@code cut} of {@code data} (one augmented view, or the plain images when
     * {@code pipeline} is null), computed now for the shards that are missing.
     */
    public static List<Path> features(FeatureCache cache, TransferLearningHelper helper, Options o, ImageSource data,
                                       String cut, String weights, Pipeline pipeline, int view) throws IOException {
        FeatureCache.Key key = new FeatureCache.Key(o.baseName, weights, cut, normalizationText(o.normalization),
                o.input[0] + "x" + o.input[1] + "x" + o.input[2], data.fingerprint(),
                pipeline == null ? "" : pipeline.spec(), view, o.batchSize);
        ImageIterator it = ImageIterator.builder(data).batchSize(o.batchSize).input(o.input[0], o.input[1], o.input[2])
                .normalization(o.normalization).augmenter(pipeline).seed(Seeds.mix(o.seed, view)).threads(o.threads)
                .build();
        return cache.ensure(key, it, helper, o.progress);
    }

    /**
     * Copies the trained layers of the helper's unfrozen subgraph into the full graph: the subgraph holds copies,
     * which DL4J's own fitFeaturized also copies back after training.
     */
    public static void copyLayers(ComputationGraph from, ComputationGraph into) {
        for (var vertex : from.getVertices()) {
            if (vertex.hasLayer() && vertex.getLayer().numParams() > 0) {
                into.getLayer(vertex.getVertexName()).setParams(vertex.getLayer().params());
            }
        }
    }

    static ImageIterator images(Options o, ImageSource data, Pipeline pipeline, boolean shuffle) {
        if (data == null) {
            return null;
        }
        return ImageIterator.builder(data).batchSize(o.batchSize).input(o.input[0], o.input[1], o.input[2])
                .normalization(o.normalization).augmenter(pipeline).shuffle(shuffle).seed(o.seed).threads(o.threads)
                .build();
    }

    static String normalizationText(Normalization n) {
        return n.name() + java.util.Arrays.toString(n.mean()) + java.util.Arrays.toString(n.std());
    }

    /** SHA-256 of a network's parameters (little-endian floats): identifies the weights a run started from. */
    public static String weightsHash(ComputationGraph net) {
        MessageDigest digest = Hashing.digest("SHA-256");
        long n = net.params().length();
        INDArray params = net.params().reshape(n);
        int chunk = 1 << 20;
        ByteBuffer buffer = ByteBuffer.allocate(chunk * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long start = 0; start < n; start += chunk) {
            int len = (int) Math.min(chunk, n - start);
            float[] values = params.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, start + len)).toFloatVector();
            buffer.clear();
            buffer.asFloatBuffer().put(values);
            digest.update(buffer.array(), 0, len * 4);
        }
        return Hashing.hex(digest.digest());
    }
}
