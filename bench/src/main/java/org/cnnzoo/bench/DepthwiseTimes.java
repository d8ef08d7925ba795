package org.cnnzoo.bench;

import org.cnnzoo.zoo.Backend;
import org.cnnzoo.zoo.graph.DirectDepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Locale;

/**
 * One depthwise layer's forward and backward pass at batch 16 (with a tanh and a squared-error loss after it), with the zoo's Vector API backward pass and with
 * libnd4j's ({@code cnnzoo.depthwise.vector=off}), alternating, for the shapes of MobileNet v2's and EfficientNet-B0's
 * depthwise layers. {@code bench/run.sh DepthwiseTimes} prints a table (best of 5 rounds of 5 passes each).
 */
public final class DepthwiseTimes {
    private DepthwiseTimes() {
    }

    /** channels, input size, kernel, stride. */
    private static final int[][] SHAPES = {{32, 112, 3, 1}, {96, 112, 3, 2}, {144, 56, 3, 1}, {144, 56, 5, 2},
            {240, 28, 3, 2}, {240, 28, 5, 1}, {576, 14, 3, 1}, {672, 14, 5, 2}, {960, 7, 3, 1}, {1152, 7, 5, 1}};

    public static void main(String[] args) {
        Backend.init();
        System.out.printf(Locale.ROOT, "%8s %6s %8s %16s %16s%n", "channels", "size", "kernel", "libnd4j (ms)", "kernel (ms)");
        for (int[] shape : SHAPES) {
            ComputationGraph net = layer(shape[0], shape[1], shape[2], shape[3]);
            INDArray x = Nd4j.rand(DataType.FLOAT, 16, shape[0], shape[1], shape[1]);
            int out = (shape[1] + 2 * ((shape[2] - 1) / 2) - shape[2]) / shape[3] + 1;
            INDArray y = Nd4j.rand(DataType.FLOAT, 16, shape[0], out, out);
            net.setInputs(x);
            net.setLabels(y);
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int round = 0; round < 5; round++) {
                for (int side = 0; side < 2; side++) {
                    System.setProperty("cnnzoo.depthwise.vector", side == 0 ? "off" : "on");
                    long t0 = System.nanoTime();
                    for (int i = 0; i < 5; i++) {
                        net.computeGradientAndScore();
                    }
                    best[side] = Math.min(best[side], (System.nanoTime() - t0) / 5e6);
                }
            }
            System.out.printf(Locale.ROOT, "%8d %6d %5dx%d/%d %16.1f %16.1f%n", shape[0], shape[1], shape[2], shape[2],
                    shape[3], best[0], best[1]);
        }
        System.exit(0);
    }

    private static ComputationGraph layer(int channels, int size, int kernel, int stride) {
        int pad = (kernel - 1) / 2;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Sgd(1e-3)).graphBuilder()
                .addInputs("x")
                .setInputTypes(InputType.convolutional(size, size, channels))
                .addLayer("dw", new DirectDepthwiseConvolution2D(new DepthwiseConvolution2D.Builder(kernel, kernel)
                        .stride(stride, stride).padding(pad, pad).depthMultiplier(1).nOut(channels).hasBias(false)
                        .activation(Activation.IDENTITY)), "x")
                // the activation hands the depthwise layer its gradient as a network's batch norm does, one
                // contiguous NCHW array (the loss layer's own is a channels-last view, which the kernel does not take)
                .addLayer("act", new ActivationLayer.Builder().activation(Activation.TANH).build(), "dw")
                .addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "act")
                .setOutputs("loss").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }
}
