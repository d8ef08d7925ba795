package org.cnnzoo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.detection.data.DetectionSet;
import org.cnnzoo.detection.data.EmbeddedDetection;
import org.cnnzoo.detection.data.YoloDataset;
import org.cnnzoo.zoo.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.cnnzoo.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cnnzoo detect}, {@code train-detector} and {@code summary} of detectors, as users run them. */
class DetectionCommandsTest {
    static final Path FACE_API = Path.of("..", "tools", "reference", "tfjs", "node_modules", "@vladmandic", "face-api",
            "model").toAbsolutePath().normalize();
    static final Path ASTRONAUT = Path.of("/usr/lib/python3/dist-packages/skimage/data/astronaut.png");

    @TempDir
    Path dir;

    @Test
    void detectFindsTheAstronautsFaceWithItsLandmarksAndKeepsEarlierResults() throws Exception {
        ExternalTools.require(Files.isDirectory(FACE_API), "face-api's package is missing (npm ci --prefix tools/reference/tfjs)");
        ExternalTools.require(Files.isRegularFile(ASTRONAUT), "scikit-image's photos are missing (apt-get install python3-skimage)");
        Path broken = Files.writeString(dir.resolve("broken.jpg"), "not a picture");
        Path out = dir.resolve("out");
        MainTest.Result r = run("detect", "--model", "tiny_face_detector", "--weights", FACE_API.toString(),
                "--landmarks", "--out", out.toString(), ASTRONAUT.toString(), broken.toString());
        assertEquals(1, r.code(), r.err());                   // one picture could not be read
        assertTrue(r.out().contains("astronaut.png: 1 found (face 0.98)"), r.out());
        assertTrue(r.err().contains("skipped") && r.err().contains("broken.jpg"), r.err());
        JsonNode doc = new ObjectMapper().readTree(out.resolve("astronaut.json").toFile());
        JsonNode face = doc.get("detections").get(0);
        // face-api's own box for this photo (see FaceApiReferenceTest): x 163.3, y 75.7, 116 x 111
        assertEquals(163.25, face.get("x1").asDouble(), 0.05);
        assertEquals(75.66 + 110.98, face.get("y2").asDouble(), 0.05);
        assertEquals(68, face.get("points").size());
        assertTrue(face.get("points").get(30).get(0).asDouble() > 163 && face.get("points").get(30).get(0).asDouble() < 279);
        assertTrue(Files.size(out.resolve("astronaut.png")) > 10_000);

        MainTest.Result again = run("detect", "--model", "tiny_face_detector", "--weights", FACE_API.toString(),
                "--out", out.toString(), ASTRONAUT.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("astronaut.png exists") && again.err().contains("--overwrite"), again.err());
        assertFalse(again.err().contains("\tat "), "no stack trace: " + again.err());
    }

    @Test
    void trainDetectorWritesARunThatDetectAndSummaryRead() throws Exception {
        DetectionSet set = EmbeddedDetection.load(Part.TRAIN);
        Path data = dir.resolve("yolo");
        YoloDataset.write(set, set.samples().subList(0, 20), data);
        Path heldOut = dir.resolve("held-out");
        YoloDataset.write(set, set.samples().subList(20, 40), heldOut);
        Path run = dir.resolve("run");
        MainTest.Result leak = run("train-detector", "--data", "yolo:" + data, "--test", "yolo:" + data, "--backbone",
                "resnet18", "--input", "64,64,1", "--epochs", "1", "--out", dir.resolve("leak").toString());
        assertEquals(2, leak.code());
        assertTrue(leak.err().contains("also training data"), leak.err());
        MainTest.Result r = run("train-detector", "--data", "yolo:" + data, "--test", "yolo:" + heldOut, "--backbone",
                "resnet18", "--input", "64,64,1", "--features", "layer2", "--epochs", "2", "--batch", "8",
                "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trained 2 epochs") && r.out().contains("test: 20 pictures"), r.out());
        assertTrue(r.err().contains("cut at layer2.1.relu: a 8x8 grid"), r.err());
        JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        assertEquals(20, metrics.get("test").get("pictures").asInt());

        MainTest.Result refused = run("train-detector", "--data", "yolo:" + data, "--backbone", "resnet18", "--input",
                "64,64,1", "--epochs", "1", "--out", run.toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("already holds files"), refused.err());

        Path picture = data.resolve("images").resolve("train-0.png");
        MainTest.Result d = run("detect", "--model", run.toString(), "--score", "0.01", "--out",
                dir.resolve("found").toString(), picture.toString());
        assertEquals(0, d.code(), d.err());
        JsonNode found = new ObjectMapper().readTree(dir.resolve("found/train-0.json").toFile());
        assertEquals(96, found.get("width").asInt());
        assertTrue(found.get("detections").size() > 0, "at score 0.01 something is proposed: " + found);

        MainTest.Result s = run("summary", run.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("head.out") && s.out().contains("8x8x"), s.out());
    }

    @Test
    void summaryAndModelsShowTheDetectors() {
        MainTest.Result s = run("summary", "tiny_face_detector");
        assertEquals(0, s.code(), s.err());
        // face-api ships one byte per parameter (uint8): its shard is 193,321 bytes
        assertTrue(s.out().contains("parameters: 193,321 trainable"), s.out());
        assertTrue(s.out().contains("conv8") && s.out().contains("13x13x25"), s.out());
        MainTest.Result m = run("models");
        assertTrue(m.out().contains("face_landmark_68") && m.out().contains("356,840"), m.out());
    }
}
