package org.cnnzoo.zoo.summary;

/**
 * Parameter counts: {@code trainable} are the values gradient descent changes; {@code total} adds what DL4J also
 * stores as parameters, the batch-norm running mean and variance (torchvision keeps those as buffers).
 */
public record Params(long trainable, long total) {
    public static final Params NONE = new Params(0, 0);

    public static Params trainable(long count) {
        return new Params(count, count);
    }

    public Params plus(Params other) {
        return new Params(trainable + other.trainable, total + other.total);
    }
}
