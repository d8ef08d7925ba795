package org.cnnzoo.zoo.graph;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * Batch normalisation's backward pass in training mode over float buffers, with the JDK's Vector API. Two passes over
 * the data: per-channel sums of dy and dy x, then dx = a dy + b x + k with per-channel a, b and k, which is the
 * textbook gradient dx = gamma / (M sigma) (M dy - sum dy - xhat sum(dy xhat)) rearranged so that the second pass is
 * one multiply-add per operand. Loaded only when the JVM has {@code jdk.incubator.vector} ({@link Vectors}).
 */
final class BatchNormKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Rows of a channels-last array per task, and channel planes' elements per task in NCHW. */
    private static final int ROWS = 512;

    private BatchNormKernel() {
    }

    /** One layer's data: x, dy and dx hold {@code batch * channels * plane} floats from their offsets. */
    record Arrays(ByteBuffer x, int xOffset, ByteBuffer dy, int dyOffset, ByteBuffer dx, int dxOffset) {
        Arrays {
            x = x.order(ORDER);
            dy = dy.order(ORDER);
            dx = dx.order(ORDER);
        }
    }

    /**
     * Writes dx, and the gradients of gamma and beta per channel.
     *
     * @param channelsLast whether the layout is [batch, plane, channels] rather than [batch, channels, plane]
     */
    static void backward(Arrays a, boolean channelsLast, int batch, int channels, int plane, float[] mean,
                         float[] invStd, float[] gamma, float[] dGamma, float[] dBeta) {
        double[][] sums = channelsLast ? sumsLast(a, batch * plane, channels) : sumsFirst(a, batch, channels, plane);
        long m = (long) batch * plane;
        float[] ca = new float[channels];
        float[] cb = new float[channels];
        float[] ck = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sdy = sums[0][c];
            double g = invStd[c] * (sums[1][c] - mean[c] * sdy);
            dBeta[c] = (float) sdy;
            dGamma[c] = (float) g;
            double scale = (double) gamma[c] * invStd[c];
            double b = -scale * invStd[c] * g / m;
            ca[c] = (float) scale;
            cb[c] = (float) b;
            ck[c] = (float) (-scale * sdy / m - b * mean[c]);
        }
        if (channelsLast) {
            int rows = batch * plane;
            IntStream.range(0, (rows + ROWS - 1) / ROWS).parallel().forEach(t -> {
                for (int r = t * ROWS, end = Math.min(rows, r + ROWS); r < end; r++) {
                    int base = r * channels;
                    int c = 0;
                    for (int upper = SPECIES.loopBound(channels); c < upper; c += SPECIES.length()) {
                        FloatVector dy = load(a.dy(), a.dyOffset() + base + c);
                        FloatVector x = load(a.x(), a.xOffset() + base + c);
                        FloatVector dx = dy.fma(FloatVector.fromArray(SPECIES, ca, c),
                                x.fma(FloatVector.fromArray(SPECIES, cb, c), FloatVector.fromArray(SPECIES, ck, c)));
                        dx.intoByteBuffer(a.dx(), (a.dxOffset() + base + c) * 4, ORDER);
                    }
                    for (; c < channels; c++) {
                        float dx = ca[c] * get(a.dy(), a.dyOffset() + base + c) + cb[c] * get(a.x(), a.xOffset() + base + c) + ck[c];
                        a.dx().putFloat((a.dxOffset() + base + c) * 4, dx);
                    }
                }
            });
        } else {
            IntStream.range(0, batch * channels).parallel().forEach(row -> {
                int c = row % channels;
                int base = row * plane;
                FloatVector va = FloatVector.broadcast(SPECIES, ca[c]);
                FloatVector vb = FloatVector.broadcast(SPECIES, cb[c]);
                FloatVector vk = FloatVector.broadcast(SPECIES, ck[c]);
                int i = 0;
                for (int upper = SPECIES.loopBound(plane); i < upper; i += SPECIES.length()) {
                    FloatVector dy = load(a.dy(), a.dyOffset() + base + i);
                    FloatVector x = load(a.x(), a.xOffset() + base + i);
                    dy.fma(va, x.fma(vb, vk)).intoByteBuffer(a.dx(), (a.dxOffset() + base + i) * 4, ORDER);
                }
                for (; i < plane; i++) {
                    float dx = ca[c] * get(a.dy(), a.dyOffset() + base + i) + cb[c] * get(a.x(), a.xOffset() + base + i) + ck[c];
                    a.dx().putFloat((a.dxOffset() + base + i) * 4, dx);
                }
            });
        }
    }

    /** {sum dy, sum dy x} per channel of [rows, channels]: partial sums per block of rows, added in double. */
    private static double[][] sumsLast(Arrays a, int rows, int channels) {
        int tasks = (rows + ROWS - 1) / ROWS;
        float[][][] partial = new float[tasks][][];
        IntStream.range(0, tasks).parallel().forEach(t -> {
            float[] sdy = new float[channels];
            float[] sdyx = new float[channels];
            for (int r = t * ROWS, end = Math.min(rows, r + ROWS); r < end; r++) {
                int base = r * channels;
                int c = 0;
                for (int upper = SPECIES.loopBound(channels); c < upper; c += SPECIES.length()) {
                    FloatVector dy = load(a.dy(), a.dyOffset() + base + c);
                    FloatVector x = load(a.x(), a.xOffset() + base + c);
                    FloatVector.fromArray(SPECIES, sdy, c).add(dy).intoArray(sdy, c);
                    dy.fma(x, FloatVector.fromArray(SPECIES, sdyx, c)).intoArray(sdyx, c);
                }
                for (; c < channels; c++) {
                    float dy = get(a.dy(), a.dyOffset() + base + c);
                    sdy[c] += dy;
                    sdyx[c] += dy * get(a.x(), a.xOffset() + base + c);
                }
            }
            partial[t] = new float[][]{sdy, sdyx};
        });
        double[][] sums = new double[2][channels];
        for (float[][] p : partial) {
            for (int c = 0; c < channels; c++) {
                sums[0][c] += p[0][c];
                sums[1][c] += p[1][c];
            }
        }
        return sums;
    }

    /** {sum dy, sum dy x} per channel of [batch, channels, plane]: one task per channel. */
    private static double[][] sumsFirst(Arrays a, int batch, int channels, int plane) {
        double[][] sums = new double[2][channels];
        IntStream.range(0, channels).parallel().forEach(c -> {
            double sdy = 0;
            double sdyx = 0;
            for (int n = 0; n < batch; n++) {
                int base = (n * channels + c) * plane;
                FloatVector vdy = FloatVector.zero(SPECIES);
                FloatVector vdyx = FloatVector.zero(SPECIES);
                int i = 0;
                for (int upper = SPECIES.loopBound(plane); i < upper; i += SPECIES.length()) {
                    FloatVector dy = load(a.dy(), a.dyOffset() + base + i);
                    vdy = vdy.add(dy);
                    vdyx = dy.fma(load(a.x(), a.xOffset() + base + i), vdyx);
                }
                float tdy = 0;
                float tdyx = 0;
                for (; i < plane; i++) {
                    float dy = get(a.dy(), a.dyOffset() + base + i);
                    tdy += dy;
                    tdyx += dy * get(a.x(), a.xOffset() + base + i);
                }
                sdy += vdy.reduceLanes(VectorOperators.ADD) + tdy;
                sdyx += vdyx.reduceLanes(VectorOperators.ADD) + tdyx;
            }
            sums[0][c] = sdy;
            sums[1][c] = sdyx;
        });
        return sums;
    }

    private static FloatVector load(ByteBuffer b, int element) {
        return FloatVector.fromByteBuffer(SPECIES, b, element * 4, ORDER);
    }

    private static float get(ByteBuffer b, int element) {
        return b.getFloat(element * 4);
    }
}
