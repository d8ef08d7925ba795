package org.cnnzoo.faces.metric;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A loss over a whole batch of embeddings and their class labels (one-hot), as metric learning needs: its value
 * depends on pairs or triplets of examples, not on each example alone. One network computes every embedding of the
 * batch with the same parameters, which is what a Siamese network is; the pairs and triplets are formed here.
 *
 * <p>DL4J sums per-example scores and divides gradients by the batch size. A batch loss L is therefore reported as
 * per-example shares summing to N x L, and its gradient as N x dL/de, so that DL4J's average score is L and its
 * update follows dL/de. Computed in double precision.
 */
public abstract class BatchMetricLoss implements ILossFunction {
    private double margin;

    protected BatchMetricLoss(double margin) {
        setMargin(margin);
    }

    public double getMargin() {
        return margin;
    }

    public void setMargin(double margin) {
        if (!(margin > 0) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException("a metric loss needs a positive margin, got " + margin);
        }
        this.margin = margin;
    }

    /**
     * The batch's loss L, its share per example (summing to L) into {@code shares}, and dL/de into {@code gradient}.
     *
     * @param e      embeddings, one row per example
     * @param labels class of each example
     */
    protected abstract double loss(double[][] e, int[] labels, double[] shares, double[][] gradient);

    /** The loss of a batch of embeddings (rows) with their classes, as defined by this loss. */
    public double value(double[][] e, int[] labels) {
        return loss(e, labels, new double[e.length], new double[e.length][e.length == 0 ? 0 : e[0].length]);
    }

    static double squaredDistance(double[] a, double[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - b[k];
            sum += d * d;
        }
        return sum;
    }

    /** gradient[i] += w (e_i - e_j), gradient[j] -= w (e_i - e_j). */
    static void pull(double[][] e, double[][] gradient, int i, int j, double w) {
        for (int k = 0; k < e[i].length; k++) {
            double d = w * (e[i][k] - e[j][k]);
            gradient[i][k] += d;
            gradient[j][k] -= d;
        }
    }

    private record Computed(double loss, double[] shares, double[][] gradient) {
    }

    private Computed compute(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (mask != null) {
            throw new IllegalArgumentException(name() + " does not take masks");
        }
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        int n = (int) out.size(0);
        double[][] e = out.castTo(DataType.DOUBLE).toDoubleMatrix();
        int[] classes = new int[n];
        INDArray argMax = labels.argMax(1);
        for (int i = 0; i < n; i++) {
            classes[i] = argMax.getInt(i);
        }
        double[] shares = new double[n];
        double[][] gradient = new double[n][(int) out.size(1)];
        double loss = loss(e, classes, shares, gradient);
        return new Computed(loss, shares, gradient);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        Computed c = compute(labels, preOutput, activationFn, mask);
        return average ? c.loss() : c.loss() * c.shares().length;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Computed c = compute(labels, preOutput, activationFn, mask);
        double[] scaled = c.shares().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= scaled.length;
        }
        return Nd4j.createFromArray(scaled).reshape(scaled.length, 1).castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return gradient(compute(labels, preOutput, activationFn, mask), preOutput, activationFn);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        Computed c = compute(labels, preOutput, activationFn, mask);
        double score = average ? c.loss() : c.loss() * c.shares().length;
        return new Pair<>(score, gradient(c, preOutput, activationFn));
    }

    private static INDArray gradient(Computed c, INDArray preOutput, IActivation activationFn) {
        int n = c.gradient().length;
        double[][] scaled = new double[n][];
        for (int i = 0; i < n; i++) {
            scaled[i] = c.gradient()[i].clone();
            for (int k = 0; k < scaled[i].length; k++) {
                scaled[i][k] *= n;
            }
        }
        INDArray dLda = Nd4j.create(scaled).castTo(preOutput.dataType());
        return activationFn.backprop(preOutput.dup(), dLda).getFirst();
    }
}
