package org.cnnzoo.datasets;

import org.cnnzoo.common.Hashing;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

import java.security.MessageDigest;
import java.util.List;

/**
 * Images held in memory as 8-bit pixels, height x width x channels interleaved (grey or RGB), with labels: what
 * the idx (MNIST, Fashion-MNIST) and CIFAR-10 readers produce.
 */
public final class ImageArrays implements ImageSource {
    private final String name;
    private final byte[][] pixels;
    private final int[] labels;
    private final int height;
    private final int width;
    private final int channels;
    private final List<String> classes;
    private final String fingerprint;

    public ImageArrays(String name, byte[][] pixels, int[] labels, int height, int width, int channels,
                       List<String> classes) {
        if (pixels.length != labels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " images but " + labels.length + " labels");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(name + ": images must have 1 or 3 channels, not " + channels);
        }
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i].length != height * width * channels) {
                throw new IllegalArgumentException(name + ": image " + i + " has " + pixels[i].length + " bytes, expected "
                        + height * width * channels);
            }
            if (labels[i] < 0 || labels[i] >= classes.size()) {
                throw new IllegalArgumentException(name + ": image " + i + " has label " + labels[i] + ", outside 0.."
                        + (classes.size() - 1));
            }
        }
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.classes = List.copyOf(classes);
        MessageDigest digest = Hashing.digest("SHA-256");
        for (int i = 0; i < pixels.length; i++) {
            digest.update(pixels[i]);
            digest.update((byte) labels[i]);
        }
        this.fingerprint = Hashing.hex(digest.digest());
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    /** The raw pixels of image i (height x width x channels, interleaved). */
    public byte[] pixels(int index) {
        return pixels[index];
    }

    @Override
    public int size() {
        return pixels.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public Mat decode(int index, int wanted) {
        Mat stored = new Mat(height, width, opencv_core.CV_8UC(channels));
        stored.data().put(pixels[index]);
        if (wanted == channels) {
            return stored;
        }
        Mat out = new Mat();
        opencv_imgproc.cvtColor(stored, out, wanted == 3 ? opencv_imgproc.COLOR_GRAY2RGB : opencv_imgproc.COLOR_RGB2GRAY);
        stored.close();
        return out;
    }

    @Override
    public String describe(int index) {
        return name + " #" + index;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

}
