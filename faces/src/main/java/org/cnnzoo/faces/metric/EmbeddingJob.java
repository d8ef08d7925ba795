package org.cnnzoo.faces.metric;

import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.datasets.ClassBalance;
import org.cnnzoo.datasets.DataSources;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.datasets.Seeds;
import org.cnnzoo.datasets.Splits;
import org.cnnzoo.transfer.CachedFeatures;
import org.cnnzoo.transfer.FeatureCache;
import org.cnnzoo.transfer.InputSpec;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.Runs;
import org.cnnzoo.transfer.TransferJob;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.load.LoadedModel;
import org.cnnzoo.zoo.load.ModelLoader;
import org.cnnzoo.zoo.load.ModelRequest;
import org.cnnzoo.zoo.weights.Npy;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Trains an embedding on some classes of a dataset and measures one-shot learning on the others, which it never
 * saw: the course's one-shot setting, with the same network computing every embedding (a Siamese network).
 *
 * <p>Training uses the training part of the data, restricted to the training classes, less a held-out tenth per
 * class for validation (one-shot accuracy among the training classes each epoch; the best epoch is kept). The
 * evaluation uses the test part (for datasets that have one; for folders, their images of the evaluation
 * classes), restricted to the evaluation classes; a picture of the evaluation set that is also a training picture is
 * refused. With the backbone frozen up to its features, they are computed once into the feature cache and only the
 * embedding layer is trained. A checkpoint is kept per epoch in {@code OUT.training/} for {@code resume}.
 *
 * @param trainClasses      class names to train on; empty: the first half of the data's classes
 * @param evaluationData    another dataset to evaluate one-shot on (its test part, its classes not trained on),
 *                          or null for the test part of {@code data}
 * @param evaluationClasses class names to evaluate one-shot on; empty: every class not trained on
 * @param episodes          one-shot episodes per N in the evaluation
 */
