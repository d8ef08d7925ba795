package org.cnnzoo.zoo.models;

import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.Stride;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.build.BatchNorm;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.blocks.ConvBnAct;
import org.cnnzoo.zoo.blocks.DepthwiseSeparable;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * MobileNet v1 (Howard et al., 2017, "MobileNets: efficient convolutional neural networks for mobile vision
 * applications"): a strided 3x3 convolution then 13 depthwise-separable blocks, 4,231,976 trainable parameters at
 * alpha 1.0 (Keras Applications reports 4,253,864 including 21,888 batch-norm statistics).
 *
 * <p>The width multiplier alpha thins every layer; the resolution multiplier rho scales the 224x224 input.
 * torchvision has no MobileNet v1, so vertex names are timm's {@code mobilenetv1_100}: {@code conv_stem, bn1,
 * blocks.S.i.conv_dw, ..., classifier}.
 */
public final class MobileNetV1 extends Architecture<MobileNetV1> {
    /** Output channels and stride of each depthwise-separable block, grouped by stage (the paper's table 1). */
    private static final int[][][] STAGES = {
            {{64, 1}},
            {{128, 2}, {128, 1}},
            {{256, 2}, {256, 1}},
            {{512, 2}, {512, 1}, {512, 1}, {512, 1}, {512, 1}, {512, 1}},
            {{1024, 2}, {1024, 1}},
    };

    private double alpha = 1.0;

    private MobileNetV1() {
        super("mobilenet_v1", 224, 3);
    }

    public static MobileNetV1 mobilenetV1() {
        return new MobileNetV1();
    }

    /** Width multiplier alpha (the paper uses 1.0, 0.75, 0.5, 0.25). */
    public MobileNetV1 optAlpha(double alpha) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("alpha must be positive, got " + alpha);
        }
        this.alpha = alpha;
        return this;
    }

    /** Resolution multiplier rho: the input becomes round(224 * rho) square (the paper: 224, 192, 160, 128). */
    public MobileNetV1 optResolution(double rho) {
        if (!(rho > 0)) {
            throw new IllegalArgumentException("resolution multiplier must be positive, got " + rho);
        }
        int size = (int) Math.round(224 * rho);
        return optInput(size, size, channels());
    }

    @Override
    protected void define(NetBuilder net) {
        net.stage("stem");
        Node x = new ConvBnAct("conv_stem", "bn1", "relu", Activation.RELU6, BatchNorm.PYTORCH)
                .apply(net, net.input(), width(32), Kernel.square(3), Stride.TWO, Padding.of(1));
        for (int s = 0; s < STAGES.length; s++) {
            net.stage("blocks." + s);
            for (int i = 0; i < STAGES[s].length; i++) {
                x = DepthwiseSeparable.apply(net, "blocks." + s + "." + i, x, width(STAGES[s][i][0]), STAGES[s][i][1]);
            }
        }
        net.stage(null);
        x = net.globalAvgPool("global_pool", x, false);
        net.output("classifier", x, classes(), 1.0);
    }

    private int width(int channels) {
        return Channels.makeDivisible(channels * alpha, 8);
    }
}
