package org.cnnzoo.datasets;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.Locale;

/**
 * How images are resized. Pretrained weights name theirs (torchvision: bilinear, or bicubic for the EfficientNets
 * ported from TensorFlow); the project's own training uses {@link #AUTO}.
 */
public enum Interpolation {
    /** Area averaging from a halving down (where bilinear would alias), bilinear otherwise: cheap and clean. */
    AUTO,
    /** Bilinear, after area averaging down to twice the target when shrinking more (as antialiased resizing does). */
    BILINEAR,
    /** Bicubic, after area averaging down to twice the target when shrinking more. */
    BICUBIC;

    /** {@code bilinear} or {@code bicubic} as weight catalogues write them; null is {@link #AUTO}. */
    public static Interpolation of(String name) {
        if (name == null) {
            return AUTO;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "bilinear" -> BILINEAR;
            case "bicubic" -> BICUBIC;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException("interpolation is bilinear, bicubic or auto, not '" + name + "'");
        };
    }

    /** The image resized to exactly height x width. */
    public Mat resize(Mat image, int height, int width) {
        Mat source = image;
        boolean halving = 2 * height <= image.rows() || 2 * width <= image.cols();
        if (this != AUTO && halving) {
            source = new Mat();
            opencv_imgproc.resize(image, source, new Size(Math.min(image.cols(), 2 * width),
                    Math.min(image.rows(), 2 * height)), 0, 0, opencv_imgproc.INTER_AREA);
        }
        int flag = switch (this) {
            case AUTO -> halving ? opencv_imgproc.INTER_AREA : opencv_imgproc.INTER_LINEAR;
            case BILINEAR -> opencv_imgproc.INTER_LINEAR;
            case BICUBIC -> opencv_imgproc.INTER_CUBIC;
        };
        Mat out = new Mat();
        opencv_imgproc.resize(source, out, new Size(width, height), 0, 0, flag);
        return out;
    }
}
