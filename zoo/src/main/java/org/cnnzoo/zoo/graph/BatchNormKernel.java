package org.cnnzoo.zoo.graph;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * Batch normalisation in training mode over float buffers with the JDK's Vector API, for either layout: channels
 * first ([batch, channels, plane], a run of {@code plane} floats per image and channel) or channels last ([rows,
 * channels], a run of {@code channels} floats per pixel).
 *
 * <p>Forward: the batch mean, then the biased variance about it (two passes, as stable as the textbook formula), then
 * y = a (x - mean) + beta per channel. Backward: per-channel sums of dy and dy x, then dx = a' dy + b' (x - mean) + k',
 * the textbook gradient gamma / (M sigma) (M dy - sum dy - xhat sum(dy xhat)) rearranged into one multiply-add per
 * operand. Work is
 * split into tasks of about {@link #TASK} floats on the common fork-join pool. Loaded only when the JVM has
 * {@code jdk.incubator.vector} ({@link Vectors}).
 */
final class BatchNormKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Floats per task: enough that scheduling is noise, few enough to share the cores evenly. */
    private static final int TASK = 1 << 15;

    private BatchNormKernel() {
    }

    /** A float buffer and the element its array starts at. */
    record Floats(ByteBuffer buffer, int offset) {
        Floats {
            buffer = buffer.order(ORDER);
        }

        FloatVector load(int i) {
            return FloatVector.fromByteBuffer(SPECIES, buffer, (offset + i) * 4, ORDER);
        }

        void store(int i, FloatVector v) {
            v.intoByteBuffer(buffer, (offset + i) * 4, ORDER);
        }

        float get(int i) {
            return buffer.getFloat((offset + i) * 4);
        }

        void put(int i, float v) {
            buffer.putFloat((offset + i) * 4, v);
        }
    }

    /** The shape: {@code batch * plane} rows of {@code channels} (channels last) or the reverse. */
    record Shape(boolean channelsLast, int batch, int channels, int plane) {
        long count() {
            return (long) batch * plane;
        }
    }

    /** y = gamma (x - mean) / sqrt(var + eps) + beta with the batch's statistics, which are written to mean and var. */
    static void forward(Shape s, Floats x, Floats y, float[] gamma, float[] beta, double eps, float[] mean, float[] var) {
        double[] sum = s.channelsLast() ? sumsLast(s, x, null, null) : sumsFirst(s, x, null, null);
        for (int c = 0; c < s.channels(); c++) {
            mean[c] = (float) (sum[c] / s.count());
        }
        double[] squares = s.channelsLast() ? sumsLast(s, x, null, mean) : sumsFirst(s, x, null, mean);
        float[] a = new float[s.channels()];
        for (int c = 0; c < s.channels(); c++) {
            var[c] = (float) (squares[c] / s.count());
            a[c] = (float) (gamma[c] / Math.sqrt(var[c] + eps));
        }
        affine(s, x, mean, null, null, y, a, null, beta);
    }

    /**
     * Writes dx, and dgamma and dbeta per channel, from the forward pass's batch statistics.
     */
    static void backward(Shape s, Floats x, Floats dy, Floats dx, float[] gamma, double eps, float[] mean, float[] var,
                         float[] dGamma, float[] dBeta) {
        double[] sdy = s.channelsLast() ? sumsLast(s, dy, null, null) : sumsFirst(s, dy, null, null);
        double[] sdyx = s.channelsLast() ? sumsLast(s, dy, x, null) : sumsFirst(s, dy, x, null);
        long m = s.count();
        float[] a = new float[s.channels()];
        float[] b = new float[s.channels()];
        float[] k = new float[s.channels()];
        for (int c = 0; c < s.channels(); c++) {
            double invStd = 1 / Math.sqrt(var[c] + eps);
            double g = invStd * (sdyx[c] - mean[c] * sdy[c]);
            dBeta[c] = (float) sdy[c];
            dGamma[c] = (float) g;
            double scale = gamma[c] * invStd;
            double slope = -scale * invStd * g / m;
            a[c] = (float) scale;
            b[c] = (float) slope;
            k[c] = (float) (-scale * sdy[c] / m);
        }
        affine(s, dy, null, x, mean, dx, a, b, k);
    }

    /**
     * Per channel: the sum of p, of p q when q is given, or of (p - centre)^2 when centre is given. Partial sums of
     * each task are float vectors, added in double.
     */
    private static double[] sumsFirst(Shape s, Floats p, Floats q, float[] centre) {
        int rows = s.batch() * s.channels();
        int plane = s.plane();
        double[] perRow = new double[rows];
        tasks(rows, plane, (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * plane;
                float mu = centre == null ? 0 : centre[r % s.channels()];
                FloatVector vmu = FloatVector.broadcast(SPECIES, mu);
                FloatVector acc = FloatVector.zero(SPECIES);
                int i = 0;
                for (int upper = SPECIES.loopBound(plane); i < upper; i += SPECIES.length()) {
                    FloatVector v = p.load(base + i);
                    if (q != null) {
                        acc = v.fma(q.load(base + i), acc);
                    } else if (centre != null) {
                        FloatVector d = v.sub(vmu);
                        acc = d.fma(d, acc);
                    } else {
                        acc = acc.add(v);
                    }
                }
                double total = acc.reduceLanes(VectorOperators.ADD);
                for (; i < plane; i++) {
                    float v = p.get(base + i);
                    total += q != null ? v * q.get(base + i) : centre != null ? (v - mu) * (v - mu) : v;
                }
                perRow[r] = total;
            }
        });
        double[] sums = new double[s.channels()];
        for (int r = 0; r < rows; r++) {
            sums[r % s.channels()] += perRow[r];
        }
        return sums;
    }

    private static double[] sumsLast(Shape s, Floats p, Floats q, float[] centre) {
        int rows = (int) s.count();
        int channels = s.channels();
        int taskRows = Math.max(1, TASK / channels);
        int count = (rows + taskRows - 1) / taskRows;
        float[][] partial = new float[count][];
        IntStream.range(0, count).parallel().forEach(t -> {
            float[] acc = new float[channels];
            for (int r = t * taskRows, end = Math.min(rows, r + taskRows); r < end; r++) {
                int base = r * channels;
                int c = 0;
                for (int upper = SPECIES.loopBound(channels); c < upper; c += SPECIES.length()) {
                    FloatVector v = p.load(base + c);
                    FloatVector sum = FloatVector.fromArray(SPECIES, acc, c);
                    if (q != null) {
                        sum = v.fma(q.load(base + c), sum);
                    } else if (centre != null) {
                        FloatVector d = v.sub(FloatVector.fromArray(SPECIES, centre, c));
                        sum = d.fma(d, sum);
                    } else {
                        sum = sum.add(v);
                    }
                    sum.intoArray(acc, c);
                }
                for (; c < channels; c++) {
                    float v = p.get(base + c);
                    acc[c] += q != null ? v * q.get(base + c) : centre != null ? (v - centre[c]) * (v - centre[c]) : v;
                }
            }
            partial[t] = acc;
        });
        double[] sums = new double[channels];
        for (float[] acc : partial) {
            for (int c = 0; c < channels; c++) {
                sums[c] += acc[c];
            }
        }
        return sums;
    }

    /**
     * out = a (p - pc) + b (q - qc) + k per channel; a missing centre is 0 and a missing q drops its term. Centring
     * before scaling keeps the rounding relative to the spread, not to the mean (a convolution's output may have a
     * mean a hundred times its spread).
     */
    private static void affine(Shape s, Floats p, float[] pc, Floats q, float[] qc, Floats out, float[] a, float[] b,
                               float[] k) {
        int channels = s.channels();
        float[] zero = new float[channels];
        float[] pCentre = pc == null ? zero : pc;
        float[] qCentre = qc == null ? zero : qc;
        if (s.channelsLast()) {
            tasks((int) s.count(), channels, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int base = r * channels;
                    int c = 0;
                    for (int upper = SPECIES.loopBound(channels); c < upper; c += SPECIES.length()) {
                        FloatVector v = FloatVector.fromArray(SPECIES, k, c);
                        if (q != null) {
                            v = q.load(base + c).sub(FloatVector.fromArray(SPECIES, qCentre, c))
                                    .fma(FloatVector.fromArray(SPECIES, b, c), v);
                        }
                        out.store(base + c, p.load(base + c).sub(FloatVector.fromArray(SPECIES, pCentre, c))
                                .fma(FloatVector.fromArray(SPECIES, a, c), v));
                    }
                    for (; c < channels; c++) {
                        float qTerm = q == null ? 0 : b[c] * (q.get(base + c) - qCentre[c]);
                        out.put(base + c, a[c] * (p.get(base + c) - pCentre[c]) + qTerm + k[c]);
                    }
                }
            });
        } else {
            int plane = s.plane();
            tasks(s.batch() * channels, plane, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int c = r % channels;
                    int base = r * plane;
                    FloatVector va = FloatVector.broadcast(SPECIES, a[c]);
                    FloatVector vb = FloatVector.broadcast(SPECIES, q == null ? 0 : b[c]);
                    FloatVector vk = FloatVector.broadcast(SPECIES, k[c]);
                    FloatVector vpc = FloatVector.broadcast(SPECIES, pCentre[c]);
                    FloatVector vqc = FloatVector.broadcast(SPECIES, qCentre[c]);
                    int i = 0;
                    for (int upper = SPECIES.loopBound(plane); i < upper; i += SPECIES.length()) {
                        FloatVector v = q == null ? vk : q.load(base + i).sub(vqc).fma(vb, vk);
                        out.store(base + i, p.load(base + i).sub(vpc).fma(va, v));
                    }
                    for (; i < plane; i++) {
                        float qTerm = q == null ? 0 : b[c] * (q.get(base + i) - qCentre[c]);
                        out.put(base + i, a[c] * (p.get(base + i) - pCentre[c]) + qTerm + k[c]);
                    }
                }
            });
        }
    }

    private interface Rows {
        void run(int from, int to);
    }

    /** Rows of {@code rowLength} floats split into tasks of about {@link #TASK} floats. */
    private static void tasks(int rows, int rowLength, Rows body) {
        int perTask = Math.max(1, TASK / Math.max(1, rowLength));
        int count = (rows + perTask - 1) / perTask;
        IntStream.range(0, count).parallel().forEach(t -> body.run(t * perTask, Math.min(rows, (t + 1) * perTask)));
    }
}
