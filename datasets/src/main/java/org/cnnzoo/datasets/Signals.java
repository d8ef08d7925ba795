package org.cnnzoo.datasets;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Real images read as 1D and 3D data, for the course's generalisation of convolutions beyond 2D when no signal
 * or volume dataset is at hand offline:
 * <ul>
 * <li>{@link #rows}: each image a sequence of its rows (time steps), each row's pixels the values of a step;
 * <li>{@link #motionClips}: each image a short clip, the picture sliding a few pixels per frame in one of four
 * directions; the label is the direction, which no single frame shows, so a network must look across frames.
 * </ul>
 * Images are read grey and must share one size; pixels are scaled to [0, 1]. Both keep the images' split: clips of
 * test images are test clips.
 */
public final class Signals {
    /** The four directions of {@link #motionClips}, in label order. */
    public static final List<String> DIRECTIONS = List.of("right", "left", "down", "up");

    private Signals() {
    }

    /** Images as sequences: features N x width (values per step) x height (steps), labels one-hot. */
    public static DataSet rows(ImageSource images) throws java.io.IOException {
        int n = images.size();
        int[] size = size(images);
        int h = size[0];
        int w = size[1];
        float[] x = new float[n * w * h];
        for (int i = 0; i < n; i++) {
            byte[] p = grey(images, i, h, w);
            for (int row = 0; row < h; row++) {
                for (int col = 0; col < w; col++) {
                    x[(i * w + col) * h + row] = (p[row * w + col] & 0xFF) / 255f;
                }
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = images.label(i);
        }
        return new DataSet(Nd4j.create(x, new long[]{n, w, h}, 'c'), oneHot(labels, images.classes().size()));
    }

    /**
     * Images as clips: features N x 1 x frames x height x width, the picture shifted by {@code step} pixels
     * more each frame (zeros filling in) in a direction drawn from the seed; labels one-hot over {@link #DIRECTIONS}.
     */
    public static DataSet motionClips(ImageSource images, int frames, int step, long seed) throws java.io.IOException {
        int[] size = size(images);
        if (frames < 2 || step < 1 || (long) (frames - 1) * step >= Math.min(size[0], size[1])) {
            throw new IllegalArgumentException("clips need at least 2 frames and a step that keeps the picture in view,"
                    + " got " + frames + " frames of " + step + " px");
        }
        int n = images.size();
        int h = size[0];
        int w = size[1];
        float[] x = new float[n * frames * h * w];
        int[] labels = new int[n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int direction = random.nextInt(DIRECTIONS.size());
            labels[i] = direction;
            byte[] p = grey(images, i, h, w);
            for (int t = 0; t < frames; t++) {
                int dx = direction == 0 ? t * step : direction == 1 ? -t * step : 0;
                int dy = direction == 2 ? t * step : direction == 3 ? -t * step : 0;
                int base = (i * frames + t) * h * w;
                for (int y = 0; y < h; y++) {
                    int sy = y - dy;
                    if (sy < 0 || sy >= h) {
                        continue;
                    }
                    for (int xx = 0; xx < w; xx++) {
                        int sx = xx - dx;
                        if (sx >= 0 && sx < w) {
                            x[base + y * w + xx] = (p[sy * w + sx] & 0xFF) / 255f;
                        }
                    }
                }
            }
        }
        return new DataSet(Nd4j.create(x, new long[]{n, 1, frames, h, w}, 'c'), oneHot(labels, DIRECTIONS.size()));
    }

    /** Height and width of the first image; every image must have them. */
    private static int[] size(ImageSource images) throws java.io.IOException {
        if (images.size() == 0) {
            throw new IllegalArgumentException("no images");
        }
        try (org.bytedeco.opencv.opencv_core.Mat first = images.decode(0, 1)) {
            return new int[]{first.rows(), first.cols()};
        }
    }

    /** Image i as grey bytes, row by row. */
    private static byte[] grey(ImageSource images, int i, int h, int w) throws java.io.IOException {
        try (org.bytedeco.opencv.opencv_core.Mat m = images.decode(i, 1)) {
            if (m.rows() != h || m.cols() != w) {
                throw new IllegalArgumentException(images.describe(i) + " is " + m.cols() + "x" + m.rows()
                        + "; every image must be " + w + "x" + h);
            }
            byte[] p = new byte[h * w];
            (m.isContinuous() ? m : m.clone()).data().get(p);
            return p;
        }
    }

    private static org.nd4j.linalg.api.ndarray.INDArray oneHot(int[] labels, int classes) {
        var y = Nd4j.zeros(DataType.FLOAT, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            y.putScalar(i, labels[i], 1f);
        }
        return y;
    }
}
