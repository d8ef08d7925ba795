package org.cnnzoo.augmentation;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/** Applies a 2x3 affine matrix (source to destination) to an image, keeping its size. */
final class Affine {
    private Affine() {
    }

    static Mat warp(Mat image, double[] m, Fill fill) {
        Mat out = new Mat();
        try (Mat matrix = new Mat(2, 3, opencv_core.CV_64F)) {
            matrix.createIndexer();
            org.bytedeco.javacpp.indexer.DoubleIndexer idx = matrix.createIndexer();
            for (int i = 0; i < 6; i++) {
                idx.put(i / 3, i % 3, m[i]);
            }
            opencv_imgproc.warpAffine(image, out, matrix, new Size(image.cols(), image.rows()),
                    opencv_imgproc.INTER_LINEAR, fill.border, Scalar.all(0));
        }
        return out;
    }
}
