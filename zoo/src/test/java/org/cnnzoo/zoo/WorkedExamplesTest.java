package org.cnnzoo.zoo;

import org.cnnzoo.zoo.build.ConvArithmetic;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.cnnzoo.zoo.summary.LayerSummary;
import org.cnnzoo.zoo.summary.ModelSummary;
import org.cnnzoo.zoo.summary.Summarizer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The course's worked numbers (shared/notes/reference-architectures.md), reproduced by the cost tool. */
class WorkedExamplesTest {

    private static NetBuilder net(int h, int w, int c) {
        return new NetBuilder(h, w, c, 1, new Adam(1e-3));
    }

    private static ModelSummary summarise(NetBuilder net, Node last, int h, int w, int c) {
        net.output("out", net.globalAvgPool("pool", last, false), 2, 1.0);
        return Summarizer.of("example", net.build(), InputType.convolutional(h, w, c));
    }

    /** The summary of a single convolution on an h x w x c input. */
    private static LayerSummary singleConv(int h, int w, int c, int filters, int kernel, int padding, boolean bias) {
        NetBuilder net = net(h, w, c);
        return summarise(net, net.conv("conv", net.input(), filters, kernel, 1, padding, bias), h, w, c).layer("conv");
    }

    @Test
    void inceptionMotivationFiveByFiveCostsAbout120MillionMultiplications() {
        LayerSummary layer = singleConv(28, 28, 192, 32, 5, 2, false);
        assertEquals(List.of(32L, 28L, 28L), layer.shape());
        assertEquals(120_422_400L, layer.macs());
    }

    @Test
    void aOneByOneBottleneckCutsThatToAbout12Million() {
        NetBuilder net = net(28, 28, 192);
        Node reduce = net.conv("reduce", net.input(), 16, 1, 1, 0, false);
        Node conv = net.conv("conv5x5", reduce, 32, 5, 1, 2, false);
        ModelSummary s = summarise(net, conv, 28, 28, 192);
        assertEquals(2_408_448L, s.layer("reduce").macs());
        assertEquals(10_035_200L, s.layer("conv5x5").macs());
        assertEquals(12_443_648L, s.layer("reduce").macs() + s.layer("conv5x5").macs());
    }

    @Test
    void oneByOneConvolutionShrinksChannelsOnly() {
        LayerSummary layer = singleConv(6, 6, 32, 5, 1, 0, true);
        assertEquals(List.of(5L, 6L, 6L), layer.shape());
        assertEquals((1 * 1 * 32 + 1) * 5, layer.params().total());
    }

    @Test
    void depthwiseSeparableCostsOneOverFiltersPlusOneOverKernelArea() {
        // the course's example: 6x6x3 input, 3x3 kernels, 5 output channels
        long normalCost = singleConv(6, 6, 3, 5, 3, 0, false).macs();
        NetBuilder separable = net(6, 6, 3);
        Node dw = separable.depthwise("dw", separable.input(), 3, 1, 0);
        ModelSummary s = summarise(separable, separable.conv("pw", dw, 5, 1, 1, 0, false), 6, 6, 3);
        long separableCost = s.layer("dw").macs() + s.layer("pw").macs();
        assertEquals(2160, normalCost);
        assertEquals(432 + 240, separableCost);
        assertEquals(1.0 / 5 + 1.0 / 9, (double) separableCost / normalCost, 1e-12);
    }

    @Test
    void outputSizeFormulaAndConvParameters() {
        assertEquals(4, ConvArithmetic.outputSize(6, 3, 1, 0));
        assertEquals(3, ConvArithmetic.outputSize(7, 3, 2, 0));
        assertEquals(6, ConvArithmetic.outputSize(6, 3, 1, 1));
        assertEquals(56, ConvArithmetic.ceilOutputSize(112, 3, 2, 0));
        assertEquals(55, ConvArithmetic.outputSize(112, 3, 2, 0));
        assertEquals((3 * 3 * 3 + 1) * 10, ConvArithmetic.convParams(3, 3, 3, 10, 1, true));
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> ConvArithmetic.outputSize(2, 5, 1, 0));
        assertEquals(true, tooSmall.getMessage().contains("too small"));
    }

    /** Layer kinds the zoo does not use but imported models do: the formulas still agree with DL4J. */
    @Test
    void summaryAgreesWithDl4jOnSeparableDilatedSameModePaddedAndUpsampledLayers() {
        InputType input = InputType.convolutional(37, 29, 5);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("input")
                .setInputTypes(input)
                .addLayer("same", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(8)
                        .convolutionMode(ConvolutionMode.Same).build(), "input")
                .addLayer("dilated", new ConvolutionLayer.Builder(3, 3).dilation(2, 2).padding(1, 1).nOut(6)
                        .convolutionMode(ConvolutionMode.Truncate).build(), "same")
                .addLayer("separable", new SeparableConvolution2D.Builder(3, 3).depthMultiplier(2).nOut(7)
                        .convolutionMode(ConvolutionMode.Truncate).build(), "dilated")
                .addLayer("pad", new ZeroPaddingLayer.Builder(1, 2, 0, 3).build(), "separable")
                .addLayer("up", new Upsampling2D.Builder(2).build(), "pad")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).build(), "up")
                .addLayer("dense", new DenseLayer.Builder().nOut(4).build(), "pool")
                .addLayer("out", new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out")
                .build();
        ModelSummary summary = Summarizer.of("mixed", conf, input);
        Map<String, InputType> dl4j = conf.getLayerActivationTypes(input);
        for (LayerSummary layer : summary.layers()) {
            InputType t = dl4j.get(layer.name());
            List<Long> expected = t instanceof InputType.InputTypeConvolutional c
                    ? List.of(c.getChannels(), c.getHeight(), c.getWidth())
                    : List.of(((InputType.InputTypeFeedForward) t).getSize());
            assertEquals(expected, layer.shape(), layer.name());
            assertEquals(conf.getVertices().get(layer.name()).numParams(true), layer.params().total(), layer.name());
        }
    }

    @Test
    void threeDimensionalConvolutionWithDl4jsConvolution3D() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional3D(32, 32, 32, 16))
                .addLayer("conv3d", new Convolution3D.Builder(3, 3, 3).nOut(32)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build(), "input")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv3d")
                .addLayer("out", new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out")
                .build();
        LayerSummary layer = Summarizer.of("conv3d", conf, InputType.convolutional3D(32, 32, 32, 16)).layer("conv3d");
        assertEquals(List.of(32L, 30L, 30L, 30L), layer.shape());
        assertEquals((3 * 3 * 3 * 16 + 1) * 32, layer.params().total());
        // and DL4J itself agrees on a real forward pass
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertArrayEquals(new long[]{1, 32, 30, 30, 30},
                graph.feedForward(Nd4j.rand(DataType.FLOAT, 1, 16, 32, 32, 32), false).get("conv3d").shape());
    }
}
