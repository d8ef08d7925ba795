package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.Stride;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;

/**
 * GoogLeNet's inception module: four parallel branches concatenated along channels: a 1x1 convolution; a 1x1
 * reduction then 3x3; a 1x1 reduction then the "5x5"; a 3x3 max pool then a 1x1 projection. The 1x1 reductions
 * are what make it affordable (the course's 120M versus 12.4M multiplications).
 *
 * <p>torchvision's GoogLeNet uses a 3x3 kernel in the "5x5" branch (a known quirk kept for its pretrained
 * weights); {@link #TORCHVISION_KERNEL} reproduces it, 5 gives the paper's module.
 *
 * @param ch1x1    filters of branch 1
 * @param ch3x3red 1x1 reduction of branch 2
 * @param ch3x3    3x3 filters of branch 2
 * @param ch5x5red 1x1 reduction of branch 3
 * @param ch5x5    filters of branch 3
 * @param poolProj 1x1 projection after the pool (branch 4)
 */
public record InceptionModule(int ch1x1, int ch3x3red, int ch3x3, int ch5x5red, int ch5x5, int poolProj) {

    public static final int TORCHVISION_KERNEL = 3;
    public static final int PAPER_KERNEL = 5;

    public int outChannels() {
        return ch1x1 + ch3x3 + ch5x5 + poolProj;
    }

    /** Adds the module; vertices are {@code prefix.branch1}, {@code prefix.branch2.0} ... and the concatenation {@code prefix}. */
    public Node apply(NetBuilder net, String prefix, Node in, int kernel3) {
        Node b1 = ConvBnAct.basicConv2d(prefix + ".branch1").apply(net, in, ch1x1, Kernel.square(1), Stride.ONE, Padding.NONE);

        Node b2 = ConvBnAct.basicConv2d(prefix + ".branch2.0").apply(net, in, ch3x3red, Kernel.square(1), Stride.ONE, Padding.NONE);
        b2 = ConvBnAct.basicConv2d(prefix + ".branch2.1").apply(net, b2, ch3x3, Kernel.square(3), Stride.ONE, Padding.of(1));

        Node b3 = ConvBnAct.basicConv2d(prefix + ".branch3.0").apply(net, in, ch5x5red, Kernel.square(1), Stride.ONE, Padding.NONE);
        b3 = ConvBnAct.basicConv2d(prefix + ".branch3.1").apply(net, b3, ch5x5, Kernel.square(kernel3), Stride.ONE, Padding.of((kernel3 - 1) / 2));

        Node b4 = net.maxPoolCeil(prefix + ".branch4.0", in, 3, 1, 1);
        b4 = ConvBnAct.basicConv2d(prefix + ".branch4.1").apply(net, b4, poolProj, Kernel.square(1), Stride.ONE, Padding.NONE);

        return net.concat(prefix, b1, b2, b3, b4);
    }
}
