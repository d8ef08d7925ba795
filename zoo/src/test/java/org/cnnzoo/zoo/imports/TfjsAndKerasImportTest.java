package org.cnnzoo.zoo.imports;

import org.cnnzoo.zoo.inference.Logits;
import org.cnnzoo.zoo.weights.Npy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.zoo.ExternalTools;
import org.cnnzoo.zoo.inference.InferenceGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real pretrained network offline: nsfwjs 4.4.0's MobileNetV2 (ImageNet weights up to block_10, uint8-quantised),
 * imported from its TF.js layers files and from a Keras HDF5 file written from them, gives TensorFlow.js's own
 * outputs on real photos (Debian's opencv-doc). TensorFlow.js runs in node through
 * tools/reference/tfjs/nsfwjs_reference.js; .ci/run installs node's packages, h5py and the photos.
 */
class TfjsAndKerasImportTest {
    static final Path TFJS = Path.of("..", "tools", "reference", "tfjs").toAbsolutePath().normalize();
    static final Path PHOTOS = Path.of("/usr/share/doc/opencv-doc/examples/data");
    static final List<String> PHOTO_NAMES = List.of("baboon.jpg", "fruits.jpg", "butterfly.jpg", "HappyFish.jpg");
    static final int SIDE = 224;

    @TempDir
    static Path dir;
    static INDArray nhwc;
    static JsonNode reference;

    /** What is missing to run the reference, or null: each test then skips (or fails under CI=true) with it. */
    static String missing;

    @BeforeAll
    @Timeout(600)
    static void runTensorFlowJs() throws Exception {
        missing = !(ExternalTools.succeeds("node", "--version") && Files.isDirectory(TFJS.resolve("node_modules/nsfwjs")))
                ? "node and the reference's npm packages are missing (npm ci --prefix tools/reference/tfjs)"
                : !ExternalTools.succeeds("/usr/bin/python3", "-c", "import h5py")
                ? "Debian's python3-h5py is not installed (apt-get install python3-h5py)"
                : !PHOTO_NAMES.stream().allMatch(n -> Files.isRegularFile(PHOTOS.resolve(n)))
                ? "the photos of Debian's opencv-doc are missing (apt-get install opencv-doc)" : null;
        if (missing != null) {
            return;
        }
        float[] pixels = new float[PHOTO_NAMES.size() * SIDE * SIDE * 3];
        int k = 0;
        for (String name : PHOTO_NAMES) {
            BufferedImage square = centreSquare(ImageIO.read(PHOTOS.resolve(name).toFile()));
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int rgb = square.getRGB(x, y);
                    pixels[k++] = ((rgb >> 16) & 0xff) / 255f;
                    pixels[k++] = ((rgb >> 8) & 0xff) / 255f;
                    pixels[k++] = (rgb & 0xff) / 255f;
                }
            }
        }
        nhwc = Nd4j.create(pixels, new long[]{PHOTO_NAMES.size(), SIDE, SIDE, 3}, 'c');
        Npy.write(dir.resolve("inputs.npy"), nhwc);
        ExternalTools.run(TFJS, 5, List.of("node", "nsfwjs_reference.js", dir.resolve("model").toString(),
                dir.resolve("inputs.npy").toString()));
        ExternalTools.run(TFJS, 5, List.of("/usr/bin/python3", "tfjs_to_keras_h5.py",
                dir.resolve("model/model.json").toString(), dir.resolve("model.h5").toString()));
        reference = new ObjectMapper().readTree(dir.resolve("model/reference.json").toFile());
    }

    // a skip in @BeforeAll would hide the class's tests from the counts; each test skips on its own instead
    @BeforeEach
    void requireReference() {
        ExternalTools.require(missing == null, missing);
    }

    /** The photo's centre square at 224x224 (bilinear): the same pixels go to both frameworks. */
    private static BufferedImage centreSquare(BufferedImage photo) {
        int side = Math.min(photo.getWidth(), photo.getHeight());
        BufferedImage crop = photo.getSubimage((photo.getWidth() - side) / 2, (photo.getHeight() - side) / 2, side, side);
        BufferedImage out = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(crop, 0, 0, SIDE, SIDE, null);
        g.dispose();
        return out;
    }

    @Test
    void theTfjsImportGivesTensorFlowJsOutputs() throws Exception {
        assertSameOutputs(TfjsLayersModel.load(dir.resolve("model/model.json")));
        ImportedModel any = ImportedModel.load(dir.resolve("model/model.json"));
        assertEquals(List.of(224, 224, 3, "tfjs"), List.of(any.height(), any.width(), any.channels(), any.format()));
    }

    @Test
    void theKerasHdf5ImportGivesTensorFlowJsOutputs() throws Exception {
        assertSameOutputs(KerasH5.load(dir.resolve("model.h5")));
        ImportedModel any = ImportedModel.load(dir.resolve("model.h5"));
        assertEquals(List.of(224, 224, 3, "keras-h5"), List.of(any.height(), any.width(), any.channels(), any.format()));
    }

    /**
     * Keras Applications' MobileNetV2 is nsfwjs's network up to out_relu with Keras' own classifier: the shipped
     * topology is what the script derives from the npm package, it has Keras' published 3,538,984 parameters, and
     * weights saved without architecture (as Keras Applications publish them) load into it by name and compute
     * what the TF.js import computes up to out_relu.
     */
    @Test
    void kerasApplicationsMobileNetV2TopologyTakesWeightsOnlyFiles() throws Exception {
        Path derived = dir.resolve("mobilenet_v2_1.0_224.json");
        ExternalTools.run(TFJS, 5, List.of("/usr/bin/python3", "keras_mobilenet_v2_topology.py",
                dir.resolve("model/model.json").toString(), derived.toString()));
        Path shipped = Path.of("src/main/resources/org/cnnzoo/zoo/keras/mobilenet_v2_1.0_224.json");
        assertEquals(Files.readString(shipped), Files.readString(derived),
                shipped + " drifted from tools/reference/tfjs/keras_mobilenet_v2_topology.py");

        Path h5 = dir.resolve("weights-only.h5");
        ExternalTools.run(TFJS, 5, List.of("/usr/bin/python3", "tfjs_to_keras_h5.py",
                dir.resolve("model/model.json").toString(), h5.toString(), "--weights-only", shipped.toAbsolutePath().toString(),
                "--random", "Logits/kernel=1280,1000", "--random", "Logits/bias=1000"));
        ImportedModel keras = ImportedModel.fromKerasWeights(h5, "mobilenet_v2_1.0_224");
        assertEquals(3_538_984, keras.graph().numParams());
        assertEquals(List.of(224, 224, 3), List.of(keras.height(), keras.width(), keras.channels()));

        INDArray nchw = nhwc.permute(0, 3, 1, 2).dup('c');
        Map<String, INDArray> ours = keras.graph().feedForward(nchw, false);
        Map<String, INDArray> nsfwjs = TfjsLayersModel.load(dir.resolve("model/model.json")).feedForward(nchw, false);
        INDArray a = ours.get("out_relu");
        INDArray b = nsfwjs.get("out_relu");
        assertTrue(a.equalsWithEps(b, 1e-5), "out_relu differs by " + Transforms.abs(a.sub(b), false).maxNumber());
        assertEquals(PHOTO_NAMES.size(), ours.get("Logits").sum(1).sumNumber().doubleValue(), 1e-4);
    }

    private static void assertSameOutputs(ComputationGraph net) throws Exception {
        assertEquals(List.of("input_1"), net.getConfiguration().getNetworkInputs());
        assertTrue(ChannelsFirst.isChannelsLast(net), "the layers stay channels-last; their first reader permutes");
        INDArray nchw = nhwc.permute(0, 3, 1, 2).dup('c');
        Map<String, INDArray> activations = net.feedForward(nchw, false);
        assertClose(reference.get("features"), activations.get(reference.get("features_layer").asText()), "dense_1");
        INDArray probabilities = activations.get(reference.get("output").asText());
        assertClose(reference.get("probabilities"), probabilities, "probabilities");
        // the photos are told apart: not a network that answers the same whatever it sees
        assertTrue(probabilities.getRow(0).distance1(probabilities.getRow(1)) > 0.01, probabilities.toString());
        // and so does the project's inference path: batch norms folded, activations fused, layout left as imported
        InferenceGraph fast = InferenceGraph.of(net);
        assertClose(reference.get("probabilities"), fast.output(nchw), "probabilities through InferenceGraph");
        assertTrue(fast.changes().get(0).matches("[1-9]\\d* batch norms folded into their convolutions"), fast.changes().toString());
        assertEquals("activations left as they were: the network is already channels-last", fast.changes().get(2));

        Path zip = dir.resolve("imported-" + System.nanoTime() + ".zip");
        ModelSerializer.writeModel(net, zip.toFile(), false);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(zip.toFile(), false);
        assertTrue(back.outputSingle(nchw).equalsWithEps(net.outputSingle(nchw), 1e-6), "DL4J zip round trip");
    }

    /** max |difference| <= 1e-4 x max(1, max |value|), the tolerance. */
    private static void assertClose(JsonNode expected, INDArray actual, String what) {
        double[][] e = new double[expected.size()][];
        for (int r = 0; r < e.length; r++) {
            e[r] = new double[expected.get(r).size()];
            for (int c = 0; c < e[r].length; c++) {
                e[r][c] = expected.get(r).get(c).asDouble();
            }
        }
        INDArray want = Nd4j.create(e).castTo(DataType.FLOAT);
        assertEquals(List.of(want.shape()[0], want.shape()[1]), List.of(actual.shape()[0], actual.shape()[1]), what);
        double scale = Math.max(1, Transforms.abs(want, true).maxNumber().doubleValue());
        double diff = Transforms.abs(want.sub(actual.castTo(DataType.FLOAT)), false).maxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + ": max |difference| " + diff + " against tolerance " + 1e-4 * scale);
    }
}
