package org.cnnzoo.zoo.models;

import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.Stride;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.blocks.ConvBnAct;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;

/**
 * Inception v3 (Szegedy et al., 2015, "Rethinking the Inception architecture for computer vision") at 299x299:
 * factorised 7x7 into 1x7 and 7x1, grid-size reduction modules, 23,834,568 parameters; 27,161,264 with the
 * auxiliary classifier ({@link #optAuxClassifier(boolean)}), whose loss is weighted by 0.4 as in torchvision's
 * training recipe. Module names are torchvision's ({@code Conv2d_1a_3x3}, {@code Mixed_5b.branch1x1}, ...).
 */
public final class InceptionV3 extends Architecture<InceptionV3> {
    public static final double AUX_LOSS_WEIGHT = 0.4;

    private boolean auxClassifier;

    private InceptionV3() {
        super("inception_v3", 299, 3);
    }

    public static InceptionV3 inceptionV3() {
        return new InceptionV3();
    }

    /** Adds the auxiliary classifier after Mixed_6e as a second output (default off). */
    public InceptionV3 optAuxClassifier(boolean aux) {
        this.auxClassifier = aux;
        return this;
    }

    @Override
    protected boolean supportsTransformInput() {
        return true;
    }

    /** The published checkpoint includes the auxiliary classifier; without it here, its tensors are skipped. */
    @Override
    public java.util.List<String> auxiliaryPrefixes() {
        return java.util.List.of("AuxLogits.");
    }

    @Override
    protected void define(NetBuilder net) {
        net.stage("stem");
        Node x = unit("Conv2d_1a_3x3").apply(net, net.input(), 32, Kernel.square(3), Stride.TWO, Padding.NONE);
        x = unit("Conv2d_2a_3x3").apply(net, x, 32, Kernel.square(3), Stride.ONE, Padding.NONE);
        x = unit("Conv2d_2b_3x3").apply(net, x, 64, Kernel.square(3), Stride.ONE, Padding.of(1));
        x = net.maxPool("maxpool1", x, 3, 2, 0);
        x = unit("Conv2d_3b_1x1").apply(net, x, 80, Kernel.square(1), Stride.ONE, Padding.NONE);
        x = unit("Conv2d_4a_3x3").apply(net, x, 192, Kernel.square(3), Stride.ONE, Padding.NONE);
        x = net.maxPool("maxpool2", x, 3, 2, 0);
        net.stage(null);                            // then each Mixed module is a stage

        x = inceptionA(net, "Mixed_5b", x, 32);
        x = inceptionA(net, "Mixed_5c", x, 64);
        x = inceptionA(net, "Mixed_5d", x, 64);
        x = inceptionB(net, "Mixed_6a", x);
        x = inceptionC(net, "Mixed_6b", x, 128);
        x = inceptionC(net, "Mixed_6c", x, 160);
        x = inceptionC(net, "Mixed_6d", x, 160);
        Node after6e = x = inceptionC(net, "Mixed_6e", x, 192);
        x = inceptionD(net, "Mixed_7a", x);
        x = inceptionE(net, "Mixed_7b", x);
        x = inceptionE(net, "Mixed_7c", x);

        x = net.globalAvgPool("avgpool", x, false);
        x = net.dropout("dropout", x, 0.5);
        net.output("fc", x, classes(), 1.0);

        if (auxClassifier) {
            Node a = net.avgPool("AuxLogits.avgpool", after6e, 5, 3, 0);
            a = unit("AuxLogits.conv0").apply(net, a, 128, Kernel.square(1), Stride.ONE, Padding.NONE);
            a = unit("AuxLogits.conv1").apply(net, a, 768, Kernel.square(5), Stride.ONE, Padding.NONE);
            a = net.globalAvgPool("AuxLogits.pool", a, false);
            net.output("AuxLogits.fc", a, classes(), AUX_LOSS_WEIGHT);
        }
    }

    private static ConvBnAct unit(String name) {
        return ConvBnAct.basicConv2d(name);
    }

    /** 35x35 module: 1x1; 1x1 then 5x5; 1x1 then two 3x3; 3x3 average pool then 1x1. */
    private static Node inceptionA(NetBuilder net, String p, Node in, int poolFeatures) {
        Node b1 = unit(p + ".branch1x1").apply(net, in, 64, Kernel.square(1), Stride.ONE, Padding.NONE);
        Node b5 = unit(p + ".branch5x5_1").apply(net, in, 48, Kernel.square(1), Stride.ONE, Padding.NONE);
        b5 = unit(p + ".branch5x5_2").apply(net, b5, 64, Kernel.square(5), Stride.ONE, Padding.of(2));
        Node b3 = unit(p + ".branch3x3dbl_1").apply(net, in, 64, Kernel.square(1), Stride.ONE, Padding.NONE);
        b3 = unit(p + ".branch3x3dbl_2").apply(net, b3, 96, Kernel.square(3), Stride.ONE, Padding.of(1));
        b3 = unit(p + ".branch3x3dbl_3").apply(net, b3, 96, Kernel.square(3), Stride.ONE, Padding.of(1));
        Node bp = net.avgPool(p + ".avgpool", in, 3, 1, 1);
        bp = unit(p + ".branch_pool").apply(net, bp, poolFeatures, Kernel.square(1), Stride.ONE, Padding.NONE);
        return net.concat(p, b1, b5, b3, bp);
    }

