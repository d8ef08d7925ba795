package org.cnnzoo.faces.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * How well embeddings tell apart classes they were never trained on: N-way one-shot accuracy (the course's setting:
 * one picture of each of N people, a new picture to name) over many seeded episodes, and verification (same or
 * different class, by a threshold on the distance) as ROC AUC and equal-error rate over pairs. Distances are
 * Euclidean between the vectors as given; {@link #normalised} puts them on the unit sphere first.
 */
public final class OneShot {
    private OneShot() {
    }

    /** N-way one-shot accuracy with its 95% interval (normal approximation over all queries). */
    public record Episodes(int ways, int episodes, double accuracy, double low, double high) {
    }

    /** Verification over pairs: ROC AUC, equal-error rate and the distance where it is reached. */
    public record Verification(int pairs, double auc, double eer, double threshold) {
    }

    /** Everything measured on one set of embeddings. */
    public record Report(int examples, int classes, List<Episodes> oneShot, Verification verification) {
        public Episodes ways(int n) {
            return oneShot.stream().filter(e -> e.ways() == n).findFirst().orElse(null);
        }
    }

    /** One-shot accuracy for each N in {@code ways} that the data has classes for, and verification. */
    public static Report evaluate(float[][] embeddings, int[] labels, int[] ways, int episodes, long seed) {
        int classes = usableClasses(labels);
        List<Episodes> results = new ArrayList<>();
        for (int n : ways) {
            if (n >= 2 && n <= classes) {
                results.add(nWay(embeddings, labels, n, episodes, seed));
            }
        }
        return new Report(embeddings.length, (int) Arrays.stream(labels).distinct().count(), results,
                verification(embeddings, labels, 200_000, seed));
    }

    /** Classes with at least two examples (a support and a query). */
    static int usableClasses(int[] labels) {
        int max = Arrays.stream(labels).max().orElse(-1);
        int[] count = new int[max + 1];
        for (int l : labels) {
            count[l]++;
        }
        return (int) Arrays.stream(count).filter(c -> c >= 2).count();
    }

    /**
     * Episodes of N classes drawn at random; in each, one support and one other query example per class, drawn at
     * random; each query is named by its nearest support.
     */
    public static Episodes nWay(float[][] embeddings, int[] labels, int ways, int episodes, long seed) {
        List<List<Integer>> byClass = byClass(labels);
        List<Integer> usable = new ArrayList<>();
        for (int c = 0; c < byClass.size(); c++) {
            if (byClass.get(c).size() >= 2) {
                usable.add(c);
            }
        }
        if (usable.size() < ways) {
            throw new IllegalArgumentException(ways + "-way one-shot needs " + ways + " classes with two examples or"
                    + " more; the data has " + usable.size());
        }
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes must be positive, got " + episodes);
        }
        Random random = new Random(seed * 31 + ways);
        long correct = 0;
        long queries = 0;
        int[] support = new int[ways];
        int[] query = new int[ways];
        for (int episode = 0; episode < episodes; episode++) {
            List<Integer> chosen = new ArrayList<>(usable);
            for (int k = 0; k < ways; k++) {                       // a partial Fisher-Yates draw of the classes
                int pick = k + random.nextInt(chosen.size() - k);
                java.util.Collections.swap(chosen, k, pick);
                List<Integer> members = byClass.get(chosen.get(k));
                int s = random.nextInt(members.size());
                int q = random.nextInt(members.size() - 1);
                support[k] = members.get(s);
                query[k] = members.get(q >= s ? q + 1 : q);
            }
            for (int k = 0; k < ways; k++) {
                int best = -1;
                double bestDistance = Double.POSITIVE_INFINITY;
                for (int j = 0; j < ways; j++) {
                    double d = squaredDistance(embeddings[query[k]], embeddings[support[j]]);
                    if (d < bestDistance) {
                        bestDistance = d;
                        best = j;
                    }
                }
                correct += best == k ? 1 : 0;
                queries++;
            }
        }
        double p = correct / (double) queries;
        double half = 1.96 * Math.sqrt(p * (1 - p) / queries);
        return new Episodes(ways, episodes, p, Math.max(0, p - half), Math.min(1, p + half));
    }

    /**
     * ROC AUC (the chance that a same-class pair lies closer than a different-class pair, ties counting half) and
     * the equal-error rate over every pair, or {@code maxPairs} pairs drawn at random when there are more.
     */
    public static Verification verification(float[][] embeddings, int[] labels, int maxPairs, long seed) {
        int n = embeddings.length;
        long all = (long) n * (n - 1) / 2;
        List<double[]> pairs = new ArrayList<>();                  // {distance, same ? 1 : 0}
        if (all <= maxPairs) {
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    pairs.add(new double[]{Math.sqrt(squaredDistance(embeddings[i], embeddings[j])),
                            labels[i] == labels[j] ? 1 : 0});
                }
            }
        } else {
            Random random = new Random(seed);
            while (pairs.size() < maxPairs) {
                int i = random.nextInt(n);
                int j = random.nextInt(n);
                if (i != j) {
                    pairs.add(new double[]{Math.sqrt(squaredDistance(embeddings[i], embeddings[j])),
                            labels[i] == labels[j] ? 1 : 0});
                }
            }
        }
        pairs.sort((a, b) -> Double.compare(a[0], b[0]));
        long positives = pairs.stream().filter(p -> p[1] == 1).count();
        long negatives = pairs.size() - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("verification needs pairs of one class and pairs of two classes");
        }
        // AUC from ranks by increasing distance: a same-class pair scores higher the closer it is
        double rankSum = 0;
        int i = 0;
        while (i < pairs.size()) {
            int j = i;
            while (j < pairs.size() && pairs.get(j)[0] == pairs.get(i)[0]) {
                j++;
            }
            double averageRank = (i + j - 1) / 2.0 + 1;          // 1-based ranks i+1 .. j
            for (int k = i; k < j; k++) {
                if (pairs.get(k)[1] == 0) {
                    rankSum += averageRank;
                }
            }
            i = j;
        }
        // different-class pairs should have the large ranks (large distances)
        double auc = (rankSum - negatives * (negatives + 1) / 2.0) / ((double) positives * negatives);
        // equal-error rate: accept pairs at distance <= t; sweep t over the sorted distances
        double eer = 1;
        double threshold = 0;
        double bestGap = Double.POSITIVE_INFINITY;
        long acceptedNegatives = 0;
        long acceptedPositives = 0;
        for (int k = 0; k < pairs.size(); k++) {
            if (pairs.get(k)[1] == 1) {
                acceptedPositives++;
            } else {
                acceptedNegatives++;
            }
            if (k + 1 < pairs.size() && pairs.get(k + 1)[0] == pairs.get(k)[0]) {
                continue;
            }
            double falseAccept = acceptedNegatives / (double) negatives;
            double falseReject = 1 - acceptedPositives / (double) positives;
            double gap = Math.abs(falseAccept - falseReject);
            if (gap < bestGap) {
                bestGap = gap;
                eer = (falseAccept + falseReject) / 2;
                threshold = pairs.get(k)[0];
            }
        }
        return new Verification(pairs.size(), auc, eer, threshold);
    }

    /** Each vector divided by its Euclidean length (zero vectors left as they are). */
    public static float[][] normalised(float[][] vectors) {
        float[][] out = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            double norm = 0;
            for (float v : vectors[i]) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            out[i] = vectors[i].clone();
            if (norm > 0) {
                for (int k = 0; k < out[i].length; k++) {
                    out[i][k] /= norm;
                }
            }
        }
        return out;
    }

    private static List<List<Integer>> byClass(int[] labels) {
        int max = Arrays.stream(labels).max().orElse(-1);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c <= max; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        return byClass;
    }

    static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - b[k];
            sum += d * d;
        }
        return sum;
    }
}
