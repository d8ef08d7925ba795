package org.cnnzoo.bench;

import org.cnnzoo.zoo.Backend;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Locale;

/**
 * Whether MobileNet v2's 1x1 convolutions would run faster as matrix products: libnd4j's conv2d and conv2d_bp
 * (oneDNN, NCHW) against one SGEMM per image (forward: W x; backward: W^T dy and the sum of dy x^T), batch 16,
 * best of 5 rounds of 5. {@code bench/run.sh PointwiseAsGemm} prints a table.
 */
public final class PointwiseAsGemm {
    private PointwiseAsGemm() {
    }

    /** input channels, size, output channels. */
    private static final int[][] SHAPES = {{32, 112, 16}, {24, 56, 144}, {144, 56, 24}, {192, 28, 32},
            {384, 14, 64}, {960, 7, 160}};

    public static void main(String[] args) {
        Backend.init();
        System.out.printf(Locale.ROOT, "%-14s %12s %12s %12s %12s%n", "shape", "conv2d", "gemm", "conv2d_bp",
                "gemm bp");
        int n = 16;
        for (int[] s : SHAPES) {
            int ci = s[0];
            int h = s[1];
            int co = s[2];
            INDArray in = Nd4j.rand(DataType.FLOAT, n, ci, h, h);
            INDArray w = Nd4j.rand(DataType.FLOAT, co, ci, 1, 1);
            INDArray out = Nd4j.create(DataType.FLOAT, n, co, h, h);
            INDArray eps = Nd4j.rand(DataType.FLOAT, n, co, h, h);
            INDArray gi = Nd4j.create(DataType.FLOAT, n, ci, h, h);
            INDArray gw = Nd4j.create(DataType.FLOAT, co, ci, 1, 1);
            INDArray w2 = w.reshape(co, ci);
            INDArray gw2 = gw.reshape(co, ci);
            Runnable conv = () -> Nd4j.getExecutioner().exec(DynamicCustomOp.builder("conv2d")
                    .addIntegerArguments(1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1).addInputs(in, w).addOutputs(out).build());
            Runnable convBp = () -> Nd4j.getExecutioner().exec(DynamicCustomOp.builder("conv2d_bp")
                    .addIntegerArguments(1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1).addInputs(in, w, eps).addOutputs(gi, gw)
                    .build());
            Runnable gemm = () -> {
                for (int b = 0; b < n; b++) {
                    Nd4j.gemm(w2, image(in, b, ci, h), image(out, b, co, h), false, false, 1.0, 0.0);
                }
            };
            Runnable gemmBp = () -> {
                for (int b = 0; b < n; b++) {
                    INDArray e = image(eps, b, co, h);
                    Nd4j.gemm(w2, e, image(gi, b, ci, h), true, false, 1.0, 0.0);
                    Nd4j.gemm(e, image(in, b, ci, h), gw2, false, true, 1.0, b == 0 ? 0.0 : 1.0);
                }
            };
            System.out.printf(Locale.ROOT, "%-14s %9.1f ms %9.1f ms %9.1f ms %9.1f ms%n", ci + "->" + co + " @" + h,
                    best(conv), best(gemm), best(convBp), best(gemmBp));
        }
        System.exit(0);
    }

    private static INDArray image(INDArray a, int b, int channels, int size) {
        return a.get(NDArrayIndex.point(b)).reshape(channels, (long) size * size);
    }

    private static double best(Runnable r) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                r.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 5e6);
        }
        return best;
    }
}
