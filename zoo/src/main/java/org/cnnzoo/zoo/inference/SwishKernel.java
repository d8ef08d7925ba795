package org.cnnzoo.zoo.inference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * x sigmoid(x) over a float buffer in place, with the JDK's Vector API (whose exponential is vectorised), split into
 * chunks run on the common fork-join pool. Loaded only when the JVM has {@code jdk.incubator.vector}
 * ({@link FastSwish}).
 */
final class SwishKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Large enough that a chunk's scheduling is noise, small enough to share 2-16 cores evenly. */
    private static final int CHUNK = 1 << 16;

    private SwishKernel() {
    }

    /** @param offset first element, {@code length} elements from there */
    static void inPlace(ByteBuffer buffer, long offset, long length) {
        ByteBuffer b = buffer.order(ByteOrder.nativeOrder());
        int start = (int) offset;
        int end = (int) (offset + length);
        int chunks = (int) ((length + CHUNK - 1) / CHUNK);
        if (chunks <= 1) {
            range(b, start, end);
            return;
        }
        IntStream.range(0, chunks).parallel().forEach(c ->
                range(b, start + c * CHUNK, Math.min(end, start + (c + 1) * CHUNK)));
    }

    private static void range(ByteBuffer b, int from, int to) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        int i = from;
        for (int upper = from + SPECIES.loopBound(to - from); i < upper; i += SPECIES.length()) {
            FloatVector x = FloatVector.fromByteBuffer(SPECIES, b, i * 4, ByteOrder.nativeOrder());
            x.div(one.add(x.neg().lanewise(VectorOperators.EXP))).intoByteBuffer(b, i * 4, ByteOrder.nativeOrder());
        }
        for (; i < to; i++) {
            float x = b.getFloat(i * 4);
            b.putFloat(i * 4, x / (1f + (float) Math.exp(-x)));
        }
    }
}
