package org.cnnzoo.zoo.graph;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The depthwise backward kernel against the definition, summed in double, on planes that leave vector tails. */
class DepthwiseKernelTest {

    @ParameterizedTest(name = "{0}x{1} planes, {2}x{3} filters, padding {4},{5}, {6} floats before")
    @CsvSource({"7, 9, 3, 3, 1, 1, 0", "5, 4, 5, 5, 2, 2, 3", "11, 13, 1, 1, 0, 0, 1", "6, 17, 3, 5, 1, 2, 0",
            "1, 1, 3, 3, 1, 1, 0"})
    void gradientsAreTheDefinitions(int height, int width, int kh, int kw, int top, int left, int offset) {
        int batch = 3;
        int channels = 5;
        DepthwiseKernel.Shape s = new DepthwiseKernel.Shape(batch, channels, height, width, kh, kw, top, left);
        Random random = new Random(11);
        int size = batch * channels * height * width;
        float[] in = random(random, size);
        float[] dOut = random(random, size);
        float[] w = random(random, kh * kw * channels);
        float[] dW = new float[w.length];
        float[] dBias = new float[channels];
        ByteBuffer dIn = buffer(new float[size + offset]);
        int plane = height * width;
        // the input's planes channel-major ([C, N, H, W] in memory), as DL4J's convolutions leave them
        float[] channelMajor = new float[size];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(in, (n * channels + c) * plane, channelMajor, (c * batch + n) * plane, plane);
            }
        }
        DepthwiseKernel.backward(s, new DepthwiseKernel.Planes(buffer(shifted(channelMajor, offset)), offset, plane,
                        batch * plane), w,
                new DepthwiseKernel.Planes(buffer(shifted(dOut, offset)), offset, channels * plane, plane),
                new DepthwiseKernel.Planes(dIn, offset, channels * plane, plane), dW, dBias);

        double[] expectedIn = new double[size];
        double[] expectedW = new double[w.length];
        double[] expectedBias = new double[channels];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int base = (n * channels + c) * height * width;
                for (int oy = 0; oy < height; oy++) {
                    for (int ox = 0; ox < width; ox++) {
                        double d = dOut[base + oy * width + ox];
                        expectedBias[c] += d;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int y = oy + i - top;
                                int x = ox + j - left;
                                if (y >= 0 && y < height && x >= 0 && x < width) {
                                    int t = (i * kw + j) * channels + c;
                                    expectedIn[base + y * width + x] += w[t] * d;
                                    expectedW[t] += in[base + y * width + x] * d;
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int p = 0; p < size; p++) {
            assertClose("input gradient " + p, expectedIn[p], dIn.getFloat((offset + p) * 4));
        }
        for (int t = 0; t < w.length; t++) {
            assertClose("filter gradient " + t, expectedW[t], dW[t]);
        }
        for (int c = 0; c < channels; c++) {
            assertClose("bias gradient " + c, expectedBias[c], dBias[c]);
        }
    }

    private static void assertClose(String what, double expected, float actual) {
        assertTrue(Math.abs(expected - actual) <= 1e-5 * Math.max(1, Math.abs(expected)),
                what + ": " + actual + " against " + expected);
    }

    private static float[] random(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    /** The array after {@code offset} floats of garbage, as an array inside a larger ND4J buffer. */
    private static float[] shifted(float[] a, int offset) {
        float[] out = new float[a.length + offset];
        java.util.Arrays.fill(out, 0, offset, Float.NaN);
        System.arraycopy(a, 0, out, offset, a.length);
        return out;
    }

    private static ByteBuffer buffer(float[] a) {
        ByteBuffer b = ByteBuffer.allocateDirect(a.length * 4).order(ByteOrder.nativeOrder());
        b.asFloatBuffer().put(a);
        return b;
    }
}
