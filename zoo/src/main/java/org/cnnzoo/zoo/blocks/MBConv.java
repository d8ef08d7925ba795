package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.graph.NetBuilder;
import org.cnnzoo.zoo.graph.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * EfficientNet's mobile inverted bottleneck: 1x1 expansion (skipped when the ratio is 1), k x k depthwise,
 * squeeze-and-excitation to a quarter of the block's input channels, linear 1x1 projection; swish (SiLU)
 * activations; a residual connection when stride is 1 and the channels agree. Vertex names follow torchvision's
 * {@code features.S.i.block.j}. Stochastic depth, a training-time regulariser without parameters, is not applied.
 */
public final class MBConv {
    private MBConv() {
    }

    public static Node apply(NetBuilder net, String prefix, Node in, int outChannels, int kernel, int stride,
                             int expandedChannels, double eps, double momentum) {
        String block = prefix + ".block.";
        int index = 0;
        Node x = in;
        if (expandedChannels != in.channels()) {
            x = ConvBnAct.sequential(block + index++, Activation.SWISH, eps, momentum).apply(net, x, expandedChannels, 1, 1, 0);
        }
        x = ConvBnAct.sequential(block + index++, Activation.SWISH, eps, momentum).applyDepthwise(net, x, kernel, stride);
        x = SqueezeExcite.apply(net, block + index++, x, Math.max(1, in.channels() / 4), Activation.SWISH);
        x = ConvBnAct.sequential(block + index, null, eps, momentum).apply(net, x, outChannels, 1, 1, 0);
        if (stride == 1 && in.channels() == outChannels) {
            x = net.add(prefix + ".add", x, in);
        }
        return x;
    }
}
