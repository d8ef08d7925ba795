package org.cnnzoo.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.zoo.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VOC's AP@0.5 and COCO's mAP@[.5:.95] by hand and against tools/reference/detection_metrics.py, a numpy
 * implementation written from the VOC devkit's and pycocotools' definitions, on 12 images of clustered boxes.
 */
class AveragePrecisionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Box box(JsonNode b) {
        return new Box(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble());
    }

    private static List<AveragePrecision.Image> images(JsonNode fixture) {
        List<AveragePrecision.Image> images = new ArrayList<>();
        for (JsonNode im : fixture.get("images")) {
            List<LabelledBox> truth = new ArrayList<>();
            im.get("truth").forEach(t -> truth.add(new LabelledBox(box(t.get("box")), t.get("class").asInt())));
            List<Detection> detections = new ArrayList<>();
            im.get("detections").forEach(d -> detections.add(new Detection(box(d.get("box")), d.get("class").asInt(),
                    d.get("score").asDouble())));
            images.add(new AveragePrecision.Image(truth, detections));
        }
        return images;
    }

    private static JsonNode fixture() throws Exception {
        try (InputStream in = AveragePrecisionTest.class.getResourceAsStream("/reference/metrics.json")) {
            return JSON.readTree(in);
        }
    }

    @Test
    void byHand() {
        Box object = new Box(0, 0, 10, 10);
        AveragePrecision.Image one = new AveragePrecision.Image(List.of(new LabelledBox(object, 0)), List.of(
                new Detection(new Box(0, 0, 10, 9), 0, 0.9),          // IoU 0.9: found
                new Detection(new Box(1, 0, 11, 10), 0, 0.8),         // the same object again: a false positive
                new Detection(new Box(50, 50, 60, 60), 0, 0.95)));    // a false alarm, ranked first
        // VOC: precision 0 at recall 0 (the alarm), then 1/2 at recall 1 -> AP 0.5
        assertEquals(0.5, AveragePrecision.voc(List.of(one), 0, 0.5), 1e-12);
        // COCO at 0.5: the same curve sampled at 101 points -> 0.5; at 0.95 the 0.9-IoU match fails -> 0
        assertEquals(0.5, AveragePrecision.coco(List.of(one), 0, 0.5), 1e-12);
        assertEquals(0, AveragePrecision.coco(List.of(one), 0, 0.95), 1e-12);
        assertTrue(Double.isNaN(AveragePrecision.voc(List.of(one), 1, 0.5)), "no ground truth of class 1");
        // a perfect detector scores 1 under both definitions
        AveragePrecision.Image perfect = new AveragePrecision.Image(List.of(new LabelledBox(object, 0)),
                List.of(new Detection(object, 0, 0.7)));
        assertEquals(1, AveragePrecision.vocMap(List.of(perfect), 1), 1e-12);
        assertEquals(1, AveragePrecision.cocoMap(List.of(perfect), 1), 1e-12);
    }

    @Test
    void theReferencesNumbers() throws Exception {
        JsonNode f = fixture();
        List<AveragePrecision.Image> images = images(f);
        int classes = f.get("classes").asInt();
        for (int c = 0; c < classes; c++) {
            assertEquals(f.get("voc_ap50").get(String.valueOf(c)).asDouble(), AveragePrecision.voc(images, c, 0.5),
                    1e-12, "VOC AP of class " + c);
            JsonNode coco = f.get("coco_ap").get(String.valueOf(c));
            for (int t = 0; t < 10; t++) {
                double expected = coco.get(t).isNull() ? Double.NaN : coco.get(t).asDouble();
                assertEquals(expected, AveragePrecision.coco(images, c, 0.5 + 0.05 * t), 1e-12,
                        "COCO AP of class " + c + " at IoU " + (0.5 + 0.05 * t));
            }
        }
        assertEquals(f.get("voc_map50").asDouble(), AveragePrecision.vocMap(images, classes), 1e-12);
        assertEquals(f.get("coco_map").asDouble(), AveragePrecision.cocoMap(images, classes), 1e-12);
    }

    @Test
    void theReferenceIsTheScriptsOwn() throws Exception {
        Path fresh = ExternalTools.reference(ExternalTools.Needs.NUMPY, "detection_metrics.py",
                dir.resolve("metrics.json"), 5);
        assertEquals(fixture(), JSON.readTree(fresh.toFile()), "drifted: run tools/reference/detection_metrics.py");
    }
}
