package org.cnnzoo.zoo.models;

import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.Stride;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.build.BatchNorm;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.blocks.ConvBnAct;
import org.cnnzoo.zoo.blocks.InvertedResidual;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * MobileNet v2 (Sandler et al., 2018, "MobileNetV2: inverted residuals and linear bottlenecks"): 17 inverted
 * residual blocks, 3,504,872 parameters at alpha 1.0. Width multiplier alpha and the expansion factor t (6 in the
 * paper) are options. Vertex names are torchvision's ({@code features.N...}, {@code classifier.1}).
 */
public final class MobileNetV2 extends Architecture<MobileNetV2> {
    /** Expansion t (0 = the configurable factor, 1 = none), channels c, repeats n, first stride s: the paper's table 2. */
    private static final int[][] SETTINGS = {
            {1, 16, 1, 1},
            {0, 24, 2, 2},
            {0, 32, 3, 2},
            {0, 64, 4, 2},
            {0, 96, 3, 1},
            {0, 160, 3, 2},
            {0, 320, 1, 1},
    };

    private double alpha = 1.0;
    private int expansion = 6;

    private MobileNetV2() {
        super("mobilenet_v2", 224, 3);
    }

    public static MobileNetV2 mobilenetV2() {
        return new MobileNetV2();
    }

    /** Width multiplier alpha (default 1.0). */
    public MobileNetV2 optAlpha(double alpha) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("alpha must be positive, got " + alpha);
        }
        this.alpha = alpha;
        return this;
    }

    /** Expansion factor of the inverted residuals (default 6). */
    public MobileNetV2 optExpansion(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("expansion factor must be at least 1, got " + t);
        }
        this.expansion = t;
        return this;
    }

    @Override
    protected void define(NetBuilder net) {
        int index = 0;
        net.stage("features.0");
        Node x = ConvBnAct.sequential("features." + index++, Activation.RELU6, BatchNorm.PYTORCH)
                .apply(net, net.input(), Channels.makeDivisible(32 * alpha, 8), Kernel.square(3), Stride.TWO, Padding.of(1));
        for (int[] s : SETTINGS) {
            int t = s[0] == 0 ? expansion : s[0];
            int out = Channels.makeDivisible(s[1] * alpha, 8);
            for (int i = 0; i < s[2]; i++) {
                net.stage("features." + index);
                x = InvertedResidual.apply(net, "features." + index++, x, out, i == 0 ? s[3] : 1, t);
            }
        }
        int last = Channels.makeDivisible(1280 * Math.max(1.0, alpha), 8);
        net.stage("features." + index);
        x = ConvBnAct.sequential("features." + index, Activation.RELU6, BatchNorm.PYTORCH)
                .apply(net, x, last, Kernel.square(1), Stride.ONE, Padding.NONE);
        net.stage(null);
        x = net.globalAvgPool("avgpool", x, false);
        x = net.dropout("classifier.0", x, 0.2);
        net.output("classifier.1", x, classes(), 1.0);
    }
}