public record EmbeddingJob(String data, List<String> trainClasses, String evaluationData,
                           List<String> evaluationClasses, String backbone, String weights, String features,
                           String frozenUntil, InputShape input, Normalization normalization, int size,
                           Objective objective, int epochs, int batch, double learningRate, long seed, int episodes,
                           boolean offline, Path cache) {
    /** The N of the N-way one-shot evaluation. */
    public static final int[] WAYS = {5, 10};
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** What the embedding is trained with. */
    public sealed interface Objective {
        /** The metric loss on the normalised embedding, or null for the softmax baseline. */
        ILossFunction loss();

        /** Whether a softmax classifier over the training classes is trained on the embedding (alone or beside). */
        default boolean classifier() {
            return loss() == null;
        }

        String describe();
    }

    /**
     * @param margin     the margin of max(x + margin, 0); ignored with a soft margin
     * @param perClass   0 for batches in a random order, else k: batches of batch / k classes with k images each
     *                   ({@link ClassBatches}; with the whole network trained, not from the feature cache)
     * @param softMargin log(1 + e^x) in place of the margin ({@link TripletLoss#soft})
     */
    public record Triplet(double margin, TripletLoss.Mining mining, int perClass, boolean softMargin)
            implements Objective {
        public Triplet(double margin, TripletLoss.Mining mining, int perClass) {
            this(margin, mining, perClass, false);
        }

        public Triplet(double margin, TripletLoss.Mining mining) {
            this(margin, mining, 0);
        }

        public TripletLoss loss() {
            return softMargin ? TripletLoss.soft(mining) : new TripletLoss(margin, mining);
        }

        public String describe() {
            return loss().name() + (perClass > 0 ? ", batches of " + perClass + " images per class" : "");
        }
    }

    /**
     * @param perClass 0 for batches in a random order, else k: batches of batch / k classes with k images each (so
     *                 that a batch holds positive pairs however many classes there are)
     */
    public record Contrastive(double margin, int perClass) implements Objective {
        public Contrastive(double margin) {
            this(margin, 0);
        }

        public ILossFunction loss() {
            return new ContrastiveLoss(margin);
        }

        public String describe() {
            return new ContrastiveLoss(margin).name() + (perClass > 0 ? ", batches of " + perClass + " images per class" : "");
        }
    }

    /**
     * The triplet loss on the normalised embedding and a softmax classifier on the embedding, trained together (their
     * losses summed), as person re-identification does.
     */
    public record TripletWithSoftmax(Triplet triplet) implements Objective {
        public TripletLoss loss() {
            return triplet.loss();
        }

        @Override
        public boolean classifier() {
            return true;
        }

        public String describe() {
            return triplet.describe() + " + softmax classifier";
        }
    }

    /**
     * The triplet loss over augmented views, not classes: each training image is a class of its own, present in its
     * batch as two views drawn by {@code augmentation}, so that its positive is another view of itself and every other
     * image of the batch is a negative (instance discrimination, as exemplar networks and SimCLR train). The training
     * classes' labels are not used for training, only to choose the kept epoch.
     */
    public record Views(Triplet triplet, org.cnnzoo.augmentation.Pipeline augmentation) implements Objective {
        public TripletLoss loss() {
            return triplet.loss();
        }

        public String describe() {
            return triplet.describe() + " over pairs of augmented views (" + augmentation.spec() + "), each image its"
                    + " own class";
        }
    }

    /** Cross-entropy over the training classes; the embedding is the classifier's penultimate layer. */
    public record Softmax() implements Objective {
        public ILossFunction loss() {
            return null;
        }

        public String describe() {
            return "softmax classifier (penultimate features)";
        }
    }

    /** The triplet loss's images per class in a batch, or 0. */
    private int perClass() {
        return objective instanceof Triplet t ? t.perClass()
                : objective instanceof TripletWithSoftmax j ? j.triplet().perClass()
                : objective instanceof Contrastive c ? c.perClass() : 0;
    }

    /** Evaluated on the test part of {@code data}. */
    public EmbeddingJob(String data, List<String> trainClasses, List<String> evaluationClasses, String backbone,
                        String weights, String features, String frozenUntil, InputShape input,
                        Normalization normalization, int size, Objective objective, int epochs, int batch,
                        double learningRate, long seed, int episodes, boolean offline, Path cache) {
        this(data, trainClasses, null, evaluationClasses, backbone, weights, features, frozenUntil, input,
                normalization, size, objective, epochs, batch, learningRate, seed, episodes, offline, cache);
    }

    public EmbeddingJob {
        trainClasses = List.copyOf(trainClasses);
        evaluationClasses = List.copyOf(evaluationClasses);
        if (epochs < 1 || batch < 2 || !(learningRate > 0) || episodes < 1) {
            throw new IllegalArgumentException("epochs and episodes must be positive, the batch at least 2 (pairs and"
                    + " triplets are formed within it) and the learning rate positive");
        }
    }

    /** The same job trained for another number of epochs (resuming a run to more epochs). */
    public EmbeddingJob withEpochs(int value) {
        return new EmbeddingJob(data, trainClasses, evaluationData, evaluationClasses, backbone, weights, features,
                frozenUntil, input, normalization, size, objective, value, batch, learningRate, seed, episodes, offline,
                cache);
    }

    public record Result(Embedder embedder, List<EmbeddingRuns.Epoch> history, EmbeddingRuns.Report report) {
    }

    /** The training and evaluation images, apart. */
    record Data(ImageSource train, ImageSource validation, ImageSource evaluation, List<String> trainClasses,
                List<String> evaluationClasses) {
    }

    Data split() throws IOException {
        ImageSource all = DataSources.open(data, Part.TRAIN, offline);
        List<String> classes = all.classes();
        List<String> train = trainClasses.isEmpty() ? classes.subList(0, classes.size() / 2) : trainClasses;
        // evaluated on another dataset or on this one's test part; either way only on classes whose names were not
        // trained on (a dataset named two ways must not let a trained class through)
        boolean elsewhere = evaluationData != null && !evaluationData.equals(data);
        ImageSource evalAll = DataSources.open(elsewhere ? evaluationData : data, Part.TEST, offline);
        List<String> evaluation = new ArrayList<>(evaluationClasses);
        if (evaluation.isEmpty()) {
            evalAll.classes().stream().filter(c -> !train.contains(c)).forEach(evaluation::add);
        }
        for (String c : evaluation) {
            if (train.contains(c)) {
                throw new IllegalArgumentException("class '" + c + "' is both trained on and evaluated: one-shot"
                        + " learning is measured on classes never seen in training; give disjoint --train-classes and"
                        + " --eval-classes");
            }
        }
        if (train.size() < 2 || evaluation.size() < 2) {
            throw new IllegalArgumentException("an embedding needs at least 2 training classes and 2 evaluation"
                    + " classes; the data has " + classes.size() + " (" + String.join(", ", classes) + ")");
        }
        Splits.Split split = Splits.holdOut(Splits.classes(all, train), 0.1);
        ImageSource evalSource = Splits.classes(evalAll, evaluation);
        Set<String> trained = new HashSet<>();
        ImageSource seen = Splits.classes(all, train);
        for (int i = 0; i < seen.size(); i++) {
            trained.add(seen.identity(i));
        }
        for (int i = 0; i < evalSource.size(); i++) {
            if (trained.contains(evalSource.identity(i))) {
                throw new IllegalArgumentException("the evaluation image " + evalSource.describe(i) + " is also a"
                        + " training image; evaluation classes must not share pictures with training classes");
            }
        }
        return new Data(split.train(), split.test(), evalSource, List.copyOf(train), List.copyOf(evaluation));
    }

    /**
     * @param resume continue the checkpoint in {@code OUT.training/} (the same job must be given)
     * @throws IllegalArgumentException before any work when {@code out} holds a run and not {@code overwrite}
     */
    public Result run(Path out, boolean overwrite, boolean resume, ModelRequest base, Progress progress)
            throws IOException {
        Path work = Runs.trainingFolder(out, overwrite, resume);
        Data d = split();
        progress.message(String.format(Locale.ROOT, "training classes %s: %d images (+%d for validation); one-shot"
                        + " evaluation on unseen classes %s: %d images", ClassBalance.names(d.trainClasses()), d.train().size(),
                d.validation().size(), ClassBalance.names(d.evaluationClasses()), d.evaluation().size()));

        Start start = EmbeddingRuns.isRun(Path.of(backbone)) ? fromRun(Path.of(backbone), d)
                : fromBackbone(base, d, progress);
        EmbeddingSpec spec = start.spec();
        InputSpec in = start.in();
        ComputationGraph graph = start.graph();
        List<EmbeddingRuns.Epoch> history = new ArrayList<>();
        INDArray best = null;
        if (resume && EmbeddingRuns.isRun(work)) {
            Embedder saved = EmbeddingRuns.load(work);
            if (!EmbeddingRuns.JSON.writeValueAsString(saved.spec()).equals(EmbeddingRuns.JSON.writeValueAsString(spec))) {
                throw new IllegalArgumentException(work + " was started with other settings (" + saved.spec()
                        + "); resume with the same command, or delete it");
            }
            graph = saved.graph();
            history.addAll(EmbeddingRuns.history(work));
            if (Files.isRegularFile(work.resolve("best.npy"))) {
                best = Npy.read(work.resolve("best.npy"));
            }
            progress.message("resuming " + work + " after epoch " + history.size());
        }
        Files.createDirectories(work);
        boolean cached = start.frozenFeatures() != null;
        if (objective instanceof Views && batch % 2 != 0) {
            throw new IllegalArgumentException("pairs of augmented views need an even batch size, got " + batch);
        }
        if (cached && objective instanceof Views) {
            throw new IllegalArgumentException("augmented views need the network trained on images: the feature cache"
                    + " holds one view of each; leave out --freeze-until or freeze fewer layers");
        }
        if (cached && perClass() > 0) {
            throw new IllegalArgumentException("batches by class (--per-class) need the network trained on images:"
                    + " the feature cache keeps one batch order; leave out --freeze-until or freeze fewer layers");
        }
        Trainer trainer = cached ? new CachedTrainer(graph, in, d, spec, start.frozenFeatures(), progress)
                : new ImageTrainer(graph, in, d);
        if (resume && !history.isEmpty()) {
            trainer.restore(work);
        }

        long t0 = System.nanoTime();
        double bestAccuracy = history.stream().mapToDouble(EmbeddingRuns.Epoch::validationAccuracy).max().orElse(-1);
        for (int epoch = history.size() + 1; epoch <= epochs; epoch++) {
            long e0 = System.nanoTime();
            progress.start(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), trainer.batches());
            double loss = trainer.epoch(epoch, progress);
            progress.finish();
            Embedder embedder = new Embedder(graph, spec);
            float[][] v = embedder.embed(d.validation(), batch, THREADS);
            int[] labels = Embedder.labels(d.validation());
            int ways = Math.min(5, OneShot.usableClasses(labels));
            // too few held-out images for an episode (under two classes with two images): no validation figure,
            // and the last epoch is kept
            double accuracy = ways >= 2 ? OneShot.nWay(v, labels, ways, 300, seed).accuracy() : Double.NaN;
            double seconds = (System.nanoTime() - e0) / 1e9;
            history.add(new EmbeddingRuns.Epoch(epoch, loss, accuracy, seconds));
            progress.message(String.format(Locale.ROOT, "epoch %d: loss %.4f, validation %d-way one-shot %.3f (%.0f s)",
                    epoch, loss, ways, accuracy, seconds));
            boolean improved = accuracy > bestAccuracy;
            if (improved) {
                bestAccuracy = accuracy;
                best = graph.params().dup();
            }
            EmbeddingRuns.writeCheckpoint(work, graph, spec, history, improved);
            trainer.save(work);
        }
        double trainingSeconds = (System.nanoTime() - t0) / 1e9;
        int kept = history.size();                       // the first epoch reaching the best validation accuracy
        for (EmbeddingRuns.Epoch e : history) {
            if (e.validationAccuracy() > history.get(kept - 1).validationAccuracy() || e.epoch() < kept
                    && e.validationAccuracy() == history.get(kept - 1).validationAccuracy()) {
                kept = e.epoch();
            }
        }
        if (best != null) {
            graph.setParams(best);
        }
        progress.message("kept epoch " + kept + (best != null ? " (best validation one-shot accuracy)"
                : " (the last: too few validation images for one-shot episodes)") + "; evaluating on "
                + ClassBalance.names(d.evaluationClasses()));
        Embedder embedder = new Embedder(graph, spec);
        int[] labels = Embedder.labels(d.evaluation());
        OneShot.Report measured = OneShot.evaluate(embedder.embed(d.evaluation(), batch, THREADS), labels, WAYS,
                episodes, seed);
        OneShot.Report pixels = OneShot.evaluate(OneShot.normalised(Embedder.pixels(d.evaluation(), in, batch, THREADS)),
                labels, WAYS, episodes, seed);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data", data);
        settings.put("evaluationData", evaluationData == null ? data : evaluationData);
        settings.put("backbone", backbone);
        settings.put("weights", weights);
        settings.put("frozenUntil", frozenUntil);
        settings.put("featureCache", cached);
        settings.put("epochs", epochs);
        settings.put("seed", seed);
        EmbeddingRuns.Report report = new EmbeddingRuns.Report(kept, d.evaluationClasses(), measured, pixels, episodes,
                batch, learningRate, trainingSeconds, settings);
        ComputationGraph trained = graph;
        List<EmbeddingRuns.Epoch> epochsDone = List.copyOf(history);
        AtomicFiles.replaceFolder(out, tmp -> EmbeddingRuns.writeRun(tmp, trained, spec, epochsDone, report));
        AtomicFiles.deleteTree(work);
        return new Result(embedder, epochsDone, report);
    }

    /**
     * Where training starts: the network with its objective, what the run records, its input, and, when the backbone
     * is frozen up to its features, the hash of its parameters (the feature cache's key), else null.
     */
    private record Start(ComputationGraph graph, EmbeddingSpec spec, InputSpec in, String frozenFeatures) {
    }

    /** A zoo network, a run or a model file, cut at its features, with a new embedding layer. */
    private Start fromBackbone(ModelRequest base, Data d, Progress progress) throws IOException {
        boolean zoo = Zoo.has(backbone);
        LoadedModel loaded = ModelLoader.load(base.withWeights(weights).withInput(zoo ? input : null).withSeed(seed));
        loaded.notes().forEach(n -> progress.message(loaded.name() + ": " + n));
        if (input != null && !zoo && !input.equals(loaded.input())) {
            throw new IllegalArgumentException("--input goes with zoo networks; " + loaded.name() + " takes "
                    + loaded.input());
        }
        var p = loaded.preprocessing();
        InputSpec.Chosen chosen = InputSpec.normalization(normalization,
                p == null ? null : Normalization.of("recorded", p.mean(), p.std()), loaded.name());
        if (chosen.why() != null) {
            progress.message(chosen.why());
        }
        InputSpec in = new InputSpec(loaded.input(), chosen.normalization());
        EmbeddingNetwork.Built built = EmbeddingNetwork.build(loaded.graph(), loaded.stages(), features,
                loaded.kind().imported(), loaded.input(),
                size, objective.loss(), objective.classifier(), d.trainClasses().size(), frozenUntil, new Adam(learningRate), seed);
        EmbeddingSpec spec = new EmbeddingSpec(loaded.name(), built.features(), loaded.input(), chosen.normalization(),
                size, objective.describe(), d.trainClasses());
        // frozen up to the features themselves: only the embedding layer trains, on cached features
        boolean cached = frozenUntil != null && org.cnnzoo.transfer.TransferGraph.resolve(loaded.graph(),
                loaded.stages(), frozenUntil).equals(built.features());
        if (cached && loaded.randomWeights()) {
            progress.message("warning: the backbone has random weights, so its frozen layers compute random features;"
                    + " give --weights, or leave out --freeze-until to train it whole");
        }
        return new Start(built.graph(), spec, in, cached ? TransferJob.weightsHash(loaded.graph()) : null);
    }

    /**
     * An embedding run trained further with this job's objective (a softmax classifier's encoding trained on with the
     * triplet loss, say): its backbone and embedding layer, input and normalisation. The run must have been trained
     * on this job's data and on none of its evaluation classes, else one-shot accuracy would be measured on seen
     * classes.
     */
    private Start fromRun(Path run, Data d) throws IOException {
        if (weights != null || features != null || frozenUntil != null || input != null) {
            throw new IllegalArgumentException("--model " + run + " is an embedding run, which continues with its own"
                    + " network: leave out --weights, --features, --freeze-until and --input");
        }
        Embedder from = EmbeddingRuns.load(run);
        EmbeddingSpec was = from.spec();
        if (size != was.size()) {
            throw new IllegalArgumentException("--size " + size + " differs from the run " + run + "'s embedding ("
                    + was.size() + "); give --size " + was.size());
        }
        if (normalization != null && !normalization.equals(was.normalization())) {
            throw new IllegalArgumentException("--normalization differs from the run " + run + "'s ("
                    + was.normalization().name() + "); leave it out");
        }
        Object trainedOn = Files.isRegularFile(run.resolve("metrics.json"))
                ? EmbeddingRuns.report(run).settings().get("data") : null;
        if (!data.equals(trainedOn)) {
            throw new IllegalArgumentException("the run " + run + " was trained on " + (trainedOn == null
                    ? "unrecorded data (it is unfinished)" : trainedOn) + ", not on " + data + "; continue a finished"
                    + " run of the same --data, so that its training classes are known");
        }
        for (String c : was.trainClasses()) {
            if (d.evaluationClasses().contains(c)) {
                throw new IllegalArgumentException("the run " + run + " was trained on '" + c + "', an evaluation class"
                        + " here: one-shot learning is measured on classes never seen in training");
            }
        }
        ComputationGraph graph = EmbeddingNetwork.rehead(from.graph(), objective.loss(), objective.classifier(),
                d.trainClasses().size(),
                new Adam(learningRate), seed);
        EmbeddingSpec spec = new EmbeddingSpec(was.backbone(), was.features(), was.input(), was.normalization(),
                was.size(), objective.describe() + ", from " + was.objective(), d.trainClasses());
        return new Start(graph, spec, from.input(), null);
    }

    /** One pass over the training data. */
    private interface Trainer {
        long batches();

        double epoch(int epoch, Progress progress);

        /** Keeps in a checkpoint what the network's own file does not (nothing, unless said). */
        default void save(Path dir) throws IOException {
        }

        default void restore(Path dir) throws IOException {
        }
    }

    /** Mean loss over the batches of an epoch; a last batch of one example (no pair) is passed over. */
    private static double fit(ComputationGraph graph, DataSetIterator it, Progress progress) {
        double sum = 0;
        long examples = 0;
        long step = 0;
        while (it.hasNext()) {
            DataSet ds = it.next();
            progress.step(++step);
            if (ds.numExamples() < 2) {
                continue;
            }
            if (graph.getNumOutputArrays() == 2) {
                // a metric loss and a classifier: both read the batch's classes
                graph.fit(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{ds.getFeatures()},
                        new INDArray[]{ds.getLabels(), ds.getLabels()}));
            } else {
                graph.fit(ds);
            }
            sum += graph.score() * ds.numExamples();
            examples += ds.numExamples();
        }
        return examples == 0 ? Double.NaN : sum / examples;
    }

    /** The whole network trained on images, in a new seeded order each epoch. */
    private final class ImageTrainer implements Trainer {
        private final ComputationGraph graph;
        private final ImageIterator images;

        private final InputSpec in;
        private final Data d;
        private final int perClass;

        ImageTrainer(ComputationGraph graph, InputSpec in, Data d) {
            this.graph = graph;
            this.images = in.iterator(d.train(), batch, null, true, seed, THREADS);
            this.in = in;
            this.d = d;
            this.perClass = perClass();
        }

        public long batches() {
            return objective instanceof Views ? (2L * d.train().size() + batch - 1) / batch
                    : perClass > 0 ? d.train().size() / batch : images.batchCount();
        }

        public double epoch(int epoch, Progress progress) {
            if (objective instanceof Views v) {
                // a new order and new views each epoch, drawn from the seed and the epoch as a resumed run draws them
                long drawn = Seeds.mix(seed, epoch);
                return fit(graph, in.iterator(ViewPairs.of(d.train(), batch, drawn), batch, v.augmentation(), false,
                        drawn, THREADS), progress);
            }
            if (perClass > 0) {
                // each epoch's class batches drawn from the seed and the epoch, so a resumed run draws the same
                int[] labels = new int[d.train().size()];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = d.train().label(i);
                }
                int[] order = ClassBatches.order(labels, batch, perClass, Seeds.mix(seed, epoch));
                return fit(graph, in.iterator(d.train().subset(order), batch, null, false, seed, THREADS), progress);
            }
            // the iterator's epochs count from 0: epoch k is seeded as its epoch k - 1, also after resuming
            while (images.epoch() < epoch - 1) {
                images.reset();
            }
            return fit(graph, images, progress);
        }
    }

    /**
     * The backbone frozen up to the features: they are computed once into the feature cache (in a seeded shuffled
     * order, so that every cached batch mixes classes and holds pairs and triplets) and only the layers above are
     * trained, their shards read in a new seeded order each epoch.
     */
    private final class CachedTrainer implements Trainer {
        private final ComputationGraph graph;
        private final TransferLearningHelper helper;
        private final CachedFeatures features;
        private final int shards;

        /** @param weightsKey the backbone's parameters as a hash: the features depend on them, whatever their name */
        CachedTrainer(ComputationGraph graph, InputSpec in, Data d, EmbeddingSpec spec, String weightsKey,
                      Progress progress) throws IOException {
            this.graph = graph;
            this.helper = new TransferLearningHelper(graph);
            long order = Seeds.mix(seed, 7);
            FeatureCache.Key key = new FeatureCache.Key(spec.backbone(), weightsKey, spec.features(),
                    spec.normalization().name() + java.util.Arrays.toString(spec.normalization().mean())
                            + java.util.Arrays.toString(spec.normalization().std()),
                    spec.input().toString(), d.train().fingerprint(), "shuffled " + order, 0, batch);
            ImageIterator images = in.iterator(d.train(), batch, null, true, order, THREADS);
            List<Path> shards = new FeatureCache(cache).ensure(key, images, FeatureCache.featurizer(helper), progress);
            this.features = new CachedFeatures(shards, d.trainClasses(), true, seed, batch);
            this.shards = shards.size();
        }

        public long batches() {
            return shards;
        }

        public double epoch(int epoch, Progress progress) {
            while (features.epoch() < epoch - 1) {
                features.reset();
            }
            double loss = fit(helper.unfrozenGraph(), features, progress);
            TransferJob.copyLayers(helper.unfrozenGraph(), graph);
            return loss;
        }

        /**
         * The layers above the features train as a graph of their own, whose Adam moments and step count are not
         * in the whole network's file: kept beside it, so that a resumed run takes the same steps.
         */
        @Override
        public void save(Path dir) throws IOException {
            ComputationGraph head = helper.unfrozenGraph();
            INDArray state = head.getUpdater().getStateViewArray();
            if (state != null) {
                AtomicFiles.write(dir.resolve("head-updater.npy"), tmp -> Npy.write(tmp, state));
            }
            EmbeddingRuns.writeJson(dir.resolve("head-steps.json"), List.of(head.getConfiguration().getIterationCount(),
                    head.getConfiguration().getEpochCount()));
        }

        @Override
        public void restore(Path dir) throws IOException {
            ComputationGraph head = helper.unfrozenGraph();
            Path state = dir.resolve("head-updater.npy");
            Path steps = dir.resolve("head-steps.json");
            if (!Files.isRegularFile(state) || !Files.isRegularFile(steps)) {
                throw new IllegalArgumentException(dir + " lacks the embedding layer's optimiser state; delete it to"
                        + " start again");
            }
            head.getUpdater().getStateViewArray().assign(Npy.read(state));
            int[] counts = EmbeddingRuns.JSON.readValue(steps.toFile(), int[].class);
            head.getConfiguration().setIterationCount(counts[0]);
            head.getConfiguration().setEpochCount(counts[1]);
        }
    }
}
