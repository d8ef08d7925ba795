package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.Stride;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.build.BatchNorm;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * MobileNet v1's depthwise-separable convolution: a 3x3 depthwise convolution (one filter per channel) then a
 * 1x1 pointwise convolution, each followed by batch norm and ReLU6. Against a normal convolution it costs
 * 1/n_c' + 1/f^2 of the multiplications. Vertex names follow timm's {@code conv_dw, bn1, conv_pw, bn2}.
 */
public final class DepthwiseSeparable {
    private DepthwiseSeparable() {
    }

    public static Node apply(NetBuilder net, String prefix, Node in, int outChannels, int stride) {
        Node x = new ConvBnAct(prefix + ".conv_dw", prefix + ".bn1", prefix + ".relu1", Activation.RELU6,
                BatchNorm.PYTORCH).applyDepthwise(net, in, Kernel.square(3), Stride.of(stride));
        return new ConvBnAct(prefix + ".conv_pw", prefix + ".bn2", prefix + ".relu2", Activation.RELU6,
                BatchNorm.PYTORCH).apply(net, x, outChannels, Kernel.square(1), Stride.ONE, Padding.NONE);
    }
}
