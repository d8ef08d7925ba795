package org.cnnzoo.zoo;

import org.cnnzoo.zoo.weights.Safetensors;
import org.cnnzoo.zoo.weights.Tensor;

import java.nio.charset.StandardCharsets;

/**
 * The counter-based generator of tools/reference/torchvision_logits.py, implemented identically: value =
 * f(seed, tensor name, index), so both sides make the same weights and inputs without sharing files. See the
 * script's docstring for the definition.
 */
public final class CounterGenerator {
    private final long seed;

    public CounterGenerator(long seed) {
        this.seed = seed;
    }

    static long fnv1a64(String text) {
        long h = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }

    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** u(name, i): uniform in [0, 1), as the script's {@code uniform}. */
    public double uniform(String name, long i) {
        return (mix(mix(seed ^ fnv1a64(name)) + i) >>> 11) * 0x1.0p-53;
    }

    /** The tensor of that name and shape, valued by its kind as in the script. */
    public Tensor tensor(String name, long[] shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        long fanIn = 1;
        for (int i = 1; i < shape.length; i++) {
            fanIn *= shape[i];
        }
        double scale = Math.sqrt(3.0 / fanIn);
        long key = mix(seed ^ fnv1a64(name));
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            double u = (mix(key + i) >>> 11) * 0x1.0p-53;
            double s = 2 * u - 1;
            double v;
            if (name.endsWith("running_var")) {
                v = 0.5 + u;
            } else if (name.endsWith("running_mean") || name.endsWith(".bias")) {
                v = 0.1 * s;
            } else if (name.endsWith(".weight") && shape.length == 1) {
                v = 1 + 0.25 * s;
            } else if (shape.length >= 2 && !name.equals("input")) {
                v = s * scale;
            } else {
                v = s;
            }
            values[i] = (float) v;
        }
        return new Tensor(shape, values);
    }
}
