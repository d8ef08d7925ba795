package org.cnnzoo.augmentation;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/** The fixed crops used at test time: the centre and the four corners (the course's multi-crop). */
public final class FixedCrop {

    public enum Position { CENTER, TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT }

    private FixedCrop() {
    }

    /** The height x width region at that position. @throws IllegalArgumentException if it is larger than the image */
    public static Mat crop(Mat image, Position position, int height, int width) {
        if (height > image.rows() || width > image.cols() || height < 1 || width < 1) {
            throw new IllegalArgumentException("cannot cut " + height + "x" + width + " from a " + image.rows() + "x"
                    + image.cols() + " image");
        }
        int x = switch (position) {
            case CENTER -> centre(image.cols(), width);
            case TOP_LEFT, BOTTOM_LEFT -> 0;
            case TOP_RIGHT, BOTTOM_RIGHT -> image.cols() - width;
        };
        int y = switch (position) {
            case CENTER -> centre(image.rows(), height);
            case TOP_LEFT, TOP_RIGHT -> 0;
            case BOTTOM_LEFT, BOTTOM_RIGHT -> image.rows() - height;
        };
        Mat out = new Mat();
        try (Mat region = new Mat(image, new Rect(x, y, width, height))) {
            region.copyTo(out);
        }
        return out;
    }

    /**
     * Where a centred crop starts: half the margin rounded half to even, as torchvision's {@code center_crop}
     * rounds it, so that an odd margin (Inception v3: 342 to 299) crops the same pixels as the weights were
     * evaluated on.
     */
    static int centre(int size, int crop) {
        return (int) Math.rint((size - crop) / 2.0);
    }
}
