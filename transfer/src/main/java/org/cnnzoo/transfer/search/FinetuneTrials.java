package org.cnnzoo.transfer.search;

import org.cnnzoo.augmentation.Spec;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Seeds;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.Trainer;
import org.cnnzoo.transfer.TransferGraph;
import org.cnnzoo.transfer.TransferJob;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Fine-tuning search: a head is trained once on cached features (the user's head, learning rate and epochs), then
 * every candidate starts from that network, unfreezes its number of top blocks and trains through the whole
 * network on augmented images.
 */
final class FinetuneTrials implements TrialRunner {
    private final TransferJob.Options job;
    private final List<String> classes;
    private ComputationGraph headed;

    FinetuneTrials(TransferJob.Options job) {
        this.job = job;
        this.classes = job.train.classes();
    }

    @Override
    public void prepare() throws IOException {
        TransferJob.Options first = copy(job);
        first.regime = "head";
        first.finetuneBlocks = 0;
        first.test = job.validation;
        first.out = null;
        job.progress.message("training the " + job.head + " head that every candidate starts from");
        headed = TransferJob.run(first).model();
    }

    private static TransferJob.Options copy(TransferJob.Options o) {
        TransferJob.Options c = new TransferJob.Options();
        for (var f : TransferJob.Options.class.getFields()) {
            try {
                f.set(c, f.get(o));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return c;
    }

    @Override
    public DataProvider data() {
        return new DataProvider() {
            @Override
            public Object trainData(Map<String, Object> parameters) {
                String augment = Augmentation.ofStrength(((Number) parameters.get("augment")).doubleValue());
                return images(job.train, ((Number) parameters.get("batch")).intValue(), augment, true,
                        Seeds.mix(job.seed, (Integer) parameters.getOrDefault("index", 0)));
            }

            @Override
            public Object testData(Map<String, Object> parameters) {
                return images(job.validation, job.batchSize, null, false, job.seed);
            }

            @Override
            public Class<?> getDataType() {
                return DataSetIterator.class;
            }
        };
    }

    private DataSetIterator images(ImageSource data, int batch, String augment, boolean shuffle, long seed) {
        return ImageIterator.builder(data).batchSize(batch).input(job.input[0], job.input[1], job.input[2])
                .normalization(job.normalization).augmenter(augment == null ? null : Spec.parse(augment))
                .shuffle(shuffle).seed(seed).threads(job.threads).build();
    }

    @Override
    public Trained train(Trial trial) {
        long seed = Seeds.mix(job.seed, trial.index());
        Nd4j.getRandom().setSeed(seed);
        int blocks = trial.integer("blocks");
        String frozenUntil = TransferGraph.freezeForTrainableBlocks(job.base, TransferJob.stages(job), blocks);
        ComputationGraph net = TransferGraph.build(job.base.clone(), classes.size(), job.head, frozenUntil,
                Updaters.of("adam", trial.real("lr")), seed);
        if (net.numParams() != headed.numParams()) {
            throw new IllegalStateException("the fine-tuning network does not match the trained head's");
        }
        net.setParams(headed.params());
        Map<String, Object> parameters = trial.parameters();
        DataProvider data = data();
        Trainer.History history = Trainer.fit("fine-tune", net, (DataSetIterator) data.trainData(parameters),
                (DataSetIterator) data.testData(parameters), trial.integer("epochs"), trial.integer("patience"),
                Progress.NONE);
        return new Trained(net, () -> net, history, job.head.toString(), frozenUntil,
                "last " + blocks + " block(s), frozen up to " + frozenUntil, Augmentation.ofStrength(trial.real("augment")));
    }
}
