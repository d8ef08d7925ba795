package org.cnnzoo.style;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.zoo.ExternalTools;
import org.cnnzoo.zoo.imports.ImportedModel;
import org.cnnzoo.zoo.weights.Npy;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Style transfer on the real offline network, nsfwjs 4.4.0's MobileNet v2 (ImageNet layers through block 10, from
 * npm), with real pictures: scikit-image's astronaut in the style of opencv-doc's Starry Night. The costs and the
 * gradient with respect to the picture agree with PyTorch's autograd on the same network and weights
 * (tools/reference/tfjs/keras_style_reference.py, Debian's torch); the optimisation lowers J and J_style; the same
 * seed gives the same picture.
 */
class StyleTransferTest {
    static final Path TFJS = Path.of("..", "tools", "reference", "tfjs").toAbsolutePath().normalize();
    static final Path ASTRONAUT = Path.of("/usr/lib/python3/dist-packages/skimage/data/astronaut.png");
    static final Path STARRY_NIGHT = Path.of("/usr/share/doc/opencv-doc/examples/data/starry_night.jpg");
    /** The preset.s cost weights, as the README.s picture uses them, on a small picture. */
    static final StyleOptions OPTIONS = StyleOptions.defaults().withCosts(StyleLayers.KERAS_MOBILENET_V2.costs());

    @TempDir
    static Path dir;
    static String missing;
    static ComputationGraph network;
    static StyleTransfer transfer;
    static INDArray content;
    static INDArray style;

    @BeforeAll
    @Timeout(600)
    static void unpackTheNetwork() throws Exception {
        missing = !(ExternalTools.succeeds("node", "--version") && Files.isDirectory(TFJS.resolve("node_modules/nsfwjs")))
                ? "node and the reference's npm packages are missing (npm ci --prefix tools/reference/tfjs)"
                : !Files.isRegularFile(ASTRONAUT) ? "scikit-image's photos are missing (apt-get install python3-skimage)"
                : !Files.isRegularFile(STARRY_NIGHT) ? "opencv-doc's photos are missing (apt-get install opencv-doc)"
                : null;
        if (missing != null) {
            return;
        }
        ExternalTools.run(TFJS, 5, List.of("node", "unpack_nsfwjs.js", dir.resolve("nsfwjs").toString()));
        network = ImportedModel.load(dir.resolve("nsfwjs/model.json")).graph();
        transfer = new StyleTransfer(network, StyleLayers.presetFor(network).orElseThrow(), Normalization.SYMMETRIC);
        content = Pictures.read(ASTRONAUT, 96);
        style = Pictures.covering(STARRY_NIGHT, (int) content.size(2), (int) content.size(3));
    }

    @BeforeEach
    void requireNetwork() {
        ExternalTools.require(missing == null, missing);
    }

    @Test
    void thePresetForKerasMobileNetV2IsFoundByItsLayerNames() {
        assertEquals(StyleLayers.KERAS_MOBILENET_V2, StyleLayers.presetFor(network).orElseThrow());
        assertEquals(List.of("52 batch norms folded into their convolutions"), transfer.notes());
        assertArrayEquals(new long[]{1, 3, 96, 96}, content.shape());
    }

    @Test
    @Timeout(600)
    void costsAndGradientAgreeWithPyTorch() throws Exception {
        ExternalTools.require(ExternalTools.succeeds("/usr/bin/python3", "-c", "import torch"),
                "Debian's python3-torch is not installed (apt-get install python3-torchvision)");
        // in float64 on both sides, so that the comparison is exact to rounding: in float32 the sums over thousands
        // of positions, taken in different orders, differ by about 1e-3 relative
        StyleTransfer exact = new StyleTransfer(network.convertDataType(DataType.DOUBLE), transfer.layers(),
                Normalization.SYMMETRIC);
        INDArray c = content.castTo(DataType.DOUBLE);
        INDArray s = style.castTo(DataType.DOUBLE);
        INDArray generated = StyleTransfer.start(content, OPTIONS).castTo(DataType.DOUBLE);
        Npy.write(dir.resolve("pictures.npy"), Nd4j.concat(0, c, s, generated));
        Map<String, Object> spec = PeerSpec.of(transfer.layers(), OPTIONS, Normalization.SYMMETRIC, true);
        new ObjectMapper().writeValue(dir.resolve("spec.json").toFile(), spec);
        ExternalTools.run(TFJS, 5, List.of("/usr/bin/python3", "keras_style_reference.py", "costs",
                dir.resolve("nsfwjs/model.json").toString(), dir.resolve("pictures.npy").toString(),
                dir.resolve("spec.json").toString(), dir.resolve("torch").toString()));
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("torch/costs.json").toFile());
        INDArray expectedGradient = Npy.read(dir.resolve("torch/gradient.npy"));

        double[] parts = new double[3];
        StyleTransfer.Targets targets = exact.targets(c, List.of(s), new double[]{1});
        StyleCosts.Cost cost = exact.costs(generated, targets, OPTIONS, parts);
        assertEquals(expected.get("total").asDouble(), cost.value(), 1e-9 * expected.get("total").asDouble());
        assertEquals(expected.get("content").asDouble(), parts[0], 1e-9 * expected.get("content").asDouble());
        assertEquals(expected.get("style").asDouble(), parts[1], 1e-9 * expected.get("style").asDouble());
        assertEquals(expected.get("variation").asDouble(), parts[2], 1e-9 * expected.get("variation").asDouble());
        INDArray actual = cost.gradient().castTo(DataType.DOUBLE);
        expectedGradient = expectedGradient.castTo(DataType.DOUBLE);
        double relative = expectedGradient.sub(actual).norm2Number().doubleValue() / expectedGradient.norm2Number().doubleValue();
        double worst = expectedGradient.sub(actual).amaxNumber().doubleValue();
        assertTrue(relative < 1e-6, "gradient differs by " + relative + " (relative L2)");
        assertTrue(worst < 1e-6 * expectedGradient.amaxNumber().doubleValue(), "gradient differs by " + worst);
    }

    @Test
    @Timeout(600)
    void theOptimisationCarriesTheStyleIn() {
        StyleTransfer.Targets targets = transfer.targets(content, List.of(style), new double[]{1});
        StyleTransfer.Result result = transfer.run(content, targets, OPTIONS.withSteps(60), null);
        List<StyleTransfer.Step> h = result.history();
        assertEquals(61, h.size());
        for (int i = 1; i < h.size(); i++) {
            assertTrue(h.get(i).total() <= h.get(i - 1).total() * 1.02, "J rose at step " + i + ": " + h.get(i - 1)
                    + " -> " + h.get(i));
        }
        StyleTransfer.Step first = h.get(0);
        StyleTransfer.Step last = h.get(h.size() - 1);
        assertTrue(last.total() < first.total() / 5, first + " -> " + last);
        assertTrue(last.style() < first.style() / 10, first + " -> " + last);
        assertTrue(result.picture().minNumber().doubleValue() >= 0 && result.picture().maxNumber().doubleValue() <= 1);
    }

    @Test
    @Timeout(600)
    void theSameSeedGivesTheSamePicture() {
        StyleTransfer.Targets targets = transfer.targets(content, List.of(style), new double[]{1});
        StyleOptions three = OPTIONS.withSteps(3);
        INDArray a = transfer.run(content, targets, three, null).picture();
        INDArray b = transfer.run(content, targets, three, null).picture();
        INDArray c = transfer.run(content, targets, three.withSeed(2), null).picture();
        assertEquals(a, b);
        assertTrue(a.sub(c).amaxNumber().doubleValue() > 1e-3, "another seed, another start");
    }

    @Test
    void twoStylesMixByTheirWeights() throws Exception {
        INDArray other = Pictures.covering(ASTRONAUT, (int) content.size(2), (int) content.size(3));
        StyleTransfer.Targets one = transfer.targets(content, List.of(style), new double[]{1});
        StyleTransfer.Targets mixed = transfer.targets(content, List.of(style, other), new double[]{0.7, 0.3});
        StyleTransfer.Targets otherOnly = transfer.targets(content, List.of(other), new double[]{1});
        INDArray g = StyleTransfer.start(content, OPTIONS);
        double[] p1 = new double[3];
        double[] pm = new double[3];
        double[] p2 = new double[3];
        StyleCosts.Cost c1 = transfer.costs(g, one, OPTIONS, p1);
        StyleCosts.Cost cm = transfer.costs(g, mixed, OPTIONS, pm);
        StyleCosts.Cost c2 = transfer.costs(g, otherOnly, OPTIONS, p2);
        assertEquals(0.7 * p1[1] + 0.3 * p2[1], pm[1], 1e-5 * pm[1]);
        INDArray expected = c1.gradient().mul(0.7).addi(c2.gradient().mul(0.3));
        assertTrue(expected.sub(cm.gradient()).amaxNumber().doubleValue() < 1e-4 * expected.amaxNumber().doubleValue());
    }
}
