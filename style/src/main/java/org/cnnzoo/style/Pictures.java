package org.cnnzoo.style;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.datasets.ImageDecoder;
import org.cnnzoo.datasets.Interpolation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Pictures as style transfer uses them: 1 x 3 x H x W float arrays, RGB in [0, 1]. Files are read through the
 * project's image decoder (declared sizes checked before anything is allocated) and written as PNG atomically.
 */
public final class Pictures {
    /** The largest side a picture may be given: the activations of a large picture do not fit in memory. */
    public static final int MAX_SIDE = 2048;

    private Pictures() {
    }

    /** A file scaled so that its longer side is {@code longSide} pixels (aspect ratio kept). */
    public static INDArray read(Path file, int longSide) throws IOException {
        checkSide(longSide, "--size");
        try (Mat image = ImageDecoder.read(file, 3)) {
            double scale = (double) longSide / Math.max(image.rows(), image.cols());
            int h = Math.max(1, (int) Math.round(image.rows() * scale));
            int w = Math.max(1, (int) Math.round(image.cols() * scale));
            try (Mat resized = Interpolation.AUTO.resize(image, h, w)) {
                return toArray(resized);
            }
        }
    }

    /** A file scaled to cover height x width and cropped to it about its centre: a style image for a content image. */
    public static INDArray covering(Path file, int height, int width) throws IOException {
        checkSide(height, "height");
        checkSide(width, "width");
        try (Mat image = ImageDecoder.read(file, 3)) {
            double scale = Math.max((double) height / image.rows(), (double) width / image.cols());
            int h = Math.max(height, (int) Math.round(image.rows() * scale));
            int w = Math.max(width, (int) Math.round(image.cols() * scale));
            try (Mat resized = Interpolation.AUTO.resize(image, h, w);
                 Mat crop = new Mat(resized, new Rect((w - width) / 2, (h - height) / 2, width, height))) {
                return toArray(crop);
            }
        }
    }

    private static void checkSide(int side, String what) {
        if (side < 16 || side > MAX_SIDE) {
            throw new IllegalArgumentException(what + " must be between 16 and " + MAX_SIDE + " pixels, not " + side);
        }
    }

    private static INDArray toArray(Mat rgb) {
        int h = rgb.rows();
        int w = rgb.cols();
        byte[] bytes = new byte[h * w * 3];
        try (Mat continuous = rgb.isContinuous() ? null : rgb.clone()) {
            (continuous == null ? rgb : continuous).data().get(bytes);
        }
        float[] chw = new float[bytes.length];
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                chw[c * plane + i] = (bytes[i * 3 + c] & 0xFF) / 255f;
            }
        }
        return Nd4j.create(chw, new long[]{1, 3, h, w}, 'c');
    }

    /** The picture as an 8-bit RGB image (values clipped to [0, 1], rounded). */
    public static BufferedImage toImage(INDArray picture) {
        if (picture.rank() != 4 || picture.size(0) != 1 || picture.size(1) != 3) {
            throw new IllegalArgumentException("a picture is 1 x 3 x H x W");
        }
        int h = (int) picture.size(2);
        int w = (int) picture.size(3);
        float[] v = picture.dup('c').data().asFloat();
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                image.setRGB(x, y, (byte8(v[i]) << 16) | (byte8(v[plane + i]) << 8) | byte8(v[2 * plane + i]));
            }
        }
        return image;
    }

    private static int byte8(float value) {
        return Math.round(Math.max(0f, Math.min(1f, value)) * 255f);
    }

    /** Writes the picture as a PNG file, atomically. */
    public static void writePng(Path file, INDArray picture) throws IOException {
        BufferedImage image = toImage(picture);
        AtomicFiles.write(file, tmp -> {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer");
            }
        });
    }
}
