package org.cnnzoo.faces.metric;

import java.util.Locale;

/**
 * The triplet loss of FaceNet and the course: for an anchor A, a positive P of the same class and a negative N of
 * another, max(||f(A) - f(P)||^2 - ||f(A) - f(N)||^2 + margin, 0), with squared Euclidean distances. Triplets are
 * mined in the batch:
 * <ul>
 *   <li>{@link Mining#ALL}: every valid triplet; the loss is the mean over those still violating the margin
 *   (Hermans et al.'s "batch all"), so the easy ones, which give no gradient, do not dilute it;</li>
 *   <li>{@link Mining#HARD}: per anchor, its furthest positive and nearest negative ("batch hard"); the mean over
 *   anchors that have both.</li>
 * </ul>
 */
public class TripletLoss extends BatchMetricLoss {
    /** FaceNet's margin, for embeddings on the unit sphere. */
    public static final double MARGIN = 0.2;

    public enum Mining { ALL, HARD }

    private Mining mining;

    public TripletLoss() {
        this(MARGIN, Mining.ALL);
    }

    public TripletLoss(double margin, Mining mining) {
        super(margin);
        this.mining = mining;
    }

    public Mining getMining() {
        return mining;
    }

    public void setMining(Mining mining) {
        this.mining = mining;
    }

    @Override
    protected double loss(double[][] e, int[] labels, double[] shares, double[][] gradient) {
        int n = e.length;
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[i][j] = d[j][i] = squaredDistance(e[i], e[j]);
            }
        }
        return mining == Mining.ALL ? batchAll(e, labels, d, shares, gradient) : batchHard(e, labels, d, shares, gradient);
    }

    private double batchAll(double[][] e, int[] labels, double[][] d, double[] shares, double[][] gradient) {
        int n = e.length;
        int active = 0;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                if (p == a || labels[p] != labels[a]) {
                    continue;
                }
                for (int q = 0; q < n; q++) {
                    if (labels[q] != labels[a] && d[a][p] - d[a][q] + getMargin() > 0) {
                        active++;
                    }
                }
            }
        }
        if (active == 0) {
            return 0;
        }
        double total = 0;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                if (p == a || labels[p] != labels[a]) {
                    continue;
                }
                for (int q = 0; q < n; q++) {
                    double h = d[a][p] - d[a][q] + getMargin();
                    if (labels[q] == labels[a] || h <= 0) {
                        continue;
                    }
                    total += h;
                    shares[a] += h / active;
                    // d(ap) - d(aq): 2 (e_a - e_p) - 2 (e_a - e_q) for the anchor, and the opposite for p and q
                    pull(e, gradient, a, p, 2.0 / active);
                    pull(e, gradient, a, q, -2.0 / active);
                }
            }
        }
        return total / active;
    }

    private double batchHard(double[][] e, int[] labels, double[][] d, double[] shares, double[][] gradient) {
        int n = e.length;
        int[] positive = new int[n];
        int[] negative = new int[n];
        int anchors = 0;
        for (int a = 0; a < n; a++) {
            positive[a] = -1;
            negative[a] = -1;
            for (int j = 0; j < n; j++) {
                if (j == a) {
                    continue;
                }
                if (labels[j] == labels[a]) {
                    if (positive[a] < 0 || d[a][j] > d[a][positive[a]]) {
                        positive[a] = j;
                    }
                } else if (negative[a] < 0 || d[a][j] < d[a][negative[a]]) {
                    negative[a] = j;
                }
            }
            if (positive[a] >= 0 && negative[a] >= 0) {
                anchors++;
            }
        }
        if (anchors == 0) {
            return 0;
        }
        double total = 0;
        for (int a = 0; a < n; a++) {
            if (positive[a] < 0 || negative[a] < 0) {
                continue;
            }
            double h = d[a][positive[a]] - d[a][negative[a]] + getMargin();
            if (h <= 0) {
                continue;
            }
            total += h;
            shares[a] = h / anchors;
            pull(e, gradient, a, positive[a], 2.0 / anchors);
            pull(e, gradient, a, negative[a], -2.0 / anchors);
        }
        return total / anchors;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "triplet(margin=%s, mining=%s)", getMargin(), mining.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TripletLoss t && t.getMargin() == getMargin() && t.mining == mining;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(getMargin()) * 31 + mining.hashCode();
    }
}
