package org.cnnzoo.zoo.models;

import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The course's 1D generalisation of a convolutional network, for sequences (signals, rows of an image read as
 * time steps): per stage a 1D convolution of 3 steps with ReLU and a max pooling of 2, then a global average over
 * time and a softmax. The same shape, parameter and multiply-add accounting as the 2D networks (the summary).
 */
public final class Conv1dNet {
    /** Filters per stage. */
    public static final int[] STAGES = {32, 64};

    private Conv1dNet() {
    }

    /**
     * @param length   time steps of the input sequences
     * @param channels values per time step
     * @param classes  output classes
     */
    public static ComputationGraphConfiguration build(int length, int channels, int classes, long seed, IUpdater updater) {
        NetBuilder net = NetBuilder.sequences(length, channels, seed, updater);
        Node x = net.input();
        for (int i = 0; i < STAGES.length; i++) {
            x = net.conv1d("features." + (2 * i), x, STAGES[i], 3, 1, 1, Activation.RELU);
            x = net.maxPool1d("features." + (2 * i + 1), x, 2, 2);
        }
        x = net.globalAvgPool("avgpool", x, false);
        net.output("fc", x, classes, 1.0);
        return net.build();
    }
}
