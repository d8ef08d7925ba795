package org.cnnzoo.transfer.search;

import org.cnnzoo.augmentation.Spec;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Seeds;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.Trainer;
import org.cnnzoo.transfer.TransferGraph;
import org.cnnzoo.transfer.TransferJob;
import org.cnnzoo.transfer.TransferPlan;
import org.cnnzoo.datasets.DataPlan;
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
    private final TransferPlan job;
    private final List<String> classes;
    private ComputationGraph headed;

    FinetuneTrials(TransferPlan job) {
        this.job = job;
        this.classes = job.data().train().classes();
    }

    @Override
    public void prepare() throws IOException {
        // the head alone, measured on the validation images, written nowhere
        TransferPlan first = job.withFinetune(job.finetune().withRegime("head").withBlocks(0))
                .withData(new DataPlan.Parts(job.data().train(), job.data().validation(), job.data().validation(),
                        "the validation images"))
                .withRun(job.run().withOut(null, false));
        job.run().progress().message("training the " + job.head().head() + " head that every candidate starts from");
        headed = TransferJob.run(first).model();
    }

    @Override
    public DataProvider data() {
        return new DataProvider() {
            @Override
            public Object trainData(Map<String, Object> parameters) {
                String augment = Augmentation.ofStrength(((Number) parameters.get("augment")).doubleValue());
                return images(job.data().train(), ((Number) parameters.get("batch")).intValue(), augment, true,
                        Seeds.mix(job.run().seed(), (Integer) parameters.getOrDefault("index", 0)));
            }

            @Override
            public Object testData(Map<String, Object> parameters) {
                return images(job.data().validation(), job.run().batchSize(), null, false, job.run().seed());
            }

            @Override
            public Class<?> getDataType() {
                return DataSetIterator.class;
            }
        };
    }

    private DataSetIterator images(ImageSource data, int batch, String augment, boolean shuffle, long seed) {
        return job.input().iterator(data, batch, augment == null ? null : Spec.parse(augment), shuffle, seed,
                job.run().threads());
    }

    @Override
    public Trained train(Trial trial) {
        long seed = Seeds.mix(job.run().seed(), trial.index());
        Nd4j.getRandom().setSeed(seed);
        int blocks = trial.integer("blocks");
        String frozenUntil = TransferGraph.freezeForTrainableBlocks(job.backbone().graph(), job.backbone().stages(), blocks);
        ComputationGraph net = TransferGraph.build(job.backbone().graph().clone(), classes.size(), job.head().head(), frozenUntil,
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
        return new Trained(net, () -> net, history, job.head().head().toString(), frozenUntil,
                "last " + blocks + " block(s), frozen up to " + frozenUntil, Augmentation.ofStrength(trial.real("augment")));
    }
}
