package org.cnnzoo.zoo;

import org.cnnzoo.zoo.models.EfficientNet;
import org.cnnzoo.zoo.models.GoogLeNet;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zoo's own vertex (channel scale) and weighted auxiliary losses survive JSON and DL4J's model zip. */
class SerializationTest {

    @Test
    void configurationsRoundTripThroughJson() {
        for (Architecture<?> a : new Architecture<?>[]{EfficientNet.b0(), GoogLeNet.googlenet().optAuxClassifiers(true),
                org.cnnzoo.zoo.models.InceptionV3.inceptionV3()}) {
            String json = a.build().toJson();
            assertEquals(json, ComputationGraphConfiguration.fromJson(json).toJson(), a.name());
        }
    }

    /** The flattened parameters line up with the state-dict layout's parameter keys, also after a JSON round trip. */
    @Test
    void batchNormRunningVarianceKeepsItsMeaningThroughJson() {
        ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(
                org.cnnzoo.zoo.models.ResNet.resnet18().optInput(64, 64, 3).build().toJson()));
        graph.init();
        for (org.cnnzoo.zoo.weights.StateDictLayout.Entry e : org.cnnzoo.zoo.weights.StateDictLayout.of(graph.getConfiguration())) {
            assertTrue(graph.getLayer(e.vertex()).paramTable().containsKey(e.param()), e.key() + " -> " + e.param());
        }
    }

    @Test
    void aTrainedModelSavesAndLoadsWithTheSameOutputs(@TempDir Path dir) throws Exception {
        ComputationGraph graph = EfficientNet.b0().optInput(64, 64, 3).optClasses(4).init();
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        INDArray expected = graph.outputSingle(input);
        File file = dir.resolve("efficientnet_b0.zip").toFile();
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file, true);
        assertTrue(expected.equalsWithEps(loaded.outputSingle(input), 1e-6));
    }
}
