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
 *   <li>{@link Mining#SEMI_HARD}: FaceNet's choice, per anchor-positive pair, the nearest negative that is further
 *   than the positive (inside the margin or not); when every negative is nearer, the furthest of them, the least
 *   hard; the mean over all anchor-positive pairs.</li>
 * </ul>
 * With a <em>soft margin</em> (Hermans et al.), max(x + margin, 0) becomes log(1 + e^x), x = ||f(A) - f(P)||^2 -
 * ||f(A) - f(N)||^2: no margin to choose, and every triplet keeps a gradient that fades as it is satisfied; batch
 * all then takes the mean over every valid triplet.
 */
public class TripletLoss extends BatchMetricLoss {
    /** FaceNet's margin, for embeddings on the unit sphere. */
    public static final double MARGIN = 0.2;

    public enum Mining { ALL, HARD, SEMI_HARD }

    private Mining mining;
    private boolean soft;

    public TripletLoss() {
        this(MARGIN, Mining.ALL);
    }

    public TripletLoss(double margin, Mining mining) {
        super(margin);
        this.mining = mining;
    }

    /** The soft-margin triplet loss, log(1 + e^x). */
    public static TripletLoss soft(Mining mining) {
        TripletLoss loss = new TripletLoss(MARGIN, mining);
        loss.setSoft(true);
        return loss;
    }

    public boolean isSoft() {
        return soft;
    }

    public void setSoft(boolean soft) {
        this.soft = soft;
    }

    /** The loss of one triplet whose squared distances differ by x = d(A, P) - d(A, N). */
    private double term(double x) {
        // log(1 + e^x) without overflow
        return soft ? Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))) : Math.max(x + getMargin(), 0);
    }

    /** d term / dx. */
    private double slope(double x) {
        return soft ? 1 / (1 + Math.exp(-x)) : x + getMargin() > 0 ? 1 : 0;
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
        return switch (mining) {
            case ALL -> batchAll(e, labels, d, shares, gradient);
            case HARD -> batchHard(e, labels, d, shares, gradient);
            case SEMI_HARD -> semiHard(e, labels, d, shares, gradient);
        };
    }

    private double batchAll(double[][] e, int[] labels, double[][] d, double[] shares, double[][] gradient) {
        int n = e.length;
        // the mean over the triplets that count: violating the margin, or every triplet with a soft margin
        int counted = 0;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                if (p == a || labels[p] != labels[a]) {
                    continue;
                }
                for (int q = 0; q < n; q++) {
                    if (labels[q] != labels[a] && (soft || term(d[a][p] - d[a][q]) > 0)) {
                        counted++;
                    }
                }
            }
        }
        if (counted == 0) {
            return 0;
        }
        double total = 0;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                if (p == a || labels[p] != labels[a]) {
                    continue;
                }
                for (int q = 0; q < n; q++) {
                    double x = d[a][p] - d[a][q];
                    double h = labels[q] == labels[a] ? 0 : term(x);
                    if (h <= 0) {
                        continue;
                    }
                    total += h;
                    shares[a] += h / counted;
                    // d(ap) - d(aq): 2 (e_a - e_p) - 2 (e_a - e_q) for the anchor, and the opposite for p and q
                    double w = 2.0 * slope(x) / counted;
                    pull(e, gradient, a, p, w);
                    pull(e, gradient, a, q, -w);
                }
            }
        }
        return total / counted;
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
            double x = d[a][positive[a]] - d[a][negative[a]];
            double h = term(x);
            if (h <= 0) {
                continue;
            }
            total += h;
            shares[a] = h / anchors;
            pull(e, gradient, a, positive[a], 2.0 * slope(x) / anchors);
            pull(e, gradient, a, negative[a], -2.0 * slope(x) / anchors);
        }
        return total / anchors;
    }

    private double semiHard(double[][] e, int[] labels, double[][] d, double[] shares, double[][] gradient) {
        int n = e.length;
        boolean anyNegative = false;
        for (int j = 1; j < n && !anyNegative; j++) {
            anyNegative = labels[j] != labels[0];
        }
        if (!anyNegative) {
            return 0;
        }
        int pairs = 0;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                if (p != a && labels[p] == labels[a]) {
                    pairs++;
                }
            }
        }
        if (pairs == 0) {
            return 0;
        }
        double total = 0;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                if (p == a || labels[p] != labels[a]) {
                    continue;
                }
                int further = -1;
                int furthest = -1;
                for (int q = 0; q < n; q++) {
                    if (labels[q] == labels[a]) {
                        continue;
                    }
                    if (d[a][q] > d[a][p] && (further < 0 || d[a][q] < d[a][further])) {
                        further = q;
                    }
                    if (furthest < 0 || d[a][q] > d[a][furthest]) {
                        furthest = q;
                    }
                }
                int q = further >= 0 ? further : furthest;
                double x = d[a][p] - d[a][q];
                double h = term(x);
                if (h <= 0) {
                    continue;
                }
                total += h;
                shares[a] += h / pairs;
                pull(e, gradient, a, p, 2.0 * slope(x) / pairs);
                pull(e, gradient, a, q, -2.0 * slope(x) / pairs);
            }
        }
        return total / pairs;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "triplet(margin=%s, mining=%s)", soft ? "soft" : getMargin(), mining.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TripletLoss t && t.getMargin() == getMargin() && t.mining == mining && t.soft == soft;
    }

    @Override
    public int hashCode() {
        return (Double.hashCode(getMargin()) * 31 + mining.hashCode()) * 2 + (soft ? 1 : 0);
    }
}
