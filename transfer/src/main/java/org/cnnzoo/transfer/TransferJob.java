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

    /** The trained model and what was measured. */
    public record Result(ComputationGraph model, RunInfo info, Metrics metrics, List<Trainer.History> history,
                         double seconds) {
    }

    private TransferJob() {
    }

    public static Result run(TransferPlan o) throws IOException {
        long t0 = System.nanoTime();
        if (o.run().out() != null) {
            Runs.checkOutput(o.run().out(), o.run().overwrite());
        }
        List<String> classes = o.data().train().classes();
        Pipeline pipeline = pipeline(o);
        Regime.Choice choice = choose(o);
        Regime regime = choice.regime();
        String frozenUntil = frozenUntil(o, regime);
        boolean scratch = frozenUntil == null;
        String finetuneFrom = scratch ? null : finetuneCut(o, regime);
        o.run().progress().message("regime " + regime.name().toLowerCase() + ": " + choice.reason()
                + (scratch ? "; nothing frozen" : "; frozen up to " + frozenUntil
                + (finetuneFrom == null ? "" : ", then fine-tuned " + (finetuneFrom.isEmpty() ? "whole"
                : "after " + finetuneFrom) + " if that validates better")));
        if (o.backbone().random() && !scratch) {
            o.run().progress().message("warning: the base network has random weights, so its frozen layers compute random"
                    + " features; give --weights, or --regime full to train it whole");
        }
        ComputationGraph net = transferGraph(o, frozenUntil);
        List<Trainer.History> history = new ArrayList<>();
        String weights = weightsHash(o.backbone().graph());

        if (frozenUntil != null) {
            TransferLearningHelper helper = new TransferLearningHelper(net);
            Featurized cached = featurize(o, helper, frozenUntil, weights, pipeline);
            DataSetIterator train = new CachedFeatures(cached.train(), classes, true, o.run().seed(), o.run().batchSize());
            DataSetIterator val = cached.validation() == null ? null
                    : new CachedFeatures(cached.validation(), classes, false, o.run().seed(), o.run().batchSize());
            ComputationGraph head = helper.unfrozenGraph();
            String phase = frozenUntil.equals(TransferGraph.penultimate(o.backbone().graph())) ? "head" : "after " + frozenUntil;
            history.add(Trainer.fit(phase, head, train, val, o.head().epochs(), o.head().patience(), o.run().progress(),
                    o.run().engine()));
            copyLayers(head, net);
        } else {
            history.add(Trainer.fit("full", net, images(o, o.data().train(), pipeline, true), images(o, o.data().validation(), null, false),
                    o.head().epochs(), o.head().patience(), o.run().progress(), o.run().engine()));
        }

        String finetuned = null;
        if (finetuneFrom != null) {
            String cut = finetuneFrom.isEmpty() ? null : finetuneFrom;
            ComputationGraph ft = TransferGraph.build(o.backbone().graph().clone(), classes.size(), o.head().head(), cut,
                    new Adam(finetuneRate(o)), o.run().seed());
            if (ft.numParams() != net.numParams()) {
                throw new IllegalStateException("fine-tuning graph does not match the trained one");
            }
            ft.setParams(net.params());
            ImageIterator ftTrain = images(o, o.data().train(), pipeline, true);
            o.run().progress().message("fine-tuning " + (cut == null ? "the whole network" : "after " + cut) + ": about "
                    + minutes(estimateSeconds(ft, ftTrain, o.finetune().epochs())) + " for at most " + o.finetune().epochs()
                    + " epoch(s) (one batch timed)");
            Trainer.History fine = Trainer.fit("fine-tune", ft, ftTrain, images(o, o.data().validation(), null, false),
                    o.finetune().epochs(), o.head().patience(), o.run().progress(), o.run().engine());
            history.add(fine);
            String what = (cut == null ? "whole network" : "after " + cut) + ", at lr " + finetuneRate(o);
            Trainer.Epoch before = history.get(0).best();
            Trainer.Epoch after = fine.best();
            if (o.data().validation() == null) {
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
            o.run().progress().message("fine-tuning " + finetuned);
        }

        Metrics metrics = evaluate(o, net, o.data().test(), classes);
        RunInfo info = new RunInfo(o.backbone().name(), weights, classes, o.input().shape().height(), o.input().shape().width(), o.input().shape().channels(), o.input().normalization(),
                o.head().head().toString(), regime.name().toLowerCase(), choice.reason(), frozenUntil, finetuned,
                o.data().train().fingerprint(), pipeline == null ? null : pipeline.spec(), o.run().command(), Instant.now().toString())
                .withStages(stages(o).on(net));
        if (o.run().out() != null) {
            Runs.save(o.run().out(), net, info, metrics, history);
        }
        return new Result(net, info, metrics, history, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The cached features a run trains its head on, as the feature cache's shard files: every view of the training
     * images, and the validation images (null without validation data).
     */
    public record Featurized(String cut, List<Path> train, List<Path> validation) {
    }

    /**
     * Computes, or finds already cached, the features {@link #run} would train the head on, without training
     * anything: featurization ahead of time (on a cluster, for instance), after which {@code run} reads them.
     *
     * @throws IllegalArgumentException when the plan freezes nothing (a random network trained whole)
     */
    public static Featurized featurize(TransferPlan o) throws IOException {
        String frozenUntil = frozenUntil(o, choose(o).regime());
        if (frozenUntil == null) {
            throw new IllegalArgumentException("nothing is frozen (the network has random weights and is trained whole),"
                    + " so there are no features to cache: give --weights, or --freeze-until VERTEX");
        }
        return featurize(o, new TransferLearningHelper(transferGraph(o, frozenUntil)), frozenUntil,
                weightsHash(o.backbone().graph()), pipeline(o));
    }

    private static Featurized featurize(TransferPlan o, TransferLearningHelper helper, String frozenUntil, String weights,
                                        Pipeline pipeline) throws IOException {
        FeatureCache cache = new FeatureCache(o.run().cache());
        List<Path> train = new ArrayList<>();
        for (int view = 0; view <= o.finetune().augmentViews(); view++) {
            train.addAll(features(cache, helper, o, o.data().train(), frozenUntil, weights, view == 0 ? null : pipeline, view));
        }
        List<Path> validation = o.data().validation() == null ? null
                : features(cache, helper, o, o.data().validation(), frozenUntil, weights, null, 0);
        return new Featurized(frozenUntil, train, validation);
    }

    private static Pipeline pipeline(TransferPlan o) {
        Pipeline pipeline = o.finetune().augment() == null || o.finetune().augment().isBlank() ? null : Spec.parse(o.finetune().augment());
        if (o.finetune().augmentViews() > 0 && pipeline == null) {
            throw new IllegalArgumentException("--augment-views needs --augment SPEC");
        }
        return pipeline;
    }

    /**
     * Where the head's features are taken: null when nothing is frozen (FULL from random weights trains everything
     * from the start); every other regime trains the head on frozen features first, then fine-tunes (PARTIAL,
     * FULL, or --finetune-blocks) and keeps the better.
     */
    private static String frozenUntil(TransferPlan o, Regime regime) {
        if (regime == Regime.FULL && o.backbone().random() && o.finetune().freezeUntil() == null) {
            return null;
        }
        return o.finetune().freezeUntil() != null
                ? TransferGraph.resolve(o.backbone().graph(), stages(o), o.finetune().freezeUntil())
                : TransferGraph.penultimate(o.backbone().graph());
    }

    /** The backbone with the new head, frozen up to {@code frozenUntil}, seeded by the run. */
    private static ComputationGraph transferGraph(TransferPlan o, String frozenUntil) {
        Nd4j.getRandom().setSeed(o.run().seed());
        return TransferGraph.build(o.backbone().graph().clone(), o.data().train().classes().size(), o.head().head(),
                frozenUntil, new Adam(o.head().learningRate()), o.run().seed());
    }

    /** Test metrics, computed here or on the run's engine. */
    static Metrics evaluate(TransferPlan o, ComputationGraph net, ImageSource test, List<String> classes) throws IOException {
        Engine.Pass pass = new Engine.Pass(test, o.input(), null, o.run().seed(), o.run().batchSize(), net,
                net.getConfiguration().getNetworkOutputs().get(0));
        return Metrics.measure(pass, classes, 5, o.run().engine(), o.run().threads());
    }

    /** The regime: the user's, else from the images per class, else FULL for a network with random weights. */
    static Regime.Choice choose(TransferPlan o) {
        if (o.finetune().freezeUntil() != null) {
            return new Regime.Choice(Regime.parse(o.finetune().regime().equalsIgnoreCase("auto") ? "head" : o.finetune().regime()),
                    "frozen up to " + o.finetune().freezeUntil() + " as given");
        }
        if (!o.finetune().regime().equalsIgnoreCase("auto")) {
            return new Regime.Choice(Regime.parse(o.finetune().regime()), "chosen by the user");
        }
        if (o.backbone().random()) {
            return new Regime.Choice(Regime.FULL, "the base network has random weights: frozen layers would compute"
                    + " random features, so the whole network is trained");
        }
        return Regime.auto((double) o.data().train().size() / o.data().train().classes().size());
    }

    private static double finetuneRate(TransferPlan o) {
        return o.finetune().rate(o.head());
    }

    private static Stages stages(TransferPlan o) {
        return o.backbone().stages();
    }

    /**
     * Where fine-tuning after the head freezes up to: null for none, "" for the whole network. --freeze-until
     * fine-tunes only with --finetune-blocks; PARTIAL the last --finetune-blocks blocks (at least one); FULL all.
     */
    private static String finetuneCut(TransferPlan o, Regime regime) {
        if (o.finetune().freezeUntil() != null) {
            return o.finetune().blocks() > 0 ? TransferGraph.freezeForTrainableBlocks(o.backbone().graph(), stages(o), o.finetune().blocks()) : null;
        }
        if (regime == Regime.FULL) {
            return "";
        }
        if (regime == Regime.PARTIAL || o.finetune().blocks() > 0) {
            return TransferGraph.freezeForTrainableBlocks(o.backbone().graph(), stages(o), Math.max(1, o.finetune().blocks()));
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
    public static List<Path> features(FeatureCache cache, TransferLearningHelper helper, TransferPlan o, ImageSource data,
                                       String cut, String weights, Pipeline pipeline, int view) throws IOException {
        FeatureCache.Key key = new FeatureCache.Key(o.backbone().name(), weights, cut,
                normalizationText(o.input().normalization()), o.input().key(), data.fingerprint(),
                pipeline == null ? "" : pipeline.spec(), view, o.run().batchSize());
        long seed = Seeds.mix(o.run().seed(), view);
        Engine engine = o.run().engine();
        if (engine != null) {
            Engine.Pass pass = new Engine.Pass(data, o.input(), pipeline, seed, o.run().batchSize(), o.backbone().graph(), cut);
            return cache.ensure(key, pass.batches(), data.size(), (missing, sink) -> engine.forward(pass, missing, sink),
                    o.run().progress());
        }
        ImageIterator it = o.input().iterator(data, o.run().batchSize(), pipeline, false, seed, o.run().threads());
        return cache.ensure(key, it, helper, o.run().progress());
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

    static ImageIterator images(TransferPlan o, ImageSource data, Pipeline pipeline, boolean shuffle) {
        if (data == null) {
            return null;
        }
        return o.input().iterator(data, o.run().batchSize(), pipeline, shuffle, o.run().seed(), o.run().threads());
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
