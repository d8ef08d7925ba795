package org.cnnzoo.detection.faceapi;

import com.fasterxml.jackson.databind.JsonNode;
import org.cnnzoo.detection.Detection;
import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.zoo.ExternalTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * face-api's real pretrained networks, rebuilt in DL4J with the weights the npm package ships, give face-api's own
 * outputs on real photos: scikit-image's astronaut (Debian python3-skimage), LFW faces (Maven
 * dl4j-test-resources) and Darknet's person.jpg (Debian darknet). face-api runs in node on TensorFlow.js's CPU
 * backend through tools/reference/tfjs/face_api_reference.js; both sides get the same decoded pixels.
 */
class FaceApiReferenceTest {
    static final Path TFJS = NodeReference.TFJS;
    static final Path MODEL = NodeReference.MODEL;
    static final Path ASTRONAUT = NodeReference.ASTRONAUT;
    static final Path PERSON = NodeReference.PERSON;
    static final List<String> LFW = List.of("lfwtest/Zico/Zico_0001.jpg", "lfwtest/Ziwang_Xu/Ziwang_Xu_0001.jpg");
    static final int SIZE = 416;

    @TempDir
    static Path dir;
    static final Map<String, RgbImage> images = new LinkedHashMap<>();
    static JsonNode reference;
    static String missing;

    @BeforeAll
    @Timeout(600)
    static void runFaceApi() throws Exception {
        missing = NodeReference.missing();
        if (missing != null) {
            return;
        }
        images.put("astronaut", RgbImage.read(ASTRONAUT));
        images.put("person", RgbImage.read(PERSON));
        for (String resource : LFW) {
            images.put(Path.of(resource).getFileName().toString(), NodeReference.lfw(resource, dir));
        }
        // a face crop (a box around the astronaut's face, as a detector gives) for the landmarks
        images.put("astronaut-face", images.get("astronaut").crop(new org.cnnzoo.detection.Box(150, 60, 292, 200)));
        reference = NodeReference.run(dir, "face_api_reference.js", List.of(String.valueOf(SIZE)), images);
    }

    @BeforeEach
    void requireReference() {
        ExternalTools.require(missing == null, missing);
    }

    @Test
    void theLandmarkNetworksPointsAreFaceApis() throws Exception {
        FaceLandmarks landmarks = FaceLandmarks.load(MODEL);
        int k = 0;
        for (RgbImage image : images.values()) {
            JsonNode r = reference.get("results").get(k++);
            String name = r.get("image").asText();
            float[] raw = landmarks.raw(image);
            JsonNode expected = r.get("landmarksRaw");
            assertEquals(136, raw.length);
            for (int i = 0; i < raw.length; i++) {
                assertEquals(expected.get(i).asDouble(), raw[i], 1e-4, name + " output " + i);
            }
            List<FaceLandmarks.Point> points = landmarks.detect(image);
            for (int i = 0; i < points.size(); i++) {
                assertEquals(r.get("landmarks").get(i).get(0).asDouble(), points.get(i).x(), 0.02, name + " x" + i);
                assertEquals(r.get("landmarks").get(i).get(1).asDouble(), points.get(i).y(), 0.02, name + " y" + i);
            }
        }
        // on the face crop the points fall where a face's parts are: the eyes (36-47) above the mouth (48-67),
        // the nose tip (30) between the eyes horizontally
        List<FaceLandmarks.Point> face = landmarks.detect(images.get("astronaut-face"));
        double eyes = face.subList(36, 48).stream().mapToDouble(FaceLandmarks.Point::y).average().orElseThrow();
        double mouth = face.subList(48, 68).stream().mapToDouble(FaceLandmarks.Point::y).average().orElseThrow();
        assertTrue(eyes + 20 < mouth, "eyes at y " + eyes + ", mouth at y " + mouth);
        assertTrue(face.get(30).x() > face.get(36).x() && face.get(30).x() < face.get(45).x(), "nose " + face.get(30));
    }

    @Test
    void theFaceDetectorsVolumeAndFacesAreFaceApis() throws Exception {
        TinyFaceDetector detector = TinyFaceDetector.load(MODEL, SIZE);
        int k = 0;
        Map<String, Integer> faces = new LinkedHashMap<>();
        for (RgbImage image : images.values()) {
            JsonNode r = reference.get("results").get(k++);
            String name = r.get("image").asText();
            float[] volume = detector.volume(image);
            int grid = SIZE / 32;
            JsonNode expected = r.get("volume");                     // channels-last from TF.js
            assertEquals(volume.length, expected.size(), name);
            double worst = 0;
            for (int c = 0; c < 25; c++) {
                for (int y = 0; y < grid; y++) {
                    for (int x = 0; x < grid; x++) {
                        double e = expected.get((y * grid + x) * 25 + c).asDouble();
                        worst = Math.max(worst, Math.abs(volume[(c * grid + y) * grid + x] - e));
                    }
                }
            }
            assertTrue(worst < 1e-4, name + ": the raw volume differs from face-api's by up to " + worst);

            List<Detection> found = detector.detect(image, 0.5);
            JsonNode want = r.get("faces");
            assertEquals(want.size(), found.size(), name + ": faces found");
            for (int i = 0; i < found.size(); i++) {
                Detection d = found.get(i);
                JsonNode w = want.get(i);
                assertEquals(w.get("score").asDouble(), d.score(), 1e-4, name + " score");
                assertEquals(w.get("x").asDouble(), d.box().x1(), 0.05, name + " x");
                assertEquals(w.get("y").asDouble(), d.box().y1(), 0.05, name + " y");
                assertEquals(w.get("width").asDouble(), d.box().width(), 0.05, name + " width");
                assertEquals(w.get("height").asDouble(), d.box().height(), 0.05, name + " height");
            }
            faces.put(name, found.size());
        }
        // a detector that found nothing would pass the comparisons above: the astronaut's one face is found
        assertEquals(1, faces.get("astronaut.npy"), "faces found " + faces);
    }
}
