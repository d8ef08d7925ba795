package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.graph.NetBuilder;
import org.cnnzoo.zoo.graph.Node;

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
        Node x = ResidualBlock.unit(prefix, 1, false).apply(net, in, planes, 3, stride, 1);
        return ResidualBlock.unit(prefix, 2, true).apply(net, x, planes, 3, 1, 1);
    }
}
