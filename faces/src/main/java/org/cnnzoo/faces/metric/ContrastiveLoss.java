package org.cnnzoo.faces.metric;

import java.util.Locale;

/**
 * The contrastive loss of Hadsell, Chopra and LeCun (2006), the Siamese network's pair loss: over every pair of the
 * batch at Euclidean distance D, D^2 / 2 for two examples of one class and max(margin - D, 0)^2 / 2 for two of
 * different classes; the mean over pairs.
 */
public class ContrastiveLoss extends BatchMetricLoss {
    /** On the unit sphere (distances 0 to 2), different classes are pushed at least this far apart. */
    public static final double MARGIN = 1.0;

    public ContrastiveLoss() {
        this(MARGIN);
    }

    public ContrastiveLoss(double margin) {
        super(margin);
    }

    @Override
    protected double loss(double[][] e, int[] labels, double[] shares, double[][] gradient) {
        int n = e.length;
        int pairs = n * (n - 1) / 2;
        if (pairs == 0) {
            return 0;
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double squared = squaredDistance(e[i], e[j]);
                double term;
                if (labels[i] == labels[j]) {
                    term = squared / 2;
                    pull(e, gradient, i, j, 1.0 / pairs);                  // d(D^2/2)/de_i = e_i - e_j
                } else {
                    double distance = Math.sqrt(squared);
                    double gap = getMargin() - distance;
                    if (gap <= 0) {
                        continue;
                    }
                    term = gap * gap / 2;
                    if (distance > 0) {
                        pull(e, gradient, i, j, -gap / distance / pairs);  // -(m - D) (e_i - e_j) / D
                    }
                }
                total += term;
                shares[i] += term / pairs;
            }
        }
        return total / pairs;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "contrastive(margin=%s)", getMargin());
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContrastiveLoss c && c.getMargin() == getMargin();
    }

    @Override
    public int hashCode() {
        return Double.hashCode(getMargin());
    }
}
