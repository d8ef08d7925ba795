package org.cnnzoo.detection;

import java.util.ArrayList;
import java.util.List;

/**
 * The YOLO output volume: a {@code rows} x {@code columns} grid, and in every cell, for every anchor, the box
 * (tx, ty, tw, th), the objectness and one score per class: depth anchors x (5 + classes), laid out channels-first
 * as a network outputs it ({@code [anchor * (5 + classes) + k][row][column]}).
 *
 * <p>A box is read from a cell as YOLOv2 does: centre = (cell + sigmoid(t)) / grid, size = anchor x exp(t) / grid, in
 * fractions of the image; its score is sigmoid(objectness) x softmax(class scores). Encoding a ground-truth box
 * does the inverse in the cell holding its centre, for the anchor whose shape matches it best.
 *
 * @param classScores false for a one-class detector scored by objectness alone (face-api's face detector): each
 *                    anchor then has 5 channels, not 6
 */
public record YoloGrid(int rows, int columns, List<Anchor> anchors, int classes, boolean classScores) {

    public YoloGrid {
        if (rows < 1 || columns < 1 || classes < 1 || anchors.isEmpty()) {
            throw new IllegalArgumentException("a YOLO grid needs rows, columns, classes and at least one anchor");
        }
        if (!classScores && classes != 1) {
            throw new IllegalArgumentException("only a one-class grid can go without class scores, got " + classes);
        }
        anchors = List.copyOf(anchors);
    }

    /** A grid with class scores, as YOLOv2 predicts them. */
    public YoloGrid(int rows, int columns, List<Anchor> anchors, int classes) {
        this(rows, columns, anchors, classes, true);
    }

    /** Channels of one anchor: the box, the objectness and any class scores. */
    private int perAnchor() {
        return classScores ? 5 + classes : 5;
    }

    /** Channels per cell: anchors x (5 + classes), or anchors x 5 without class scores. */
    public int depth() {
        return anchors.size() * perAnchor();
    }

    private int index(int anchor, int k, int row, int column) {
        return ((anchor * perAnchor() + k) * rows + row) * columns + column;
    }

    /** Clamped into (0, 1) so that the logit stays finite for a centre on a cell's edge. */
    private static double logit(double p) {
        double q = Math.min(1 - 1e-9, Math.max(1e-9, p));
        return Math.log(q / (1 - q));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** The anchor whose shape (width, height in cells) overlaps the box's best, as YOLOv2 assigns them. */
    public int bestAnchor(double widthCells, double heightCells) {
        int best = 0;
        for (int a = 1; a < anchors.size(); a++) {
            if (anchors.get(a).shapeIou(widthCells, heightCells) > anchors.get(best).shapeIou(widthCells, heightCells)) {
                best = a;
            }
        }
        return best;
    }

    /**
     * The training target for an image's objects: in the cell holding each centre and for its best anchor,
     * (tx, ty, tw, th) that decode back to the box, objectness 1 and the class one-hot; everything else 0. When two
     * objects claim the same cell and anchor, the later one is kept (YOLO can hold one per anchor per cell).
     */
    public float[] encode(List<LabelledBox> objects) {
        float[] volume = new float[depth() * rows * columns];
        for (LabelledBox o : objects) {
            if (o.classIndex() >= classes) {
                throw new IllegalArgumentException("class " + o.classIndex() + " is outside the grid's " + classes);
            }
            Box b = o.box();
            double x = b.centreX() * columns;
            double y = b.centreY() * rows;
            int column = Math.min(columns - 1, Math.max(0, (int) Math.floor(x)));
            int row = Math.min(rows - 1, Math.max(0, (int) Math.floor(y)));
            double w = b.width() * columns;
            double h = b.height() * rows;
            int a = bestAnchor(w, h);
            Anchor anchor = anchors.get(a);
            volume[index(a, 0, row, column)] = (float) logit(x - column);
            volume[index(a, 1, row, column)] = (float) logit(y - row);
            volume[index(a, 2, row, column)] = (float) Math.log(w / anchor.width());
            volume[index(a, 3, row, column)] = (float) Math.log(h / anchor.height());
            volume[index(a, 4, row, column)] = 1;
            for (int c = 0; classScores && c < classes; c++) {
                volume[index(a, 5 + c, row, column)] = c == o.classIndex() ? 1 : 0;
            }
        }
        return volume;
    }

    /**
     * The boxes in a volume, in fractions of the image, each with its best class and score.
     *
     * @param raw            true for a network's output (objectness and class scores are logits: sigmoid and
     *                       softmax are applied); false for {@link #encode}'s targets, which hold probabilities
     * @param scoreThreshold boxes scoring under it are left out
     */
    public List<Detection> decode(float[] volume, boolean raw, double scoreThreshold) {
        if (volume.length != depth() * rows * columns) {
            throw new IllegalArgumentException("a " + rows + "x" + columns + " grid of depth " + depth() + " holds "
                    + depth() * rows * columns + " values, got " + volume.length);
        }
        List<Detection> out = new ArrayList<>();
        double[] p = new double[classes];
        for (int a = 0; a < anchors.size(); a++) {
            Anchor anchor = anchors.get(a);
            for (int row = 0; row < rows; row++) {
                for (int column = 0; column < columns; column++) {
                    double objectness = volume[index(a, 4, row, column)];
                    objectness = raw ? sigmoid(objectness) : objectness;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < classes; c++) {
                        p[c] = classScores ? volume[index(a, 5 + c, row, column)] : 1;
                        max = Math.max(max, p[c]);
                    }
                    if (raw && classScores) {                                   // softmax, shifted by the largest for stability
                        double sum = 0;
                        for (int c = 0; c < classes; c++) {
                            p[c] = Math.exp(p[c] - max);
                            sum += p[c];
                        }
                        for (int c = 0; c < classes; c++) {
                            p[c] /= sum;
                        }
                    }
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        best = p[c] > p[best] ? c : best;
                    }
                    double score = objectness * p[best];
                    if (score < scoreThreshold || score <= 0) {
                        continue;
                    }
                    double cx = (column + sigmoid(volume[index(a, 0, row, column)])) / columns;
                    double cy = (row + sigmoid(volume[index(a, 1, row, column)])) / rows;
                    double w = anchor.width() * Math.exp(volume[index(a, 2, row, column)]) / columns;
                    double h = anchor.height() * Math.exp(volume[index(a, 3, row, column)]) / rows;
                    out.add(new Detection(Box.fromCentre(cx, cy, w, h), best, score));
                }
            }
        }
        return out;
    }
}
