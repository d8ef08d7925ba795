package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.Stride;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.build.BatchNorm;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * MobileNet v2's inverted residual with linear bottleneck: 1x1 expansion by t (skipped when t = 1), 3x3 depthwise,
 * then a linear 1x1 projection; ReLU6 in between; a residual connection when stride is 1 and the channels agree.
 * Vertex names follow torchvision's {@code features.N.conv.i}.
 */
public final class InvertedResidual {
    private InvertedResidual() {
    }

    public static Node apply(NetBuilder net, String prefix, Node in, int outChannels, int stride, int expandRatio) {
        String conv = prefix + ".conv.";
        int index = 0;
        Node x = in;
        int hidden = in.channels() * expandRatio;
        if (expandRatio != 1) {
            x = ConvBnAct.sequential(conv + index++, Activation.RELU6, BatchNorm.PYTORCH)
                    .apply(net, x, hidden, Kernel.square(1), Stride.ONE, Padding.NONE);
        }
        x = ConvBnAct.sequential(conv + index++, Activation.RELU6, BatchNorm.PYTORCH)
                .applyDepthwise(net, x, Kernel.square(3), Stride.of(stride));
        x = new ConvBnAct(conv + index, conv + (index + 1), null, null, BatchNorm.PYTORCH)
                .apply(net, x, outChannels, Kernel.square(1), Stride.ONE, Padding.NONE);
        if (stride == 1 && in.channels() == outChannels) {
            x = net.add(prefix + ".add", x, in);
        }
        return x;
    }
}
