package org.cnnzoo.zoo.graph;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The squeeze-excite product with its own forward pass: x * s computed directly, and DL4J's backward pass still
 * right after it (a gradient check of the parameters on both sides of the product, in double precision).
 */
class ChannelScaleVertexTest {
    static ComputationGraph network() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("image", "context")
                .setInputTypes(InputType.convolutional(5, 5, 3), InputType.convolutional(1, 1, 2))
                .addLayer("x", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.TANH).build(), "image")
                .addLayer("s", new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.SIGMOID).build(),
                        "context")
                .addVertex("scaled", new ChannelScaleVertex(), "x", "s")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "scaled")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    @Test
    void forwardIsTheProductAndGradientsAreRight() {
        ComputationGraph net = network();
        Nd4j.getRandom().setSeed(11);
        INDArray image = Nd4j.rand(DataType.DOUBLE, 2, 3, 5, 5).subi(0.5);
        INDArray context = Nd4j.rand(DataType.DOUBLE, 2, 2, 1, 1).subi(0.5);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        labels.putScalar(0, 1, 1);
        labels.putScalar(1, 2, 1);

        Map<String, INDArray> acts = net.feedForward(new INDArray[]{image, context}, false);
        INDArray expected = acts.get("x").mul(acts.get("s"));     // broadcast over the 3x3 grid
        assertEquals(expected, acts.get("scaled"));

        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);   // GradientCheckUtil insists
        try {
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                    .inputs(new INDArray[]{image, context}).labels(new INDArray[]{labels}));
            assertTrue(ok, "gradient check of the layers on both sides of the product");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }
}
