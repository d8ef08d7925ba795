package org.cnnzoo.augmentation;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.Random;

/**
 * Brightness, contrast and saturation each scaled by a factor uniform in [1 - s, 1 + s], and hue turned by up to
 * +-hue of the colour circle (0 to 0.5). Contrast scales around the image's mean grey, saturation around each
 * pixel's grey. Saturation and hue leave grey images unchanged.
 */
public record ColorJitter(double strength, double hue) implements Operation {

    public ColorJitter {
        if (!(strength >= 0 && strength < 1) || !(hue >= 0 && hue <= 0.5) || (strength == 0 && hue == 0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1) and hue in [0, 0.5], not both 0; got "
                    + strength + " and " + hue);
        }
    }

    @Override
    public String spec() {
        return strength > 0 && hue > 0 ? "jitter:" + Spec.number(strength) + ",hue:" + Spec.number(hue)
                : strength > 0 ? "jitter:" + Spec.number(strength) : "hue:" + Spec.number(hue);
    }

    @Override
    public Mat apply(Mat image, Random random) {
        double brightness = 1 + Operation.symmetric(random, strength);
        double contrast = 1 + Operation.symmetric(random, strength);
        double saturation = 1 + Operation.symmetric(random, strength);
        double turn = Operation.symmetric(random, hue);
        return jitter(image, brightness, contrast, saturation, turn);
    }

    public static Mat jitter(Mat image, double brightness, double contrast, double saturation, double hueTurn) {
        byte[] px = Pixels.get(image);
        int channels = image.channels();
        double[] v = new double[px.length];
        double sum = 0;
        for (int i = 0; i < px.length; i += channels) {
            for (int c = 0; c < channels; c++) {
                v[i + c] = (px[i + c] & 0xFF) * brightness;
            }
            sum += grey(v, i, channels);
        }
        double mean = sum / (px.length / channels);
        for (int i = 0; i < px.length; i += channels) {
            for (int c = 0; c < channels; c++) {
                v[i + c] = (v[i + c] - mean) * contrast + mean;
            }
            if (channels == 3) {
                double g = grey(v, i, channels);
                for (int c = 0; c < 3; c++) {
                    v[i + c] = (v[i + c] - g) * saturation + g;
                }
            }
        }
        for (int i = 0; i < px.length; i++) {
            px[i] = Pixels.clamp(v[i]);
        }
        Mat out = Pixels.like(image, px);
        return channels == 3 && hueTurn != 0 ? turnHue(out, hueTurn) : out;
    }

    private static double grey(double[] v, int i, int channels) {
        return channels == 3 ? 0.299 * v[i] + 0.587 * v[i + 1] + 0.114 * v[i + 2] : v[i];
    }

    /** Turns the hue by a fraction of the colour circle (OpenCV's 8-bit hue runs 0-179). */
    private static Mat turnHue(Mat rgb, double fraction) {
        Mat hsv = new Mat();
        opencv_imgproc.cvtColor(rgb, hsv, opencv_imgproc.COLOR_RGB2HSV);
        byte[] px = Pixels.get(hsv);
        int shift = (int) Math.round(fraction * 180);
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) Math.floorMod((px[i] & 0xFF) + shift, 180);
        }
        Mat turned = Pixels.like(hsv, px);
        Mat out = new Mat();
        opencv_imgproc.cvtColor(turned, out, opencv_imgproc.COLOR_HSV2RGB);
        return out;
    }
}
