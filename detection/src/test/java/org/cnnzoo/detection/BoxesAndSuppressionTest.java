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
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Boxes, IoU and non-max suppression: hand-computed cases, the course's definition, and torchvision.ops. */
class BoxesAndSuppressionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void iouByHand() {
        Box a = new Box(0, 0, 2, 2);
        Box b = new Box(1, 1, 3, 3);
        assertEquals(1, a.intersection(b), 1e-12);
        assertEquals(1.0 / 7, a.iou(b), 1e-12);                        // 1 / (4 + 4 - 1)
        assertEquals(1, a.iou(a), 1e-12);
        assertEquals(0, a.iou(new Box(2, 0, 4, 2)), 1e-12);            // touching edges share no area
        assertEquals(0.25, new Box(0, 0, 4, 4).iou(new Box(1, 1, 3, 3)), 1e-12);   // inside: 4 / 16
        assertEquals(0, new Box(1, 1, 1, 1).iou(new Box(1, 1, 1, 1)), 1e-12);       // no area at all
        // the course's example: (2,1)-(4,3) and (1,2)-(3,4) overlap in a 1x1 square: 1 / 7
        assertEquals(1.0 / 7, new Box(2, 1, 4, 3).iou(new Box(1, 2, 3, 4)), 1e-12);
    }

    @Test
    void formsAndUnits() {
        Box centre = Box.fromCentre(50, 40, 20, 10);
        assertEquals(new Box(40, 35, 60, 45), centre);
        assertEquals(20, centre.width(), 1e-12);
        assertEquals(50, centre.centreX(), 1e-12);
        Box relative = centre.relativeTo(200, 100);
        assertEquals(new Box(0.2, 0.35, 0.3, 0.45), relative);
        assertEquals(centre, relative.inPixels(200, 100));
        assertThrows(IllegalArgumentException.class, () -> new Box(5, 0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new Box(0, 0, Double.NaN, 1));
    }

    @Test
    void theCoursesSuppressionDropsLowScoresThenOverlapsOfKeptBoxes() {
        List<Detection> cars = List.of(
                new Detection(new Box(10, 10, 50, 50), 0, 0.9),
                new Detection(new Box(12, 12, 52, 52), 0, 0.8),    // the same car again: IoU 0.82, dropped
                new Detection(new Box(100, 10, 140, 50), 0, 0.7),  // another car: kept
                new Detection(new Box(102, 8, 142, 48), 0, 0.55),  // under the score threshold 0.6: dropped first
                new Detection(new Box(11, 11, 51, 51), 1, 0.65));  // another class at the same place: kept per class
        NonMaxSuppression course = NonMaxSuppression.course();
        assertEquals(List.of(0, 2, 4), course.keptIndices(cars));
        // across classes the pedestrian-class box overlaps the best car and goes
        assertEquals(List.of(0, 2), new NonMaxSuppression(0.6, 0.5, false).keptIndices(cars));
        // an overlap exactly at the threshold stays: only boxes above it are dropped
        List<Detection> half = List.of(new Detection(new Box(0, 0, 3, 1), 0, 0.9),
                new Detection(new Box(1, 0, 4, 1), 0, 0.8));       // IoU 2 / 4 = 0.5
        assertEquals(List.of(0, 1), new NonMaxSuppression(0, 0.5, true).keptIndices(half));
        assertEquals(List.of(0), new NonMaxSuppression(0, 0.49, true).keptIndices(half));
    }

    private static JsonNode fixture() throws Exception {
        try (InputStream in = BoxesAndSuppressionTest.class.getResourceAsStream("/reference/ops.json")) {
            return JSON.readTree(in);
        }
    }

    @Test
    void theSameNumbersAsTorchvisionOps() throws Exception {
        JsonNode f = fixture();
        List<Detection> detections = new ArrayList<>();
        for (int i = 0; i < f.get("boxes").size(); i++) {
            JsonNode b = f.get("boxes").get(i);
            detections.add(new Detection(new Box(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(),
                    b.get(3).asDouble()), f.get("classes").get(i).asInt(), f.get("scores").get(i).asDouble()));
        }
        for (int i = 0; i < detections.size(); i++) {
            for (int j = 0; j < detections.size(); j++) {
                assertEquals(f.get("iou").get(i).get(j).asDouble(), detections.get(i).box().iou(detections.get(j).box()),
                        1e-12, "IoU of " + i + " and " + j);
            }
        }
        double score = f.get("score_threshold").asDouble();
        double iou = f.get("iou_threshold").asDouble();
        assertEquals(ints(f.get("nms")), new NonMaxSuppression(score, iou, false).keptIndices(detections));
        assertEquals(ints(f.get("batched_nms")), new NonMaxSuppression(score, iou, true).keptIndices(detections));
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    /** The committed reference is what torchvision.ops computes today. */
    @Test
    void theReferenceIsTorchvisionsOwn() throws Exception {
        Path fresh = ExternalTools.reference(ExternalTools.Needs.TORCHVISION, "detection_ops.py",
                dir.resolve("ops.json"), 5);
        JsonNode a = fixture();
        JsonNode b = JSON.readTree(fresh.toFile());
        for (String field : List.of("boxes", "scores", "classes", "nms", "batched_nms")) {
            assertEquals(a.get(field), b.get(field), field + " drifted: run tools/reference/detection_ops.py");
        }
    }
}
