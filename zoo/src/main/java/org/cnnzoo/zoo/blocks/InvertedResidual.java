package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.graph.NetBuilder;
import org.cnnzoo.zoo.graph.Node;
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
            x = ConvBnAct.sequential(conv + index++, Activation.RELU6, ConvBnAct.EPS, ConvBnAct.MOMENTUM)
                    .apply(net, x, hidden, 1, 1, 0);
        }
        x = ConvBnAct.sequential(conv + index++, Activation.RELU6, ConvBnAct.EPS, ConvBnAct.MOMENTUM)
                .applyDepthwise(net, x, 3, stride);
        x = new ConvBnAct(conv + index, conv + (index + 1), null, null, ConvBnAct.EPS, ConvBnAct.MOMENTUM)
                .apply(net, x, outChannels, 1, 1, 0);
        if (stride == 1 && in.channels() == outChannels) {
            x = net.add(prefix + ".add", x, in);
        }
        return x;
    }
}
