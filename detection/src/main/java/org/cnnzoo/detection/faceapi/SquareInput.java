package org.cnnzoo.detection.faceapi;

import org.cnnzoo.detection.RgbImage;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How face-api turns a picture into a network input: pad it to a square with black (at the bottom/right, or
 * evenly on both sides), resize the square to {@code size} with TensorFlow's original bilinear sampling (no
 * half-pixel centres, no corner alignment), subtract a mean per channel and divide by 255. Channels-first.
 *
 * @param centred whether the padding is split between both sides (landmark and recognition networks) or all at
 *                the bottom/right (the face detector)
 */
public record SquareInput(int size, boolean centred, double[] mean) {

    public SquareInput {
        if (size < 1 || mean.length != 3) {
            throw new IllegalArgumentException("a square input needs a positive size and a mean per RGB channel");
        }
        mean = mean.clone();
    }

    /** The padding before the picture on each axis (rows, columns) of the square of side max(width, height). */
    int[] padBefore(RgbImage image) {
        int side = Math.max(image.width(), image.height());
        int dx = side - image.width();
        int dy = side - image.height();
        // face-api appends round(diff / 2) (halves round up) and prepends the rest when centring
        return centred ? new int[]{dy - (int) Math.round(dy * 0.5), dx - (int) Math.round(dx * 0.5)} : new int[]{0, 0};
    }

    /** The picture as a [1, 3, size, size] input. */
    public INDArray apply(RgbImage image) {
        int side = Math.max(image.width(), image.height());
        int[] before = padBefore(image);
        float[] out = new float[3 * size * size];
        double scale = side / (double) size;
        for (int r = 0; r < size; r++) {
            double sy = r * scale;
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(side - 1, (int) Math.ceil(sy));
            double fy = sy - y0;
            for (int c = 0; c < size; c++) {
                double sx = c * scale;
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(side - 1, (int) Math.ceil(sx));
                double fx = sx - x0;
                for (int ch = 0; ch < 3; ch++) {
                    double top = sample(image, before, y0, x0, ch);
                    top += (sample(image, before, y0, x1, ch) - top) * fx;
                    double bottom = sample(image, before, y1, x0, ch);
                    bottom += (sample(image, before, y1, x1, ch) - bottom) * fx;
                    float value = (float) (top + (bottom - top) * fy);     // TF.js keeps the resized image in float32
                    out[(ch * size + r) * size + c] = (float) ((value - mean[ch]) / 255.0);
                }
            }
        }
        return Nd4j.create(out, new long[]{1, 3, size, size}, 'c');
    }

    private static double sample(RgbImage image, int[] before, int y, int x, int channel) {
        int iy = y - before[0];
        int ix = x - before[1];
        return iy < 0 || ix < 0 || iy >= image.height() || ix >= image.width() ? 0 : image.value(iy, ix, channel);
    }
}
