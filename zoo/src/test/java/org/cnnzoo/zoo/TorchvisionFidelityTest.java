package org.cnnzoo.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.zoo.weights.StateDictLayout;
import org.cnnzoo.zoo.inference.Logits;
import org.cnnzoo.zoo.weights.Safetensors;
import org.cnnzoo.zoo.weights.Tensor;
import org.cnnzoo.zoo.weights.StateDictLoader;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same weights give the same logits as torchvision: weights and input are generated from a seed on both
 * sides (tools/reference/torchvision_logits.py wrote torchvision's logits), written here as a safetensors file,
 * loaded through the public loader, and the logits compared: max |difference| <= 1e-4 x max(1, max |logit|).
 */
class TorchvisionFidelityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"alexnet", "vgg16", "vgg19", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
            "googlenet", "inception_v3", "mobilenet_v2", "efficientnet_b0"})
    @Timeout(300)
    void sameWeightsGiveTorchvisionsLogits(String name) throws Exception {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/reference/logits/" + name + ".json")) {
            assertNotNull(in, "missing fixture: run tools/reference/torchvision_logits.py");
            fixture = JSON.readTree(in);
        }
        CounterGenerator generator = new CounterGenerator(fixture.get("seed").asLong());
        // as torchvision builds them for their published weights (and as the fixture was made)
        Architecture<?> arch = Zoo.get(name).create().optTransformInput(name.equals("googlenet")
                || name.equals("inception_v3"));
        ComputationGraph graph = arch.init();

        Map<String, Tensor> state = new LinkedHashMap<>();
        for (StateDictLayout.Entry e : StateDictLayout.of(graph.getConfiguration())) {
            state.put(e.key(), generator.tensor(e.key(), e.shape().stream().mapToLong(Long::longValue).toArray()));
        }
        Path file = dir.resolve(name + ".safetensors");
        Safetensors.write(file, state);
        StateDictLoader.load(graph, Safetensors.read(file), false);

        JsonNode shape = fixture.get("input");
        long[] inputShape = {shape.get(0).asLong(), shape.get(1).asLong(), shape.get(2).asLong(), shape.get(3).asLong()};
        Tensor input = generator.tensor("input", inputShape);
        INDArray x = Nd4j.create(input.values(), inputShape, 'c');
        INDArray logits = Logits.of(graph, x);

        JsonNode expected = fixture.get("logits");
        double maxLogit = 0;
        double maxDiff = 0;
        for (int r = 0; r < expected.size(); r++) {
            for (int c = 0; c < expected.get(r).size(); c++) {
                double e = expected.get(r).get(c).asDouble();
                maxLogit = Math.max(maxLogit, Math.abs(e));
                maxDiff = Math.max(maxDiff, Math.abs(e - logits.getDouble(r, c)));
            }
        }
        double tolerance = 1e-4 * Math.max(1, maxLogit);
        assertTrue(maxDiff <= tolerance, name + ": max |difference| " + maxDiff + " > " + tolerance
                + " (max |logit| " + maxLogit + ")");
    }

}
