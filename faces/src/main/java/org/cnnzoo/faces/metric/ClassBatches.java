package org.cnnzoo.faces.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * "PK" batches for losses formed within a batch (FaceNet's and Hermans et al.'s sampling): each batch holds
 * {@code batch / k} classes with {@code k} images each, so that every anchor has k - 1 positives and the rest of the
 * batch as negatives. Random batches of many classes hold few positive pairs, and batch-hard mining then has little
 * to choose from.
 */
public final class ClassBatches {
    private ClassBatches() {
    }

    /**
     * An epoch's order of the examples: {@code labels.length / batch} batches, each of {@code batch / k} distinct
     * classes drawn at random with {@code k} of their examples; a class's examples are taken in a shuffled order
     * and reshuffled when used up. Classes with fewer than k examples repeat them.
     */
    public static int[] order(int[] labels, int batch, int k, long seed) {
        if (k < 2 || batch % k != 0 || batch / k < 2) {
            throw new IllegalArgumentException("--per-class must be at least 2 and divide the batch into at least two"
                    + " classes; got " + k + " per class in batches of " + batch);
        }
        int classes = 0;
        for (int l : labels) {
            classes = Math.max(classes, l + 1);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            if (!byClass.get(c).isEmpty()) {
                present.add(c);
            }
        }
        int perBatch = batch / k;
        if (present.size() < perBatch) {
            throw new IllegalArgumentException(batch + " / " + k + " = " + perBatch + " classes per batch, but the"
                    + " training data has " + present.size());
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[][] queues = new int[classes][];
        int[] next = new int[classes];
        int batches = labels.length / batch;
        int[] order = new int[batches * batch];
        int at = 0;
        for (int b = 0; b < batches; b++) {
            List<Integer> pool = new ArrayList<>(present);
            for (int p = 0; p < perBatch; p++) {
                int c = pool.remove(random.nextInt(pool.size()));
                for (int j = 0; j < k; j++) {
                    if (queues[c] == null || next[c] == queues[c].length) {
                        queues[c] = shuffled(byClass.get(c), random);
                        next[c] = 0;
                    }
                    order[at++] = queues[c][next[c]++];
                }
            }
        }
        return order;
    }

    private static int[] shuffled(List<Integer> items, SplittableRandom random) {
        int[] a = items.stream().mapToInt(Integer::intValue).toArray();
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
