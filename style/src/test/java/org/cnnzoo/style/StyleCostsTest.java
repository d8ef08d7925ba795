package org.cnnzoo.style;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The costs against direct computations from their definitions, and their gradients against finite differences. */
class StyleCostsTest {
    static final int C = 3;
    static final int H = 4;
    static final int W = 5;

    static INDArray random(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, shape).subi(0.3);
    }

    /** G[i][j] = sum over positions of a[i] * a[j], by loops. */
    static double[][] gramByLoops(INDArray a) {
        double[][] g = new double[C][C];
        for (int i = 0; i < C; i++) {
            for (int j = 0; j < C; j++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        g[i][j] += a.getDouble(0, i, y, x) * a.getDouble(0, j, y, x);
                    }
                }
            }
        }
        return g;
    }

    @Test
    void gramMatrixIsTheChannelsCorrelations() {
        INDArray a = random(1, 1, C, H, W);
        double[][] expected = gramByLoops(a);
        INDArray g = StyleCosts.gram(a);
        assertArrayEquals(new long[]{C, C}, g.shape());
        for (int i = 0; i < C; i++) {
            for (int j = 0; j < C; j++) {
                assertEquals(expected[i][j], g.getDouble(i, j), 1e-12);
            }
        }
    }

    @Test
    void contentAndStyleCostsAsTheCourseDefinesThem() {
        INDArray c = random(2, 1, C, H, W);
        INDArray s = random(3, 1, C, H, W);
        INDArray g = random(4, 1, C, H, W);
        double squares = 0;
        for (int i = 0; i < C; i++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    double d = c.getDouble(0, i, y, x) - g.getDouble(0, i, y, x);
                    squares += d * d;
                }
            }
        }
        assertEquals(squares / (4.0 * H * W * C), StyleCosts.content(c, g).value(), 1e-12);

        double[][] gs = gramByLoops(s);
        double[][] gg = gramByLoops(g);
        double style = 0;
        for (int i = 0; i < C; i++) {
            for (int j = 0; j < C; j++) {
                style += (gs[i][j] - gg[i][j]) * (gs[i][j] - gg[i][j]);
            }
        }
        double norm = 2.0 * H * W * C;
        assertEquals(style / (norm * norm), StyleCosts.style(StyleCosts.gram(s), g).value(), 1e-12);
        assertEquals(0, StyleCosts.style(StyleCosts.gram(g), g).value(), 1e-15);
    }

    @Test
    void totalVariationSumsSquaredNeighbourDifferences() {
        INDArray p = random(5, 2, 3, 4, 6);
        double expected = 0;
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 6; x++) {
                        if (y + 1 < 4) {
                            expected += Math.pow(p.getDouble(n, c, y + 1, x) - p.getDouble(n, c, y, x), 2);
                        }
                        if (x + 1 < 6) {
                            expected += Math.pow(p.getDouble(n, c, y, x + 1) - p.getDouble(n, c, y, x), 2);
                        }
                    }
                }
            }
        }
        assertEquals(expected, StyleCosts.totalVariation(p).value(), 1e-12);
    }

    /** Every element's analytic derivative against a central difference. */
    static void checkGradient(INDArray at, Function<INDArray, StyleCosts.Cost> cost) {
        INDArray analytic = cost.apply(at).gradient();
        assertArrayEquals(at.shape(), analytic.shape());
        double h = 1e-6;
        for (long i = 0; i < at.length(); i++) {
            double v = at.getDouble(i);
            at.putScalar(i, v + h);
            double up = cost.apply(at).value();
            at.putScalar(i, v - h);
            double down = cost.apply(at).value();
            at.putScalar(i, v);
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, analytic.getDouble(i), 1e-7 * Math.max(1, Math.abs(numeric)), "element " + i);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        INDArray c = random(6, 1, C, H, W);
        INDArray gram = StyleCosts.gram(random(7, 1, C, H, W));
        checkGradient(random(8, 1, C, H, W), g -> StyleCosts.content(c, g));
        checkGradient(random(9, 1, C, H, W), g -> StyleCosts.style(gram, g));
        checkGradient(random(10, 1, 3, 4, 5), StyleCosts::totalVariation);
    }

    @Test
    void shapesAreChecked() {
        INDArray a = random(11, 1, C, H, W);
        assertThrows(IllegalArgumentException.class, () -> StyleCosts.content(a, random(12, 1, C, H, W + 1)));
        assertThrows(IllegalArgumentException.class, () -> StyleCosts.style(Nd4j.zeros(DataType.DOUBLE, C + 1, C + 1), a));
        assertThrows(IllegalArgumentException.class, () -> StyleCosts.gram(random(13, 2, C, H, W)));
    }
}
