package org.cnnzoo.zoo.build;

/**
 * Batch-norm settings, in PyTorch's sense of momentum. One default for the zoo ({@link #PYTORCH}); the networks
 * whose weights were trained otherwise name theirs.
 */
public record BatchNorm(double eps, double momentum) {
    /** PyTorch's {@code BatchNorm2d} defaults, which torchvision's ResNets, MobileNets and EfficientNet-B0..B4 use. */
    public static final BatchNorm PYTORCH = new BatchNorm(1e-5, 0.1);
    /** torchvision's {@code BasicConv2d} (GoogLeNet, Inception v3): eps 0.001. */
    public static final BatchNorm BASIC_CONV2D = new BatchNorm(1e-3, 0.1);
    /** EfficientNet-B5..B7, ported from TensorFlow with its settings. */
    public static final BatchNorm TENSORFLOW = new BatchNorm(1e-3, 0.01);
}
