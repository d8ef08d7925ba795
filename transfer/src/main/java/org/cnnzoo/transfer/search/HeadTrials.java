package org.cnnzoo.transfer.search;

import org.cnnzoo.datasets.Seeds;
import org.cnnzoo.transfer.FeatureCache;
import org.cnnzoo.transfer.Head;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.Trainer;
import org.cnnzoo.transfer.TransferGraph;
import org.cnnzoo.transfer.TransferJob;
import org.cnnzoo.transfer.TransferPlan;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Head search: the backbone is frozen below its classifier and run once over the training and validation images
 * (through the feature cache); every candidate then trains only its head on the stored activations, held in
 * memory and batched at the candidate's batch size.
 */
final class HeadTrials implements TrialRunner {
    /** Batch size for measuring on the validation features (does not change the result). */
    private static final int EVALUATION_BATCH = 256;

    private final TransferPlan job;
    private final List<String> classes;
    private final String cut;
    private DataSet train;
    private DataSet validation;

    HeadTrials(TransferPlan job) {
        this.job = job;
        this.classes = job.data().train().classes();
        this.cut = TransferGraph.penultimate(job.backbone().graph());
    }

    @Override
    public void prepare() throws IOException {
        ComputationGraph frozen = TransferGraph.build(job.backbone().graph().clone(), classes.size(), Head.LINEAR, cut,
                Updaters.of("adam", 1e-3), job.run().seed());
        TransferLearningHelper helper = new TransferLearningHelper(frozen);
        FeatureCache cache = new FeatureCache(job.run().cache());
        String weights = TransferJob.weightsHash(job.backbone().graph());
        train = FeatureBatches.load(TransferJob.features(cache, helper, job, job.data().train(), cut, weights, null, 0));
        validation = FeatureBatches.load(TransferJob.features(cache, helper, job, job.data().validation(), cut, weights, null, 0));
    }

    @Override
    public DataProvider data() {
        return new DataProvider() {
            @Override
            public Object trainData(Map<String, Object> parameters) {
                int index = (Integer) parameters.getOrDefault("index", 0);
                return new FeatureBatches(train, ((Number) parameters.get("batch")).intValue(), true,
                        Seeds.mix(job.run().seed(), index), classes);
            }

            @Override
            public Object testData(Map<String, Object> parameters) {
                return new FeatureBatches(validation, EVALUATION_BATCH, false, 0, classes);
            }

            @Override
            public Class<?> getDataType() {
                return DataSetIterator.class;
            }
        };
    }

    @Override
    public Trained train(Trial trial) {
        long seed = Seeds.mix(job.run().seed(), trial.index());
        Nd4j.getRandom().setSeed(seed);
        int hidden = trial.integer("hidden");
        Head head = hidden == 0 ? Head.LINEAR : Head.mlp(hidden, trial.real("dropout"));
        ComputationGraph whole = TransferGraph.build(job.backbone().graph().clone(), classes.size(), head, cut,
                Updaters.of(trial.word("updater"), trial.real("lr")), trial.real("l2"), seed);
        ComputationGraph headOnly = new TransferLearningHelper(whole).unfrozenGraph();
        Map<String, Object> parameters = trial.parameters();
        DataProvider data = data();
        Trainer.History history = Trainer.fit("head", headOnly, (DataSetIterator) data.trainData(parameters),
                (DataSetIterator) data.testData(parameters), trial.integer("epochs"), trial.integer("patience"),
                Progress.NONE);
        return new Trained(headOnly, () -> {
            TransferJob.copyLayers(headOnly, whole);
            return whole;
        }, history, head.toString(), cut, null, null);
    }
}
