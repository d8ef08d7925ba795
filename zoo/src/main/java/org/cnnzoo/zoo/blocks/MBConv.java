package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.build.BatchNorm;
import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.Stride;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
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
                             int expandedChannels, BatchNorm norm) {
        String block = prefix + ".block.";
        int index = 0;
        Node x = in;
        if (expandedChannels != in.channels()) {
            x = ConvBnAct.sequential(block + index++, Activation.SWISH, norm).apply(net, x, expandedChannels, Kernel.square(1), Stride.ONE, Padding.NONE);
        }
        x = ConvBnAct.sequential(block + index++, Activation.SWISH, norm).applyDepthwise(net, x, Kernel.square(kernel), Stride.of(stride));
        x = SqueezeExcite.apply(net, block + index++, x, Math.max(1, in.channels() / 4), Activation.SWISH);
        x = ConvBnAct.sequential(block + index, null, norm).apply(net, x, outChannels, Kernel.square(1), Stride.ONE, Padding.NONE);
        if (stride == 1 && in.channels() == outChannels) {
            x = net.add(prefix + ".add", x, in);
        }
        return x;
    }
}
