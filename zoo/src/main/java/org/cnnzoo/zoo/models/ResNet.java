package org.cnnzoo.zoo.models;

import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.Stride;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.build.BatchNorm;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.blocks.BasicBlock;
import org.cnnzoo.zoo.blocks.Bottleneck;
import org.cnnzoo.zoo.blocks.ConvBnAct;
import org.cnnzoo.zoo.blocks.ResidualBlock;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * ResNet (He et al., 2015, "Deep residual learning for image recognition"): a 7x7 stem, four stages of
 * residual blocks at 64, 128, 256 and 512 planes (stride 2 entering stages 2-4), global average pooling, one fully
 * connected layer. Vertex names are torchvision's: {@code conv1, bn1, layer1.0.conv1, ..., fc}.
 */
public final class ResNet extends Architecture<ResNet> {
    private static final int[] PLANES = {64, 128, 256, 512};

    private final ResidualBlock block;
    private final int[] layers;

    private ResNet(String name, ResidualBlock block, int... layers) {
        super(name, 224, 3);
        this.block = block;
        this.layers = layers;
    }

    public static ResNet resnet18() {
        return new ResNet("resnet18", BasicBlock.INSTANCE, 2, 2, 2, 2);
    }

    public static ResNet resnet34() {
        return new ResNet("resnet34", BasicBlock.INSTANCE, 3, 4, 6, 3);
    }

    public static ResNet resnet50() {
        return new ResNet("resnet50", Bottleneck.INSTANCE, 3, 4, 6, 3);
    }

    public static ResNet resnet101() {
        return new ResNet("resnet101", Bottleneck.INSTANCE, 3, 4, 23, 3);
    }

    public static ResNet resnet152() {
        return new ResNet("resnet152", Bottleneck.INSTANCE, 3, 8, 36, 3);
    }

    @Override
    protected void define(NetBuilder net) {
        net.stage("stem");
        Node x = new ConvBnAct("conv1", "bn1", "relu", Activation.RELU, BatchNorm.PYTORCH)
                .apply(net, net.input(), 64, Kernel.square(7), Stride.TWO, Padding.of(3));
        x = net.maxPool("maxpool", x, 3, 2, 1);
        for (int stage = 0; stage < layers.length; stage++) {
            net.stage("layer" + (stage + 1));
            for (int i = 0; i < layers[stage]; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                x = block.apply(net, "layer" + (stage + 1) + "." + i, x, PLANES[stage], stride);
            }
        }
        net.stage(null);
        x = net.globalAvgPool("avgpool", x, false);
        net.output("fc", x, classes(), 1.0);
    }
}
