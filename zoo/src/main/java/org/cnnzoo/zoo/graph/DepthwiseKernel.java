package org.cnnzoo.zoo.graph;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * The backward pass of a depthwise convolution (one filter per channel, NCHW, no dilation: every depthwise layer of
 * MobileNet v2 and EfficientNet) with the JDK's Vector API. Arrays need only contiguous planes, in any order of
 * images and channels.
 *
 * <p>With stride 1 and an output as large as the input, filter tap (i, j) pairs input element p of a plane read as
 * one flat run with output element p - ((i - top) * width + (j - left)): a constant shift, so each tap is one long
 * vector pass over the plane, with a per-column 0/1 factor for the columns where the shift would wrap into the
 * neighbouring row. A stride s is brought back to that case by splitting the input plane into its s x s phases
 * (the rows and columns of one remainder modulo s), each on the output's grid: a tap then reads one phase with a
 * stride-1 shift. Channels run in parallel, each summing its own filter's gradient, so the result does not depend
 * on the thread count.
 */
final class DepthwiseKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /**
     * Sizes of one call: input {@code [batch, channels, height, width]}, output {@code [batch, channels,
     * outHeight, outWidth]}, filters {@code [kh, kw]}, strides and the padding at the top and left.
     */
    record Shape(int batch, int channels, int height, int width, int outHeight, int outWidth, int kernelHeight,
                 int kernelWidth, int strideH, int strideW, int padTop, int padLeft) {
        /**
         * Whether every input element lies on the output's grid in its phase (true of 'same' padding and of
         * stride 1 with an output as large as the input), the case this kernel covers.
         */
        boolean covered() {
            return (height + strideH - 1) / strideH <= outHeight && (width + strideW - 1) / strideW <= outWidth
                    && (strideH > 1 || outHeight == height) && (strideW > 1 || outWidth == width);
        }

        int outPlane() {
            return outHeight * outWidth;
        }
    }

    /**
     * A 4-d float array as ND4J holds it, each (image, channel) plane a contiguous run: its buffer, the element
     * where it starts, and the distances between images and between channels.
     */
    record Planes(ByteBuffer buffer, int offset, int imageStride, int channelStride) {
        Planes {
            buffer = buffer.order(ORDER);
        }

        /** The element where plane (n, c) starts, from {@link #offset}. */
        int plane(int n, int c) {
            return n * imageStride + c * channelStride;
        }
    }

    private DepthwiseKernel() {
    }

    /**
     * Writes the input's gradient {@code dIn} (same shape as the input), the filters' gradient {@code dW} (DL4J's
     * depthwise layout {@code [kh, kw, channels, 1]}, as {@code w}) and, when {@code dBias} is not null, the
     * bias's, from the input {@code in}, the filters {@code w} and the output's gradient {@code dOut}.
     */
    static void backward(Shape s, Planes in, float[] w, Planes dOut, Planes dIn, float[] dW, float[] dBias) {
        if (!s.covered()) {
            throw new IllegalArgumentException("not a case of this kernel: " + s);
        }
        int taps = s.kernelHeight() * s.kernelWidth();
        int grid = s.outPlane();
        int inPlane = s.height() * s.width();
        int phases = s.strideH() * s.strideW();
        float[][] columns = new float[s.kernelWidth()][];
        int[] shifts = new int[taps];
        int[] phaseOf = new int[taps];
        int margin = 0;
        for (int i = 0; i < s.kernelHeight(); i++) {
            for (int j = 0; j < s.kernelWidth(); j++) {
                int t = i * s.kernelWidth() + j;
                int di = i - s.padTop();
                int dj = j - s.padLeft();
                phaseOf[t] = Math.floorMod(di, s.strideH()) * s.strideW() + Math.floorMod(dj, s.strideW());
                shifts[t] = Math.floorDiv(di, s.strideH()) * s.outWidth() + Math.floorDiv(dj, s.strideW());
                margin = Math.max(margin, Math.abs(shifts[t]));
                columns[j] = columnFactors(s.outHeight(), s.outWidth(), Math.floorDiv(dj, s.strideW()));
            }
        }
        int m = margin;
        FloatBuffer inFloats = in.buffer().asFloatBuffer();
        FloatBuffer dOutFloats = dOut.buffer().asFloatBuffer();
        FloatBuffer dInFloats = dIn.buffer().asFloatBuffer();
        IntStream.range(0, s.channels()).parallel().forEach(c -> {
            // planes are copied into arrays (the JDK 17 Vector API loads from arrays far faster than from direct
            // buffers); a zero margin around the output's gradient stands for the rows off the plane
            float[] plane = new float[inPlane];
            float[][] x = new float[phases][grid];
            float[][] dx = new float[phases][grid];
            float[] dy = new float[grid + 2 * m];
            double[] filter = new double[taps];
            double bias = 0;
            for (int n = 0; n < s.batch(); n++) {
                inFloats.get(in.offset() + in.plane(n, c), plane, 0, inPlane);
                split(s, plane, x);
                dOutFloats.get(dOut.offset() + dOut.plane(n, c), dy, m, grid);
                for (float[] d : dx) {
                    java.util.Arrays.fill(d, 0f);
                }
                for (int t = 0; t < taps; t++) {
                    filter[t] += tap(grid, w[t * s.channels() + c], columns[t % s.kernelWidth()], x[phaseOf[t]], dy,
                            m - shifts[t], dx[phaseOf[t]]);
                }
                merge(s, dx, plane);
                dInFloats.put(dIn.offset() + dIn.plane(n, c), plane, 0, inPlane);
                if (dBias != null) {
                    for (int p = 0; p < grid; p++) {
                        bias += dy[m + p];
                    }
                }
            }
            for (int t = 0; t < taps; t++) {
                dW[t * s.channels() + c] = (float) filter[t];
            }
            if (dBias != null) {
                dBias[c] = (float) bias;
            }
        });
    }

    /** The input plane's phases on the output's grid: phase (a, b) holds rows a, a + s, ... and columns b, b + s, .... */
    private static void split(Shape s, float[] plane, float[][] phases) {
        if (phases.length == 1) {
            System.arraycopy(plane, 0, phases[0], 0, plane.length);
            return;
        }
        for (float[] phase : phases) {
            java.util.Arrays.fill(phase, 0f);
        }
        for (int y = 0; y < s.height(); y++) {
            int row = (y / s.strideH()) * s.outWidth();
            int from = y * s.width();
            for (int b = 0; b < s.strideW(); b++) {
                float[] phase = phases[(y % s.strideH()) * s.strideW() + b];
                for (int x = b, v = row; x < s.width(); x += s.strideW(), v++) {
                    phase[v] = plane[from + x];
                }
            }
        }
    }

    /** The inverse of {@link #split}: the phases' gradients back into the input's plane. */
    private static void merge(Shape s, float[][] phases, float[] plane) {
        if (phases.length == 1) {
            System.arraycopy(phases[0], 0, plane, 0, plane.length);
            return;
        }
        for (int y = 0; y < s.height(); y++) {
            int row = (y / s.strideH()) * s.outWidth();
            int to = y * s.width();
            for (int b = 0; b < s.strideW(); b++) {
                float[] phase = phases[(y % s.strideH()) * s.strideW() + b];
                for (int x = b, v = row; x < s.width(); x += s.strideW(), v++) {
                    plane[to + x] = phase[v];
                }
            }
        }
    }

    /**
     * One tap over one plane: dx[p] += weight dy[p + at] column[p], returning the sum of x[p] dy[p + at] column[p]
     * (the output's gradient read {@code at} elements away, in its zero margin where the tap falls off the plane).
     */
    private static float tap(int plane, float weight, float[] column, float[] x, float[] dy, int at, float[] dx) {
        FloatVector sum = FloatVector.zero(SPECIES);
        FloatVector wv = FloatVector.broadcast(SPECIES, weight);
        int p = 0;
        for (int upper = SPECIES.loopBound(plane); p < upper; p += SPECIES.length()) {
            FloatVector d = FloatVector.fromArray(SPECIES, dy, p + at).mul(FloatVector.fromArray(SPECIES, column, p));
            d.fma(wv, FloatVector.fromArray(SPECIES, dx, p)).intoArray(dx, p);
            sum = FloatVector.fromArray(SPECIES, x, p).fma(d, sum);
        }
        float tail = 0;
        for (; p < plane; p++) {
            float d = dy[p + at] * column[p];
            dx[p] = Math.fma(d, weight, dx[p]);
            tail = Math.fma(x[p], d, tail);
        }
        return sum.reduceLanes(VectorOperators.ADD) + tail;
    }

    /** 1 where grid column v has an output column v - shift, 0 where the shift wraps into the next row. */
    private static float[] columnFactors(int height, int width, int shift) {
        float[] factors = new float[height * width];
        for (int p = 0; p < factors.length; p++) {
            int x = p % width - shift;
            factors[p] = x >= 0 && x < width ? 1f : 0f;
        }
        return factors;
    }
}
