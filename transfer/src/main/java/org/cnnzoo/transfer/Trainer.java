package org.cnnzoo.transfer;

import org.cnnzoo.zoo.inference.InferenceGraph;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * Epochs with early stopping: after each epoch the validation loss is measured; training stops when it has not
 * improved for {@code patience} epochs, and the parameters of the best epoch are restored. Without validation
 * data every epoch runs and the last parameters stay.
 */
public final class Trainer {

    /** One epoch: mean training loss, validation loss and accuracy (NaN without validation), wall time. */
    public record Epoch(int epoch, double trainLoss, double validationLoss, double validationAccuracy, double seconds) {
    }

    /** The epochs of one training phase and the one whose parameters were kept. */
    public record History(String phase, List<Epoch> epochs, int bestEpoch) {
        public double seconds() {
            return epochs.stream().mapToDouble(Epoch::seconds).sum();
        }

        /** The epoch whose parameters were kept. */
        public Epoch best() {
            return epochs.get(bestEpoch - 1);
        }
    }

    private Trainer() {
    }

    public static History fit(String phase, ComputationGraph net, DataSetIterator train, DataSetIterator validation,
                              int maxEpochs, int patience, Progress progress) {
        return fit(phase, net, train, validation, maxEpochs, patience, progress, null);
    }

    /** The same with each epoch's training on {@code engine} (null: in this JVM); validation runs here. */
    public static History fit(String phase, ComputationGraph net, DataSetIterator train, DataSetIterator validation,
                              int maxEpochs, int patience, Progress progress, Engine engine) {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + maxEpochs);
        }
        List<Epoch> epochs = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        INDArray bestParams = null;
        progress.start(phase, maxEpochs);
        for (int e = 1; e <= maxEpochs; e++) {
            long t0 = System.nanoTime();
            double trainLoss = engine == null ? fitEpoch(net, train) : engine.fitEpoch(net, train);
            double valLoss = Double.NaN;
            double valAccuracy = Double.NaN;
            if (validation != null) {
                double[] v = lossAndAccuracy(net, validation);
                valLoss = v[0];
                valAccuracy = v[1];
            }
            epochs.add(new Epoch(e, trainLoss, valLoss, valAccuracy, (System.nanoTime() - t0) / 1e9));
            progress.step(e);
            progress.message(String.format("%s epoch %d: loss %.4f%s", phase, e, trainLoss,
                    validation == null ? "" : String.format(", validation loss %.4f, accuracy %.3f", valLoss, valAccuracy)));
            if (validation == null) {
                bestEpoch = e;
            } else if (valLoss < best) {
                best = valLoss;
                bestEpoch = e;
                bestParams = net.params().dup();
            } else if (e - bestEpoch >= patience) {
                break;
            }
        }
        if (bestParams != null) {
            net.setParams(bestParams);
        }
        progress.finish();
        return new History(phase, epochs, bestEpoch);
    }

    /** One epoch in this JVM; the mean training loss per example. */
    private static double fitEpoch(ComputationGraph net, DataSetIterator train) {
        double lossSum = 0;
        long examples = 0;
        train.reset();
        while (train.hasNext()) {
            DataSet batch = train.next();
            if (batch.numExamples() == 0) {
                continue;
            }
            net.fit(batch);
            lossSum += net.score() * batch.numExamples();
            examples += batch.numExamples();
        }
        return lossSum / Math.max(1, examples);
    }

    /**
     * Mean cross-entropy (inference mode, without the regularisation term DL4J's score adds) and accuracy over a
     * data set, from one forward pass per batch through the network rewritten for inference.
     */
    public static double[] lossAndAccuracy(ComputationGraph trained, DataSetIterator data) {
        InferenceGraph net = InferenceGraph.of(trained);
        data.reset();
        double loss = 0;
        long n = 0;
        long correct = 0;
        while (data.hasNext()) {
            DataSet batch = data.next();
            if (batch.numExamples() == 0) {
                continue;
            }
            INDArray probabilities = net.output(batch.getFeatures());
            INDArray labels = batch.getLabels();
            INDArray logP = Transforms.log(Transforms.max(probabilities, 1e-10, true), false);
            loss -= logP.muli(labels).sumNumber().doubleValue();
            correct += probabilities.argMax(1).eq(labels.argMax(1)).castTo(DataType.INT).sumNumber().longValue();
            n += batch.numExamples();
        }
        data.reset();
        return new double[]{loss / Math.max(1, n), (double) correct / Math.max(1, n)};
    }
}
