package org.cnnzoo.zoo.models;

import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The course's 3D generalisation, for volumes (CT scans, video clips as frames x height x width): per stage a
 * 3x3x3 convolution with ReLU, then max pooling (the first over height and width only, C3D's choice, so that the
 * frames are not merged too early), a global average and a softmax.
 */
public final class Conv3dNet {
    /** Filters per stage. */
    public static final int[] STAGES = {8, 16};

    private Conv3dNet() {
    }

    /**
     * @param depth  frames (or slices) of the input volumes
     * @param height their height
     * @param width  their width
     */
    public static ComputationGraphConfiguration build(int depth, int height, int width, int channels, int classes,
                                                      long seed, IUpdater updater) {
        NetBuilder net = NetBuilder.volumes(depth, height, width, channels, seed, updater);
        Node x = net.input();
        x = net.conv3d("features.0", x, STAGES[0], 3, 1, 1, Activation.RELU);
        x = net.maxPool3d("features.1", x, 1, 2, 2);
        x = net.conv3d("features.2", x, STAGES[1], 3, 1, 1, Activation.RELU);
        x = net.maxPool3d("features.3", x, 2, 2, 2);
        x = net.globalAvgPool("avgpool", x, false);
        net.output("fc", x, classes, 1.0);
        return net.build();
    }
}
