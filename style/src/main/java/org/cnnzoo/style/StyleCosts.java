package org.cnnzoo.style;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * The costs of neural style transfer with their gradients, on one image's activations (1 x C x H x W,
 * channels-first), with the course's normalisations:
 * <ul>
 * <li>content: {@code J_content = 1 / (4 nH nW nC) * sum (a_C - a_G)^2} (the paper, Gatys et al. 2015, uses 1/2);
 * <li>style, per layer: {@code J_style = 1 / (2 nH nW nC)^2 * sum (G_S - G_G)^2}, where the Gram matrix
 * {@code G = A A^T} of the activation unrolled to {@code A} (nC x nH·nW) holds the channels' correlations (the
 * paper's {@code 1 / (4 N^2 M^2)} with N = nC, M = nH·nW: the same);
 * <li>total variation (optional smoothing, not in the course): the sum of squared differences between
 * vertically and horizontally neighbouring values.
 * </ul>
 */
public final class StyleCosts {
    private StyleCosts() {
    }

    /** A cost's value and its gradient with respect to what it was computed from (same shape). */
    public record Cost(double value, INDArray gradient) {
    }

    /** The Gram matrix (nC x nC) of one image's activation. */
    public static INDArray gram(INDArray activation) {
        INDArray a = unrolled(activation);
        return a.mmul(a.transpose());
    }

    /** The activation of one image as nC x (nH·nW). */
    private static INDArray unrolled(INDArray activation) {
        long[] s = activation.shape();
        if (s.length != 4 || s[0] != 1) {
            throw new IllegalArgumentException("expected one image's activation 1 x C x H x W, got " + Arrays.toString(s));
        }
        return activation.dup('c').reshape('c', s[1], s[2] * s[3]);
    }

    private static long size(INDArray activation) {
        long[] s = activation.shape();
        return s[1] * s[2] * s[3];
    }

    /** The content cost of a generated image's activation against the content image's, and its gradient. */
    public static Cost content(INDArray target, INDArray generated) {
        if (!Arrays.equals(target.shape(), generated.shape())) {
            throw new IllegalArgumentException("content activations differ in shape: " + Arrays.toString(target.shape())
                    + " and " + Arrays.toString(generated.shape()));
        }
        double norm = 4.0 * size(generated);
        INDArray diff = generated.sub(target);
        double value = diff.mul(diff).sumNumber().doubleValue() / norm;
        return new Cost(value, diff.muli(2 / norm));
    }

    /**
     * The style cost of one layer for a generated image's activation against a style image's Gram matrix, and its
     * gradient: with {@code D = G_G - G_S}, {@code dJ/dA = 4 D A / (2 nH nW nC)^2} (D is symmetric).
     */
    public static Cost style(INDArray targetGram, INDArray generated) {
        long[] s = generated.shape();
        INDArray a = unrolled(generated);
        if (targetGram.rank() != 2 || targetGram.size(0) != s[1] || targetGram.size(1) != s[1]) {
            throw new IllegalArgumentException("a Gram matrix of " + s[1] + " channels is " + s[1] + " x " + s[1]
                    + ", got " + Arrays.toString(targetGram.shape()));
        }
        double half = 2.0 * size(generated);
        double norm = half * half;
        INDArray d = a.mmul(a.transpose()).subi(targetGram);
        double value = d.mul(d).sumNumber().doubleValue() / norm;
        INDArray gradient = d.mmul(a).muli(4 / norm).reshape('c', s);
        return new Cost(value, gradient);
    }

    /** Total variation of a batch of images (N x C x H x W) and its gradient. */
    public static Cost totalVariation(INDArray images) {
        if (images.rank() != 4) {
            throw new IllegalArgumentException("expected N x C x H x W images, got " + Arrays.toString(images.shape()));
        }
        long h = images.size(2);
        long w = images.size(3);
        INDArray gradient = images.like();
        gradient.assign(0);
        double value = 0;
        if (h > 1) {
            INDArray dy = images.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, h), NDArrayIndex.all())
                    .sub(images.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, h - 1), NDArrayIndex.all()));
            value += dy.mul(dy).sumNumber().doubleValue();
            gradient.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, h), NDArrayIndex.all()).addi(dy.mul(2));
            gradient.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, h - 1), NDArrayIndex.all()).subi(dy.mul(2));
        }
        if (w > 1) {
            INDArray dx = images.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, w))
                    .sub(images.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, w - 1)));
            value += dx.mul(dx).sumNumber().doubleValue();
            gradient.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, w)).addi(dx.mul(2));
            gradient.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, w - 1)).subi(dx.mul(2));
        }
        return new Cost(value, gradient);
    }
}
