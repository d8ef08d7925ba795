package org.cnnzoo.zoo.blocks;

import org.cnnzoo.zoo.graph.NetBuilder;
import org.cnnzoo.zoo.graph.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * Convolution without bias, batch normalisation, then an activation: the unit most modern CNNs are made of.
 * The three vertex names are given, because each reference family names them differently.
 *
 * @param conv       name of the convolution vertex
 * @param bn         name of the batch-norm vertex
 * @param act        name of the activation vertex (unused when the activation is {@code null})
 * @param activation the activation, or {@code null} for a linear unit (MobileNet v2's projection)
 * @param eps        batch-norm epsilon
 * @param momentum   batch-norm momentum in PyTorch's sense
 */
public record ConvBnAct(String conv, String bn, String act, Activation activation, double eps, double momentum) {

    /** PyTorch's BatchNorm2d defaults. */
    public static final double EPS = 1e-5;
    public static final double MOMENTUM = 0.1;

    /** torchvision's {@code Conv2dNormActivation}: a Sequential whose children are {@code .0}, {@code .1}, {@code .2}. */
    public static ConvBnAct sequential(String prefix, Activation activation, double eps, double momentum) {
        return new ConvBnAct(prefix + ".0", prefix + ".1", prefix + ".2", activation, eps, momentum);
    }

    /** torchvision's {@code BasicConv2d} of GoogLeNet and Inception v3: {@code .conv}, {@code .bn}, ReLU, eps 0.001. */
    public static ConvBnAct basicConv2d(String prefix) {
        return new ConvBnAct(prefix + ".conv", prefix + ".bn", prefix + ".relu", Activation.RELU, 1e-3, MOMENTUM);
    }

    public Node apply(NetBuilder net, Node in, int filters, int kernel, int stride, int padding) {
        return apply(net, in, filters, kernel, kernel, stride, padding, padding);
    }

    public Node apply(NetBuilder net, Node in, int filters, int kh, int kw, int stride, int ph, int pw) {
        Node x = net.conv(conv, in, filters, kh, kw, stride, ph, pw, false, Activation.IDENTITY);
        return normalise(net, x);
    }

    /** The same unit with a depthwise convolution (padding (k-1)/2, as in MobileNet and EfficientNet). */
    public Node applyDepthwise(NetBuilder net, Node in, int kernel, int stride) {
        Node x = net.depthwise(conv, in, kernel, stride, (kernel - 1) / 2);
        return normalise(net, x);
    }

    private Node normalise(NetBuilder net, Node x) {
        Node y = net.batchNorm(bn, x, eps, momentum);
        return activation == null ? y : net.activation(act, y, activation);
    }
}
