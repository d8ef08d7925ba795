package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.Stride;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;

/**
 * ResNet-50/101/152's block: 1x1 reduction, 3x3, 1x1 expansion by 4. The stride sits on the 3x3 convolution
 * (torchvision's "ResNet v1.5"), not on the first 1x1 as in the original paper.
 */
public final class Bottleneck implements ResidualBlock {
    public static final Bottleneck INSTANCE = new Bottleneck();

    private Bottleneck() {
    }

    @Override
    public int expansion() {
        return 4;
    }

    @Override
    public Node branch(NetBuilder net, String prefix, Node in, int planes, int stride) {
        Node x = ResidualBlock.unit(prefix, 1, false).apply(net, in, planes, Kernel.square(1), Stride.ONE, Padding.NONE);
        x = ResidualBlock.unit(prefix, 2, false).apply(net, x, planes, Kernel.square(3), Stride.of(stride), Padding.of(1));
        return ResidualBlock.unit(prefix, 3, true).apply(net, x, planes * expansion(), Kernel.square(1), Stride.ONE, Padding.NONE);
    }
}
