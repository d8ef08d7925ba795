package org.cnnzoo.augmentation;

import org.bytedeco.opencv.opencv_core.Mat;

import java.util.Random;

/**
 * Shearing along both axes about the centre: x' = x + sx (y - cy), y' = y + sy (x - cx), with sx and sy uniform in
 * [-max, max].
 */
public record Shear(double max, Fill fill) implements Operation {

    public Shear {
        if (!(max > 0 && max <= 1)) {
            throw new IllegalArgumentException("shear must be in (0, 1], got " + max);
        }
    }

    @Override
    public String spec() {
        return "shear:" + Spec.number(max) + (fill == Fill.CONSTANT ? "" : ":" + fill.name().toLowerCase());
    }

    @Override
    public Mat apply(Mat image, Random random) {
        return shear(image, Operation.symmetric(random, max), Operation.symmetric(random, max), fill);
    }

    public static Mat shear(Mat image, double sx, double sy, Fill fill) {
        double cx = (image.cols() - 1) / 2.0;
        double cy = (image.rows() - 1) / 2.0;
        return Affine.warp(image, new double[]{1, sx, -sx * cy, sy, 1, -sy * cx}, fill);
    }
}
