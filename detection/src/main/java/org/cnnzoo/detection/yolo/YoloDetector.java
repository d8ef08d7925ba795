package org.cnnzoo.detection.yolo;

import org.cnnzoo.detection.AveragePrecision;
import org.cnnzoo.detection.Detection;
import org.cnnzoo.detection.NonMaxSuppression;
import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.detection.YoloGrid;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * A trained YOLO detector: pictures in, boxes in their pixels out with class and score. The raw volume is decoded
 * as YOLOv2 does ({@link YoloGrid}), boxes under the score threshold dropped, the rest suppressed per class at the
 * IoU threshold, and at most {@link AveragePrecision#COCO_MAX_DETECTIONS} kept per picture.
 */
public record YoloDetector(ComputationGraph graph, DetectorSpec spec) {

    /** Detections for each picture, best first. */
    public List<List<Detection>> detect(List<RgbImage> pictures, double score, double iou) {
        DetectorInput input = spec.detectorInput();
        float[] values = new float[pictures.size() * input.size()];
        for (int i = 0; i < pictures.size(); i++) {
            input.write(pictures.get(i), values, i * input.size());
        }
        long[] shape = {pictures.size(), spec.input().channels(), spec.input().height(), spec.input().width()};
        INDArray volume = graph.feedForward(Nd4j.create(values, shape, 'c'), false).get(spec.head());
        YoloGrid grid = spec.grid();
        NonMaxSuppression nms = new NonMaxSuppression(score, iou, true);
        List<List<Detection>> out = new ArrayList<>();
        for (int i = 0; i < pictures.size(); i++) {
            float[] raw = volume.slice(i).dup('c').data().asFloat();
            List<Detection> kept = nms.apply(grid.decode(raw, true, score));
            RgbImage p = pictures.get(i);
            List<Detection> pixels = new ArrayList<>();
            for (Detection d : kept.subList(0, Math.min(kept.size(), AveragePrecision.COCO_MAX_DETECTIONS))) {
                pixels.add(new Detection(clip(d).inPixels(p.width(), p.height()), d.classIndex(), d.score()));
            }
            out.add(pixels);
        }
        return out;
    }

    public List<Detection> detect(RgbImage picture, double score, double iou) {
        return detect(List.of(picture), score, iou).get(0);
    }

    /** A box in fractions, kept within the picture (a predicted box may reach past its edges). */
    private static org.cnnzoo.detection.Box clip(Detection d) {
        var b = d.box();
        double x1 = Math.min(1, Math.max(0, b.x1()));
        double y1 = Math.min(1, Math.max(0, b.y1()));
        return new org.cnnzoo.detection.Box(x1, y1, Math.max(x1, Math.min(1, b.x2())), Math.max(y1, Math.min(1, b.y2())));
    }
}
