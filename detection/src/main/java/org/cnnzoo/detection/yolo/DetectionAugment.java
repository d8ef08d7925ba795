package org.cnnzoo.detection.yolo;

import org.cnnzoo.detection.Box;
import org.cnnzoo.detection.LabelledBox;
import org.cnnzoo.detection.RgbImage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Augmentation that moves the boxes with the picture: a horizontal flip, a random crop keeping the picture's
 * aspect (a side of {@code minCrop}-1 of the original; the crop is what is stretched to the input, so objects
 * grow), and expansion onto a black canvas up to {@code maxExpand} times larger (objects shrink). A box cut by a
 * crop is clipped to it and dropped when less than {@link #MIN_VISIBLE} of its area is left in the crop.
 */
public record DetectionAugment(double flip, double minCrop, double maxExpand) {
    /** The share of a box's area that must stay in a crop for the box to stay. */
    public static final double MIN_VISIBLE = 0.4;
    public static final DetectionAugment NONE = new DetectionAugment(0, 1, 1);

    public DetectionAugment {
        if (!(flip >= 0 && flip <= 1 && minCrop > 0 && minCrop <= 1 && maxExpand >= 1 && maxExpand <= 4)) {
            throw new IllegalArgumentException("augmentation: flip is a probability, crop a side from (0, 1], expand"
                    + " a factor from 1 to 4; got flip " + flip + ", crop " + minCrop + ", expand " + maxExpand);
        }
    }

    /** A picture and its boxes after augmentation. */
    public record Sample(RgbImage image, List<LabelledBox> objects) {
    }

    /**
     * Reads {@code flip:P,crop:MIN-1.0,expand:MAX} (any of the three, in any order; "none" for nothing).
     *
     * @throws IllegalArgumentException naming the part that is not understood
     */
    public static DetectionAugment parse(String spec) {
        if (spec == null || spec.isBlank() || spec.equals("none")) {
            return NONE;
        }
        double flip = 0;
        double crop = 1;
        double expand = 1;
        for (String part : spec.split(",")) {
            String[] kv = part.trim().toLowerCase(Locale.ROOT).split(":", 2);
            try {
                switch (kv[0]) {
                    case "flip" -> flip = kv.length > 1 ? Double.parseDouble(kv[1]) : 0.5;
                    case "crop" -> crop = Double.parseDouble(kv[1].split("-")[0]);
                    case "expand" -> expand = Double.parseDouble(kv[1]);
                    default -> throw new IllegalArgumentException("--augment: '" + part + "' is not flip:P, crop:MIN-1.0"
                            + " or expand:MAX");
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("--augment: '" + part + "' needs a number, e.g. flip:0.5,"
                        + " crop:0.6-1.0, expand:1.5");
            }
        }
        return new DetectionAugment(flip, crop, expand);
    }

    public Sample apply(RgbImage image, List<LabelledBox> objects, SplittableRandom random) {
        RgbImage out = image;
        List<LabelledBox> boxes = objects;
        if (maxExpand > 1) {
            double f = 1 + random.nextDouble() * (maxExpand - 1);
            int w = (int) Math.round(out.width() * f);
            int h = (int) Math.round(out.height() * f);
            int dx = random.nextInt(w - out.width() + 1);
            int dy = random.nextInt(h - out.height() + 1);
            byte[] canvas = new byte[w * h * 3];
            for (int y = 0; y < out.height(); y++) {
                System.arraycopy(out.pixels(), y * out.width() * 3, canvas, ((y + dy) * w + dx) * 3, out.width() * 3);
            }
            out = new RgbImage(w, h, canvas);
            List<LabelledBox> moved = new ArrayList<>();
            for (LabelledBox o : boxes) {
                Box b = o.box();
                moved.add(new LabelledBox(new Box(b.x1() + dx, b.y1() + dy, b.x2() + dx, b.y2() + dy), o.classIndex()));
            }
            boxes = moved;
        }
        if (minCrop < 1) {
            double s = minCrop + random.nextDouble() * (1 - minCrop);
            int w = Math.max(1, (int) Math.round(out.width() * s));
            int h = Math.max(1, (int) Math.round(out.height() * s));
            int x = random.nextInt(out.width() - w + 1);
            int y = random.nextInt(out.height() - h + 1);
            Box crop = new Box(x, y, x + w, y + h);
            out = out.crop(crop);
            boxes = cropBoxes(boxes, crop);
        }
        if (random.nextDouble() < flip) {
            byte[] flipped = new byte[out.pixels().length];
            int w = out.width();
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < w; x++) {
                    System.arraycopy(out.pixels(), (y * w + x) * 3, flipped, (y * w + (w - 1 - x)) * 3, 3);
                }
            }
            out = new RgbImage(w, out.height(), flipped);
            List<LabelledBox> mirrored = new ArrayList<>();
            for (LabelledBox o : boxes) {
                Box b = o.box();
                mirrored.add(new LabelledBox(new Box(w - b.x2(), b.y1(), w - b.x1(), b.y2()), o.classIndex()));
            }
            boxes = mirrored;
        }
        return new Sample(out, boxes);
    }

    /** Boxes in the crop's coordinates, clipped to it; those with under {@link #MIN_VISIBLE} of their area left go. */
    static List<LabelledBox> cropBoxes(List<LabelledBox> boxes, Box crop) {
        List<LabelledBox> kept = new ArrayList<>();
        for (LabelledBox o : boxes) {
            Box b = o.box();
            double inside = b.intersection(crop);
            if (b.area() > 0 && inside / b.area() >= MIN_VISIBLE) {
                Box clipped = new Box(Math.max(b.x1(), crop.x1()) - crop.x1(), Math.max(b.y1(), crop.y1()) - crop.y1(),
                        Math.min(b.x2(), crop.x2()) - crop.x1(), Math.min(b.y2(), crop.y2()) - crop.y1());
                kept.add(new LabelledBox(clipped, o.classIndex()));
            }
        }
        return kept;
    }

    @Override
    public String toString() {
        return this.equals(NONE) ? "none" : String.format(Locale.ROOT, "flip:%s,crop:%s-1.0,expand:%s", flip, minCrop,
                maxExpand);
    }
}
