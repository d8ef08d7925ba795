package org.cnnzoo.augmentation;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.Random;

/**
 * Random cropping as in Inception training (torchvision's RandomResizedCrop): a region covering a random
 * fraction of the area in [minScale, maxScale] with an aspect ratio drawn log-uniformly from [minAspect,
 * maxAspect], resized back to the image's size.
 */
public record RandomCrop(double minScale, double maxScale, double minAspect, double maxAspect) implements Operation {

    public RandomCrop {
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
            throw new IllegalArgumentException("crop scale range must satisfy 0 < min <= max <= 1, got "
                    + minScale + "-" + maxScale);
        }
        if (!(minAspect > 0 && minAspect <= maxAspect)) {
            throw new IllegalArgumentException("crop aspect range must satisfy 0 < min <= max, got " + minAspect + "-" + maxAspect);
        }
    }

    /** The usual aspect range 3/4 to 4/3. */
    public RandomCrop(double minScale, double maxScale) {
        this(minScale, maxScale, 3.0 / 4, 4.0 / 3);
    }

    @Override
    public String spec() {
        return "crop:" + Spec.number(minScale) + "-" + Spec.number(maxScale);
    }

    @Override
    public Mat apply(Mat image, Random random) {
        Rect region = region(image.rows(), image.cols(), random);
        Mat out = new Mat();
        try (Mat crop = new Mat(image, region)) {
            opencv_imgproc.resize(crop, out, new Size(image.cols(), image.rows()), 0, 0, opencv_imgproc.INTER_LINEAR);
        }
        return out;
    }

    /** The region to cut from an image of that size: ten tries at the drawn shape, then the whole image's centre. */
    Rect region(int height, int width, Random random) {
        double area = (double) height * width;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (minScale + random.nextDouble() * (maxScale - minScale));
            double logRatio = Math.log(minAspect) + random.nextDouble() * (Math.log(maxAspect) - Math.log(minAspect));
            double aspect = Math.exp(logRatio);
            int w = (int) Math.round(Math.sqrt(target * aspect));
            int h = (int) Math.round(Math.sqrt(target / aspect));
            if (w > 0 && h > 0 && w <= width && h <= height) {
                int x = random.nextInt(width - w + 1);
                int y = random.nextInt(height - h + 1);
                return new Rect(x, y, w, h);
            }
        }
        int side = Math.min(height, width);
        return new Rect((width - side) / 2, (height - side) / 2, side, side);
    }
}
