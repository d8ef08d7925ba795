package org.cnnzoo.augmentation;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.Seeds;
import org.cnnzoo.common.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A picture to look at before training: one row per sample image, the original first and then augmented
 * versions, each captioned with the operations that were applied to it.
 */
public final class Preview {
    static final int TILE = 160;
    static final int CAPTION = 34;
    static final int GAP = 6;

    /** One captioned picture of the grid. */
    public record Tile(Mat image, String caption) {
    }

    private Preview() {
    }

    /**
     * For each image, the original and {@code count} augmented versions; version k of image i is drawn with a
     * random source seeded from (seed, i, k), so the same seed gives the same picture.
     */
    public static List<List<Tile>> rows(List<Mat> images, Pipeline pipeline, int count, long seed) {
        List<List<Tile>> rows = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            List<Tile> row = new ArrayList<>();
            row.add(new Tile(images.get(i), "original"));
            for (int k = 0; k < count; k++) {
                Random random = new Random(Seeds.mix(seed, i, k));
                Pipeline.Result r = pipeline.augmentTraced(images.get(i), random);
                row.add(new Tile(r.image(), r.applied().isEmpty() ? "(none fired)" : String.join(" ", r.applied())));
            }
            rows.add(row);
        }
        return rows;
    }

    /** The grid as one RGB image. */
    public static Mat render(List<List<Tile>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int width = GAP + columns * (TILE + GAP);
        int height = GAP + rows.size() * (TILE + CAPTION + GAP);
        Mat canvas = new Mat(height, width, opencv_core.CV_8UC3, Scalar.all(255));
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).size(); c++) {
                Tile tile = rows.get(r).get(c);
                int x = GAP + c * (TILE + GAP);
                int y = GAP + r * (TILE + CAPTION + GAP);
                Mat rgb = tile.image().channels() == 3 ? tile.image() : grey2rgb(tile.image());
                Mat fitted = ImageIterator.fit(rgb, TILE, TILE, ImageIterator.Fit.STRETCH);
                try (Mat target = new Mat(canvas, new Rect(x, y, TILE, TILE))) {
                    fitted.copyTo(target);
                }
                caption(canvas, tile.caption(), x, y + TILE);
            }
        }
        return canvas;
    }

    /** Writes an RGB image as PNG, atomically (a temporary file moved into place). */
    public static void write(Mat rgb, Path file) throws IOException {
        Mat bgr = new Mat();
        opencv_imgproc.cvtColor(rgb, bgr, opencv_imgproc.COLOR_RGB2BGR);
        BytePointer png = new BytePointer();
        if (!opencv_imgcodecs.imencode(".png", bgr, png)) {
            throw new IOException("could not encode the preview as PNG");
        }
        byte[] bytes = new byte[(int) png.limit()];
        png.get(bytes);
        AtomicFiles.write(file, tmp -> Files.write(tmp, bytes));
    }

    private static Mat grey2rgb(Mat grey) {
        Mat out = new Mat();
        opencv_imgproc.cvtColor(grey, out, opencv_imgproc.COLOR_GRAY2RGB);
        return out;
    }

    /** Up to two lines of small text under a tile, wrapped at spaces. */
    private static void caption(Mat canvas, String text, int x, int y) {
        double scale = 0.38;
        int font = opencv_imgproc.FONT_HERSHEY_SIMPLEX;
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            int[] baseline = new int[1];
            if (opencv_imgproc.getTextSize(candidate, font, scale, 1, baseline).width() > TILE && line.length() > 0) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        lines.add(line.toString());
        for (int i = 0; i < Math.min(2, lines.size()); i++) {
            opencv_imgproc.putText(canvas, lines.get(i), new Point(x + 2, y + 13 + 14 * i), font, scale,
                    new Scalar(20, 20, 20, 0), 1, opencv_imgproc.LINE_AA, false);
        }
    }
}
