package org.cnnzoo.transfer;

import org.cnnzoo.zoo.inference.InferenceGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.List;

/**
 * What a classifier achieves on a data set: accuracy, top-k accuracy, precision, recall and F1 per class, and the
 * confusion matrix (rows: true class, columns: predicted class).
 */
public record Metrics(long examples, double accuracy, int topK, Double topKAccuracy, List<PerClass> classes,
                      int[][] confusion) {

    public record PerClass(String name, double precision, double recall, double f1, int support) {
    }

    /**
     * Evaluates a trained network, run as an {@link InferenceGraph}; top-{@code topK} accuracy only when there are
     * more classes than {@code topK} (else {@code topK} is 0 and its accuracy null).
     */
    public static Metrics evaluate(ComputationGraph trained, DataSetIterator data, List<String> classes, int topK) {
        ComputationGraph net = InferenceGraph.of(trained).graph();
        data.reset();
        Evaluation eval = net.evaluate(data, classes, Math.max(1, Math.min(topK, classes.size())));
        data.reset();
        return of(eval, classes, topK);
    }

    /**
     * The metrics of the pass's network (its output vertex) on the pass's images, with the forward passes here
     * ({@code engine} null, on {@code threads} decoding threads) or on the engine.
     */
    public static Metrics measure(Engine.Pass pass, List<String> classes, int topK, Engine engine, int threads)
            throws java.io.IOException {
        if (engine == null) {
            return evaluate(pass.network(), pass.images(threads), classes, topK);
        }
        Evaluation eval = evaluation(classes, topK);
        int[] all = java.util.stream.IntStream.range(0, pass.batches()).toArray();
        engine.forward(pass, all, (batch, out) -> {
            if (out.numExamples() > 0) {
                eval.eval(out.getLabels(), out.getFeatures());
            }
        });
        return of(eval, classes, topK);
    }

    /** An evaluation to fill from labels and predicted probabilities ({@code eval(labels, probabilities)}). */
    public static Evaluation evaluation(List<String> classes, int topK) {
        return new Evaluation(classes, Math.max(1, Math.min(topK, classes.size())));
    }

    /** The metrics of a filled evaluation made by {@link #evaluation}. */
    public static Metrics of(Evaluation eval, List<String> classes, int topK) {
        List<PerClass> per = new ArrayList<>();
        int[][] confusion = new int[classes.size()][classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            int support = 0;
            for (int p = 0; p < classes.size(); p++) {
                confusion[c][p] = eval.getConfusionMatrix().getCount(c, p);
                support += confusion[c][p];
            }
            per.add(new PerClass(classes.get(c), finite(eval.precision(c)), finite(eval.recall(c)), finite(eval.f1(c)), support));
        }
        // top-k with k >= the number of classes is 1 by construction: not a result, so not reported
        int k = topK > 1 && topK < classes.size() ? topK : 0;
        return new Metrics(eval.getNumRowCounter() > 0 ? (long) eval.getNumRowCounter() : total(confusion),
                eval.accuracy(), k, k > 0 ? eval.topNAccuracy() : null, per, confusion);
    }

    private static long total(int[][] confusion) {
        long n = 0;
        for (int[] row : confusion) {
            for (int v : row) {
                n += v;
            }
        }
        return n;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}
