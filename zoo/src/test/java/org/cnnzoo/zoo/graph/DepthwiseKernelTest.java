package org.cnnzoo.zoo.graph;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The depthwise backward kernel against the definition, summed in double, on planes that leave vector tails. */
class DepthwiseKernelTest {

    @ParameterizedTest(name = "{0}x{1} planes, {2}x{3} filters, stride {4}, padding {5},{6}, {7} floats before")
    @CsvSource({"7, 9, 3, 3, 1, 1, 1, 0", "5, 4, 5, 5, 1, 2, 2, 3", "11, 13, 1, 1, 1, 0, 0, 1", "6, 17, 3, 5, 1, 1, 2, 0",
            "1, 1, 3, 3, 1, 1, 1, 0", "8, 8, 3, 3, 2, 0, 0, 0", "9, 11, 3, 3, 2, 1, 1, 2", "14, 14, 5, 5, 2, 1, 1, 0",
            "15, 7, 5, 5, 2, 2, 2, 1", "7, 10, 3, 3, 3, 1, 0, 0"})
    void gradientsAreTheDefinitions(int height, int width, int kh, int kw, int stride, int top, int left, int offset) {
        int batch = 3;
        int channels = 5;
        // 'same' output size for strides above 1, the input's size for stride 1 ('same' padding there too)
        int outHeight = (height + stride - 1) / stride;
        int outWidth = (width + stride - 1) / stride;
        DepthwiseKernel.Shape s = new DepthwiseKernel.Shape(batch, channels, height, width, outHeight, outWidth, kh, kw,
                stride, stride, top, left);
        assertTrue(s.covered());
        Random random = new Random(11);
        int size = batch * channels * height * width;
        int outSize = batch * channels * outHeight * outWidth;
        float[] in = random(random, size);
        float[] dOut = random(random, outSize);
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
                new DepthwiseKernel.Planes(buffer(shifted(dOut, offset)), offset, channels * outHeight * outWidth,
                        outHeight * outWidth),
                new DepthwiseKernel.Planes(dIn, offset, channels * plane, plane), dW, dBias);

        double[] expectedIn = new double[size];
        double[] expectedW = new double[w.length];
        double[] expectedBias = new double[channels];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int base = (n * channels + c) * height * width;
                int outBase = (n * channels + c) * outHeight * outWidth;
                for (int oy = 0; oy < outHeight; oy++) {
                    for (int ox = 0; ox < outWidth; ox++) {
                        double d = dOut[outBase + oy * outWidth + ox];
                        expectedBias[c] += d;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int y = oy * stride + i - top;
                                int x = ox * stride + j - left;
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
