package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.build.BatchNorm;
import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.build.Stride;
import org.nd4j.linalg.activations.Activation;

/**
 * Convolution without bias, batch normalisation, then an activation: the unit most modern CNNs are made of.
 * The three vertex names are given, because each reference family names them differently.
 *
 * @param conv       name of the convolution vertex
 * @param bn         name of the batch-norm vertex
 * @param act        name of the activation vertex (unused when the activation is {@code null})
 * @param activation the activation, or {@code null} for a linear unit (MobileNet v2's projection)
 * @param norm       batch-norm settings ({@link BatchNorm#PYTORCH} unless the weights were trained otherwise)
 */
public record ConvBnAct(String conv, String bn, String act, Activation activation, BatchNorm norm) {

    /** torchvision's {@code Conv2dNormActivation}: a Sequential whose children are {@code .0}, {@code .1}, {@code .2}. */
    public static ConvBnAct sequential(String prefix, Activation activation, BatchNorm norm) {
        return new ConvBnAct(prefix + ".0", prefix + ".1", prefix + ".2", activation, norm);
    }

    /** torchvision's {@code BasicConv2d} of GoogLeNet and Inception v3: {@code .conv}, {@code .bn}, ReLU, eps 0.001. */
    public static ConvBnAct basicConv2d(String prefix) {
        return new ConvBnAct(prefix + ".conv", prefix + ".bn", prefix + ".relu", Activation.RELU, BatchNorm.BASIC_CONV2D);
    }

    /** Convolution (no bias) to {@code filters} channels, batch norm, activation; like {@code nn.Conv2d}'s arguments. */
    public Node apply(NetBuilder net, Node in, int filters, Kernel kernel, Stride stride, Padding padding) {
        Node x = net.conv(conv, in, filters, kernel.height(), kernel.width(), stride.value(), padding.height(),
                padding.width(), false, Activation.IDENTITY);
        return normalise(net, x);
    }

    /** The same unit with a depthwise convolution, padded to keep the size at stride 1 (MobileNet, EfficientNet). */
    public Node applyDepthwise(NetBuilder net, Node in, Kernel kernel, Stride stride) {
        if (kernel.height() != kernel.width()) {
            throw new IllegalArgumentException("depthwise kernels are square here, got " + kernel);
        }
        Node x = net.depthwise(conv, in, kernel.height(), stride.value(), Padding.same(kernel).height());
        return normalise(net, x);
    }

    private Node normalise(NetBuilder net, Node x) {
        Node y = net.batchNorm(bn, x, norm);
        return activation == null ? y : net.activation(act, y, activation);
    }
}
