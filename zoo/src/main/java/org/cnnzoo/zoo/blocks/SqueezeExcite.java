package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * Squeeze-and-excitation: global average pool ("squeeze"), a 1x1 convolution down to {@code squeeze} channels
 * with an activation, a 1x1 convolution back up with a sigmoid ("excite"), then each input channel is scaled by
 * its value. Vertex names follow torchvision's {@code SqueezeExcitation}: {@code .fc1}, {@code .fc2}.
 */
public final class SqueezeExcite {
    private SqueezeExcite() {
    }

    public static Node apply(NetBuilder net, String prefix, Node in, int squeeze, Activation activation) {
        Node s = net.globalAvgPool(prefix + ".avgpool", in, true);
        s = net.conv(prefix + ".fc1", s, squeeze, 1, 1, 0, activation);
        s = net.conv(prefix + ".fc2", s, in.channels(), 1, 1, 0, Activation.SIGMOID);
        return net.scale(prefix + ".scale", in, s);
    }
}