    /** Grid reduction 35 -> 17: stride-2 3x3; 1x1, 3x3, stride-2 3x3; stride-2 max pool. */
    private static Node inceptionB(NetBuilder net, String p, Node in) {
        Node b3 = unit(p + ".branch3x3").apply(net, in, 384, Kernel.square(3), Stride.TWO, Padding.NONE);
        Node bd = unit(p + ".branch3x3dbl_1").apply(net, in, 64, Kernel.square(1), Stride.ONE, Padding.NONE);
        bd = unit(p + ".branch3x3dbl_2").apply(net, bd, 96, Kernel.square(3), Stride.ONE, Padding.of(1));
        bd = unit(p + ".branch3x3dbl_3").apply(net, bd, 96, Kernel.square(3), Stride.TWO, Padding.NONE);
        Node bp = net.maxPool(p + ".maxpool", in, 3, 2, 0);
        return net.concat(p, b3, bd, bp);
    }

    /** 17x17 module with 7x7 convolutions factorised into 1x7 and 7x1. */
    private static Node inceptionC(NetBuilder net, String p, Node in, int c7) {
        Node b1 = unit(p + ".branch1x1").apply(net, in, 192, Kernel.square(1), Stride.ONE, Padding.NONE);
        Node b7 = unit(p + ".branch7x7_1").apply(net, in, c7, Kernel.square(1), Stride.ONE, Padding.NONE);
        b7 = unit(p + ".branch7x7_2").apply(net, b7, c7, Kernel.of(1, 7), Stride.ONE, Padding.of(0, 3));
        b7 = unit(p + ".branch7x7_3").apply(net, b7, 192, Kernel.of(7, 1), Stride.ONE, Padding.of(3, 0));
        Node bd = unit(p + ".branch7x7dbl_1").apply(net, in, c7, Kernel.square(1), Stride.ONE, Padding.NONE);
        bd = unit(p + ".branch7x7dbl_2").apply(net, bd, c7, Kernel.of(7, 1), Stride.ONE, Padding.of(3, 0));
        bd = unit(p + ".branch7x7dbl_3").apply(net, bd, c7, Kernel.of(1, 7), Stride.ONE, Padding.of(0, 3));
        bd = unit(p + ".branch7x7dbl_4").apply(net, bd, c7, Kernel.of(7, 1), Stride.ONE, Padding.of(3, 0));
        bd = unit(p + ".branch7x7dbl_5").apply(net, bd, 192, Kernel.of(1, 7), Stride.ONE, Padding.of(0, 3));
        Node bp = net.avgPool(p + ".avgpool", in, 3, 1, 1);
        bp = unit(p + ".branch_pool").apply(net, bp, 192, Kernel.square(1), Stride.ONE, Padding.NONE);
        return net.concat(p, b1, b7, bd, bp);
    }

    /** Grid reduction 17 -> 8. */
    private static Node inceptionD(NetBuilder net, String p, Node in) {
        Node b3 = unit(p + ".branch3x3_1").apply(net, in, 192, Kernel.square(1), Stride.ONE, Padding.NONE);
        b3 = unit(p + ".branch3x3_2").apply(net, b3, 320, Kernel.square(3), Stride.TWO, Padding.NONE);
        Node b7 = unit(p + ".branch7x7x3_1").apply(net, in, 192, Kernel.square(1), Stride.ONE, Padding.NONE);
        b7 = unit(p + ".branch7x7x3_2").apply(net, b7, 192, Kernel.of(1, 7), Stride.ONE, Padding.of(0, 3));
        b7 = unit(p + ".branch7x7x3_3").apply(net, b7, 192, Kernel.of(7, 1), Stride.ONE, Padding.of(3, 0));
        b7 = unit(p + ".branch7x7x3_4").apply(net, b7, 192, Kernel.square(3), Stride.TWO, Padding.NONE);
        Node bp = net.maxPool(p + ".maxpool", in, 3, 2, 0);
        return net.concat(p, b3, b7, bp);
    }

    /** 8x8 module whose 3x3 branches split into parallel 1x3 and 3x1 convolutions. */
    private static Node inceptionE(NetBuilder net, String p, Node in) {
        Node b1 = unit(p + ".branch1x1").apply(net, in, 320, Kernel.square(1), Stride.ONE, Padding.NONE);
        Node b3 = unit(p + ".branch3x3_1").apply(net, in, 384, Kernel.square(1), Stride.ONE, Padding.NONE);
        b3 = net.concat(p + ".branch3x3",
                unit(p + ".branch3x3_2a").apply(net, b3, 384, Kernel.of(1, 3), Stride.ONE, Padding.of(0, 1)),
                unit(p + ".branch3x3_2b").apply(net, b3, 384, Kernel.of(3, 1), Stride.ONE, Padding.of(1, 0)));
        Node bd = unit(p + ".branch3x3dbl_1").apply(net, in, 448, Kernel.square(1), Stride.ONE, Padding.NONE);
        bd = unit(p + ".branch3x3dbl_2").apply(net, bd, 384, Kernel.square(3), Stride.ONE, Padding.of(1));
        bd = net.concat(p + ".branch3x3dbl",
                unit(p + ".branch3x3dbl_3a").apply(net, bd, 384, Kernel.of(1, 3), Stride.ONE, Padding.of(0, 1)),
                unit(p + ".branch3x3dbl_3b").apply(net, bd, 384, Kernel.of(3, 1), Stride.ONE, Padding.of(1, 0)));
        Node bp = net.avgPool(p + ".avgpool", in, 3, 1, 1);
        bp = unit(p + ".branch_pool").apply(net, bp, 192, Kernel.square(1), Stride.ONE, Padding.NONE);
        return net.concat(p, b1, b3, bd, bp);
    }
}
