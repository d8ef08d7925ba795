package org.cnnzoo.datasets;

import org.bytedeco.opencv.opencv_core.Mat;

import java.util.Random;

/**
 * Changes an image at random (the augmentation module's pipelines implement it). The random source is seeded
 * per image, so the result depends only on the seed, never on thread timing.
 */
@FunctionalInterface
public interface ImageAugmenter {
    Mat augment(Mat image, Random random);
}
