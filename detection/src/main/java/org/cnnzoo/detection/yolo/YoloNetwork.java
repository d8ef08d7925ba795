package org.cnnzoo.detection.yolo;

import org.cnnzoo.detection.Anchor;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.build.Stages;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.cnnzoo.transfer.TransferGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YOLOv2 detector on any network: the network is cut where its features are still a grid (by default just
 * before its final pooling; or at a named stage or vertex, for a finer grid), and a head is added: a 3x3
 * convolution with batch norm and leaky ReLU, a 1x1 convolution to anchors x (5 + classes) channels, and DL4J's
 * {@code Yolo2OutputLayer}, which trains with YOLOv2's loss (coordinates weighted 5, empty cells 0.5, the box of a
 * cell's anchors that best overlaps the object made responsible for it). Everything else of the network is kept,
 * with its weights, and runs at the detector's input size.
 */
public final class YoloNetwork {
    /** The raw volume's vertex (before YOLO's activations): what {@link YoloDetector} decodes. */
    public static final String HEAD = "head.out";
    public static final String OUTPUT = "yolo";

    private YoloNetwork() {
    }

    /** The network with its head, the vertex it was cut at, and the grid it predicts at the input. */
    public record Built(ComputationGraph graph, String features, int rows, int columns) {
    }

    /**
     * @param features    a stage or vertex to cut at, or null for the vertex feeding the final pooling
     * @param ownInput    the input the backbone was built for (to read its channels at each vertex)
     * @param input       the detector's input
     * @param hidden      channels of the head's 3x3 convolution
     * @param frozenUntil a stage or vertex up to which the backbone stays as it is, or null to train it all
     */
    public static Built build(ComputationGraph backbone, Stages stages, String features, InputShape ownInput,
                              InputShape input, List<Anchor> anchors, int classes, int hidden, String frozenUntil,
                              IUpdater updater, long seed) {
        if (backbone.getConfiguration().getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("a detector's backbone needs one input");
        }
        String cut = features != null ? TransferGraph.resolve(backbone, stages, features) : beforePooling(backbone);
        Map<String, InputType> own = backbone.getConfiguration().getLayerActivationTypes(
                InputType.convolutional(ownInput.height(), ownInput.width(), ownInput.channels()));
        if (!(own.get(cut) instanceof InputType.InputTypeConvolutional conv)) {
            throw new IllegalArgumentException("the backbone's " + cut + " is not a grid of features ("
                    + own.get(cut) + "); cut at a stage before its pooling (--features)");
        }
        Set<String> keep = TransferGraph.ancestors(backbone, cut);
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(backbone)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(updater).seed(seed).build());
        for (String v : backbone.getConfiguration().getVertices().keySet()) {
            if (!keep.contains(v)) {
                b.removeVertexAndConnections(v);
            }
        }
        ActivationLReLU leaky = new ActivationLReLU(0.1);
        b.addLayer("head.conv", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same)
                .nIn(conv.getChannels()).nOut(hidden).hasBias(false).activation(Activation.IDENTITY)
                .weightInit(WeightInit.RELU).build(), cut);
        b.addLayer("head.bn", new BatchNormalization.Builder().nIn(hidden).nOut(hidden).eps(1e-5).decay(0.9).build(),
                "head.conv");
        b.addLayer("head.act", new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder().activation(leaky).build(),
                "head.bn");
        b.addLayer(HEAD, new ConvolutionLayer.Builder(1, 1).nIn(hidden).nOut(anchors.size() * (5 + classes))
                .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), "head.act");
        double[][] priors = anchors.stream().map(a -> new double[]{a.width(), a.height()}).toArray(double[][]::new);
        b.addLayer(OUTPUT, new Yolo2OutputLayer.Builder()
                .boundingBoxPriors(Nd4j.create(priors).castTo(DataType.FLOAT)).build(), HEAD);
        b.setOutputs(OUTPUT);
        b.setInputTypes(InputType.convolutional(input.height(), input.width(), input.channels()));
        if (frozenUntil != null) {
            b.setFeatureExtractor(TransferGraph.resolve(backbone, stages, frozenUntil));
        }
        ComputationGraph graph = b.build();
        InputType.InputTypeConvolutional grid = (InputType.InputTypeConvolutional) graph.getConfiguration()
                .getLayerActivationTypes(InputType.convolutional(input.height(), input.width(), input.channels()))
                .get(HEAD);
        return new Built(graph, cut, (int) grid.getHeight(), (int) grid.getWidth());
    }

    /**
     * The vertex whose grid the network finally pools: walking back from the output, the input of the first global
     * pooling or pooling layer met.
     */
    static String beforePooling(ComputationGraph graph) {
        var conf = graph.getConfiguration();
        String vertex = conf.getNetworkOutputs().get(0);
        while (conf.getVertexInputs().get(vertex) != null && !conf.getVertexInputs().get(vertex).isEmpty()) {
            String input = conf.getVertexInputs().get(vertex).get(0);
            if (conf.getVertices().get(vertex) instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                if (layer instanceof GlobalPoolingLayer || layer instanceof SubsamplingLayer) {
                    return input;
                }
            }
            vertex = input;
        }
        throw new IllegalArgumentException("the backbone has no pooling before its output to cut at; name a stage"
                + " or vertex with --features");
    }
}
