package org.cnnzoo.detection;

/** An anchor box's shape, in grid cells (YOLOv2's convention): the prior a predicted box is scaled from. */
public record Anchor(double width, double height) {
    public Anchor {
        if (!(width > 0 && height > 0)) {
            throw new IllegalArgumentException("an anchor needs a positive width and height, got " + width + "x" + height);
        }
    }

    /** IoU of two shapes placed on the same centre: how YOLO matches boxes to anchors and clusters them. */
    public double shapeIou(double otherWidth, double otherHeight) {
        double inter = Math.min(width, otherWidth) * Math.min(height, otherHeight);
        return inter / (width * height + otherWidth * otherHeight - inter);
    }
}
