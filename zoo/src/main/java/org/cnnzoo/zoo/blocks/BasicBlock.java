package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.Stride;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;

/** ResNet-18/34's block: two 3x3 convolutions, the first carrying the stride. */
public final class BasicBlock implements ResidualBlock {
    public static final BasicBlock INSTANCE = new BasicBlock();

    private BasicBlock() {
    }

    @Override
    public int expansion() {
        return 1;
    }

    @Override
    public Node branch(NetBuilder net, String prefix, Node in, int planes, int stride) {
        Node x = ResidualBlock.unit(prefix, 1, false).apply(net, in, planes, Kernel.square(3), Stride.of(stride), Padding.of(1));
        return ResidualBlock.unit(prefix, 2, true).apply(net, x, planes, Kernel.square(3), Stride.ONE, Padding.of(1));
    }
}
