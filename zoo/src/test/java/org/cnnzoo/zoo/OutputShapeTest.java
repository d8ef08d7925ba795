package org.cnnzoo.zoo;

import org.cnnzoo.zoo.models.GoogLeNet;
import org.cnnzoo.zoo.models.InceptionV3;
import org.cnnzoo.zoo.summary.LayerSummary;
import org.cnnzoo.zoo.summary.ModelSummary;
import org.cnnzoo.zoo.summary.Summarizer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputShapeTest {

    static Stream<String> networks() {
        return Zoo.all().stream().map(Zoo.Entry::name);
    }

    /** The summary's formulas agree with DL4J's own shape inference at every vertex, at the default input. */
    @ParameterizedTest
    @MethodSource("networks")
    void summaryShapesEqualDl4jShapeInference(String name) {
        Architecture<?> arch = Zoo.get(name).create();
        ComputationGraphConfiguration conf = arch.build();
        Map<String, InputType> dl4j = conf.getLayerActivationTypes(
                InputType.convolutional(arch.height(), arch.width(), arch.channels()));
        ModelSummary summary = Summarizer.of(arch);
        for (LayerSummary layer : summary.layers()) {
            assertEquals(shape(dl4j.get(layer.name())), layer.shape(), name + " vertex " + layer.name());
        }
    }

    /** A real forward pass of a batch of 2 at the default input gives one finite probability row per example. */
    @ParameterizedTest
    @MethodSource("networks")
    @Timeout(180)
    void forwardPassOfTwoImagesAtDefaultInput(String name) {
        Architecture<?> arch = Zoo.get(name).create();
        ComputationGraph graph = arch.init();
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, arch.channels(), arch.height(), arch.width());
        INDArray out = graph.outputSingle(input);
        assertArrayEquals(new long[]{2, arch.classes()}, out.shape(), name);
        assertTrue(Double.isFinite(out.sumNumber().doubleValue()), name + " output is not finite");
        assertEquals(2.0, out.sumNumber().doubleValue(), 1e-3, name + " rows are not probabilities");
    }

    @Test
    void auxiliaryClassifiersAreExtraOutputsAfterTheMainOne() {
        ComputationGraph g = GoogLeNet.googlenet().optAuxClassifiers(true).optClasses(7).init();
        assertEquals(List.of("fc", "aux1.fc2", "aux2.fc2"), g.getConfiguration().getNetworkOutputs());
        INDArray[] out = g.output(Nd4j.rand(DataType.FLOAT, 2, 3, 224, 224));
        for (INDArray o : out) {
            assertArrayEquals(new long[]{2, 7}, o.shape());
        }
        ComputationGraph v3 = InceptionV3.inceptionV3().optAuxClassifier(true).optClasses(5).init();
        assertEquals(List.of("fc", "AuxLogits.fc"), v3.getConfiguration().getNetworkOutputs());
    }

    private static List<Long> shape(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return List.of(c.getChannels(), c.getHeight(), c.getWidth());
        }
        return List.of(((InputType.InputTypeFeedForward) type).getSize());
    }
}
