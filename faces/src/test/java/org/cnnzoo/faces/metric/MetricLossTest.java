package org.cnnzoo.faces.metric;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The triplet and contrastive losses against a direct computation from their definitions (every triplet or pair
 * listed, then the formula), and their gradients against central finite differences of the loss.
 */
class MetricLossTest {
    static final int N = 9;
    static final int D = 4;
    static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0, 1, 0};

    static double[][] embeddings(long seed) {
        Random r = new Random(seed);
        double[][] e = new double[N][D];
        for (double[] row : e) {
            for (int k = 0; k < D; k++) {
                row[k] = r.nextGaussian() * 0.5;
            }
        }
        return e;
    }

    static INDArray oneHot(int[] labels, int classes) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            y.putScalar(i, labels[i], 1);
        }
        return y;
    }

    static double sq(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return s;
    }

    /** The course's J over listed triplets: batch all = mean of the positive terms. */
    static double directBatchAll(double[][] e, int[] y, double margin) {
        List<Double> positive = new ArrayList<>();
        for (int a = 0; a < e.length; a++) {
            for (int p = 0; p < e.length; p++) {
                for (int q = 0; q < e.length; q++) {
                    if (a != p && y[a] == y[p] && y[q] != y[a]) {
                        double j = Math.max(sq(e[a], e[p]) - sq(e[a], e[q]) + margin, 0);
                        if (j > 0) {
                            positive.add(j);
                        }
                    }
                }
            }
        }
        return positive.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    static double directBatchHard(double[][] e, int[] y, double margin) {
        double sum = 0;
        int anchors = 0;
        for (int a = 0; a < e.length; a++) {
            double hardestPositive = -1;
            double hardestNegative = Double.MAX_VALUE;
            for (int j = 0; j < e.length; j++) {
                if (j != a && y[j] == y[a]) {
                    hardestPositive = Math.max(hardestPositive, sq(e[a], e[j]));
                } else if (y[j] != y[a]) {
                    hardestNegative = Math.min(hardestNegative, sq(e[a], e[j]));
                }
            }
            if (hardestPositive >= 0 && hardestNegative < Double.MAX_VALUE) {
                anchors++;
                sum += Math.max(hardestPositive - hardestNegative + margin, 0);
            }
        }
        return sum / anchors;
    }

    /** FaceNet's semi-hard negative per anchor-positive pair, found by sorting the anchor's negatives. */
    static double directSemiHard(double[][] e, int[] y, double margin) {
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < e.length; a++) {
            List<Double> negatives = new ArrayList<>();
            for (int q = 0; q < e.length; q++) {
                if (y[q] != y[a]) {
                    negatives.add(sq(e[a], e[q]));
                }
            }
            negatives.sort(null);
            for (int p = 0; p < e.length; p++) {
                if (p == a || y[p] != y[a]) {
                    continue;
                }
                double dap = sq(e[a], e[p]);
                double dan = negatives.stream().filter(v -> v > dap).findFirst()
                        .orElse(negatives.get(negatives.size() - 1));
                sum += Math.max(dap - dan + margin, 0);
                pairs++;
            }
        }
        return sum / pairs;
    }

    /** Hermans et al.'s soft margin over every listed triplet: the mean of log(1 + e^x). */
    static double directSoftBatchAll(double[][] e, int[] y) {
        double sum = 0;
        int triplets = 0;
        for (int a = 0; a < e.length; a++) {
            for (int p = 0; p < e.length; p++) {
                for (int q = 0; q < e.length; q++) {
                    if (a != p && y[a] == y[p] && y[q] != y[a]) {
                        sum += Math.log(1 + Math.exp(sq(e[a], e[p]) - sq(e[a], e[q])));
                        triplets++;
                    }
                }
            }
        }
        return sum / triplets;
    }

    static double directContrastive(double[][] e, int[] y, double margin) {
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < e.length; i++) {
            for (int j = i + 1; j < e.length; j++) {
                double d = Math.sqrt(sq(e[i], e[j]));
                sum += y[i] == y[j] ? d * d / 2 : Math.pow(Math.max(margin - d, 0), 2) / 2;
                pairs++;
            }
        }
        return sum / pairs;
    }

    @Test
    void lossesEqualTheirDefinitions() {
        for (long seed = 1; seed <= 5; seed++) {
            double[][] e = embeddings(seed);
            INDArray pre = Nd4j.create(e);
            INDArray y = oneHot(LABELS, 3);
            var identity = new ActivationIdentity();
            assertEquals(directBatchAll(e, LABELS, 0.2),
                    new TripletLoss(0.2, TripletLoss.Mining.ALL).computeScore(y, pre, identity, null, true), 1e-12);
            assertEquals(directBatchHard(e, LABELS, 0.5),
                    new TripletLoss(0.5, TripletLoss.Mining.HARD).computeScore(y, pre, identity, null, true), 1e-12);
            assertEquals(directSemiHard(e, LABELS, 0.5),
                    new TripletLoss(0.5, TripletLoss.Mining.SEMI_HARD).computeScore(y, pre, identity, null, true), 1e-12);
            assertEquals(directSoftBatchAll(e, LABELS),
                    TripletLoss.soft(TripletLoss.Mining.ALL).computeScore(y, pre, identity, null, true), 1e-12);
            assertEquals(directContrastive(e, LABELS, 1.0),
                    new ContrastiveLoss(1.0).computeScore(y, pre, identity, null, true), 1e-12);
            // DL4J's sum of per-example scores is N times the batch's loss
            assertEquals(N * directContrastive(e, LABELS, 1.0),
                    new ContrastiveLoss(1.0).computeScoreArray(y, pre, identity, null).sumNumber().doubleValue(), 1e-10);
        }
    }

    @Test
    void theCoursesTripletByHand() {
        // A = (0, 0), P = (1, 0), N = (3, 0): ||A-P||^2 = 1, ||A-N||^2 = 9, ||P-N||^2 = 4. Every triplet (A,P,N)
        // and (P,A,N) satisfies the margin 0.2: J = 0
        double[][] e = {{0, 0}, {1, 0}, {3, 0}};
        assertEquals(0, new TripletLoss(0.2, TripletLoss.Mining.ALL).value(e, new int[]{0, 0, 1}), 1e-12);
        // relabel so that the far points are the pair: anchor (0,0): 9 - 1 + 0.2 = 8.2; anchor (3,0): 9 - 4 + 0.2
        // = 5.2; both violate the margin, so both mining modes give their mean, 6.7
        int[] swapped = {0, 1, 0};
        assertEquals(6.7, new TripletLoss(0.2, TripletLoss.Mining.ALL).value(e, swapped), 1e-12);
        assertEquals(6.7, new TripletLoss(0.2, TripletLoss.Mining.HARD).value(e, swapped), 1e-12);
        // semi-hard: anchor (0,0)'s only negative (1,0) is nearer than its positive, so it is taken (the furthest
        // when none is further): 8.2; anchor (3,0)'s likewise: 5.2
        assertEquals(6.7, new TripletLoss(0.2, TripletLoss.Mining.SEMI_HARD).value(e, swapped), 1e-12);
        // four points on a line, classes {0, 3} and {2, 4}; four anchor-positive pairs:
        // anchor 0, positive 3 (d 9): negatives at 4 and 16, the nearest beyond 9 is 16: 9 - 16 + 0.2 < 0, nothing;
        // anchor 3, positive 0 (d 9): negatives at 1 and 1, none beyond: the furthest, 1: 9 - 1 + 0.2 = 8.2;
        // anchor 2, positive 4 (d 4): negatives at 4 and 1, none strictly beyond: the furthest, 4: 0.2;
        // anchor 4, positive 2 (d 4): negatives at 16 and 1: 16 is beyond: nothing. Mean (8.2 + 0.2) / 4
        double[][] four = {{0, 0}, {3, 0}, {2, 0}, {4, 0}};
        int[] y4 = {0, 0, 1, 1};
        assertEquals(8.4 / 4, new TripletLoss(0.2, TripletLoss.Mining.SEMI_HARD).value(four, y4), 1e-12);
    }

    @Test
    void gradientsEqualFiniteDifferences() {
        List<BatchMetricLoss> losses = List.of(new TripletLoss(0.2, TripletLoss.Mining.ALL),
                new TripletLoss(0.5, TripletLoss.Mining.HARD), new TripletLoss(0.5, TripletLoss.Mining.SEMI_HARD),
                TripletLoss.soft(TripletLoss.Mining.ALL), TripletLoss.soft(TripletLoss.Mining.HARD),
                new ContrastiveLoss(1.0));
        var identity = new ActivationIdentity();
        INDArray y = oneHot(LABELS, 3);
        for (BatchMetricLoss loss : losses) {
            for (long seed = 11; seed <= 13; seed++) {
                INDArray pre = Nd4j.create(embeddings(seed));
                INDArray analytic = loss.computeGradient(y, pre, identity, null);
                double h = 1e-6;
                double worst = 0;
                for (int i = 0; i < N; i++) {
                    for (int k = 0; k < D; k++) {
                        INDArray plus = pre.dup();
                        plus.putScalar(i, k, pre.getDouble(i, k) + h);
                        INDArray minus = pre.dup();
                        minus.putScalar(i, k, pre.getDouble(i, k) - h);
                        double numeric = (loss.computeScore(y, plus, identity, null, false)
                                - loss.computeScore(y, minus, identity, null, false)) / (2 * h);
                        worst = Math.max(worst, Math.abs(numeric - analytic.getDouble(i, k)));
                    }
                }
                assertTrue(worst < 1e-6, loss + " seed " + seed + ": gradient off by " + worst);
                assertTrue(analytic.norm2Number().doubleValue() > 0, loss + ": a zero gradient proves nothing");
            }
        }
    }
}
