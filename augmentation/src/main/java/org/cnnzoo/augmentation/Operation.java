package org.cnnzoo.augmentation;

import org.bytedeco.opencv.opencv_core.Mat;

import java.util.Random;

/**
 * One augmentation: a random change of an 8-bit image (1 or 3 channels) that keeps its size. All randomness comes
 * from the given source, so a seeded source gives a repeatable result.
 */
public interface Operation {

    /** The operation as written in a spec, e.g. {@code rotate:15}. */
    String spec();

    Mat apply(Mat image, Random random);

    /** A value uniform in [-max, max]. */
    static double symmetric(Random random, double max) {
        return (2 * random.nextDouble() - 1) * max;
    }
}
