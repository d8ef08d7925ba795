package org.cnnzoo.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How good a detector is on images with known objects: average precision per class, as Pascal VOC and COCO define
 * it. Detections are matched to ground truth highest score first; the precision-recall curve is made monotone
 * (each precision replaced by the best at any higher recall) and its area taken.
 *
 * <ul>
 *   <li>{@link #voc}: VOC 2010 and later at IoU 0.5. A detection is a true positive when the ground truth of its
 *       class that it overlaps most (in its image) overlaps it by more than the threshold and was not matched
 *       before; otherwise a false positive. The area is taken over all recall points.</li>
 *   <li>{@link #coco}: COCO's AP at one IoU threshold. A detection (at most 100 per image and class) matches the
 *       unmatched ground truth it overlaps most with IoU at least the threshold. Precision is sampled at 101 recall
 *       points, 0 to 1. {@link #cocoMap} averages over the thresholds 0.50, 0.55, ..., 0.95 and the classes.</li>
 * </ul>
 */
public final class AveragePrecision {
    /** COCO's limit of detections per image (and class). */
    public static final int COCO_MAX_DETECTIONS = 100;

    private AveragePrecision() {
    }

    /** One image: its ground truth and what the detector proposed. */
    public record Image(List<LabelledBox> truth, List<Detection> detections) {
        public Image {
            truth = List.copyOf(truth);
            detections = List.copyOf(detections);
        }
    }

    private record Scored(double score, boolean truePositive) {
    }

    /** VOC's AP for one class at an IoU threshold (0.5 in VOC); NaN when the class has no ground truth. */
    public static double voc(List<Image> images, int classIndex, double iouThreshold) {
        List<double[]> order = new ArrayList<>();                 // {score, image, detection}
        int positives = 0;
        List<boolean[]> matched = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Image im = images.get(i);
            List<Box> truth = truth(im, classIndex);
            positives += truth.size();
            matched.add(new boolean[truth.size()]);
            for (int d = 0; d < im.detections().size(); d++) {
                if (im.detections().get(d).classIndex() == classIndex) {
                    order.add(new double[]{im.detections().get(d).score(), i, d});
                }
            }
        }
        if (positives == 0) {
            return Double.NaN;
        }
        order.sort(Comparator.comparingDouble(o -> -o[0]));
        List<Scored> scored = new ArrayList<>();
        for (double[] o : order) {
            int i = (int) o[1];
            Box box = images.get(i).detections().get((int) o[2]).box();
            List<Box> truth = truth(images.get(i), classIndex);
            int best = -1;
            double bestIou = Double.NEGATIVE_INFINITY;
            for (int g = 0; g < truth.size(); g++) {
                double v = box.iou(truth.get(g));
                if (v > bestIou) {
                    best = g;
                    bestIou = v;
                }
            }
            boolean tp = best >= 0 && bestIou > iouThreshold && !matched.get(i)[best];
            if (tp) {
                matched.get(i)[best] = true;
            }
            scored.add(new Scored(o[0], tp));
        }
        double[][] pr = curve(scored, positives);
        double[] recall = pr[0];
        double[] precision = pr[1];
        int n = recall.length;
        double[] mrec = new double[n + 2];
        double[] mpre = new double[n + 2];
        System.arraycopy(recall, 0, mrec, 1, n);
        System.arraycopy(precision, 0, mpre, 1, n);
        mrec[n + 1] = 1;
        for (int k = mpre.length - 2; k >= 0; k--) {
            mpre[k] = Math.max(mpre[k], mpre[k + 1]);
        }
        double ap = 0;
        for (int k = 0; k < mrec.length - 1; k++) {
            if (mrec[k + 1] != mrec[k]) {
                ap += (mrec[k + 1] - mrec[k]) * mpre[k + 1];
            }
        }
        return ap;
    }

    /** COCO's AP for one class at one IoU threshold; NaN when the class has no ground truth. */
    public static double coco(List<Image> images, int classIndex, double iouThreshold) {
        int positives = 0;
        List<Scored> scored = new ArrayList<>();
        double minimum = Math.min(iouThreshold, 1 - 1e-10);
        for (Image im : images) {
            List<Box> truth = truth(im, classIndex);
            positives += truth.size();
            List<Detection> mine = new ArrayList<>(im.detections().stream()
                    .filter(d -> d.classIndex() == classIndex).toList());
            mine.sort(Comparator.comparingDouble(d -> -d.score()));
            boolean[] matched = new boolean[truth.size()];
            for (Detection d : mine.subList(0, Math.min(COCO_MAX_DETECTIONS, mine.size()))) {
                int best = -1;
                double bestIou = minimum;
                for (int g = 0; g < truth.size(); g++) {
                    double v = matched[g] ? -1 : d.box().iou(truth.get(g));
                    if (v >= bestIou) {
                        best = g;
                        bestIou = v;
                    }
                }
                if (best >= 0) {
                    matched[best] = true;
                }
                scored.add(new Scored(d.score(), best >= 0));
            }
        }
        if (positives == 0) {
            return Double.NaN;
        }
        scored.sort(Comparator.comparingDouble(s -> -s.score()));     // stable, as COCO's mergesort
        double[][] pr = curve(scored, positives);
        double[] recall = pr[0];
        double[] precision = pr[1].clone();
        for (int k = precision.length - 1; k > 0; k--) {
            precision[k - 1] = Math.max(precision[k - 1], precision[k]);
        }
        double sum = 0;
        for (int r = 0; r <= 100; r++) {
            double point = r / 100.0;
            int j = 0;                                             // the first recall reaching the point
            while (j < recall.length && recall[j] < point) {
                j++;
            }
            sum += j < precision.length ? precision[j] : 0;
        }
        return sum / 101;
    }

    /** COCO's mAP@[.5:.95]: AP averaged over ten IoU thresholds and the classes that have ground truth. */
    public static double cocoMap(List<Image> images, int classes) {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < classes; c++) {
            for (int t = 0; t < 10; t++) {
                double ap = coco(images, c, 0.5 + 0.05 * t);
                if (!Double.isNaN(ap)) {
                    sum += ap;
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** VOC's mAP: AP at IoU 0.5 averaged over the classes that have ground truth. */
    public static double vocMap(List<Image> images, int classes) {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < classes; c++) {
            double ap = voc(images, c, 0.5);
            if (!Double.isNaN(ap)) {
                sum += ap;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static List<Box> truth(Image im, int classIndex) {
        return im.truth().stream().filter(t -> t.classIndex() == classIndex).map(LabelledBox::box).toList();
    }

    /** Recall and precision after each detection, in score order. */
    private static double[][] curve(List<Scored> scored, int positives) {
        double[] recall = new double[scored.size()];
        double[] precision = new double[scored.size()];
        int tp = 0;
        int fp = 0;
        for (int k = 0; k < scored.size(); k++) {
            if (scored.get(k).truePositive()) {
                tp++;
            } else {
                fp++;
            }
            recall[k] = (double) tp / positives;
            precision[k] = (double) tp / (tp + fp);
        }
        return new double[][]{recall, precision};
    }
}
