package org.cnnzoo.zoo.inference;

import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.models.GoogLeNet;
import org.cnnzoo.zoo.models.ResNet;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InferenceGraphTest {

    /** Batch norms with statistics far from their initial (0, 1), so that folding them is not a no-op. */
    static void randomiseBatchNorms(ComputationGraph graph, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (var layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                Map<String, INDArray> p = layer.paramTable();
                p.get("gamma").assign(Nd4j.rand(DataType.FLOAT, p.get("gamma").shape()).addi(0.5));
                p.get("beta").assign(Nd4j.randn(DataType.FLOAT, p.get("beta").shape()).muli(0.2));
                p.get("mean").assign(Nd4j.randn(DataType.FLOAT, p.get("mean").shape()).muli(0.2));
                // log10 of a standard deviation in [0.7, 1.4]
                p.get("log10stdev").assign(Nd4j.rand(DataType.FLOAT, p.get("log10stdev").shape()).muli(0.3).subi(0.15));
            }
        }
    }

    static double relativeError(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        return expected.sub(actual).amaxNumber().doubleValue() / Math.max(1e-12, expected.amaxNumber().doubleValue());
    }

    /** The vertex feeding the first output layer, and the last vertex with a 4-d activation. */
    static List<String> probes(Architecture<?> arch, ComputationGraph graph) {
        var conf = graph.getConfiguration();
        String head = conf.getVertexInputs().get(conf.getNetworkOutputs().get(0)).get(0);
        Map<String, InputType> types = conf.getLayerActivationTypes(
                InputType.convolutional(arch.height(), arch.width(), arch.channels()));
        String lastMap = null;
        for (String v : conf.getTopologicalOrderStr()) {
            if (types.get(v) instanceof InputType.InputTypeConvolutional && !v.equals(NetBuilder.INPUT)) {
                lastMap = v;
            }
        }
        return List.of(head, lastMap);
    }

    @ParameterizedTest(name = "{0} at {1}x{1}")
    @CsvSource({"lenet5,32", "alexnet,224", "vgg16,32", "resnet18,64", "resnet50,64", "googlenet,96",
            "inception_v3,75", "mobilenet_v1,64", "mobilenet_v2,64", "efficientnet_b0,64"})
    void computesWhatTheSourceGraphComputes(String name, int side) {
        Architecture<?> arch = Zoo.get(name).create().optSeed(3);
        if (!name.equals("lenet5")) {
            arch.optInput(side, side, 3);
        }
        ComputationGraph source = arch.init();
        randomiseBatchNorms(source, 7);
        List<String> probes = probes(arch, source);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, arch.channels(), arch.height(), arch.width()).subi(0.5).muli(4);
        INDArray before = source.params().dup();
        INDArray[] expected = source.output(probes, false, new INDArray[]{x}, null);
        INDArray probabilities = source.outputSingle(false, x);

        InferenceGraph fast = InferenceGraph.of(source, probes.toArray(String[]::new));
        assertTrue(fast.channelsLast(), name + ": " + fast.changes());
        // EfficientNet's swish runs on the Vector API kernel here (the build's test JVMs have the module)
        assertEquals(name.startsWith("efficientnet"), fast.changes().stream().anyMatch(c -> c.endsWith("swish"
                + " activations vectorised")), name + ": " + fast.changes());
        INDArray[] actual = fast.output(probes, x);
        for (int i = 0; i < probes.size(); i++) {
            assertTrue(relativeError(expected[i], actual[i]) < 1e-4, name + " " + probes.get(i) + " differs by "
                    + relativeError(expected[i], actual[i]));
        }
        assertTrue(probabilities.sub(fast.output(x)).amaxNumber().doubleValue() < 1e-5, name + " probabilities");
        assertEquals(before, source.params(), "the source graph must be left as it was");
        assertTrue(fast.graph().getVertices().length <= source.getVertices().length);
    }

    @Test
    void foldsEveryBatchNormOfResNet18AndFusesItsActivations() {
        ComputationGraph source = ResNet.resnet18().optInput(64, 64, 3).init();
        long batchNorms = source.getConfiguration().getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization)
                .count();
        InferenceGraph fast = InferenceGraph.of(source);
        assertEquals(20, batchNorms);
        assertEquals(batchNorms + " batch norms folded into their convolutions", fast.changes().get(0));
        for (var v : fast.graph().getConfiguration().getVertices().values()) {
            assertFalse(v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization);
        }
        // ReLUs after a block's addition have no layer of their own to go into; those after bn1 / conv1 do
        assertEquals("9 activations fused into the layer before", fast.changes().get(1));
    }

    @Test
    void keptVerticesAreNeitherFoldedNorFusedAway() {
        ComputationGraph source = ResNet.resnet18().optInput(64, 64, 3).init();
        randomiseBatchNorms(source, 11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        // a kept batch norm stays, and so does the convolution a kept vertex reads (DL4J's output(List) fails for
        // layer1.0.bn1 itself, inside a block whose shortcut is still open, on any graph)
        List<String> kept = List.of("layer1.0.bn2", "layer1.0.conv1");
        INDArray[] expected = source.output(kept, false, new INDArray[]{x}, null);
        InferenceGraph fast = InferenceGraph.of(source, kept.toArray(String[]::new));
        INDArray[] actual = fast.output(kept, x);
        for (int i = 0; i < kept.size(); i++) {
            assertTrue(relativeError(expected[i], actual[i]) < 1e-4, kept.get(i));
        }
        assertEquals("18 batch norms folded into their convolutions", fast.changes().get(0));
        var error = assertThrows(IllegalArgumentException.class, () -> InferenceGraph.of(source, "layer9.bn"));
        assertTrue(error.getMessage().contains("layer9.bn"), error.getMessage());
    }

    @Test
    void anUnknownLayerKeepsTheLayoutButStillFolds() {
        var conf = new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("input").setInputTypes(InputType.convolutional(12, 12, 3))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "input")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .addLayer("lrn", new LocalResponseNormalization.Builder().build(), "bn")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "lrn")
                .setOutputs("out").build();
        ComputationGraph source = new ComputationGraph(conf);
        source.init();
        randomiseBatchNorms(source, 5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 12, 12);
        InferenceGraph fast = InferenceGraph.of(source);
        assertFalse(fast.channelsLast());
        assertEquals("activations left as they were: lrn is a LocalResponseNormalization", fast.changes().get(2));
        assertEquals("1 batch norms folded into their convolutions", fast.changes().get(0));
        assertTrue(relativeError(source.outputSingle(false, x), fast.output(x)) < 1e-5);
    }

    @Test
    void googLeNetWithAuxiliaryClassifiersKeepsAllThreeOutputs() {
        ComputationGraph source = GoogLeNet.googlenet().optAuxClassifiers(true).optInput(96, 96, 3).init();
        InferenceGraph fast = InferenceGraph.of(source);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 96, 96);
        INDArray[] expected = source.output(false, x);
        INDArray[] actual = fast.graph().output(false, x);
        assertEquals(3, actual.length);
        for (int i = 0; i < 3; i++) {
            assertTrue(relativeError(expected[i], actual[i]) < 1e-4);
        }
    }
}
