package org.cnnzoo.detection.data;

import org.cnnzoo.datasets.EmbeddedFashionMnist;
import org.cnnzoo.datasets.FashionMnist;
import org.cnnzoo.datasets.ImageArrays;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.detection.Box;
import org.cnnzoo.detection.LabelledBox;
import org.cnnzoo.detection.RgbImage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cnnzoo.datasets.Seeds;

/**
 * The embedded detection set: real Fashion-MNIST items (the subset inside the jar) placed on black 96x96 canvases,
 * one to three per canvas, each scaled by 0.85-1.7 (24-48 pixels) and put where its box overlaps no earlier box by
 * more than IoU 0.2, with the item's tight box (pixels brighter than 8) and class. Nothing is stored: the canvases
 * are composed the same way from the same seed on every machine, and a test recomposes them and checks a hash.
 *
 * <p>Held-out data stays held out: training canvases use only items of the subset's training part and test
 * canvases only items of its test part, and every item is placed at most once, so any split of the training
 * canvases into training and validation shares no item either.
 */
public final class EmbeddedDetection {
    public static final int SIDE = 96;
    public static final int TRAIN_CANVASES = 1000;
    public static final int TEST_CANVASES = 300;
    static final int MAX_ITEMS = 3;
    static final double MIN_SCALE = 0.85;
    static final double MAX_SCALE = 1.7;
    static final double MAX_OVERLAP = 0.2;
    static final int INK = 8;
    private static final long SEED = 17;

    private EmbeddedDetection() {
    }

    public static DetectionSet load(Part part) throws IOException {
        ImageArrays items = EmbeddedFashionMnist.load(part);
        int canvases = part == Part.TRAIN ? TRAIN_CANVASES : TEST_CANVASES;
        SplittableRandom random = new SplittableRandom(SEED + part.ordinal());
        int[] order = Seeds.permutation(items.size(), random);
        List<DetectionSample> samples = new ArrayList<>(canvases);
        int next = 0;
        for (int c = 0; c < canvases; c++) {
            byte[] canvas = new byte[SIDE * SIDE];
            List<LabelledBox> objects = new ArrayList<>();
            int wanted = 1 + random.nextInt(MAX_ITEMS);
            for (int k = 0; k < wanted && next < order.length; k++) {
                int item = order[next];
                int side = (int) Math.round(28 * (MIN_SCALE + random.nextDouble() * (MAX_SCALE - MIN_SCALE)));
                byte[] scaled = resize(items.pixels(item), 28, side);
                int[] tight = tightBox(scaled, side);
                if (tight == null) {                     // an empty item (none in the subset, but be safe)
                    next++;
                    continue;
                }
                for (int attempt = 0; attempt < 20; attempt++) {
                    int x = random.nextInt(SIDE - side + 1);
                    int y = random.nextInt(SIDE - side + 1);
                    Box box = new Box(x + tight[0], y + tight[1], x + tight[2], y + tight[3]);
                    if (objects.stream().allMatch(o -> o.box().iou(box) <= MAX_OVERLAP)) {
                        paste(canvas, scaled, side, x, y);
                        objects.add(new LabelledBox(box, items.label(item)));
                        next++;
                        break;
                    }
                }
            }
            samples.add(new DetectionSample(part.name().toLowerCase() + "-" + c, null, grey(canvas), objects));
        }
        return new DetectionSet("embedded detection " + part.name().toLowerCase(), FashionMnist.CLASSES, samples,
                List.of());
    }

    /** Bilinear resizing with pixel centres aligned (the usual half-pixel convention), rounded to bytes. */
    static byte[] resize(byte[] in, int from, int to) {
        byte[] out = new byte[to * to];
        double scale = from / (double) to;
        for (int y = 0; y < to; y++) {
            double sy = Math.max(0, (y + 0.5) * scale - 0.5);
            int y0 = Math.min(from - 1, (int) sy);
            int y1 = Math.min(from - 1, y0 + 1);
            double fy = sy - y0;
            for (int x = 0; x < to; x++) {
                double sx = Math.max(0, (x + 0.5) * scale - 0.5);
                int x0 = Math.min(from - 1, (int) sx);
                int x1 = Math.min(from - 1, x0 + 1);
                double fx = sx - x0;
                double top = (in[y0 * from + x0] & 0xFF) * (1 - fx) + (in[y0 * from + x1] & 0xFF) * fx;
                double bottom = (in[y1 * from + x0] & 0xFF) * (1 - fx) + (in[y1 * from + x1] & 0xFF) * fx;
                out[y * to + x] = (byte) Math.round(top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    /** Left, top, right, bottom (exclusive) of the pixels brighter than {@link #INK}, or null if there are none. */
    static int[] tightBox(byte[] item, int side) {
        int x1 = side;
        int y1 = side;
        int x2 = -1;
        int y2 = -1;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if ((item[y * side + x] & 0xFF) > INK) {
                    x1 = Math.min(x1, x);
                    y1 = Math.min(y1, y);
                    x2 = Math.max(x2, x);
                    y2 = Math.max(y2, y);
                }
            }
        }
        return x2 < 0 ? null : new int[]{x1, y1, x2 + 1, y2 + 1};
    }

    /** Draws the item over the canvas keeping the brighter pixel, so an overlapping item is not cut out. */
    private static void paste(byte[] canvas, byte[] item, int side, int x, int y) {
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                int i = (y + r) * SIDE + x + c;
                canvas[i] = (byte) Math.max(canvas[i] & 0xFF, item[r * side + c] & 0xFF);
            }
        }
    }

    private static RgbImage grey(byte[] canvas) {
        byte[] rgb = new byte[canvas.length * 3];
        for (int i = 0; i < canvas.length; i++) {
            rgb[3 * i] = canvas[i];
            rgb[3 * i + 1] = canvas[i];
            rgb[3 * i + 2] = canvas[i];
        }
        return new RgbImage(SIDE, SIDE, rgb);
    }
}
