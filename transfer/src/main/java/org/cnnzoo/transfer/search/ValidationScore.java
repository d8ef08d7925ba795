package org.cnnzoo.transfer.search;

import org.cnnzoo.transfer.Trainer;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Arbiter's score of a trained candidate: accuracy (maximised) or mean cross-entropy (minimised) on the
 * validation data its data provider gives as "test" data. The test set never enters a search.
 */
public final class ValidationScore implements ScoreFunction {

    /** What decides which candidate is best. */
    public enum Metric {
        ACCURACY, LOSS;

        public static Metric parse(String text) {
            return Words.parse(values(), text, "--metric");
        }
    }

    private final Metric metric;

    ValidationScore(Metric metric) {
        this.metric = metric;
    }

    Metric metric() {
        return metric;
    }

    /** Loss and accuracy of {@code model} on the provider's validation data. */
    static double[] measure(Object model, DataProvider data, Map<String, Object> parameters) {
        return Trainer.lossAndAccuracy((ComputationGraph) model, (DataSetIterator) data.testData(parameters));
    }

    /**
     * Best first: by the metric, ties (common with accuracy on small validation sets) broken by the other measure,
     * then by the earlier candidate.
     */
    Comparator<Outcome> ranking() {
        Comparator<Outcome> accuracy = Comparator.comparingDouble(Outcome::validationAccuracy).reversed();
        Comparator<Outcome> loss = Comparator.comparingDouble(Outcome::validationLoss);
        return (metric == Metric.LOSS ? loss.thenComparing(accuracy) : accuracy.thenComparing(loss))
                .thenComparingInt(Outcome::index);
    }

    /** The score among {loss, accuracy}. */
    double pick(double[] lossAndAccuracy) {
        return metric == Metric.LOSS ? lossAndAccuracy[0] : lossAndAccuracy[1];
    }

    @Override
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        return pick(measure(model, dataProvider, dataParameters));
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        throw new UnsupportedOperationException("cnnzoo searches give their data through a DataProvider");
    }

    @Override
    public boolean minimize() {
        return metric == Metric.LOSS;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(ComputationGraph.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(DataSetIterator.class);
    }
}
