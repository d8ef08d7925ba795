package org.cnnzoo.zoo.build;

/** A convolution's or pooling's window: height x width, as {@code kernel_size} in PyTorch. */
public record Kernel(int height, int width) {
    public Kernel {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("a kernel needs a positive size, got " + height + "x" + width);
        }
    }

    public static Kernel square(int size) {
        return new Kernel(size, size);
    }

    /** Factorised kernels such as Inception v3's 1x7 and 7x1. */
    public static Kernel of(int height, int width) {
        return new Kernel(height, width);
    }
}
