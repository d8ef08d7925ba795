package org.cnnzoo.augmentation;

import org.bytedeco.opencv.opencv_core.Mat;

import java.util.Random;

/**
 * Colour shifting as in the course: a random offset added to each channel (R, G, B drawn independently, uniform
 * in [-max, max] of the full 0-255 range), clipped to the valid range. Grey images get one offset.
 */
public record ColorShift(double max) implements Operation {

    public ColorShift {
        if (!(max > 0 && max <= 1)) {
            throw new IllegalArgumentException("colour shift must be in (0, 1] of the value range, got " + max);
        }
    }

    @Override
    public String spec() {
        return "color:" + Spec.number(max);
    }

    @Override
    public Mat apply(Mat image, Random random) {
        double[] offsets = new double[image.channels()];
        for (int c = 0; c < offsets.length; c++) {
            offsets[c] = Operation.symmetric(random, max * 255);
        }
        return shift(image, offsets);
    }

    /** Adds offsets[c] to every value of channel c. */
    public static Mat shift(Mat image, double[] offsets) {
        byte[] px = Pixels.get(image);
        int channels = image.channels();
        byte[][] table = new byte[channels][256];             // one lookup per value instead of arithmetic
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < 256; v++) {
                table[c][v] = Pixels.clamp(v + offsets[c]);
            }
        }
        for (int i = 0; i < px.length; i += channels) {
            for (int c = 0; c < channels; c++) {
                px[i + c] = table[c][px[i + c] & 0xFF];
            }
        }
        return Pixels.like(image, px);
    }
}
