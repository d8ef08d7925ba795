package org.cnnzoo.detection;

import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.datasets.ImageDecoder;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An 8-bit RGB picture as detectors read it: width, height and the pixels row by row, three bytes each. Read
 * through the project's image decoder, so that a file's declared size is checked before anything is allocated.
 */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width < 1 || height < 1 || pixels.length != (long) width * height * 3) {
            throw new IllegalArgumentException("an RGB image of " + width + "x" + height + " holds "
                    + (long) width * height * 3 + " bytes, got " + pixels.length);
        }
    }

    /** @throws IOException naming the file when it is not an image or is too large to decode */
    public static RgbImage read(Path file) throws IOException {
        try (Mat mat = ImageDecoder.read(file, 3)) {
            byte[] pixels = new byte[mat.rows() * mat.cols() * 3];
            mat.data().get(pixels);
            return new RgbImage(mat.cols(), mat.rows(), pixels);
        }
    }

    /** Channel c (0 red, 1 green, 2 blue) of the pixel at row y, column x, from 0 to 255. */
    public int value(int y, int x, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xFF;
    }

    /** The part of the picture inside a box in pixels, clipped to the picture (at least one pixel). */
    public RgbImage crop(Box box) {
        int x1 = Math.max(0, Math.min(width - 1, (int) Math.floor(box.x1())));
        int y1 = Math.max(0, Math.min(height - 1, (int) Math.floor(box.y1())));
        int x2 = Math.max(x1 + 1, Math.min(width, (int) Math.ceil(box.x2())));
        int y2 = Math.max(y1 + 1, Math.min(height, (int) Math.ceil(box.y2())));
        byte[] out = new byte[(x2 - x1) * (y2 - y1) * 3];
        for (int y = y1; y < y2; y++) {
            System.arraycopy(pixels, (y * width + x1) * 3, out, (y - y1) * (x2 - x1) * 3, (x2 - x1) * 3);
        }
        return new RgbImage(x2 - x1, y2 - y1, out);
    }
}
