package org.cnnzoo.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Anchors chosen from the training boxes as YOLOv2 chose them: k-means over the boxes' shapes with the distance
 * 1 - IoU (shapes on a shared centre), so that large boxes do not dominate as they would with Euclidean distance.
 * Seeded k-means++ start; the same boxes and seed give the same anchors.
 */
public final class AnchorClustering {
    private AnchorClustering() {
    }

    /**
     * @param shapes widths and heights of the training boxes, in grid cells
     * @return {@code k} anchors, smallest area first
     */
    public static List<Anchor> kMeans(List<Anchor> shapes, int k, long seed) {
        if (k < 1 || shapes.size() < k) {
            throw new IllegalArgumentException("k-means needs at least " + k + " boxes for " + k + " anchors, got "
                    + shapes.size());
        }
        Random random = new Random(seed);
        List<Anchor> centres = new ArrayList<>();
        centres.add(shapes.get(random.nextInt(shapes.size())));
        while (centres.size() < k) {                      // k-means++: far shapes are likelier next centres
            double[] d = new double[shapes.size()];
            double total = 0;
            for (int i = 0; i < shapes.size(); i++) {
                d[i] = Math.pow(distance(shapes.get(i), centres), 2);
                total += d[i];
            }
            double pick = random.nextDouble() * total;
            int chosen = 0;
            for (double acc = d[0]; acc < pick && chosen < shapes.size() - 1; acc += d[++chosen]) {
                // walk to the shape whose share of the total holds the pick
            }
            centres.add(shapes.get(chosen));
        }
        int[] assignment = new int[shapes.size()];
        for (int iteration = 0; iteration < 1000; iteration++) {
            boolean changed = false;
            for (int i = 0; i < shapes.size(); i++) {
                int nearest = nearest(shapes.get(i), centres);
                changed |= nearest != assignment[i] || iteration == 0;
                assignment[i] = nearest;
            }
            if (!changed) {
                break;
            }
            for (int c = 0; c < k; c++) {
                double w = 0;
                double h = 0;
                int n = 0;
                for (int i = 0; i < shapes.size(); i++) {
                    if (assignment[i] == c) {
                        w += shapes.get(i).width();
                        h += shapes.get(i).height();
                        n++;
                    }
                }
                if (n > 0) {
                    centres.set(c, new Anchor(w / n, h / n));
                }
            }
        }
        centres.sort(Comparator.comparingDouble(a -> a.width() * a.height()));
        return centres;
    }

    /** The mean IoU of each shape with its best anchor: how well the anchors cover the boxes. */
    public static double meanBestIou(List<Anchor> shapes, List<Anchor> anchors) {
        double sum = 0;
        for (Anchor s : shapes) {
            sum += 1 - distance(s, anchors);
        }
        return sum / shapes.size();
    }

    private static double distance(Anchor shape, List<Anchor> centres) {
        return 1 - centres.get(nearest(shape, centres)).shapeIou(shape.width(), shape.height());
    }

    private static int nearest(Anchor shape, List<Anchor> centres) {
        int best = 0;
        for (int c = 1; c < centres.size(); c++) {
            if (centres.get(c).shapeIou(shape.width(), shape.height())
                    > centres.get(best).shapeIou(shape.width(), shape.height())) {
                best = c;
            }
        }
        return best;
    }
}
