package org.cnnzoo.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Non-max suppression as the course defines it: drop every box scoring under {@code scoreThreshold}; then, highest
 * score first, keep a box and drop every remaining box that overlaps it by more than {@code iouThreshold}. Per
 * class (boxes of different classes never suppress each other) or across classes. Ties in score keep the earlier
 * box, as torchvision's {@code nms} does.
 */
public record NonMaxSuppression(double scoreThreshold, double iouThreshold, boolean perClass) {

    public NonMaxSuppression {
        if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("the IoU threshold is between 0 and 1, got " + iouThreshold);
        }
    }

    /** Per-class suppression with the course's example thresholds (score 0.6, IoU 0.5). */
    public static NonMaxSuppression course() {
        return new NonMaxSuppression(0.6, 0.5, true);
    }

    /** The kept detections, highest score first. */
    public List<Detection> apply(List<Detection> detections) {
        List<Integer> order = keptIndices(detections);
        List<Detection> kept = new ArrayList<>(order.size());
        for (int i : order) {
            kept.add(detections.get(i));
        }
        return kept;
    }

    /** The indices of the kept detections in {@code detections}, highest score first. */
    public List<Integer> keptIndices(List<Detection> detections) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            if (detections.get(i).score() >= scoreThreshold) {
                candidates.add(i);
            }
        }
        // a stable sort: among equal scores the earlier box comes first
        candidates.sort(Comparator.comparingDouble((Integer i) -> -detections.get(i).score()));
        boolean[] removed = new boolean[detections.size()];
        List<Integer> kept = new ArrayList<>();
        for (int a = 0; a < candidates.size(); a++) {
            int i = candidates.get(a);
            if (removed[i]) {
                continue;
            }
            kept.add(i);
            Detection best = detections.get(i);
            for (int b = a + 1; b < candidates.size(); b++) {
                int j = candidates.get(b);
                Detection other = detections.get(j);
                if (!removed[j] && (!perClass || other.classIndex() == best.classIndex())
                        && best.box().iou(other.box()) > iouThreshold) {
                    removed[j] = true;
                }
            }
        }
        return kept;
    }
}
