package org.cnnzoo.zoo.build;

/** A convolution's step, the same along height and width (every network of the zoo steps squarely). */
public record Stride(int value) {
    public static final Stride ONE = new Stride(1);
    public static final Stride TWO = new Stride(2);

    public Stride {
        if (value < 1) {
            throw new IllegalArgumentException("a stride must be at least 1, got " + value);
        }
    }

    public static Stride of(int value) {
        return new Stride(value);
    }
}
