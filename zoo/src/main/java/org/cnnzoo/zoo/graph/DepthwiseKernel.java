package org.cnnzoo.zoo.graph;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * The backward pass of a depthwise convolution (one filter per channel, NCHW, stride 1, no dilation, output as large
 * as the input: every stride-1 depthwise layer of MobileNet v2 and EfficientNet) with the JDK's Vector API. Arrays
 * need only contiguous planes, in any order of images and channels. Each
 * channel's plane is read as one flat run: the filter tap (i, j) pairs input element p with output element
 * p - ((i - top) * width + (j - left)), a constant shift, so each tap is one long vector pass over the plane, with a
 * per-column 0/1 factor for the columns where the shift would wrap into the neighbouring row. Channels run in
 * parallel, each summing its own filter's gradient, so the result does not depend on the thread count.
 */
final class DepthwiseKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Sizes of one call: input and output {@code [batch, channels, height, width]}, filters {@code [kh, kw]}. */
    record Shape(int batch, int channels, int height, int width, int kernelHeight, int kernelWidth, int padTop,
                 int padLeft) {
        int plane() {
            return height * width;
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
        int taps = s.kernelHeight() * s.kernelWidth();
        int plane = s.plane();
        float[][] columns = columnFactors(s);
        int[] shifts = new int[taps];
        int margin = 0;
        for (int i = 0; i < s.kernelHeight(); i++) {
            for (int j = 0; j < s.kernelWidth(); j++) {
                shifts[i * s.kernelWidth() + j] = (i - s.padTop()) * s.width() + j - s.padLeft();
                margin = Math.max(margin, Math.abs(shifts[i * s.kernelWidth() + j]));
            }
        }
        int m = margin;
        FloatBuffer inFloats = in.buffer().asFloatBuffer();
        FloatBuffer dOutFloats = dOut.buffer().asFloatBuffer();
        FloatBuffer dInFloats = dIn.buffer().asFloatBuffer();
        IntStream.range(0, s.channels()).parallel().forEach(c -> {
            // each plane copied once into arrays: the JDK 17 Vector API loads from arrays far faster than from
            // direct buffers, and a zero margin around the output's gradient stands for the rows off the plane
            float[] x = new float[plane];
            float[] dy = new float[plane + 2 * m];
            float[] dx = new float[plane];
            double[] filter = new double[taps];
            double bias = 0;
            for (int n = 0; n < s.batch(); n++) {
                inFloats.get(in.offset() + in.plane(n, c), x, 0, plane);
                dOutFloats.get(dOut.offset() + dOut.plane(n, c), dy, m, plane);
                java.util.Arrays.fill(dx, 0f);
                for (int i = 0; i < s.kernelHeight(); i++) {
                    for (int j = 0; j < s.kernelWidth(); j++) {
                        int t = i * s.kernelWidth() + j;
                        filter[t] += tap(plane, w[t * s.channels() + c], columns[j], x, dy, m - shifts[t], dx);
                    }
                }
                dInFloats.put(dIn.offset() + dIn.plane(n, c), dx, 0, plane);
                if (dBias != null) {
                    for (int p = 0; p < plane; p++) {
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

    /** For each filter column j, 1 where input column x has an output column x - (j - left) and 0 where not. */
    private static float[][] columnFactors(Shape s) {
        float[][] factors = new float[s.kernelWidth()][s.plane()];
        for (int j = 0; j < s.kernelWidth(); j++) {
            int dj = j - s.padLeft();
            for (int p = 0; p < s.plane(); p++) {
                int x = p % s.width() - dj;
                factors[j][p] = x >= 0 && x < s.width() ? 1f : 0f;
            }
        }
        return factors;
    }
}
