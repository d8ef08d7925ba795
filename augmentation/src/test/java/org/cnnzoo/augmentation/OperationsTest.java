package org.cnnzoo.augmentation;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each operation changes an image exactly as specified. */
class OperationsTest {

    /** A 3-channel image whose every value is different: (r, g, b) = (row*7 + col, col*5, 200 - row). */
    static Mat pattern(int rows, int cols) {
        byte[] px = new byte[rows * cols * 3];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = (r * cols + c) * 3;
                px[i] = (byte) (r * 7 + c);
                px[i + 1] = (byte) (c * 5);
                px[i + 2] = (byte) (200 - r);
            }
        }
        return Pixels.like(new Mat(rows, cols, opencv_core.CV_8UC3), px);
    }

    static int at(Mat m, int row, int col, int channel) {
        return Pixels.get(m)[(row * m.cols() + col) * m.channels() + channel] & 0xFF;
    }

    static double mean(Mat m, int channel) {
        byte[] px = Pixels.get(m);
        double sum = 0;
        for (int i = channel; i < px.length; i += m.channels()) {
            sum += px[i] & 0xFF;
        }
        return sum / (px.length / m.channels());
    }

    @Test
    void aFlipIsAnExactMirror() {
        Mat image = pattern(6, 9);
        Mat flipped = new Mirror(false).apply(image, new Random(1));
        Mat vflipped = new Mirror(true).apply(image, new Random(1));
        for (int r = 0; r < 6; r++) {
            for (int c = 0; c < 9; c++) {
                for (int ch = 0; ch < 3; ch++) {
                    assertEquals(at(image, r, c, ch), at(flipped, r, 8 - c, ch));
                    assertEquals(at(image, r, c, ch), at(vflipped, 5 - r, c, ch));
                }
            }
        }
    }

    @Test
    void aQuarterTurnMovesEveryPixelWhereItBelongs() {
        Mat image = pattern(11, 11);
        Mat turned = Rotate.rotate(image, 90, Fill.CONSTANT);
        // counter-clockwise: the top-right corner goes to the top-left, (r, c) -> (n-1-c, r)
        for (int r = 0; r < 11; r++) {
            for (int c = 0; c < 11; c++) {
                assertEquals(at(image, r, c, 0), at(turned, 10 - c, r, 0), 1, "pixel " + r + "," + c);
            }
        }
        Mat random = new Rotate(30, Fill.REFLECT).apply(image, new Random(3));
        assertEquals(11, random.rows());
        assertEquals(11, random.cols());
    }

    @Test
    void shearMovesPixelsAlongTheOtherAxis() {
        Mat image = pattern(21, 21);
        Mat sheared = Shear.shear(image, 0.5, 0, Fill.CONSTANT);
        // x' = x + 0.5 (y - 10): row 14 moves right by 2, row 6 moves left by 2, row 10 stays
        assertEquals(at(image, 14, 5, 0), at(sheared, 14, 7, 0));
        assertEquals(at(image, 6, 9, 0), at(sheared, 6, 7, 0));
        assertEquals(at(image, 10, 3, 0), at(sheared, 10, 3, 0));
        Mat both = Shear.shear(image, 0, 0.5, Fill.CONSTANT);
        assertEquals(at(image, 5, 14, 2), at(both, 7, 14, 2));
    }

    @Test
    void cropsHaveTheRequestedSizeAndPlace() {
        Mat image = pattern(40, 60);
        RandomCrop crop = new RandomCrop(0.25, 0.5);
        for (int seed = 0; seed < 20; seed++) {
            Rect region = crop.region(40, 60, new Random(seed));
            double share = (double) region.width() * region.height() / (40 * 60);
            assertTrue(share > 0.22 && share < 0.53, "area share " + share);
            assertTrue(region.x() >= 0 && region.y() >= 0 && region.x() + region.width() <= 60
                    && region.y() + region.height() <= 40);
        }
        Mat out = crop.apply(image, new Random(4));
        assertEquals(40, out.rows());
        assertEquals(60, out.cols());
        Mat corner = FixedCrop.crop(image, FixedCrop.Position.BOTTOM_RIGHT, 10, 20);
        assertEquals(10, corner.rows());
        assertEquals(20, corner.cols());
        assertEquals(at(image, 39, 59, 0), at(corner, 9, 19, 0));
        Mat centre = FixedCrop.crop(image, FixedCrop.Position.CENTER, 10, 20);
        assertEquals(at(image, 15, 20, 1), at(centre, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> FixedCrop.crop(image, FixedCrop.Position.CENTER, 50, 20));
    }

    @Test
    void colourShiftMovesEachChannelMeanByItsOffset() {
        Mat grey = new Mat(8, 8, opencv_core.CV_8UC3, new Scalar(100, 100, 100, 0));
        Mat shifted = ColorShift.shift(grey, new double[]{20, -10, 5});
        assertEquals(120, mean(shifted, 0), 1e-9);
        assertEquals(90, mean(shifted, 1), 1e-9);
        assertEquals(105, mean(shifted, 2), 1e-9);
        Mat random = new ColorShift(0.1).apply(grey, new Random(2));
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(mean(random, c) - 100) <= 0.1 * 255 + 0.5);
        }
    }

    @Test
    void pcaLightingAddsTheEigenColourOffset() {
        Mat grey = new Mat(4, 4, opencv_core.CV_8UC3, new Scalar(128, 128, 128, 0));
        Random a = new Random(9);
        Random b = new Random(9);
        Mat lit = new PcaLighting(0.1).apply(grey, a);
        double[] alpha = {b.nextGaussian() * 0.1, b.nextGaussian() * 0.1, b.nextGaussian() * 0.1};
        double[] expected = PcaLighting.offsets(alpha);
        for (int c = 0; c < 3; c++) {
            assertEquals(128 + expected[c], mean(lit, c), 0.5);
        }
    }

    @Test
    void jitterScalesBrightnessAndTurnsHue() {
        Mat grey = new Mat(4, 4, opencv_core.CV_8UC3, new Scalar(100, 100, 100, 0));
        assertEquals(120, mean(ColorJitter.jitter(grey, 1.2, 1, 1, 0), 0), 1e-9);
        Mat red = new Mat(4, 4, opencv_core.CV_8UC3, new Scalar(200, 0, 0, 0));        // RGB order
        Mat cyan = ColorJitter.jitter(red, 1, 1, 1, 0.5);
        assertTrue(mean(cyan, 0) < 5 && mean(cyan, 1) > 190 && mean(cyan, 2) > 190, "half a turn makes red cyan");
        Mat desaturated = ColorJitter.jitter(red, 1, 1, 0, 0);
        assertEquals(mean(desaturated, 0), mean(desaturated, 1), 1.0);
    }

    @Test
    void warpKeepsTheSizeMovesPixelsLocallyAndIsRepeatable() {
        Mat image = pattern(48, 48);
        Mat a = new Warp(0.05).apply(image, new Random(11));
        Mat b = new Warp(0.05).apply(image, new Random(11));
        assertEquals(48, a.rows());
        assertArrayEquals(Pixels.get(a), Pixels.get(b));
        assertNotEquals(java.util.Arrays.hashCode(Pixels.get(image)), java.util.Arrays.hashCode(Pixels.get(a)));
        // no pixel travels further than the strength allows: values stay close to the original's neighbourhood
        int moved = 0;
        for (int r = 4; r < 44; r++) {
            for (int c = 4; c < 44; c++) {
                if (at(a, r, c, 1) != at(image, r, c, 1)) {
                    moved++;
                }
                assertTrue(Math.abs(at(a, r, c, 1) - at(image, r, c, 1)) <= 5 * 3 + 1, "moved too far at " + r + "," + c);
            }
        }
        assertTrue(moved > 100);
    }

    @Test
    void greyImagesWork() {
        Mat grey = new Mat(10, 10, opencv_core.CV_8UC1, new Scalar(50));
        for (Operation op : new Operation[]{new Mirror(false), new RandomCrop(0.5, 1), new Rotate(10, Fill.CONSTANT),
                new Shear(0.1, Fill.REFLECT), new ColorShift(0.1), new PcaLighting(0.1), new ColorJitter(0.3, 0.1),
                new Warp(0.1)}) {
            Mat out = op.apply(grey, new Random(1));
            assertEquals(1, out.channels(), op.spec());
            assertEquals(10, out.rows(), op.spec());
        }
    }
}
