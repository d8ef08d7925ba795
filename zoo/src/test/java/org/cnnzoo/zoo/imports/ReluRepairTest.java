package org.cnnzoo.zoo.imports;

import org.cnnzoo.zoo.graph.NchwToNhwc;
import org.cnnzoo.zoo.inference.FrozenFeatures;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReluRepairTest {

    /** A convolution then a ReLU6 as Keras' import writes it (max 6, threshold 0, slope 0 given). */
    static ComputationGraph kerasStyle() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("input").setInputTypes(InputType.convolutional(16, 16, 3, CNN2DFormat.NHWC))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(CNN2DFormat.NHWC)
                        .activation(Activation.IDENTITY).build(), "input")
                .addLayer("relu", new ActivationLayer.Builder().activation(new ActivationReLU(6.0, 0.0, 0.0)).build(), "conv")
                .setOutputs("relu").build();
        NchwToNhwc.insertAtInput(conf);
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        net.params().muli(3);
        return net;
    }

    /** The largest difference between the input gradient of sum(w * relu) and central finite differences. */
    static double worstError(ComputationGraph net) {
        FrozenFeatures f = FrozenFeatures.of(net, List.of("relu"));
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 3, 16, 16);
        INDArray w = Nd4j.rand(DataType.DOUBLE, f.forward(x)[0].shape());
        INDArray gradient = f.backward(w).dup();
        double h = 1e-5;
        double worst = 0;
        for (int k = 0; k < 8; k++) {
            long[] at = {0, k % 3, 2 + k, 3 + k};
            double v = x.getDouble(at);
            x.putScalar(at, v + h);
            double up = f.forward(x)[0].mul(w).sumNumber().doubleValue();
            x.putScalar(at, v - h);
            double down = f.forward(x)[0].mul(w).sumNumber().doubleValue();
            x.putScalar(at, v);
            worst = Math.max(worst, Math.abs((up - down) / (2 * h) - gradient.getDouble(at)));
        }
        return worst;
    }

    @Test
    void importedReluSixGetsTheRightGradient() {
        ComputationGraph imported = kerasStyle();
        // DL4J's own backward pass for the imported form is wrong: the reason for the repair
        assertTrue(worstError(imported) > 1e-2, "DL4J's leaky-ReLU backward op now agrees: the repair may go");
        ComputationGraph repaired = ReluRepair.apply(imported);
        assertTrue(worstError(repaired) < 1e-7);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 16, 16);
        assertTrue(imported.outputSingle(x).equalsWithEps(repaired.outputSingle(x), 1e-12), "same function");
        ActivationReLU fn = (ActivationReLU) ((ActivationLayer) repaired.getLayer("relu").conf().getLayer()).getActivationFn();
        assertEquals(6.0, fn.getMax());
        assertNull(fn.getThreshold());
        assertNull(fn.getNegativeSlope());
    }

    @Test
    void leavesOtherFunctionsAlone() {
        assertNull(ReluRepair.plain(new ActivationReLU(6.0, 0.5, 0.0)));
        assertNull(ReluRepair.plain(new ActivationReLU(null, 0.0, 0.1)));
        assertNull(ReluRepair.plain(new ActivationReLU()));
        assertNull(ReluRepair.plain(new ActivationSigmoid()));
        ComputationGraph clean = ReluRepair.apply(kerasStyle());
        assertSame(clean, ReluRepair.apply(clean));
    }
}
