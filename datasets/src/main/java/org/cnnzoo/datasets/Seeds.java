package org.cnnzoo.datasets;

/**
 * Per-item seeds derived from a user's seed. java.util.Random's first draws are nearly equal for nearby seeds
 * (seed 0 and seed 1 both start near 0.73), so seeds must never be used as seed + index; they are mixed here
 * with SplitMix64 steps, which send nearby inputs to unrelated outputs.
 */
public final class Seeds {
    private Seeds() {
    }

    /** A seed for the item identified by the given coordinates (e.g. epoch and image index) under {@code seed}. */
    public static long mix(long seed, long... coordinates) {
        long z = seed;
        for (long v : coordinates) {
            z += 0x9E3779B97F4A7C15L + v;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
        }
        return z;
    }

    /** 0..n-1 in an order drawn from {@code random} (Fisher-Yates, from the end). */
    public static int[] permutation(int n, java.util.SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
