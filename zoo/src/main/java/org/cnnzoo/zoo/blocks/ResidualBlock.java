package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.build.BatchNorm;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * A ResNet block: a residual branch added to a shortcut, then ReLU. The shortcut is the identity when shapes
 * agree and a projection (1x1 convolution with stride, then batch norm: {@code downsample.0}, {@code .1}) when
 * they do not. Vertex names follow torchvision's {@code layerN.i.*}.
 */
public interface ResidualBlock {

    /** Output channels per "planes" (1 for basic blocks, 4 for bottlenecks). */
    int expansion();

    /** The residual branch, ending in its last batch norm (before the addition). */
    Node branch(NetBuilder net, String prefix, Node in, int planes, int stride);

    /** The whole block: branch + shortcut, then ReLU. */
    default Node apply(NetBuilder net, String prefix, Node in, int planes, int stride) {
        Node branch = branch(net, prefix, in, planes, stride);
        Node shortcut = in;
        if (stride != 1 || in.channels() != planes * expansion()) {
            shortcut = net.conv(prefix + ".downsample.0", in, planes * expansion(), 1, stride, 0, false);
            shortcut = net.batchNorm(prefix + ".downsample.1", shortcut, BatchNorm.PYTORCH);
        }
        Node sum = net.add(prefix + ".add", branch, shortcut);
        return net.activation(prefix + ".relu", sum, Activation.RELU);
    }

    /** Unit i (1-based) of a block: {@code convI}, {@code bnI}, ReLU unless it is the last one. */
    static ConvBnAct unit(String prefix, int i, boolean last) {
        return new ConvBnAct(prefix + ".conv" + i, prefix + ".bn" + i, prefix + ".relu" + i,
                last ? null : Activation.RELU, BatchNorm.PYTORCH);
    }
}
