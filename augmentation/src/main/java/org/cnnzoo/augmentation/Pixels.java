package org.cnnzoo.augmentation;

import org.bytedeco.opencv.opencv_core.Mat;

/** 8-bit images as byte arrays (height x width x channels, interleaved) and back. */
final class Pixels {
    private Pixels() {
    }

    static byte[] get(Mat image) {
        Mat continuous = image.isContinuous() ? image : image.clone();
        byte[] bytes = new byte[(int) (continuous.total() * continuous.channels())];
        continuous.data().get(bytes);
        return bytes;
    }

    static Mat like(Mat image, byte[] bytes) {
        Mat out = new Mat(image.rows(), image.cols(), image.type());
        out.data().put(bytes);
        return out;
    }

    static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }
}
