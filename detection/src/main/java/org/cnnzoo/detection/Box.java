package org.cnnzoo.detection;

/**
 * An axis-aligned box in corner form: left {@code x1}, top {@code y1}, right {@code x2}, bottom {@code y2}, in
 * pixels or in fractions of the image (the same unit for all four). Boxes are continuous: a box from 0 to 10 is
 * 10 wide, as torchvision counts.
 */
public record Box(double x1, double y1, double x2, double y2) {

    public Box {
        if (!(Double.isFinite(x1) && Double.isFinite(y1) && Double.isFinite(x2) && Double.isFinite(y2))) {
            throw new IllegalArgumentException("a box needs finite corners, got " + x1 + ", " + y1 + ", " + x2 + ", " + y2);
        }
        if (x2 < x1 || y2 < y1) {
            throw new IllegalArgumentException("a box's right and bottom must not be left of or above its left and"
                    + " top, got (" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + ")");
        }
    }

    /** From the centre form the YOLO volume uses: centre ({@code cx}, {@code cy}), width and height. */
    public static Box fromCentre(double cx, double cy, double width, double height) {
        return new Box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2);
    }

    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    public double centreX() {
        return (x1 + x2) / 2;
    }

    public double centreY() {
        return (y1 + y2) / 2;
    }

    public double area() {
        return width() * height();
    }

    /** The same box in fractions of an image of that size. */
    public Box relativeTo(double imageWidth, double imageHeight) {
        return new Box(x1 / imageWidth, y1 / imageHeight, x2 / imageWidth, y2 / imageHeight);
    }

    /** The same box in pixels of an image of that size, from fractions. */
    public Box inPixels(double imageWidth, double imageHeight) {
        return new Box(x1 * imageWidth, y1 * imageHeight, x2 * imageWidth, y2 * imageHeight);
    }

    /** The area both boxes cover (0 when they do not overlap). */
    public double intersection(Box other) {
        double w = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double h = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    /**
     * Intersection over union: the overlap's area divided by the area the two cover together, from 0 (apart) to 1
     * (the same box). Two boxes of no area have 0.
     */
    public double iou(Box other) {
        double inter = intersection(other);
        double union = area() + other.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
