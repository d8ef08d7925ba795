package org.cnnzoo.augmentation;

import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local warping: a smooth random displacement field moves each pixel by up to {@code strength} of the image size.
 * Displacements are drawn on a coarse 4x4 grid and interpolated (bicubic) to every pixel, so neighbouring pixels
 * move together, like the elastic distortions used for handwriting.
 */
public record Warp(double strength) implements Operation {
    static final int GRID = 4;

    public Warp {
        if (!(strength > 0 && strength <= 0.25)) {
            throw new IllegalArgumentException("warp strength must be in (0, 0.25] of the image size, got " + strength);
        }
    }

    @Override
    public String spec() {
        return "warp:" + Spec.number(strength);
    }

    @Override
    public Mat apply(Mat image, Random random) {
        int h = image.rows();
        int w = image.cols();
        Mat mapX = field(random, strength * w, w, h);
        Mat mapY = field(random, strength * h, w, h);
        Mat[] grid = GRIDS.computeIfAbsent(List.of(h, w), k -> coordinates(h, w));
        opencv_core.add(mapX, grid[0], mapX);
        opencv_core.add(mapY, grid[1], mapY);
        Mat out = new Mat();
        opencv_imgproc.remap(image, out, mapX, mapY, opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_REFLECT_101,
                Scalar.all(0));
        return out;
    }

    /** Pixel coordinate maps (x and y of every pixel) by image size, shared read-only between threads. */
    private static final Map<List<Integer>, Mat[]> GRIDS = new ConcurrentHashMap<>();

    private static Mat[] coordinates(int h, int w) {
        Mat x = new Mat(h, w, opencv_core.CV_32F);
        Mat y = new Mat(h, w, opencv_core.CV_32F);
        FloatIndexer xi = x.createIndexer();
        FloatIndexer yi = y.createIndexer();
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                xi.put(r, c, c);
                yi.put(r, c, r);
            }
        }
        return new Mat[]{x, y};
    }

    /** Displacements uniform in [-max, max] on the grid, interpolated to width x height. */
    private static Mat field(Random random, double max, int width, int height) {
        Mat coarse = new Mat(GRID, GRID, opencv_core.CV_32F);
        FloatIndexer idx = coarse.createIndexer();
        for (int r = 0; r < GRID; r++) {
            for (int c = 0; c < GRID; c++) {
                idx.put(r, c, (float) Operation.symmetric(random, max));
            }
        }
        Mat full = new Mat();
        opencv_imgproc.resize(coarse, full, new Size(width, height), 0, 0, opencv_imgproc.INTER_CUBIC);
        return full;
    }
}
