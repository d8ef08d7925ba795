package org.cnnzoo.zoo.build;

/** Zeros added on each side: {@code height} rows above and below, {@code width} columns left and right. */
public record Padding(int height, int width) {
    public static final Padding NONE = new Padding(0, 0);

    public Padding {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("padding cannot be negative, got " + height + "x" + width);
        }
    }

    public static Padding of(int both) {
        return new Padding(both, both);
    }

    public static Padding of(int height, int width) {
        return new Padding(height, width);
    }

    /** What keeps the size at stride 1 for an odd kernel: (k - 1) / 2 on each side ("same"). */
    public static Padding same(Kernel kernel) {
        return new Padding((kernel.height() - 1) / 2, (kernel.width() - 1) / 2);
    }
}
