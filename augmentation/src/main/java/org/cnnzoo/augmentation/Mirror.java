package org.cnnzoo.augmentation;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.Random;

/** Mirroring: left-right (the usual one for photos) or top-bottom. Whether it happens is the step's probability. */
public record Mirror(boolean vertical) implements Operation {

    @Override
    public String spec() {
        return vertical ? "vflip" : "flip";
    }

    @Override
    public Mat apply(Mat image, Random random) {
        Mat out = new Mat();
        opencv_core.flip(image, out, vertical ? 0 : 1);
        return out;
    }
}
