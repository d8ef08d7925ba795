package org.cnnzoo.transfer;

import org.cnnzoo.datasets.EmbeddedFashionMnist;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.zoo.models.GoogLeNet;
import org.cnnzoo.zoo.models.ResNet;
import org.cnnzoo.zoo.build.Stages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransferGraphTest {

    static ComputationGraph backbone() {
        return ResNet.resnet18().optInput(32, 32, 1).optClasses(7).optSeed(3).init();
    }

    static DataSetIterator data(int n) throws Exception {
        ImageSource s = EmbeddedFashionMnist.load(Part.TEST).subset(java.util.stream.IntStream.range(0, n).toArray());
        return ImageIterator.builder(s).batchSize(20).input(32, 32, 1).normalization(Normalization.UNIT).build();
    }

    private static Map<String, INDArray> snapshot(ComputationGraph g) {
        Map<String, INDArray> copy = new HashMap<>();
        g.paramTable().forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    @Test
    void frozenParametersAndBatchNormStatisticsStayBitIdenticalAlsoAfterSaveAndLoad(@TempDir Path dir) throws Exception {
        ComputationGraph net = TransferGraph.build(backbone(), 10, Head.mlp(32, 0.2), "layer3.1.relu", new Adam(1e-2), 1);
        assertInstanceOf(FrozenLayer.class, net.getLayer("layer3.1.bn2"));
        assertInstanceOf(FrozenLayer.class, net.getLayer("conv1"));
        Map<String, INDArray> before = snapshot(net);
        net.fit(data(60));
        Map<String, INDArray> after = snapshot(net);
        int frozen = 0;
        for (String key : before.keySet()) {
            boolean isFrozen = !key.startsWith("layer4") && !key.startsWith("head");
            if (isFrozen) {
                assertEquals(before.get(key), after.get(key), key + " changed although frozen");
                frozen++;
            }
        }
        assertTrue(frozen > 40);
        assertNotEquals(before.get("layer4.1.bn2_mean"), after.get("layer4.1.bn2_mean"), "trainable BN must update");
        assertNotEquals(before.get("head.out_W"), after.get("head.out_W"));

        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file, true);
        assertInstanceOf(FrozenLayer.class, loaded.getLayer("layer3.1.bn2"));
        Map<String, INDArray> reloaded = snapshot(loaded);
        loaded.fit(data(40));
        Map<String, INDArray> afterReload = snapshot(loaded);
        assertEquals(reloaded.get("layer2.0.conv1_W"), afterReload.get("layer2.0.conv1_W"));
        assertEquals(reloaded.get("bn1_log10stdev"), afterReload.get("bn1_log10stdev"));
    }

    /** Unfreezing more blocks keeps the trained function: same parameters, same inference outputs. */
    @Test
    void aGraphWithMoreTrainableBlocksStartsFromTheTrainedOne() throws Exception {
        ComputationGraph base = backbone();
        ComputationGraph trained = TransferGraph.build(base.clone(), 10, Head.mlp(16, 0.5), "avgpool", new Adam(1e-2), 1);
        trained.fit(data(40));
        ComputationGraph wider = TransferGraph.build(base.clone(), 10, Head.mlp(16, 0.5), "layer3.1.relu", new Adam(1e-3), 1);
        wider.setParams(trained.params());
        INDArray x = data(20).next().getFeatures();
        assertTrue(trained.outputSingle(false, x).equalsWithEps(wider.outputSingle(false, x), 1e-5));
        assertEquals(trained.getLayer("layer4.0.conv1").params(), wider.getLayer("layer4.0.conv1").params());
    }

    @Test
    void stagesComeFromTheBuilderAndFreezePointsFollowThem() {
        ComputationGraph net = backbone();
        Stages stages = ResNet.resnet18().stages();
        assertEquals(List.of("stem", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"), stages.names());
        assertEquals(List.of("conv1", "bn1", "relu", "maxpool"), stages.list().get(0).vertices());
        // names alone (an imported network) cannot tell that conv1..maxpool are one stem
        assertEquals(List.of("conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"),
                Stages.byNames(net).names());
        assertEquals("avgpool", TransferGraph.penultimate(net));
        assertEquals("layer3.1.relu", TransferGraph.resolve(net, stages, "layer3"));
        assertEquals("maxpool", TransferGraph.resolve(net, stages, "stem"));
        assertEquals("layer3.1.relu", TransferGraph.freezeForTrainableBlocks(net, stages, 1));
        assertEquals("layer2.1.relu", TransferGraph.freezeForTrainableBlocks(net, stages, 2));
        assertEquals("maxpool", TransferGraph.freezeForTrainableBlocks(net, stages, 4));
        assertEquals("avgpool", TransferGraph.freezeForTrainableBlocks(net, stages, 0));
        assertThrows(IllegalArgumentException.class, () -> TransferGraph.freezeForTrainableBlocks(net, stages, 5));
        // VGG's stages are the paper's five convolution groups, each closed by its pooling
        assertEquals(List.of("conv1", "conv2", "conv3", "conv4", "conv5", "classifier"),          // 7x7 already: no pooling
                org.cnnzoo.zoo.models.Vgg.vgg16().stages().names());
        assertEquals(List.of("features.0", "features.2", "features.4"),
                org.cnnzoo.zoo.models.Vgg.vgg16().stages().list().get(0).vertices());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransferGraph.resolve(net, stages, "layer9"));
        assertTrue(e.getMessage().contains("layer9") && e.getMessage().contains("layer4"), e.getMessage());
        // dropout between the features and the classifier is skipped
        assertEquals("avgpool", TransferGraph.penultimate(org.cnnzoo.zoo.models.EfficientNet.b0()
                .optInput(32, 32, 3).init()));
    }

    @Test
    void auxiliaryClassifiersAreDroppedAndTheHeadFitsTheFeatures() {
        ComputationGraph g = GoogLeNet.googlenet().optAuxClassifiers(true).optInput(96, 96, 3).optClasses(4).init();
        ComputationGraph t = TransferGraph.build(g, 3, Head.LINEAR, "avgpool", new Adam(1e-3), 1);
        assertEquals(List.of(TransferGraph.OUTPUT), t.getConfiguration().getNetworkOutputs());
        assertTrue(t.getVertex("aux1.fc2") == null && t.getVertex("aux1.conv.conv") == null);
        assertEquals(1024 * 3 + 3, t.getLayer(TransferGraph.OUTPUT).numParams());
        assertEquals(3, t.outputSingle(org.nd4j.linalg.factory.Nd4j.rand(2, 3, 96, 96)).size(1));
    }

    @Test
    void l2RegularisesTheHeadOnly() {
        ComputationGraph net = TransferGraph.build(backbone(), 10, Head.mlp(16, 0.5), "avgpool", new Adam(1e-3), 1e-3, 1);
        for (String head : new String[]{"head.fc1", TransferGraph.OUTPUT}) {
            var regularization = ((org.deeplearning4j.nn.conf.layers.BaseLayer) net.getLayer(head).conf().getLayer())
                    .getRegularization();
            assertEquals(1, regularization.size(), head);
            assertEquals(1e-3, ((org.nd4j.linalg.learning.regularization.L2Regularization) regularization.get(0))
                    .getL2().valueAt(0, 0), 1e-12, head);
        }
        // DL4J's score includes the penalty; the validation loss the trainer reports does not
        INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1, 32, 32);
        INDArray y = org.nd4j.linalg.factory.Nd4j.eye(10).getRows(0, 1, 2, 3);
        var batch = new org.nd4j.linalg.dataset.DataSet(x, y);
        double withPenalty = net.score(batch, false);
        double[] lossAndAccuracy = Trainer.lossAndAccuracy(net,
                new org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator(batch));
        assertTrue(withPenalty > lossAndAccuracy[0], withPenalty + " vs " + lossAndAccuracy[0]);
        ComputationGraph plain = TransferGraph.build(backbone(), 10, Head.LINEAR, "avgpool", new Adam(1e-3), 1);
        assertTrue(((org.deeplearning4j.nn.conf.layers.BaseLayer) plain.getLayer(TransferGraph.OUTPUT).conf().getLayer())
                .getRegularization().isEmpty());
        assertEquals(plain.score(batch, false), Trainer.lossAndAccuracy(plain,
                new org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator(batch))[0], 1e-4);
    }

    @Test
    void regimesFollowImagesPerClass() {
        assertEquals(Regime.HEAD, Regime.auto(10).regime());
        assertEquals(Regime.PARTIAL, Regime.auto(300).regime());
        assertEquals(Regime.FULL, Regime.auto(5000).regime());
        assertTrue(Regime.auto(10).reason().contains("10 training images per class"));
        assertThrows(IllegalArgumentException.class, () -> Regime.parse("most"));
        assertEquals("mlp:256:0.5", Head.parse("mlp:256").toString());
        assertThrows(IllegalArgumentException.class, () -> Head.parse("mlp"));
    }

    /** An imported model's multi-layer classifier comes off, so a new head sits on its features. */
    @Test
    void anImportedClassifierIsCutAtTheFeatures() {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("in").setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(8, 8, 3))
                .addLayer("conv", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(4).build(), "in")
                .addLayer("pool", new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder().build(), "conv")
                .addLayer("dense_1", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(6).build(), "pool")
                .addLayer("dropout", new org.deeplearning4j.nn.conf.layers.DropoutLayer.Builder(0.5).build(), "dense_1")
                .addLayer("dense_2", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nOut(5)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build(), "dropout")
                .setOutputs("dense_2").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        TransferGraph.Features cut = TransferGraph.withoutClassifier(net);
        assertEquals("pool", cut.featureVertex());
        assertEquals(List.of("dense_1", "dropout", "dense_2"), cut.dropped());
        assertEquals("pool", TransferGraph.penultimate(cut.graph()));
        ComputationGraph head = TransferGraph.build(cut.graph(), 3, Head.LINEAR, "pool",
                new org.nd4j.linalg.learning.config.Adam(1e-3), 1);
        assertEquals(java.util.Set.of(3L), java.util.Set.of(head.output(org.nd4j.linalg.factory.Nd4j.rand(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 8, 8))[0].size(1)));
        assertEquals(null, head.getVertex("dense_1"));
    }
}
