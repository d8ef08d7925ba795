package org.cnnzoo.zoo.models;

import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.Stride;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.build.BatchNorm;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.blocks.ConvBnAct;
import org.cnnzoo.zoo.blocks.MBConv;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * EfficientNet (Tan and Le, 2019, "EfficientNet: rethinking model scaling for convolutional neural networks"):
 * the B0 baseline of MBConv blocks with squeeze-and-excitation and swish, scaled in width, depth and resolution
 * together. B0 has 5,288,548 parameters; B1-B7 use the paper's published coefficients. Vertex names are
 * torchvision's ({@code features.S.i.block.j}, {@code classifier.1}).
 */
public final class EfficientNet extends Architecture<EfficientNet> {
    /** Expansion, kernel, stride, input channels, output channels, repeats: B0's stages (the paper's table 1). */
    private static final int[][] B0 = {
            {1, 3, 1, 32, 16, 1},
            {6, 3, 2, 16, 24, 2},
            {6, 5, 2, 24, 40, 2},
            {6, 3, 2, 40, 80, 3},
            {6, 5, 1, 80, 112, 3},
            {6, 5, 2, 112, 192, 4},
            {6, 3, 1, 192, 320, 1},
    };

    private final double widthMult;
    private final double depthMult;
    private final double dropout;
    private final BatchNorm norm;

    private EfficientNet(String name, double widthMult, double depthMult, int resolution, double dropout,
                         BatchNorm norm) {
        super(name, resolution, 3);
        this.widthMult = widthMult;
        this.depthMult = depthMult;
        this.dropout = dropout;
        this.norm = norm;
    }

    /**
     * A custom compound scaling of B0: channels times {@code width}, repeats times {@code depth} (rounded up),
     * input {@code resolution} square, classifier dropout {@code dropout}.
     */
    public static EfficientNet compound(String name, double width, double depth, int resolution, double dropout) {
        return new EfficientNet(name, width, depth, resolution, dropout, BatchNorm.PYTORCH);
    }

    public static EfficientNet b0() {
        return compound("efficientnet_b0", 1.0, 1.0, 224, 0.2);
    }

    public static EfficientNet b1() {
        return compound("efficientnet_b1", 1.0, 1.1, 240, 0.2);
    }

    public static EfficientNet b2() {
        return compound("efficientnet_b2", 1.1, 1.2, 260, 0.3);
    }

    public static EfficientNet b3() {
        return compound("efficientnet_b3", 1.2, 1.4, 300, 0.3);
    }

    public static EfficientNet b4() {
        return compound("efficientnet_b4", 1.4, 1.8, 380, 0.4);
    }

    // B5-B7 were ported from TensorFlow with its batch-norm settings (eps 1e-3, momentum 0.01).
    public static EfficientNet b5() {
        return new EfficientNet("efficientnet_b5", 1.6, 2.2, 456, 0.4, BatchNorm.TENSORFLOW);
    }

    public static EfficientNet b6() {
        return new EfficientNet("efficientnet_b6", 1.8, 2.6, 528, 0.5, BatchNorm.TENSORFLOW);
    }

    public static EfficientNet b7() {
        return new EfficientNet("efficientnet_b7", 2.0, 3.1, 600, 0.5, BatchNorm.TENSORFLOW);
    }

    @Override
    protected void define(NetBuilder net) {
        int index = 0;
        net.stage("features.0");
        Node x = ConvBnAct.sequential("features." + index++, Activation.SWISH, norm)
                .apply(net, net.input(), width(B0[0][3]), Kernel.square(3), Stride.TWO, Padding.of(1));
        for (int[] stage : B0) {
            int expand = stage[0];
            int kernel = stage[1];
            int out = width(stage[4]);
            int repeats = (int) Math.ceil(stage[5] * depthMult);
            String prefix = "features." + index++;
            net.stage(prefix);
            for (int i = 0; i < repeats; i++) {
                int expanded = Channels.makeDivisible(x.channels() * (double) expand, 8);
                x = MBConv.apply(net, prefix + "." + i, x, out, kernel, i == 0 ? stage[2] : 1, expanded, norm);
            }
        }
        net.stage("features." + index);
        x = ConvBnAct.sequential("features." + index, Activation.SWISH, norm)
                .apply(net, x, 4 * width(B0[B0.length - 1][4]), Kernel.square(1), Stride.ONE, Padding.NONE);
        net.stage(null);
        x = net.globalAvgPool("avgpool", x, false);
        x = net.dropout("classifier.0", x, dropout);
        net.output("classifier.1", x, classes(), 1.0);
    }

    private int width(int channels) {
        return Channels.makeDivisible(channels * widthMult, 8);
    }
}
