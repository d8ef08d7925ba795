package org.cnnzoo.detection.yolo;

import org.cnnzoo.detection.Box;
import org.cnnzoo.detection.LabelledBox;
import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.detection.data.DetectionSample;
import org.cnnzoo.detection.data.DetectionSet;
import org.cnnzoo.transfer.Progress;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cnnzoo.datasets.Seeds;

/**
 * Trains a YOLO detector epoch by epoch: shuffled, augmented batches whose boxes become DL4J's YOLO labels, the
 * validation mAP after every epoch, and a checkpoint after every epoch so that a killed run resumes where it
 * stopped. The order and augmentation of an epoch depend only on the seed and the epoch's number, so a resumed run
 * trains as an uninterrupted one would.
 */
public final class DetectorTraining {
    private DetectorTraining() {
    }

    /** How long and how to train. */
    public record Settings(int epochs, int batch, DetectionAugment augment, long seed) {
        public Settings {
            if (epochs < 1 || batch < 1) {
                throw new IllegalArgumentException("epochs and batch size must be at least 1, got " + epochs + " and "
                        + batch);
            }
        }
    }

    /** One epoch: mean training loss, validation mAP at IoU 0.5 (NaN without a validation set), seconds. */
    public record Epoch(int epoch, double loss, double validationMap, double seconds) {
    }

    /**
     * Called after every epoch with the network and the epochs so far (where checkpoints are written), and told
     * whether this epoch has the best validation mAP so far.
     */
    @FunctionalInterface
    public interface Checkpoint {
        void save(ComputationGraph graph, List<Epoch> history, boolean best) throws IOException;
    }

    /** The epochs, earlier ones included, and the one whose weights the network holds at the end (0: the last). */
    public record Trained(List<Epoch> epochs, int bestEpoch) {
    }

    /**
     * Trains from epoch {@code history.size() + 1} on (a fresh run passes an empty history), then puts back the
     * weights of the epoch with the best validation mAP@0.5, as early stopping keeps the best epoch: the last
     * epoch's mAP moves by several points from one epoch to the next.
     *
     * @param bestSoFar the best epoch's parameters of the history being resumed, or null
     */
    public static Trained train(ComputationGraph graph, DetectorSpec spec, DetectionSet train,
                                DetectionSet validation, Settings settings, List<Epoch> history,
                                INDArray bestSoFar, Checkpoint checkpoint, Progress progress) throws IOException {
        List<Epoch> epochs = new ArrayList<>(history);
        int bestEpoch = best(history);
        INDArray bestParams = bestEpoch > 0 ? bestSoFar : null;
        YoloDetector detector = new YoloDetector(graph, spec);
        for (int e = epochs.size() + 1; e <= settings.epochs(); e++) {
            long t0 = System.nanoTime();
            // SplittableRandom mixes its seed, so neighbouring epochs draw unrelated orders (unlike java.util.Random)
            SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + e);
            int[] order = Seeds.permutation(train.size(), random);
            double loss = 0;
            int batches = 0;
            progress.start("epoch " + e + "/" + settings.epochs(), train.size());
            for (int start = 0; start < order.length; start += settings.batch()) {
                int n = Math.min(settings.batch(), order.length - start);
                List<DetectionAugment.Sample> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    DetectionSample s = train.samples().get(order[start + i]);
                    batch.add(settings.augment().apply(s.image(), s.objects(), random));
                }
                graph.fit(dataSet(spec, batch));
                loss += graph.score();
                batches++;
                progress.step(start + n);
            }
            progress.finish();
            double map = validation == null || validation.size() == 0 ? Double.NaN
                    : DetectionMetrics.evaluate(detector, validation, settings.batch()).map50();
            epochs.add(new Epoch(e, loss / batches, map, (System.nanoTime() - t0) / 1e9));
            progress.message(String.format("epoch %d: loss %.4f, validation mAP@0.5 %.3f", e, loss / batches, map));
            boolean improved = Double.isFinite(map) && (bestEpoch == 0 || map > epochs.get(bestEpoch - 1).validationMap());
            if (improved) {
                bestEpoch = e;
                bestParams = graph.params().dup();
            }
            if (checkpoint != null) {
                checkpoint.save(graph, epochs, improved);
            }
        }
        if (bestParams != null) {
            graph.setParams(bestParams);
            progress.message(String.format("kept epoch %d (validation mAP@0.5 %.3f)", bestEpoch,
                    epochs.get(bestEpoch - 1).validationMap()));
        }
        return new Trained(epochs, bestParams != null ? bestEpoch : 0);
    }

    /** The epoch with the best finite validation mAP (the first of equals), or 0. */
    static int best(List<Epoch> epochs) {
        int best = 0;
        for (Epoch e : epochs) {
            if (Double.isFinite(e.validationMap()) && (best == 0 || e.validationMap() > epochs.get(best - 1).validationMap())) {
                best = e.epoch();
            }
        }
        return best;
    }

    /** Pictures as the detector's input and their boxes as DL4J's YOLO labels. */
    static DataSet dataSet(DetectorSpec spec, List<DetectionAugment.Sample> batch) {
        DetectorInput input = spec.detectorInput();
        float[] features = new float[batch.size() * input.size()];
        int classes = spec.classes().size();
        int rows = spec.rows();
        int columns = spec.columns();
        float[] labels = new float[batch.size() * (4 + classes) * rows * columns];
        for (int i = 0; i < batch.size(); i++) {
            RgbImage image = batch.get(i).image();
            input.write(image, features, i * input.size());
            writeLabels(batch.get(i).objects(), image.width(), image.height(), classes, rows, columns, labels,
                    i * (4 + classes) * rows * columns);
        }
        var in = spec.input();
        return new DataSet(Nd4j.create(features, new long[]{batch.size(), in.channels(), in.height(), in.width()}, 'c'),
                Nd4j.create(labels, new long[]{batch.size(), 4 + classes, rows, columns}, 'c'));
    }

    /**
     * DL4J's YOLO labels for one picture: in the cell holding each box's centre, the box's corners in grid units and
     * its class one-hot. A cell holds one object: when two centres share a cell the larger box is kept.
     */
    static void writeLabels(List<LabelledBox> objects, int width, int height, int classes, int rows, int columns,
                            float[] out, int offset) {
        double[] area = new double[rows * columns];
        int plane = rows * columns;
        for (LabelledBox o : objects) {
            Box b = o.box().relativeTo(width, height);
            int column = Math.min(columns - 1, Math.max(0, (int) Math.floor(b.centreX() * columns)));
            int row = Math.min(rows - 1, Math.max(0, (int) Math.floor(b.centreY() * rows)));
            int cell = row * columns + column;
            if (b.area() <= area[cell]) {
                continue;
            }
            area[cell] = b.area();
            out[offset + cell] = (float) (b.x1() * columns);
            out[offset + plane + cell] = (float) (b.y1() * rows);
            out[offset + 2 * plane + cell] = (float) (b.x2() * columns);
            out[offset + 3 * plane + cell] = (float) (b.y2() * rows);
            for (int c = 0; c < classes; c++) {
                out[offset + (4 + c) * plane + cell] = c == o.classIndex() ? 1 : 0;
            }
        }
    }
}
