package org.cnnzoo.zoo.graph;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * Swish (x sigmoid(x)) forward and backward and ReLU6's backward pass, in place over float buffers with the
 * JDK's Vector API (whose exponential is vectorised), split into chunks run on the common fork-join pool. Loaded only
 * when the JVM has {@code jdk.incubator.vector} ({@link Vectors}); {@link FastSwish} and {@link FastRelu6} decide
 * when an array qualifies.
 */
final class ActivationKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Large enough that a chunk's scheduling is noise, small enough to share 2-16 cores evenly. */
    private static final int CHUNK = 1 << 16;

    private ActivationKernels() {
    }

    /** The elements [from, to) of one chunk; x at xOffset + i, dy (backward passes only) at dyOffset + i. */
    private interface Range {
        void run(ByteBuffer x, int xOffset, ByteBuffer dy, int dyOffset, int from, int to);
    }

    private static void chunked(Range range, ByteBuffer x, long xOffset, ByteBuffer dy, long dyOffset, long length) {
        ByteBuffer bx = x.order(ORDER);
        ByteBuffer bdy = dy == null ? null : dy.order(ORDER);
        int chunks = (int) ((length + CHUNK - 1) / CHUNK);
        IntStream.range(0, chunks).parallel().forEach(c -> range.run(bx, (int) xOffset, bdy, (int) dyOffset,
                c * CHUNK, (int) Math.min(length, (long) (c + 1) * CHUNK)));
    }

    /** x becomes swish(x); {@code length} elements from {@code offset}. */
    static void swish(ByteBuffer x, long offset, long length) {
        chunked(ActivationKernels::swishRange, x, offset, null, 0, length);
    }

    /** x (the layer's input) becomes dy sigmoid(x) (1 + x (1 - sigmoid(x))), the gradient at the input. */
    static void swishBackward(ByteBuffer x, long xOffset, ByteBuffer dy, long dyOffset, long length) {
        chunked(ActivationKernels::swishBackwardRange, x, xOffset, dy, dyOffset, length);
    }

    /** x (the layer's input) becomes dy where 0 < x < 6 and 0 elsewhere, as ND4J's relu6_bp. */
    static void relu6Backward(ByteBuffer x, long xOffset, ByteBuffer dy, long dyOffset, long length) {
        chunked(ActivationKernels::relu6BackwardRange, x, xOffset, dy, dyOffset, length);
    }

    /**
     * out = dy where the activation's output y lies where ReLU (0 < y) or, with {@code six}, ReLU6 (0 < y < 6) has
     * slope 1, and 0 elsewhere: the backward pass of either read from its output, written to a third array so that
     * neither the output nor the incoming gradient (which a residual sum hands to two branches) is overwritten.
     */
    static void reluBackward(ByteBuffer y, long yOffset, ByteBuffer dy, long dyOffset, ByteBuffer out, long outOffset,
                             long length, boolean six) {
        ByteBuffer by = y.order(ORDER);
        ByteBuffer bdy = dy.order(ORDER);
        ByteBuffer bout = out.order(ORDER);
        int chunks = (int) ((length + CHUNK - 1) / CHUNK);
        IntStream.range(0, chunks).parallel().forEach(c -> reluBackwardRange(by, (int) yOffset, bdy, (int) dyOffset,
                bout, (int) outOffset, c * CHUNK, (int) Math.min(length, (long) (c + 1) * CHUNK), six));
    }

    private static void reluBackwardRange(ByteBuffer y, int yOffset, ByteBuffer dy, int dyOffset, ByteBuffer out,
                                          int outOffset, int from, int to, boolean six) {
        FloatVector zero = FloatVector.zero(SPECIES);
        float top = six ? 6f : Float.POSITIVE_INFINITY;
        int i = from;
        for (int upper = from + SPECIES.loopBound(to - from); i < upper; i += SPECIES.length()) {
            FloatVector v = load(y, yOffset + i);
            VectorMask<Float> inside = v.compare(VectorOperators.GT, 0f).and(v.compare(VectorOperators.LT, top));
            zero.blend(load(dy, dyOffset + i), inside).intoByteBuffer(out, (outOffset + i) * 4, ORDER);
        }
        for (; i < to; i++) {
            float v = y.getFloat((yOffset + i) * 4);
            out.putFloat((outOffset + i) * 4, v > 0f && v < top ? dy.getFloat((dyOffset + i) * 4) : 0f);
        }
    }

    private static void swishRange(ByteBuffer x, int xOffset, ByteBuffer unused, int unusedOffset, int from, int to) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        int i = from;
        for (int upper = from + SPECIES.loopBound(to - from); i < upper; i += SPECIES.length()) {
            FloatVector v = load(x, xOffset + i);
            v.div(one.add(v.neg().lanewise(VectorOperators.EXP))).intoByteBuffer(x, (xOffset + i) * 4, ORDER);
        }
        for (; i < to; i++) {
            float v = x.getFloat((xOffset + i) * 4);
            x.putFloat((xOffset + i) * 4, v / (1f + (float) Math.exp(-v)));
        }
    }

    private static void swishBackwardRange(ByteBuffer x, int xOffset, ByteBuffer dy, int dyOffset, int from, int to) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        int i = from;
        for (int upper = from + SPECIES.loopBound(to - from); i < upper; i += SPECIES.length()) {
            FloatVector v = load(x, xOffset + i);
            FloatVector s = one.div(one.add(v.neg().lanewise(VectorOperators.EXP)));
            load(dy, dyOffset + i).mul(s).mul(v.mul(one.sub(s)).add(one)).intoByteBuffer(x, (xOffset + i) * 4, ORDER);
        }
        for (; i < to; i++) {
            float v = x.getFloat((xOffset + i) * 4);
            float s = 1f / (1f + (float) Math.exp(-v));
            x.putFloat((xOffset + i) * 4, dy.getFloat((dyOffset + i) * 4) * s * (1 + v * (1 - s)));
        }
    }

    private static void relu6BackwardRange(ByteBuffer x, int xOffset, ByteBuffer dy, int dyOffset, int from, int to) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = from;
        for (int upper = from + SPECIES.loopBound(to - from); i < upper; i += SPECIES.length()) {
            FloatVector v = load(x, xOffset + i);
            VectorMask<Float> inside = v.compare(VectorOperators.GT, 0f).and(v.compare(VectorOperators.LT, 6f));
            zero.blend(load(dy, dyOffset + i), inside).intoByteBuffer(x, (xOffset + i) * 4, ORDER);
        }
        for (; i < to; i++) {
            float v = x.getFloat((xOffset + i) * 4);
            x.putFloat((xOffset + i) * 4, v > 0f && v < 6f ? dy.getFloat((dyOffset + i) * 4) : 0f);
        }
    }

    private static FloatVector load(ByteBuffer b, int element) {
        return FloatVector.fromByteBuffer(SPECIES, b, element * 4, ORDER);
    }
}
