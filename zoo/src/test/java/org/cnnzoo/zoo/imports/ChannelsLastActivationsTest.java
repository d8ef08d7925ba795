package org.cnnzoo.zoo.imports;

import org.cnnzoo.zoo.Backend;
import org.cnnzoo.zoo.graph.NchwToNhwc;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fine-tuning an imported channels-last network whose convolutions carry their ReLU (Keras' Conv2D(activation=
 * 'relu')): in float, where DL4J runs on oneDNN, the first convolution's weight gradient is the float64 one once
 * the activations are split out, and far from it before.
 */
class ChannelsLastActivationsTest {

    static ComputationGraph kerasStyle() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("input").setInputTypes(InputType.convolutional(12, 12, 3, CNN2DFormat.NHWC))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(6).dataFormat(CNN2DFormat.NHWC)
                        .activation(Activation.RELU).build(), "input")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(6).dataFormat(CNN2DFormat.NHWC)
                        .activation(Activation.RELU).build(), "conv1")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build();
        NchwToNhwc.insertAtInput(conf);
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    static INDArray firstConvWeightGradient(ComputationGraph net, DataSet data, String name) {
        net.setInputs(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        return net.gradient().gradientForVariable().get(name + "_W").castTo(DataType.DOUBLE);
    }

    static double relative(INDArray expected, INDArray actual) {
        return expected.sub(actual).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
    }

    @Test
    void splitConvolutionsTrainOnTheRightGradients() {
        Backend.init();
        ComputationGraph imported = kerasStyle();
        ComputationGraph split = ChannelsLastActivations.apply(imported);
        assertTrue(split.getLayer("conv1").conf().getLayer() instanceof ActivationLayer);
        assertTrue(split.getLayer("conv1" + ChannelsLastActivations.LINEAR).conf().getLayer() instanceof ConvolutionLayer);
        assertEquals(imported.numParams(), split.numParams());

        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3, 12, 12);
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.DOUBLE);
        assertTrue(imported.outputSingle(x).equalsWithEps(split.outputSingle(x), 1e-12), "the same function");

        DataSet exact = new DataSet(x, y);
        DataSet single = new DataSet(x.castTo(DataType.FLOAT), y.castTo(DataType.FLOAT));
        INDArray expected = firstConvWeightGradient(split, exact, "conv1" + ChannelsLastActivations.LINEAR);
        INDArray repaired = firstConvWeightGradient(split.convertDataType(DataType.FLOAT), single,
                "conv1" + ChannelsLastActivations.LINEAR);
        INDArray asImported = firstConvWeightGradient(imported.convertDataType(DataType.FLOAT), single, "conv1");
        assertTrue(relative(expected, repaired) < 1e-4, "split: " + relative(expected, repaired));
        assertTrue(relative(expected, asImported) > 1e-2, "DL4J's fused backward pass now agrees ("
                + relative(expected, asImported) + "): the split may go");
        assertSame(split, ChannelsLastActivations.apply(split));
    }
}
