package org.cnnzoo.augmentation;

import org.bytedeco.opencv.opencv_core.Mat;

import java.util.Random;

/** Rotation about the centre by an angle uniform in [-maxDegrees, maxDegrees]; positive is counter-clockwise. */
public record Rotate(double maxDegrees, Fill fill) implements Operation {

    public Rotate {
        if (!(maxDegrees > 0 && maxDegrees <= 180)) {
            throw new IllegalArgumentException("rotation must be in (0, 180] degrees, got " + maxDegrees);
        }
    }

    @Override
    public String spec() {
        return "rotate:" + Spec.number(maxDegrees) + (fill == Fill.CONSTANT ? "" : ":" + fill.name().toLowerCase());
    }

    @Override
    public Mat apply(Mat image, Random random) {
        return rotate(image, Operation.symmetric(random, maxDegrees), fill);
    }

    /** Rotation by exactly that many degrees (counter-clockwise) about the image centre. */
    public static Mat rotate(Mat image, double degrees, Fill fill) {
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double cx = (image.cols() - 1) / 2.0;
        double cy = (image.rows() - 1) / 2.0;
        // destination = R (source - c) + c, with y pointing down: counter-clockwise on screen
        return Affine.warp(image, new double[]{
                cos, sin, cx - cos * cx - sin * cy,
                -sin, cos, cy + sin * cx - cos * cy}, fill);
    }
}
