package org.cnnzoo.zoo.build;

/** The course's convolution arithmetic, shared by the graph builder and the cost summary. */
public final class ConvArithmetic {
    private ConvArithmetic() {
    }

    /**
     * Output size along one dimension: floor((n + 2p - f) / s) + 1.
     *
     * @throws IllegalArgumentException when the window does not fit, naming the numbers
     */
    public static int outputSize(int n, int f, int s, int p) {
        int padded = n + 2 * p;
        if (padded < f) {
            throw new IllegalArgumentException("a " + f + "-wide window does not fit an input of " + n
                    + " with padding " + p + ": the input is too small for this network");
        }
        return Math.floorDiv(padded - f, s) + 1;
    }

    /** Output size of a pooling window in PyTorch's ceil mode: ceil((n + 2p - f) / s) + 1, last window starting inside. */
    public static int ceilOutputSize(int n, int f, int s, int p) {
        int out = Math.floorDiv(n + 2 * p - f + s - 1, s) + 1;
        if ((out - 1) * s >= n + p) {
            out--;
        }
        return out;
    }

    /** Parameters of a convolution: (f_h * f_w * n_c / groups + bias) * n_filters. */
    public static long convParams(int fh, int fw, long inChannels, long filters, long groups, boolean bias) {
        return (fh * (long) fw * (inChannels / groups) + (bias ? 1 : 0)) * filters;
    }

    /** Multiply-adds of a convolution: one per kernel weight per output position. */
    public static long convMacs(long outH, long outW, int fh, int fw, long inChannels, long filters, long groups) {
        return outH * outW * filters * fh * (long) fw * (inChannels / groups);
    }
}
