package org.cnnzoo.datasets;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Resizing as the weights were trained: bicubic where an entry says so, bilinear otherwise. */
class InterpolationTest {

    private static Mat noise(int h, int w) {
        Mat m = new Mat(h, w, opencv_core.CV_8UC3);
        Random r = new Random(3);
        UByteIndexer idx = m.createIndexer();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    idx.put(y, x, c, r.nextInt(256));
                }
            }
        }
        idx.release();
        return m;
    }

    private static byte[] bytes(Mat m) {
        byte[] b = new byte[(int) (m.total() * m.channels())];
        m.data().get(b);
        return b;
    }

    @Test
    void bicubicIsOpenCvsCubicAndDiffersFromBilinear() {
        Mat small = noise(40, 50);
        Mat cubic = new Mat();
        opencv_imgproc.resize(small, cubic, new Size(75, 60), 0, 0, opencv_imgproc.INTER_CUBIC);
        assertEquals(java.util.Arrays.toString(bytes(cubic)),
                java.util.Arrays.toString(bytes(Interpolation.BICUBIC.resize(small, 60, 75))));
        assertNotEquals(java.util.Arrays.toString(bytes(Interpolation.BILINEAR.resize(small, 60, 75))),
                java.util.Arrays.toString(bytes(Interpolation.BICUBIC.resize(small, 60, 75))));
        // shrinking far: area averaging to twice the target first, so fine detail does not alias
        Mat big = noise(400, 400);
        Mat down = Interpolation.BICUBIC.resize(big, 50, 50);
        assertEquals(50, down.rows());
        assertEquals(50, down.cols());
        assertEquals(Interpolation.BICUBIC, Interpolation.of("bicubic"));
        assertEquals(Interpolation.AUTO, Interpolation.of(null));
        assertThrows(IllegalArgumentException.class, () -> Interpolation.of("lanczos"));
    }
}
