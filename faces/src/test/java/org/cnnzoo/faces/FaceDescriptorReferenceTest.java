package org.cnnzoo.faces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.detection.Box;
import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.detection.faceapi.NodeReference;
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
 * face-api's face recognition network, rebuilt in DL4J with the npm package's weights, gives face-api's own 128-d
 * descriptors: on face crops (LFW faces from Maven's dl4j-test-resources, a crop of scikit-image's astronaut) and
 * through the whole pipeline (detector, landmarks, aligned box, descriptor) on whole photos, Darknet's person.jpg
 * among them. face-api runs in node (tools/reference/tfjs/face_recognition_reference.js) on the same pixels.
 */
class FaceDescriptorReferenceTest {
    static final List<String> LFW = List.of("lfwtest/Zico/Zico_0001.jpg", "lfwtest/Zico/Zico_0002.jpg",
            "lfwtest/Ziwang_Xu/Ziwang_Xu_0001.jpg");

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
        RgbImage astronaut = RgbImage.read(NodeReference.ASTRONAUT);
        images.put("astronaut", astronaut);
        images.put("astronaut-face", astronaut.crop(new Box(160, 70, 285, 195)));
        images.put("person", RgbImage.read(NodeReference.PERSON));
        for (String resource : LFW) {
            images.put(Path.of(resource).getFileName().toString(), NodeReference.lfw(resource, dir));
        }
        reference = NodeReference.run(dir, "face_recognition_reference.js", List.of(), images);
    }

    @BeforeEach
    void requireReference() {
        ExternalTools.require(missing == null, missing);
    }

    @Test
    void theNetworkHoldsEveryFaceApiTensorWithTheScalesFolded() throws Exception {
        // the manifest's tensors, less the per-channel scales and shifts folded into the convolutions
        long tensors = 0;
        long scales = 0;
        for (JsonNode group : new ObjectMapper().readTree(NodeReference.MODEL.resolve(
                "face_recognition_model-weights_manifest.json").toFile())) {
            for (JsonNode w : group.get("weights")) {
                long n = 1;
                for (JsonNode d : w.get("shape")) {
                    n *= d.asLong();
                }
                tensors += n;
                scales += w.get("name").asText().contains("/scale/") ? n : 0;
            }
        }
        var summary = org.cnnzoo.zoo.summary.Summarizer.of(
                org.cnnzoo.detection.models.FaceRecognitionNet.faceRecognition());
        assertEquals(tensors - scales, summary.params().trainable());
        assertEquals(5_607_488, tensors - scales);
        assertEquals(tensors - scales, FaceDescriptors.load(NodeReference.MODEL).graph().numParams());
    }

    @Test
    void descriptorsOfFaceCropsAreFaceApis() throws Exception {
        FaceDescriptors descriptors = FaceDescriptors.load(NodeReference.MODEL);
        int k = 0;
        for (Map.Entry<String, RgbImage> e : images.entrySet()) {
            JsonNode expected = reference.get("results").get(k++).get("descriptor");
            float[] got = descriptors.describe(e.getValue());
            assertEquals(128, got.length);
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - expected.get(i).asDouble()));
            }
            assertTrue(worst <= 1e-4, e.getKey() + ": largest difference from face-api " + worst);
        }
    }

    @Test
    void thePipelineFindsFaceApisFacesBoxesAndDescriptors() throws Exception {
        FacePipeline pipeline = FacePipeline.load(NodeReference.MODEL);
        int k = 0;
        int faces = 0;
        for (Map.Entry<String, RgbImage> e : images.entrySet()) {
            JsonNode expected = reference.get("results").get(k++).get("faces");
            List<FacePipeline.Face> found = pipeline.faces(e.getValue(), FacePipeline.SCORE);
            assertEquals(expected.size(), found.size(), e.getKey() + ": faces found");
            for (int f = 0; f < found.size(); f++) {
                JsonNode ex = expected.get(f);
                FacePipeline.Face face = found.get(f);
                String where = e.getKey() + " face " + f;
                assertEquals(ex.get("score").asDouble(), face.detection().score(), 1e-4, where + " score");
                assertBox(ex.get("box"), face.detection().box(), 0.05, where + " box");
                assertBox(ex.get("descriptorBox"), face.aligned(), 0, where + " descriptor box");
                double worst = 0;
                for (int i = 0; i < 128; i++) {
                    worst = Math.max(worst, Math.abs(face.descriptor()[i] - ex.get("descriptor").get(i).asDouble()));
                }
                assertTrue(worst <= 1e-4, where + ": largest descriptor difference from face-api " + worst);
                faces++;
            }
        }
        // a pipeline that found nothing would pass the loop: the astronaut and both Zico photos have a face (face-api
        // itself finds none in Ziwang Xu's photo or Darknet's person.jpg at score 0.5)
        assertTrue(faces >= 3, "faces found in all: " + faces);
    }

    private static void assertBox(JsonNode expected, Box got, double tolerance, String what) {
        assertEquals(expected.get("x").asDouble(), got.x1(), tolerance, what + " x");
        assertEquals(expected.get("y").asDouble(), got.y1(), tolerance, what + " y");
        assertEquals(expected.get("width").asDouble(), got.width(), tolerance, what + " width");
        assertEquals(expected.get("height").asDouble(), got.height(), tolerance, what + " height");
    }
}
