package org.cnnzoo.datasets;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Image files of every kind the decoder must handle, written by the tests themselves. */
final class Fixtures {
    private Fixtures() {
    }

    /** A solid RGB image written by OpenCV (which stores BGR), in the format of the file name (.png, .jpg). */
    static Path solid(Path file, int width, int height, int r, int g, int b) throws IOException {
        Files.createDirectories(file.getParent());
        try (Mat m = new Mat(height, width, opencv_core.CV_8UC3, new Scalar(b, g, r, 0))) {
            if (!opencv_imgcodecs.imwrite(file.toString(), m)) {
                throw new IOException("could not write " + file);
            }
        }
        return file;
    }

    static Path grey(Path file, int width, int height, int value) throws IOException {
        Files.createDirectories(file.getParent());
        try (Mat m = new Mat(height, width, opencv_core.CV_8UC1, new Scalar(value))) {
            opencv_imgcodecs.imwrite(file.toString(), m);
        }
        return file;
    }

    static Path rgba(Path file, int width, int height, int r, int g, int b, int alpha) throws IOException {
        Files.createDirectories(file.getParent());
        try (Mat m = new Mat(height, width, opencv_core.CV_8UC4, new Scalar(b, g, r, alpha))) {
            opencv_imgcodecs.imwrite(file.toString(), m);
        }
        return file;
    }

    /** A 16-bit grey PNG with the given 16-bit value. */
    static Path grey16(Path file, int width, int height, int value) throws IOException {
        Files.createDirectories(file.getParent());
        try (Mat m = new Mat(height, width, opencv_core.CV_16UC1, new Scalar(value))) {
            opencv_imgcodecs.imwrite(file.toString(), m);
        }
        return file;
    }

    /** A palette (indexed-colour) PNG whose every pixel is palette entry 1 = (r, g, b). */
    static Path palette(Path file, int width, int height, int r, int g, int b) throws IOException {
        Files.createDirectories(file.getParent());
        IndexColorModel model = new IndexColorModel(8, 2, new byte[]{0, (byte) r}, new byte[]{0, (byte) g},
                new byte[]{0, (byte) b});
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, model);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, 1);
            }
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    static Path bytes(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }
}
