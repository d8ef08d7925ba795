package org.cnnzoo.detection.yolo;

import org.cnnzoo.detection.AveragePrecision;
import org.cnnzoo.detection.Detection;
import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.detection.data.DetectionSample;
import org.cnnzoo.detection.data.DetectionSet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a detector finds a dataset's objects: VOC's mAP at IoU 0.5, COCO's mAP over IoU 0.5-0.95, and the AP
 * at 0.5 of each class (NaN for a class with no object in the set). Detections are kept from a score of
 * {@link #SCORE} up, as detection benchmarks do, so that the whole precision-recall curve counts.
 */
public record DetectionMetrics(String dataset, int pictures, int objects, double map50, double cocoMap,
                               Map<String, Double> ap50, double seconds) {
    public static final double SCORE = 0.005;
    public static final double IOU = 0.45;

    public static DetectionMetrics evaluate(YoloDetector detector, DetectionSet set, int batch) throws IOException {
        long t0 = System.nanoTime();
        List<AveragePrecision.Image> images = new ArrayList<>();
        for (int start = 0; start < set.size(); start += batch) {
            List<DetectionSample> part = set.samples().subList(start, Math.min(set.size(), start + batch));
            List<RgbImage> pictures = new ArrayList<>();
            for (DetectionSample s : part) {
                pictures.add(s.image());
            }
            List<List<Detection>> found = detector.detect(pictures, SCORE, IOU);
            for (int i = 0; i < part.size(); i++) {
                images.add(new AveragePrecision.Image(part.get(i).objects(), found.get(i)));
            }
        }
        int classes = detector.spec().classes().size();
        Map<String, Double> perClass = new LinkedHashMap<>();
        for (int c = 0; c < classes; c++) {
            perClass.put(detector.spec().classes().get(c), AveragePrecision.voc(images, c, 0.5));
        }
        return new DetectionMetrics(set.name(), set.size(), set.objects(), AveragePrecision.vocMap(images, classes),
                AveragePrecision.cocoMap(images, classes), perClass, (System.nanoTime() - t0) / 1e9);
    }
}
